import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Scope } from '../articles/model.ts';
import { AppError } from '../errors.ts';
import { type FeedFormat, feedFileNames, monthRange } from '../feeds/feed-model.ts';
import { defaultLimit, type FeedService } from '../feeds/feed-service.ts';
import { cachedResponse, type Serving } from '../http/cached-response.ts';
import { parseLimit, parsePage } from '../http/limit.ts';
import type { RenderedDocument } from '../render-cache/document.ts';
import { requireLanguage } from './languages.ts';

interface FeedRoutePorts {
  feeds: FeedService;
  languages: string[];
  feedTtlSeconds: number;
  now: () => number;
  serving: Serving;
}

/** Per-language feeds: site-wide, per category and per tag, in RSS, Atom and JSON Feed. */
export function feedRoutes(ports: FeedRoutePorts) {
  const app = new Hono();
  const options = {
    // As long as the feed's own cadence suggests (RSS <ttl>), within FEED_TTL_SECONDS and FEED_MAX_TTL_SECONDS
    cacheControl: (document: RenderedDocument) => {
      const seconds = document.maxAgeSeconds ?? ports.feedTtlSeconds;
      return `public, max-age=${seconds}, stale-while-revalidate=${Math.max(60, seconds)}`;
    },
    serving: ports.serving,
    countAs: 'feed' as const,
  };
  // Not async: a cached feed is answered without a trip through the promise queue.
  const serveFeed = (c: Context, format: FeedFormat, scope: Scope) => {
    requireLanguage(ports.languages, scope.lang);
    return cachedResponse(
      c,
      ports.feeds.loadFeed(scope, format, parseLimit(c.req.query('limit'), defaultLimit), parsePage(c.req.query('page'))),
      options,
      () => new AppError('not_found', `No ${scope.term?.kind} "${scope.term?.slug}" in language "${scope.lang}".`),
    );
  };
  // A closed month's archive never changes (RFC 5005 §4: archive documents are stable); the open month's may.
  const closedArchive = { ...options, cacheControl: 'public, max-age=31536000, immutable' };
  const serveArchive = (c: Context, format: FeedFormat) => {
    const { lang, year, month } = c.req.param() as { lang: string; year: string; month: string };
    requireLanguage(ports.languages, lang);
    const wanted = { year: Number(year), month: Number(month) };
    const missing = () => new AppError('not_found', `No "${lang}" archive for ${year}-${month}.`);
    if (wanted.month < 1 || wanted.month > 12) throw missing();
    const closed = monthRange(wanted).to <= ports.now();
    return cachedResponse(c, ports.feeds.loadArchive(lang, wanted, format), closed ? closedArchive : options, missing);
  };
  for (const [format, file] of Object.entries(feedFileNames) as [FeedFormat, string][]) {
    app.get(`/:lang/${file}`, (c) => serveFeed(c, format, { lang: c.req.param('lang') }));
    app.get(`/:lang/archive/:year{[0-9]{4}}/:month{[0-9]{2}}/${file}`, (c) => serveArchive(c, format));
    for (const kind of ['category', 'tag'] as const) {
      app.get(`/:lang/${kind}/:slug/${file}`, (c) =>
        serveFeed(c, format, { lang: c.req.param('lang'), term: { kind, slug: c.req.param('slug') } }),
      );
    }
  }
  return app;
}
