import { AppError } from '../errors.ts';

/** Position in a newest-first listing: the time and id of the last entry of the previous page. */
export interface Cursor {
  publishedAt: number;
  id: string;
}

/** The one paging cursor: base64url of `publishedAt.id`, opaque to clients. */
export function encodeCursor(cursor: Cursor): string {
  return btoa(`${cursor.publishedAt}.${cursor.id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Reads a cursor this API returned (plain base64 too); 400 `invalid_cursor` for anything else. */
export function decodeCursor(value: string): Cursor {
  let text = '';
  try {
    text = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    // falls through to the error below
  }
  const match = /^(\d{1,15})\.([A-Za-z0-9-]{1,64})$/.exec(text);
  if (!match) throw new AppError('invalid_cursor', 'The cursor is not one this API returned; start again without it.');
  return { publishedAt: Number(match[1]), id: match[2]! };
}
