import { badRequest } from '../errors.ts';
import type { Cursor } from './model.ts';

/** Opaque paging cursor: base64url of `publishedAt.articleId`. */
export function encodeCursor(cursor: Cursor): string {
  return btoa(`${cursor.publishedAt}.${cursor.articleId}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(value: string): Cursor {
  let text = '';
  try {
    text = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    // falls through to the error below
  }
  const match = /^(\d{1,15})\.([A-Za-z0-9-]{1,64})$/.exec(text);
  if (!match) throw badRequest('invalid_cursor', 'The cursor is not one this API returned; start again without it.');
  return { publishedAt: Number(match[1]), articleId: match[2] };
}
