import { renderAtom } from './atom.ts';
import { type FeedChannel, type FeedEntry, type FeedFormat, mediaTypes } from './feed-model.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';

/** A feed ready to send: its bytes and the validators derived from them. */
export interface RenderedFeed {
  body: Uint8Array<ArrayBuffer>;
  /** Strong validator (RFC 9110 §8.8.3) of the identity-coded bytes. */
  etag: string;
  /** Newest item's update time in ms, absent for an empty feed. */
  lastModified: number | undefined;
  contentType: string;
  /** The gzip-coded bytes, made on first demand. */
  gzip?: Promise<Uint8Array<ArrayBuffer>>;
}

const renderers: Record<FeedFormat, (channel: FeedChannel, entries: FeedEntry[]) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** SHA-256 of some bytes: the platform's Web Crypto by default; a runtime may supply a faster one of its own. */
export type Sha256 = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array | Promise<Uint8Array>;

export const webSha256: Sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

export async function renderFeed(
  format: FeedFormat,
  channel: FeedChannel,
  entries: FeedEntry[],
  sha256: Sha256 = webSha256,
): Promise<RenderedFeed> {
  const body = encodeUtf8(renderers[format](channel, entries));
  return {
    body,
    etag: await strongEtag(body, sha256),
    lastModified: entries.length ? channel.updated : undefined,
    contentType: mediaTypes[format],
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
