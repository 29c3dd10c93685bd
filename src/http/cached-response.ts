import type { Context } from 'hono';
import { gzip, type RenderedDocument } from '../render-cache/document.ts';
import type { LoadedDocument } from '../render-cache/rendering.ts';
import { andThen, type MaybePromise } from '../shared/maybe-promise.ts';
import { httpDate, isNotModified } from './conditional.ts';
import { requestHeader } from './request-header.ts';
import { securityHeaders } from './security-headers.ts';

/** Where a cached answer came from: enough to find it again in the render cache. */
export interface AnswerKey {
  scope: string;
  variant: string;
  cacheControl: CacheControl;
  /** Set when answers for this target are counted in reader statistics. */
  counted?: Counted;
}

/** The kinds of documents whose answers reader statistics count (pages or the API could be added). */
export type CountedKind = 'feed';

/** What reader statistics are told of an answer sent for a counted document. */
export interface SentAnswer {
  kind: CountedKind;
  /** The document counted: a feed's path. */
  name: string;
  answer: Answer;
  document: RenderedDocument;
  userAgent: string | undefined;
  clientAddress: string | undefined;
}

/** Counts an answer in memory and returns at once: it is called on the answer's path and never waits for I/O. */
export type CountAnswer = (sent: SentAnswer) => void;

/** How a target's answers are counted: as what, under which name, by which counter. */
export interface Counted {
  kind: CountedKind;
  name: string;
  count: CountAnswer;
}

/** The Cache-Control of an answer: one for a route, or one per document (a feed's, from its cadence). */
export type CacheControl = string | ((document: RenderedDocument) => string);

/** How the runtime serves cached answers. */
export interface Serving {
  /** The runtime compresses responses itself (Workers): bodies are then sent as identity bytes. */
  runtimeCompresses: boolean;
  /** Told which cached document answered a request target (Node: so that repeats can be answered before routing). */
  remember?: (target: string, key: AnswerKey) => void;
  /** Reader statistics, told of each answer sent for a counted document. */
  count?: CountAnswer;
}

export interface CachedResponseOptions {
  cacheControl: CacheControl;
  serving: Serving;
  /** Count this route's answers in reader statistics as this kind, under the request's path. */
  countAs?: CountedKind;
}

/**
 * The answer for a document from the render cache, or `missing()` thrown when there is none. A cached document is
 * answered synchronously (unless its gzip bytes are yet to be made): this is the hottest path of the service.
 */
export function cachedResponse(
  c: Context,
  loaded: MaybePromise<LoadedDocument | undefined>,
  options: CachedResponseOptions,
  missing: () => Error,
): MaybePromise<Response> {
  return andThen(loaded, (found) => {
    if (!found) throw missing();
    const { document, fromCache, scope, variant } = found;
    const { serving, countAs } = options;
    const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
    const counted = countAs && serving.count ? { kind: countAs, name: c.req.path, count: serving.count } : undefined;
    if (incoming?.url && serving.remember) serving.remember(incoming.url, { scope, variant, cacheControl: options.cacheControl, counted });
    const request = {
      acceptEncoding: requestHeader(c, 'accept-encoding'),
      ifNoneMatch: requestHeader(c, 'if-none-match'),
      ifModifiedSince: requestHeader(c, 'if-modified-since'),
    };
    const answer = chooseAnswer(document, options.cacheControl, request, serving.runtimeCompresses);
    const headers = fromCache || answer.status === 304 ? answer.headers : { ...answer.headers, 'x-cache': 'MISS' };
    // HEAD requests are not counted: readers poll with GET.
    const countSent =
      counted && c.req.method === 'GET'
        ? () => countAnswer(counted, answer, document, requestHeader(c, 'user-agent'), clientAddress(c, incoming))
        : undefined;
    if (answer.body !== 'gzip') {
      countSent?.();
      return new Response(answer.body === 'none' ? null : document.body, { status: answer.status, headers });
    }
    return andThen(gzipped(document), (bytes) => {
      countSent?.();
      return new Response(bytes, { status: 200, headers });
    });
  });
}

type NodeIncoming = { url?: string; socket?: { remoteAddress?: string } };

/** The client's address: the connection's on Node; on Workers, Cloudflare's `CF-Connecting-IP`. */
function clientAddress(c: Context, incoming: NodeIncoming | undefined): string | undefined {
  return incoming ? incoming.socket?.remoteAddress : c.req.header('cf-connecting-ip');
}

/** Tells reader statistics of an answer sent: the one place where both adapters (the app, the Node shortcut) count. */
export function countAnswer(
  counted: Counted,
  answer: Answer,
  document: RenderedDocument,
  userAgent: string | undefined,
  clientAddress: string | undefined,
): void {
  counted.count({ kind: counted.kind, name: counted.name, answer, document, userAgent, clientAddress });
}

export interface AnswerRequest {
  acceptEncoding?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

export interface Answer {
  status: 200 | 304;
  headers: Record<string, string>;
  body: 'identity' | 'gzip' | 'none';
  /** The representation chosen: the one sent, or the one a 304 stands for. */
  coding: Coding;
}

/**
 * What to answer for a document, whichever adapter writes it: 304 when the client's validators match
 * (RFC 9110 §13.2.2), else the bytes, gzip-coded when the client accepts it and the runtime does not compress itself.
 */
export function chooseAnswer(
  document: RenderedDocument,
  cacheControl: CacheControl,
  request: AnswerRequest,
  runtimeCompresses: boolean,
): Answer {
  const prepared = prepare(document, cacheControl);
  const coding: Coding = !runtimeCompresses && request.acceptEncoding && /\bgzip\b/.test(request.acceptEncoding) ? 'gzip' : 'identity';
  if (isNotModified(request.ifNoneMatch, request.ifModifiedSince, prepared.etags, document.lastModified)) {
    return { status: 304, headers: prepared.notModified[coding], body: 'none', coding };
  }
  return { status: 200, headers: prepared.headers[coding], body: coding, coding };
}

export type Coding = 'identity' | 'gzip';

interface PreparedHeaders {
  control: CacheControl;
  etags: string[];
  headers: Record<Coding, Record<string, string>>;
  /** A 304 carries the validators and caching fields of the 200 it stands for, nothing more (RFC 9110 §15.4.5). */
  notModified: Record<Coding, Record<string, string>>;
}

// Headers are built once per rendered document, not per request.
const preparedHeaders = new WeakMap<RenderedDocument, PreparedHeaders>();

function prepare(document: RenderedDocument, control: CacheControl): PreparedHeaders {
  let prepared = preparedHeaders.get(document);
  if (prepared?.control === control) return prepared;
  const cacheControl = typeof control === 'string' ? control : control(document);
  // A gzip-coded body is another representation, so it gets its own strong ETag (RFC 9110 §8.8.3).
  const gzipEtag = `${document.etag.slice(0, -1)}.gz"`;
  const caching: Record<string, string> = { 'cache-control': cacheControl, vary: 'Accept-Encoding' };
  if (document.lastModified !== undefined) caching['last-modified'] = httpDate(document.lastModified);
  const full: Record<string, string> = { ...securityHeaders, 'content-type': document.contentType, ...caching, 'x-cache': 'HIT' };
  if (document.link) full.link = document.link;
  prepared = {
    control,
    etags: [document.etag, gzipEtag],
    headers: { identity: { ...full, etag: document.etag }, gzip: { ...full, etag: gzipEtag, 'content-encoding': 'gzip' } },
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
