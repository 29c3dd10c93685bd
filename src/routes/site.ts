import { Hono } from 'hono';
import type { ArticleService } from '../articles/article-service.ts';
import { AppError } from '../errors.ts';
import { renderOpml } from '../feeds/opml.ts';
import { cachedResponse, type Serving } from '../http/cached-response.ts';
import type { Rendering } from '../render-cache/rendering.ts';
import { siteScope } from '../render-cache/scopes.ts';

interface SitePorts {
  articles: ArticleService;
  rendering: Rendering;
  site: { siteUrl: string; siteTitle: string; languages: string[] };
  serving: Serving;
}

/** Health check and the OPML list of every feed. */
export function siteRoutes({ articles, rendering, site, serving }: SitePorts) {
  const app = new Hono();
  const options = { cacheControl: 'public, max-age=300', serving };

  app.get('/healthz', async (c) => {
    await articles.ping();
    return c.json({ status: 'ok' });
  });

  app.get('/feeds.opml', (c) => {
    const loaded = rendering.load(siteScope, 'opml', async () => ({
      text: renderOpml(site.siteUrl, site.siteTitle, site.languages, await articles.listFeedTerms()),
      contentType: 'text/x-opml; charset=utf-8',
    }));
    return cachedResponse(c, loaded, options, () => new AppError('not_found', 'No feed list.'));
  });

  return app;
}
