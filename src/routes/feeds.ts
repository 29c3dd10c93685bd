import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Scope } from '../articles/model.ts';
import { AppError } from '../errors.ts';
import { type FeedFormat, feedFileNames } from '../feeds/feed-model.ts';
import type { FeedService } from '../feeds/feed-service.ts';
import { cachedResponse, type Serving } from '../http/cached-response.ts';
import { parseLimit } from '../http/limit.ts';
import { requireLanguage } from './languages.ts';

interface FeedRoutePorts {
  feeds: FeedService;
  languages: string[];
  feedTtlSeconds: number;
  serving: Serving;
}

/** Per-language feeds: site-wide, per category and per tag, in RSS, Atom and JSON Feed. */
export function feedRoutes(ports: FeedRoutePorts) {
  const app = new Hono();
  const options = {
    cacheControl: `public, max-age=${ports.feedTtlSeconds}, stale-while-revalidate=${Math.max(60, ports.feedTtlSeconds)}`,
    serving: ports.serving,
  };
  // Not async: a cached feed is answered without a trip through the promise queue.
  const serveFeed = (c: Context, format: FeedFormat, scope: Scope) => {
    requireLanguage(ports.languages, scope.lang);
    return cachedResponse(
      c,
      ports.feeds.loadFeed(scope, format, parseLimit(c.req.query('limit'))),
      options,
      () => new AppError('not_found', `No ${scope.term?.kind} "${scope.term?.slug}" in language "${scope.lang}".`),
    );
  };
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
