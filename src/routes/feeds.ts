import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Scope } from '../articles/model.ts';
import { AppError } from '../errors.ts';
import { type FeedFormat, feedFileNames } from '../feeds/feed-model.ts';
import type { FeedService } from '../feeds/feed-service.ts';
import { gzip, type RenderedFeed } from '../feeds/render.ts';
import { httpDate, isNotModified } from '../http/conditional.ts';
import { parseLimit } from '../http/limit.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { requireLanguage } from './languages.ts';

interface FeedRoutePorts {
  feeds: FeedService;
  languages: string[];
  feedTtlSeconds: number;
  /** The runtime compresses responses itself (Workers): feeds are then sent as identity bytes. */
  runtimeCompresses: boolean;
}

/** Per-language feeds: site-wide, per category and per tag, in RSS, Atom and JSON Feed. */
export function feedRoutes(ports: FeedRoutePorts) {
  const app = new Hono();
  for (const [format, file] of Object.entries(feedFileNames) as [FeedFormat, string][]) {
    app.get(`/:lang/${file}`, (c) => serveFeed(ports, c, format, { lang: c.req.param('lang') }));
    for (const kind of ['category', 'tag'] as const) {
      app.get(`/:lang/${kind}/:slug/${file}`, (c) =>
        serveFeed(ports, c, format, { lang: c.req.param('lang'), term: { kind, slug: c.req.param('slug') } }),
      );
    }
  }
  return app;
}

async function serveFeed(ports: FeedRoutePorts, c: Context, format: FeedFormat, scope: Scope): Promise<Response> {
  requireLanguage(ports.languages, scope.lang);
  const result = await ports.feeds.loadFeed(scope, format, parseLimit(c.req.query('limit')));
  if (!result) throw new AppError('not_found', `No ${scope.term?.kind} "${scope.term?.slug}" in language "${scope.lang}".`);
  const { feed, fromCache } = result;

  const prepared = prepare(feed, ports.feedTtlSeconds);
  const wantsGzip = !ports.runtimeCompresses && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  const headers = fromCache
    ? prepared.headers[wantsGzip ? 'gzip' : 'identity']
    : { ...prepared.headers[wantsGzip ? 'gzip' : 'identity'], 'x-cache': 'MISS' };
  if (isNotModified(c.req.header('if-none-match'), c.req.header('if-modified-since'), prepared.etags, feed.lastModified)) {
    return new Response(null, { status: 304, headers });
  }
  if (wantsGzip) {
    feed.gzip ??= gzip(feed.body);
    return new Response(await feed.gzip, { status: 200, headers: { ...headers, 'content-encoding': 'gzip' } });
  }
  return new Response(feed.body, { status: 200, headers });
}

interface PreparedHeaders {
  etags: string[];
  headers: Record<'identity' | 'gzip', Record<string, string>>;
}

// Response headers are built once per rendered feed, not per request: this is the hot path.
const preparedHeaders = new WeakMap<RenderedFeed, PreparedHeaders>();

function prepare(feed: RenderedFeed, ttl: number): PreparedHeaders {
  let prepared = preparedHeaders.get(feed);
  if (prepared) return prepared;
  // A gzip-coded body is another representation, so it gets its own strong ETag (RFC 9110 §8.8.3).
  const gzipEtag = `${feed.etag.slice(0, -1)}.gz"`;
  const common: Record<string, string> = {
    ...securityHeaders,
    'content-type': feed.contentType,
    'cache-control': `public, max-age=${ttl}, stale-while-revalidate=${Math.max(60, ttl)}`,
    vary: 'Accept-Encoding',
    'x-cache': 'HIT',
  };
  if (feed.lastModified !== undefined) common['last-modified'] = httpDate(feed.lastModified);
  prepared = { etags: [feed.etag, gzipEtag], headers: { identity: { ...common, etag: feed.etag }, gzip: { ...common, etag: gzipEtag } } };
  preparedHeaders.set(feed, prepared);
  return prepared;
}
