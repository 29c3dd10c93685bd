import { badRequest, payloadTooLarge, unsupportedMediaType } from '../errors.ts';

export const maxBodyBytes = 1024 * 1024;

/**
 * Reads a JSON request body: 415 unless the media type is JSON, 413 past `maxBytes`
 * (checked while streaming, so a missing or false Content-Length cannot get around it),
 * 400 for bytes that are not UTF-8 JSON.
 */
export async function readJsonBody(request: Request, maxBytes = maxBodyBytes): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw unsupportedMediaType(`Send the body as JSON with "Content-Type: application/json"${type ? `, not "${type.slice(0, 80)}"` : ''}.`);
  }
  const bytes = await readBytes(request, maxBytes);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'the bytes are not valid UTF-8';
    throw badRequest('invalid_json', `The request body is not valid JSON: ${reason}`);
  }
}

/** Reads an XML request body (OPML): 415 unless an XML media type, 413 past `maxBytes`; returns the raw bytes. */
export async function readXmlBody(request: Request, maxBytes = maxBodyBytes): Promise<{ bytes: Uint8Array; contentType: string }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^(?:application|text)\/(?:[\w.+-]+\+)?(?:xml|x-opml)\s*(?:;|$)/i.test(type)) {
    throw unsupportedMediaType(
      `Send OPML with "Content-Type: text/x-opml" or "application/xml"${type ? `, not "${type.slice(0, 80)}"` : ''}.`,
    );
  }
  return { bytes: await readBytes(request, maxBytes), contentType: type };
}

async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => payloadTooLarge(`The request body exceeds the limit of ${maxBytes} bytes.`);
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();

  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}
