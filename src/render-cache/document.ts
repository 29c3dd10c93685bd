/** A rendered response body ready to send again and again: its bytes and the validators derived from them. */
export interface RenderedDocument {
  body: Uint8Array<ArrayBuffer>;
  /** Strong validator (RFC 9110 §8.8.3) of the identity-coded bytes. */
  etag: string;
  /** When the content last changed, in ms (feeds: the newest entry's update), if known. */
  lastModified: number | undefined;
  contentType: string;
  /** How long clients may keep it, where the document itself says (a feed's cadence). */
  maxAgeSeconds?: number;
  /** A Link header value to send with it (a feed's WebSub hubs and self URL). */
  link?: string;
  /** The gzip-coded bytes once made (on first demand), so later answers need not wait for them. */
  gzipped?: Uint8Array<ArrayBuffer>;
}

/** What a renderer produces; `toDocument` turns it into bytes and an ETag. */
export interface Rendered {
  text: string;
  contentType: string;
  lastModified?: number;
  maxAgeSeconds?: number;
  link?: string;
}

/** SHA-256 of some bytes: the platform's Web Crypto by default; a runtime may supply a faster one of its own. */
export type Sha256 = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array | Promise<Uint8Array>;

export const webSha256: Sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

export async function toDocument(rendered: Rendered, sha256: Sha256 = webSha256): Promise<RenderedDocument> {
  const body = encodeUtf8(rendered.text);
  return {
    body,
    etag: await strongEtag(body, sha256),
    lastModified: rendered.lastModified,
    contentType: rendered.contentType,
    maxAgeSeconds: rendered.maxAgeSeconds,
    link: rendered.link,
  };
}

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of a text. Most of a feed is ASCII, so the bytes are written into a buffer a little larger than the text
 * (allocating the worst case, three bytes a character, costs more than encoding); text that does not fit is encoded anew.
 */
export function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
  const buffer = new Uint8Array(text.length + (text.length >> 3) + 16);
  const { read, written } = encoder.encodeInto(text, buffer);
  return read === text.length ? buffer.subarray(0, written) : (encoder.encode(text) as Uint8Array<ArrayBuffer>);
}

/** `"` + base64url of the first 18 bytes of SHA-256 + `"`: changes whenever the bytes do. */
export async function strongEtag(bytes: Uint8Array<ArrayBuffer>, sha256: Sha256 = webSha256): Promise<string> {
  const digest = await sha256(bytes);
  const base64 = btoa(String.fromCharCode(...digest.subarray(0, 18)));
  return `"${base64.replace(/\+/g, '-').replace(/\//g, '_')}"`;
}

/** gzip-codes bytes with the platform's CompressionStream (Node and Workers alike). */
export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
