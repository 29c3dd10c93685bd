import type { LookupAddress, lookup } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbiddenAddressReason, isIpLiteral } from '../src/ingest/address.ts';
import { type FetchFeedOptions, fetchFeed } from '../src/ingest/fetch.ts';
import { IngestError } from '../src/ingest/ingest-error.ts';
import { createGuardedFetch } from '../src/runtime/node/guarded-fetch.ts';

const MiB = 1024 * 1024;
const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title></channel></rss>';
const ODD_ETAG = 'W/"abc"';
const ODD_LAST_MODIFIED = 'Tue,  15 Nov 1994   08:12:31 GMT';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
const timers: NodeJS.Timeout[] = [];
let otherHits = 0;
let conditionalRequestHeaders: string[] = [];
let mainUrl = '';
let otherPort = 0;
let closedPort = 0;
let options: FetchFeedOptions;
let guardedFetch: typeof fetch;

async function listen(handler: Handler): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The value of a request header exactly as it came over the wire. */
function rawHeader(request: IncomingMessage, name: string): string | undefined {
  const index = request.rawHeaders.findIndex((key, i) => i % 2 === 0 && key.toLowerCase() === name);
  return index === -1 ? undefined : request.rawHeaders[index + 1];
}

function serveFeed(response: ServerResponse): void {
  response.writeHead(200, {
    'Content-Type': 'application/rss+xml; charset=utf-8',
    ETag: '"v1"',
    'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
    'Cache-Control': 'max-age=300',
    Expires: 'Wed, 21 Oct 2015 07:33:00 GMT',
  });
  response.end(FEED);
}

/** Answers with the status and Location given in the query string. */
function serveRedirect(response: ServerResponse, query: URLSearchParams): void {
  response.writeHead(Number(query.get('status')), { Location: query.get('to')! });
  response.end();
}

/** `/hops/301,308` answers 301 with a relative Location `/hops/308`, which answers 308 to `/hops/`, which serves the feed. */
function serveHops(response: ServerResponse, codes: string): void {
  if (codes === '') {
    serveFeed(response);
  } else {
    const [status, ...rest] = codes.split(',');
    response.writeHead(Number(status), { Location: `/hops/${rest.join(',')}` });
    response.end();
  }
}

function serveConditional(request: IncomingMessage, response: ServerResponse): void {
  conditionalRequestHeaders = request.rawHeaders;
  const exact = rawHeader(request, 'if-none-match') === ODD_ETAG && rawHeader(request, 'if-modified-since') === ODD_LAST_MODIFIED;
  response.writeHead(exact ? 304 : 412, { ETag: ODD_ETAG });
  response.end();
}

function serveStatus(response: ServerResponse, status: number): void {
  const retryAfter = status === 503 ? 'Wed, 21 Oct 2037 07:28:00 GMT' : '120';
  response.writeHead(status, { 'Retry-After': retryAfter, 'Content-Type': 'text/plain' });
  response.end(`status ${status}`);
}

function serveDrip(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
  response.flushHeaders();
  const timer = setInterval(() => response.write('x'), 200);
  timers.push(timer);
  response.on('close', () => clearInterval(timer));
}

function repeated(chunk: Buffer, times: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < times; i++) yield chunk;
    })(),
  );
}

function serveBig(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': 20 * MiB });
  pipeline(repeated(Buffer.alloc(MiB, 'a'), 20), response, () => undefined);
}

/** 1 GiB of zeros, gzipped while streaming (about 1 MiB on the wire), so neither side ever has to hold it. */
function serveGzipBomb(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip' });
  pipeline(repeated(Buffer.alloc(MiB), 1024), createGzip(), response, () => undefined);
}

const routes: Record<string, Handler> = {
  feed: (_request, response) => serveFeed(response),
  conditional: serveConditional,
  hops: (request, response) => serveHops(response, new URL(request.url!, mainUrl).pathname.slice('/hops/'.length)),
  redirect: (request, response) => serveRedirect(response, new URL(request.url!, mainUrl).searchParams),
  status: (request, response) => serveStatus(response, Number(request.url!.split('/')[2])),
  drip: (_request, response) => serveDrip(response),
  hang: () => undefined,
  big: (_request, response) => serveBig(response),
  bomb: (_request, response) => serveGzipBomb(response),
};

beforeAll(async () => {
  const mainPort = await listen((request, response) => routes[request.url!.split(/[/?]/)[1]!]!(request, response));
  otherPort = await listen((_request, response) => {
    otherHits++;
    response.end('internal secret');
  });
  closedPort = await unusedPort();
  mainUrl = `http://127.0.0.1:${mainPort}`;
  const allowHosts = [`127.0.0.1:${mainPort}`, `127.0.0.1:${closedPort}`];
  guardedFetch = createGuardedFetch({ allowHosts });
  options = { userAgent: 'polyglot-feeds-test/1.0 (+https://example.org/bot)', allowHosts, fetch: guardedFetch };
});

afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  await Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

async function failure(promise: Promise<unknown>): Promise<IngestError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(IngestError);
  return error as IngestError;
}

describe('fetchFeed', () => {
  it('returns a 200 body with the caching headers', async () => {
    const result = await fetchFeed(`${mainUrl}/feed`, options);
    expect(result).toMatchObject({ kind: 'ok', status: 200, url: `${mainUrl}/feed` });
    expect(result).not.toHaveProperty('permanentUrl');
    if (result.kind !== 'ok') throw new Error('expected ok');
    expect(new TextDecoder().decode(result.body)).toBe(FEED);
    expect(result.headers).toEqual({
      etag: '"v1"',
      lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
      contentType: 'application/rss+xml; charset=utf-8',
      cacheControl: 'max-age=300',
      expires: 'Wed, 21 Oct 2015 07:33:00 GMT',
      date: expect.any(String),
    });
  });

  it('sends User-Agent, Accept and the conditional headers byte-exact, and maps 304 to not-modified', async () => {
    const result = await fetchFeed(`${mainUrl}/conditional`, { ...options, etag: ODD_ETAG, lastModified: ODD_LAST_MODIFIED });
    expect(result).toMatchObject({ kind: 'not-modified', url: `${mainUrl}/conditional`, headers: { etag: ODD_ETAG } });
    const seen = conditionalRequestHeaders;
    expect(seen).toContain(options.userAgent);
    expect(seen).toContain(
      'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5',
    );
    expect(seen.find((_value, i) => seen[i - 1]?.toLowerCase() === 'accept-encoding')).toMatch(/gzip/);
    expect(await fetchFeed(`${mainUrl}/conditional`, options)).toMatchObject({ kind: 'http-error', status: 412 });
    expect(conditionalRequestHeaders.map((value) => value.toLowerCase())).not.toContain('if-none-match');
  });

  it('reports the final URL as permanentUrl after a chain of 301 and 308', async () => {
    const result = await fetchFeed(`${mainUrl}/hops/301,308,301`, options);
    expect(result).toMatchObject({ kind: 'ok', url: `${mainUrl}/hops/`, permanentUrl: `${mainUrl}/hops/` });
  });

  it('gives no permanentUrl when a 302 is in the chain', async () => {
    const alone = await fetchFeed(`${mainUrl}/hops/302`, options);
    expect(alone).toMatchObject({ kind: 'ok', url: `${mainUrl}/hops/` });
    expect(alone).not.toHaveProperty('permanentUrl');
    const mixed = await fetchFeed(`${mainUrl}/hops/301,302,308`, options);
    expect(mixed).toMatchObject({ kind: 'ok', url: `${mainUrl}/hops/` });
    expect(mixed).not.toHaveProperty('permanentUrl');
  });

  it('follows 5 redirects but not 6', async () => {
    expect(await fetchFeed(`${mainUrl}/hops/307,303,302,301,308`, options)).toMatchObject({ kind: 'ok' });
    const error = await failure(fetchFeed(`${mainUrl}/hops/307,303,302,301,308,302`, options));
    expect(error.code).toBe('too_many_redirects');
  });

  it.each(['ftp://example.com/feed.xml', 'file:///etc/passwd'])('refuses a redirect to %s', async (target) => {
    const error = await failure(fetchFeed(`${mainUrl}/redirect?status=302&to=${encodeURIComponent(target)}`, options));
    expect(error.code).toBe('unsupported_scheme');
    expect(error.message).toContain(target);
  });

  it('refuses a redirect from an allowlisted port to another loopback port before connecting, whatever the transport', async () => {
    const target = `http://127.0.0.1:${otherPort}/`;
    for (const transport of [guardedFetch, globalThis.fetch]) {
      const error = await failure(
        fetchFeed(`${mainUrl}/redirect?status=301&to=${encodeURIComponent(target)}`, { ...options, fetch: transport }),
      );
      expect(error.code).toBe('forbidden_address');
      expect(error.message).toContain('loopback address');
    }
    expect(otherHits).toBe(0);
  });

  it.each([
    ['127.0.0.1 on a port that is not allowlisted', () => `http://127.0.0.1:${otherPort}/`, 'loopback address'],
    ['IPv6 loopback', () => 'http://[::1]/', 'loopback address'],
    ['IPv4-mapped loopback', () => 'http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback address'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', 'cloud metadata address'],
    ['decimal IPv4 shorthand', () => 'http://2130706433/', 'loopback address'],
    ['hex IPv4 shorthand', () => 'http://0x7f.1/', 'loopback address'],
    ['localhost', () => `http://localhost:${otherPort}/`, 'localhost name'],
    ['localhost with a trailing dot', () => `http://localhost.:${otherPort}/`, 'localhost name'],
  ])('refuses %s before connecting, whatever the transport', async (_name, url, reason) => {
    for (const transport of [guardedFetch, globalThis.fetch]) {
      const error = await failure(fetchFeed(url(), { ...options, fetch: transport }));
      expect(error.code).toBe('forbidden_address');
      expect(error.message).toContain(reason);
    }
    expect(otherHits).toBe(0);
  });

  it('refuses, in the guarded transport itself, names that resolve to loopback and non-public IP literals', async () => {
    for (const [url, reason] of [
      [`http://localhost.:${otherPort}/`, 'localhost. (resolved to 127.0.0.1): not a public address (loopback address)'],
      [`http://127.0.0.1:${otherPort}/`, 'loopback address'],
      ['http://[fd00:ec2::254]/', 'cloud metadata address'],
    ]) {
      const error = (await guardedFetch(url!).catch((thrown: unknown) => thrown)) as Error;
      expect(error.cause).toBeInstanceOf(IngestError);
      expect(error.cause).toMatchObject({ code: 'forbidden_address', message: expect.stringContaining(reason!) });
      const { hostname, port } = new URL(url!);
      const viaFetchFeed = await failure(fetchFeed(url!, { ...options, allowHosts: [`${hostname}:${port || 80}`] }));
      expect(viaFetchFeed).toMatchObject({ code: 'forbidden_address', message: expect.stringContaining(reason!) });
    }
    expect(otherHits).toBe(0);
  });

  it('stops at the total timeout while the body is still dripping', async () => {
    const error = await failure(fetchFeed(`${mainUrl}/drip`, { ...options, timeoutMs: 500 }));
    expect(error.code).toBe('fetch_timeout');
    expect(error.message).toMatch(/total timeout of 500 ms/);
  });

  it('stops at the first-byte timeout when the server never answers', async () => {
    const error = await failure(fetchFeed(`${mainUrl}/hang`, { ...options, firstByteTimeoutMs: 500 }));
    expect(error.code).toBe('fetch_timeout');
    expect(error.message).toMatch(/first-byte timeout of 500 ms/);
  });

  it('rejects a 20 MiB body', async () => {
    const error = await failure(fetchFeed(`${mainUrl}/big`, options));
    expect(error.code).toBe('body_too_large');
    expect(error.message).toContain(String(10 * MiB));
  });

  it('stops a gzip bomb early, counting decoded bytes, without buffering it', async () => {
    const rssBefore = process.memoryUsage().rss;
    const error = await failure(fetchFeed(`${mainUrl}/bomb`, { ...options, maxBytes: 10 * MiB }));
    expect(error.code).toBe('body_too_large');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * MiB);
  });

  it.each([404, 410, 429, 503])('returns %i as http-error with Retry-After', async (status) => {
    const result = await fetchFeed(`${mainUrl}/status/${status}`, options);
    expect(result).toMatchObject({ kind: 'http-error', status, headers: { contentType: 'text/plain' } });
    expect(result.headers.retryAfter).toBe(status === 503 ? 'Wed, 21 Oct 2037 07:28:00 GMT' : '120');
  });

  it.each([
    ['the guarded transport', () => guardedFetch],
    ['the global fetch', () => globalThis.fetch],
  ])('maps connection refused with %s', async (_name, transport) => {
    const refused = await failure(fetchFeed(`http://127.0.0.1:${closedPort}/`, { ...options, fetch: transport() }));
    expect(refused.code).toBe('connection_failed');
    expect(refused.message).toContain('ECONNREFUSED');
  });

  // A stand-in resolver, so these tests ask no DNS server: one name is unknown, one resolves to a private address.
  const fakeResolve = ((hostname: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) => {
    if (hostname === 'internal.example.com')
      return callback(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ]);
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
  }) as unknown as typeof lookup;

  it('gives up connecting after the connect timeout (here a name that never resolves)', async () => {
    const silent = (() => undefined) as unknown as typeof lookup;
    const timedOut = await failure(
      fetchFeed('http://slow.example.com/feed', {
        ...options,
        timeoutMs: 10_000,
        fetch: createGuardedFetch({ resolve: silent, connectTimeoutMs: 300 }),
      }),
    );
    expect(timedOut.code).toBe('fetch_timeout');
    expect(timedOut.message).toContain('300 ms');
  });

  it('maps an unknown name to dns_failure', async () => {
    const unknown = await failure(
      fetchFeed('http://does-not-exist.invalid/', { ...options, fetch: createGuardedFetch({ resolve: fakeResolve }) }),
    );
    expect(unknown.code).toBe('dns_failure');
    expect(unknown.message).toMatch(/ENOTFOUND/);
  });

  it('refuses a name when any of its addresses is private (checked at connect time, no rebinding window)', async () => {
    const refused = await failure(
      fetchFeed('http://internal.example.com/feed', { ...options, fetch: createGuardedFetch({ resolve: fakeResolve }) }),
    );
    expect(refused.code).toBe('forbidden_address');
    expect(refused.message).toContain('10.0.0.5');
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of ['ftp://example.com/feed.xml', 'file:///etc/passwd', 'data:text/plain,hi']) {
      expect((await failure(fetchFeed(url, options))).code).toBe('unsupported_scheme');
    }
  });
});

describe('forbiddenAddressReason', () => {
  it.each([
    ['8.8.8.8', undefined],
    ['1.1.1.1', undefined],
    ['93.184.216.34', undefined],
    ['2606:4700:4700::1111', undefined],
    ['2001:4860:4860::8888', undefined],
    ['[2a00:1450:4001:80b::200e]', undefined],
    ['::ffff:8.8.8.8', undefined],
    ['64:ff9b::1.1.1.1', undefined],
    ['64:ff9b:1::808:808', undefined],
    ['2002:808:808::1', undefined],
    ['172.32.0.1', undefined],
    ['100.128.0.1', undefined],
    ['0.0.0.0', 'unspecified address'],
    ['0.1.2.3', 'unspecified address'],
    ['10.0.0.1', 'private address'],
    ['10.255.255.255', 'private address'],
    ['100.64.0.1', 'carrier-grade NAT address'],
    ['100.127.255.254', 'carrier-grade NAT address'],
    ['127.0.0.1', 'loopback address'],
    ['127.255.0.9', 'loopback address'],
    ['127.1', 'loopback address'],
    ['2130706433', 'loopback address'],
    ['0x7f.1', 'loopback address'],
    ['0177.0.0.1', 'loopback address'],
    ['169.254.169.254', 'cloud metadata address'],
    ['169.254.1.1', 'link-local address'],
    ['172.16.0.1', 'private address'],
    ['172.31.255.255', 'private address'],
    ['192.0.0.8', 'reserved address'],
    ['192.168.1.1', 'private address'],
    ['198.18.0.1', 'reserved address'],
    ['198.19.255.255', 'reserved address'],
    ['224.0.0.1', 'multicast address'],
    ['239.255.255.250', 'multicast address'],
    ['240.0.0.1', 'reserved address'],
    ['255.255.255.255', 'broadcast address'],
    ['::', 'unspecified address'],
    ['::1', 'loopback address'],
    ['[::1]', 'loopback address'],
    ['0:0:0:0:0:0:0:1', 'loopback address'],
    ['fe80::1', 'link-local address'],
    ['fe80::1%eth0', 'link-local address'],
    ['febf:ffff::1', 'link-local address'],
    ['fc00::1', 'unique local address'],
    ['fd12:3456:789a::1', 'unique local address'],
    ['fd00:ec2::254', 'cloud metadata address'],
    ['ff02::1', 'multicast address'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback address'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback address'],
    ['[::ffff:10.0.0.1]', 'IPv4-mapped private address'],
    ['::ffff:169.254.169.254', 'IPv4-mapped cloud metadata address'],
    ['64:ff9b::10.1.2.3', 'NAT64-embedded private address'],
    ['64:ff9b::a9fe:a9fe', 'NAT64-embedded cloud metadata address'],
    ['64:ff9b:1::7f00:1', 'NAT64-embedded loopback address'],
    ['64:ff9b:1:c0a8:1:100::', 'NAT64-embedded private address'],
    ['2002:7f00:1::1', '6to4-embedded loopback address'],
    ['2002:c0a8:101::', '6to4-embedded private address'],
    ['::127.0.0.1', 'IPv4-compatible loopback address'],
    ['::a00:1', 'IPv4-compatible private address'],
    ['example.com', 'not an IP address'],
    ['1::2::3', 'not an IP address'],
    ['1.2.3.256', 'not an IP address'],
  ])('%s → %s', (ip, reason) => {
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });

  it('recognises IP literals as written in URLs, and not names', () => {
    for (const literal of ['127.0.0.1', '[::1]', '::ffff:7f00:1', '2130706433', '1:2:3:4:5:6:7:8']) expect(isIpLiteral(literal)).toBe(true);
    for (const name of ['example.com', 'localhost', '1.2.3.4.5', '1:2:3:4:5:6:7:8:9', 'foo.123', '']) expect(isIpLiteral(name)).toBe(false);
  });
});
