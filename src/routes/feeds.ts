import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Scope } from '../articles/model.ts';
import type { AppEnv } from '../deps.ts';
import { notFound } from '../errors.ts';
import type { FeedFormat } from '../feeds/feed-model.ts';
import { loadFeed } from '../feeds/feed-service.ts';
import { gzip, type RenderedFeed } from '../feeds/render.ts';
import { httpDate, isNotModified } from '../http/conditional.ts';
import { parseLimit } from '../http/limit.ts';
import { feedFileNames } from '../urls.ts';

/** Per-language feeds: site-wide, per category and per tag, in RSS, Atom and JSON Feed. */
export function feedRoutes() {
  const app = new Hono<AppEnv>();
  for (const [format, file] of Object.entries(feedFileNames) as [FeedFormat, string][]) {
    app.get(`/:lang/${file}`, (c) => serveFeed(c, format, { lang: c.req.param('lang') }));
    for (const kind of ['category', 'tag'] as const) {
      app.get(`/:lang/${kind}/:slug/${file}`, (c) =>
        serveFeed(c, format, { lang: c.req.param('lang'), term: { kind, slug: c.req.param('slug') } }),
      );
    }
  }
  return app;
}

async function serveFeed(c: Context<AppEnv>, format: FeedFormat, scope: Scope): Promise<Response> {
  const deps = c.var.deps;
  if (!deps.config.languages.includes(scope.lang))
    throw notFound(`No feeds in language "${scope.lang}"; available: ${deps.config.languages.join(', ')}.`);
  const result = await loadFeed(deps, scope, format, parseLimit(c.req.query('limit')));
  if (!result) throw notFound(`No ${scope.term?.kind} "${scope.term?.slug}" in language "${scope.lang}".`);
  const { feed, fromCache } = result;

  const gzipEtag = `${feed.etag.slice(0, -1)}.gz"`;
  const wantsGzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  const headers: Record<string, string> = {
    'content-type': feed.contentType,
    etag: wantsGzip ? gzipEtag : feed.etag,
    'cache-control': cacheControl(deps.config.feedTtlSeconds),
    vary: 'Accept-Encoding',
    'x-cache': fromCache ? 'HIT' : 'MISS',
  };
  if (feed.lastModified !== undefined) headers['last-modified'] = httpDate(feed.lastModified);

  if (isNotModified(c.req.header('if-none-match'), c.req.header('if-modified-since'), [feed.etag, gzipEtag], feed.lastModified)) {
    return new Response(null, { status: 304, headers });
  }
  if (wantsGzip) {
    headers['content-encoding'] = 'gzip';
    return new Response(await gzipOf(feed), { status: 200, headers });
  }
  return new Response(feed.body, { status: 200, headers });
}

function gzipOf(feed: RenderedFeed): Promise<Uint8Array<ArrayBuffer>> {
  feed.gzip ??= gzip(feed.body);
  return feed.gzip;
}

function cacheControl(ttl: number): string {
  return `public, max-age=${ttl}, stale-while-revalidate=${Math.max(60, ttl)}`;
}
