import { forbiddenAddressReason, isIpLiteral, isLocalhostName } from './address.ts';
import { IngestError } from './ingest-error.ts';

export interface FetchFeedOptions {
  userAgent: string;
  /** Sent byte-exact as If-None-Match. */
  etag?: string;
  /** Sent byte-exact as If-Modified-Since. */
  lastModified?: string;
  /** Whole fetch including redirects and body; default 30 s. */
  timeoutMs?: number;
  /** Per request, until the response headers arrive; default 15 s. */
  firstByteTimeoutMs?: number;
  /** Cap on the body after content decoding; default 10 MiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** `host:port` entries exempt from the address check (tests, local setups). */
  allowHosts?: string[];
  /** The transport; defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** A POST instead of a GET (WebSub content distribution): its body and headers; redirects are then not followed. */
  post?: { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> };
}

export interface FeedResponseHeaders {
  etag?: string;
  lastModified?: string;
  contentType?: string;
  cacheControl?: string;
  expires?: string;
  retryAfter?: string;
  date?: string;
  /** RFC 8288 Web Linking: WebSub discovery reads a feed's hub and self URL here first (W3C WebSub §4). */
  link?: string;
}

export type FetchFeedResult =
  | { kind: 'ok'; url: string; permanentUrl?: string; status: number; headers: FeedResponseHeaders; body: Uint8Array }
  | { kind: 'not-modified'; url: string; permanentUrl?: string; headers: FeedResponseHeaders }
  | { kind: 'http-error'; url: string; permanentUrl?: string; status: number; headers: FeedResponseHeaders };

interface Limits {
  firstByteTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  allowHosts: string[];
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';
// RFC 9110 §15.4.2–§15.4.4, §15.4.8, §15.4.9: the redirects a GET follows to the Location header.
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// RFC 9110 §15.4.2 (301) and §15.4.9 (308): the target moved for good, so the stored URL should change.
const PERMANENT_REDIRECT_STATUSES = new Set([301, 308]);
const RESPONSE_HEADERS: Record<keyof FeedResponseHeaders, string> = {
  etag: 'etag',
  lastModified: 'last-modified',
  contentType: 'content-type',
  cacheControl: 'cache-control',
  expires: 'expires',
  retryAfter: 'retry-after',
  date: 'date',
  link: 'link',
};

/** `host:port` as written in `allowHosts`: IPv6 in brackets, the scheme's default port when none is given. */
function hostAndPort(hostname: string, port: string, protocol: string): string {
  const bare = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const host = bare.includes(':') ? `[${bare}]` : bare;
  return `${host}:${port || (protocol === 'https:' ? '443' : '80')}`;
}

/** Whether a connection to `hostname`, `port` (empty for the default) and `protocol` is exempt from the address check. */
export function isAllowedHost(allowHosts: readonly string[], hostname: string, port: string, protocol: string): boolean {
  const target = hostAndPort(hostname, port, protocol);
  return allowHosts.some((entry) => entry.toLowerCase() === target);
}

/**
 * Throws IngestError `forbidden_address` when the URL names this machine or a non-public network by IP literal or
 * `localhost` name, unless its `host:port` is allowlisted. Names are checked again after DNS by the Node transport.
 */
export function checkUrlHost(url: URL, allowHosts: readonly string[] = []): void {
  if (isAllowedHost(allowHosts, url.hostname, url.port, url.protocol)) return;
  const reason = isLocalhostName(url.hostname)
    ? 'localhost name'
    : isIpLiteral(url.hostname)
      ? forbiddenAddressReason(url.hostname)
      : undefined;
  if (reason) throw new IngestError('forbidden_address', `Refusing to fetch ${url.href}: ${url.hostname} is not a public host (${reason})`);
}

/** Parses `location` (relative to `base`, RFC 9110 §10.2.2) and checks scheme and host before anything is sent to it. */
export function checkedUrl(location: string, base: URL | undefined, allowHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw new IngestError('invalid_url', `Not a valid URL: ${location}${base ? ` (redirect from ${base.href})` : ''}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IngestError('unsupported_scheme', `Only http: and https: feeds can be fetched, not ${url.protocol} (${url.href})`);
  }
  checkUrlHost(url, allowHosts);
  return url;
}

function requestHeaders(options: FetchFeedOptions): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': options.userAgent, Accept: ACCEPT };
  // RFC 9110 §13.1.2: If-None-Match carries the stored entity tag unchanged.
  if (options.etag) headers['If-None-Match'] = options.etag;
  // RFC 9110 §13.1.3: If-Modified-Since carries the stored Last-Modified value unchanged.
  if (options.lastModified) headers['If-Modified-Since'] = options.lastModified;
  return headers;
}

function responseHeaders(headers: Headers): FeedResponseHeaders {
  const found = Object.entries(RESPONSE_HEADERS).flatMap(([key, name]) => {
    const value = headers.get(name);
    return value === null ? [] : [[key, value]];
  });
  return Object.fromEntries(found);
}

function timeoutError(limit: string, ms: number, url: URL): IngestError {
  return new IngestError('fetch_timeout', `Fetching ${url.href} exceeded the ${limit} timeout of ${ms} ms`);
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let cause = error; cause !== undefined && cause !== null && !chain.includes(cause); cause = (cause as { cause?: unknown }).cause) {
    chain.push(cause);
  }
  return chain;
}

/** Turns whatever the transport threw into an IngestError: our own timeouts and guards pass through unchanged. */
function transportFailure(error: unknown, url: URL, signal: AbortSignal): IngestError {
  if (signal.aborted && signal.reason instanceof IngestError) return signal.reason;
  const chain = causeChain(error);
  const ingest = chain.find((cause) => cause instanceof IngestError);
  if (ingest) return ingest as IngestError;
  const messages = chain.map((cause) => (cause instanceof Error ? cause.message : String(cause)));
  const detail = messages.at(-1) ?? 'unknown error';
  const dns = chain.some((cause) => /ENOTFOUND|EAI_AGAIN/.test(`${(cause as { code?: unknown }).code} ${String(cause)}`));
  return dns
    ? new IngestError('dns_failure', `Could not resolve ${url.hostname} for ${url.href}: ${detail}`)
    : new IngestError('connection_failed', `Could not fetch ${url.href}: ${detail}`);
}

async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Reads the decoded body, giving up as soon as it passes `maxBytes` so a compression bomb is never buffered. */
async function readBody(response: Response, url: URL, maxBytes: number, controller: AbortController): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        const tooLarge = new IngestError('body_too_large', `The body of ${url.href} exceeds ${maxBytes} bytes after decoding`);
        controller.abort(tooLarge);
        throw tooLarge;
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    throw transportFailure(error, url, controller.signal);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

/** One GET without following redirects, aborted if the response headers take longer than the first-byte limit. */
async function send(url: URL, options: FetchFeedOptions, limits: Limits, controller: AbortController): Promise<Response> {
  const timer = setTimeout(() => controller.abort(timeoutError('first-byte', limits.firstByteTimeoutMs, url)), limits.firstByteTimeoutMs);
  try {
    const transport = options.fetch ?? globalThis.fetch;
    const init: RequestInit = options.post
      ? { method: 'POST', headers: { 'User-Agent': options.userAgent, ...options.post.headers }, body: options.post.body }
      : { headers: requestHeaders(options) };
    return await transport(url.href, { ...init, redirect: 'manual', signal: controller.signal });
  } catch (error) {
    throw transportFailure(error, url, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function follow(start: URL, options: FetchFeedOptions, limits: Limits, controller: AbortController): Promise<FetchFeedResult> {
  let url = start;
  let permanent = true;
  for (let hops = 0; ; hops++) {
    const response = await send(url, options, limits, controller);
    const location = response.headers.get('location');
    if (REDIRECT_STATUSES.has(response.status) && location !== null) {
      await discardBody(response);
      if (hops === limits.maxRedirects) {
        throw new IngestError('too_many_redirects', `Gave up on ${start.href} after ${limits.maxRedirects} redirects (last: ${url.href})`);
      }
      permanent &&= PERMANENT_REDIRECT_STATUSES.has(response.status);
      url = checkedUrl(location, url, limits.allowHosts);
      continue;
    }
    const meta = {
      url: url.href,
      ...(hops > 0 && permanent ? { permanentUrl: url.href } : {}),
      headers: responseHeaders(response.headers),
    };
    // RFC 9110 §15.4.5: 304 means the stored copy is still current.
    if (response.status === 304) {
      await discardBody(response);
      return { kind: 'not-modified', ...meta };
    }
    if (response.ok)
      return { kind: 'ok', ...meta, status: response.status, body: await readBody(response, url, limits.maxBytes, controller) };
    await discardBody(response);
    return { kind: 'http-error', ...meta, status: response.status };
  }
}

/**
 * GETs a feed with conditional headers, following up to `maxRedirects` redirects (each re-checked for scheme and address),
 * within a total and a first-byte timeout and a decoded-size cap. Failures throw IngestError (`unsupported_scheme`,
 * `forbidden_address`, `too_many_redirects`, `fetch_timeout`, `body_too_large`, `dns_failure`, `connection_failed`, ...);
 * HTTP error statuses are returned as `http-error`.
 */
export async function fetchFeed(url: string, options: FetchFeedOptions): Promise<FetchFeedResult> {
  const limits: Limits = {
    firstByteTimeoutMs: options.firstByteTimeoutMs ?? 15_000,
    maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
    maxRedirects: options.post ? 0 : (options.maxRedirects ?? 5),
    allowHosts: options.allowHosts ?? [],
  };
  const start = checkedUrl(url, undefined, limits.allowHosts);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError('total', timeoutMs, start)), timeoutMs);
  try {
    return await follow(start, options, limits, controller);
  } finally {
    clearTimeout(timer);
  }
}
