import { Hono } from 'hono';
import type { ArticleService } from '../articles/article-service.ts';
import { renderOpml } from '../feeds/opml.ts';

interface SitePorts {
  articles: ArticleService;
  site: { siteUrl: string; siteTitle: string; languages: string[] };
}

/** Health check and the OPML list of every feed. */
export function siteRoutes({ articles, site }: SitePorts) {
  const app = new Hono();

  app.get('/healthz', async (c) => {
    await articles.ping();
    return c.json({ status: 'ok' });
  });

  app.get('/feeds.opml', async (c) => {
    const opml = renderOpml(site.siteUrl, site.siteTitle, site.languages, await articles.listFeedTerms());
    return c.body(opml, 200, { 'content-type': 'text/x-opml; charset=utf-8', 'cache-control': 'public, max-age=300' });
  });

  return app;
}
