import type { Context } from 'hono';
import { gzip, type RenderedDocument } from '../render-cache/document.ts';
import type { LoadedDocument } from '../render-cache/rendering.ts';
import { andThen, type MaybePromise } from '../shared/maybe-promise.ts';
import { httpDate, isNotModified } from './conditional.ts';
import { requestHeader } from './request-header.ts';
import { securityHeaders } from './security-headers.ts';

export interface CachedResponseOptions {
  cacheControl: string;
  /** The runtime compresses responses itself (Workers): bodies are then sent as identity bytes. */
  runtimeCompresses: boolean;
}

/**
 * The answer for a document from the render cache, or `missing()` thrown when there is none: 304 when the client's
 * validators match (RFC 9110 §13.2.2), else the bytes, gzip-coded when the client accepts it. A cached document is
 * answered synchronously: this is the hottest path of the service.
 */
export function cachedResponse(
  c: Context,
  loaded: MaybePromise<LoadedDocument | undefined>,
  options: CachedResponseOptions,
  missing: () => Error,
): MaybePromise<Response> {
  return andThen(loaded, (found) => {
    if (!found) throw missing();
    return answer(c, found, options);
  });
}

function answer(c: Context, { document, fromCache }: LoadedDocument, options: CachedResponseOptions): MaybePromise<Response> {
  const prepared = prepare(document, options.cacheControl);
  const wantsGzip = !options.runtimeCompresses && /\bgzip\b/.test(requestHeader(c, 'accept-encoding') ?? '');
  const coding = wantsGzip ? 'gzip' : 'identity';
  if (isNotModified(requestHeader(c, 'if-none-match'), requestHeader(c, 'if-modified-since'), prepared.etags, document.lastModified)) {
    return new Response(null, { status: 304, headers: prepared.notModified[coding] });
  }
  const headers = fromCache ? prepared.headers[coding] : { ...prepared.headers[coding], 'x-cache': 'MISS' };
  if (!wantsGzip) return new Response(document.body, { status: 200, headers });
  return andThen(gzipped(document), (bytes) => new Response(bytes, { status: 200, headers: { ...headers, 'content-encoding': 'gzip' } }));
}

type Coding = 'identity' | 'gzip';

interface PreparedHeaders {
  etags: string[];
  headers: Record<Coding, Record<string, string>>;
  /** A 304 carries the validators and caching fields of the 200 it stands for, nothing more (RFC 9110 §15.4.5). */
  notModified: Record<Coding, Record<string, string>>;
}

// Headers are built once per rendered document, not per request.
const preparedHeaders = new WeakMap<RenderedDocument, PreparedHeaders>();

function prepare(document: RenderedDocument, cacheControl: string): PreparedHeaders {
  let prepared = preparedHeaders.get(document);
  if (prepared) return prepared;
  // A gzip-coded body is another representation, so it gets its own strong ETag (RFC 9110 §8.8.3).
  const gzipEtag = `${document.etag.slice(0, -1)}.gz"`;
  const caching: Record<string, string> = { 'cache-control': cacheControl, vary: 'Accept-Encoding' };
  if (document.lastModified !== undefined) caching['last-modified'] = httpDate(document.lastModified);
  const full = { ...securityHeaders, 'content-type': document.contentType, ...caching, 'x-cache': 'HIT' };
  prepared = {
    etags: [document.etag, gzipEtag],
    headers: { identity: { ...full, etag: document.etag }, gzip: { ...full, etag: gzipEtag } },
    notModified: { identity: { ...caching, etag: document.etag }, gzip: { ...caching, etag: gzipEtag } },
  };
  preparedHeaders.set(document, prepared);
  return prepared;
}

const pendingGzip = new WeakMap<RenderedDocument, Promise<Uint8Array<ArrayBuffer>>>();

/** The document's gzip bytes: made once, on first demand, then kept on the document. */
function gzipped(document: RenderedDocument): MaybePromise<Uint8Array<ArrayBuffer>> {
  if (document.gzipped) return document.gzipped;
  let pending = pendingGzip.get(document);
  if (!pending) {
    pending = gzip(document.body).then((bytes) => (document.gzipped = bytes));
    pendingGzip.set(document, pending);
  }
  return pending;
}
