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

export async function renderFeed(format: FeedFormat, channel: FeedChannel, entries: FeedEntry[]): Promise<RenderedFeed> {
  const body = new TextEncoder().encode(renderers[format](channel, entries)) as Uint8Array<ArrayBuffer>;
  return {
    body,
    etag: await strongEtag(body),
    lastModified: entries.length ? channel.updated : undefined,
    contentType: mediaTypes[format],
  };
}

/** `"` + base64url of the first 18 bytes of SHA-256 + `"`: changes whenever the bytes do. */
export async function strongEtag(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const base64 = btoa(String.fromCharCode(...digest.subarray(0, 18)));
  return `"${base64.replace(/\+/g, '-').replace(/\//g, '_')}"`;
}

/** gzip-codes bytes with the platform's CompressionStream (Node and Workers alike). */
export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
