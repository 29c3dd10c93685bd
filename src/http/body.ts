import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';

export const maxBodyBytes = 1024 * 1024;

/** 413 past `maxBytes`, whether or not the request declares its length. */
export function limitBody(maxBytes = maxBodyBytes): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The request body exceeds the limit of ${maxBytes} bytes.`);
    },
  });
}

/** Reads a JSON request body: 415 unless the media type is JSON, 400 for bytes that are not UTF-8 JSON. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      `Send the body as JSON with "Content-Type: application/json"${type ? `, not "${type.slice(0, 80)}"` : ''}.`,
    );
  }
  const bytes = await c.req.arrayBuffer();
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'the bytes are not valid UTF-8';
    throw new AppError('invalid_json', `The request body is not valid JSON: ${reason}`);
  }
}

/** Reads an XML request body (OPML): 415 unless an XML media type; returns the raw bytes. */
export async function readXmlBody(c: Context): Promise<{ bytes: Uint8Array; contentType: string }> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(?:application|text)\/(?:[\w.+-]+\+)?(?:xml|x-opml)\s*(?:;|$)/i.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      `Send OPML with "Content-Type: text/x-opml" or "application/xml"${type ? `, not "${type.slice(0, 80)}"` : ''}.`,
    );
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), contentType: type };
}
