import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { renderOpml } from '../feeds/opml.ts';

/** Health check and the OPML list of every feed. */
export function siteRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/healthz', async (c) => {
    await deps.store.ping();
    return c.json({ status: 'ok' });
  });

  app.get('/feeds.opml', async (c) => {
    const { config, store } = deps;
    const opml = renderOpml(config.siteUrl, config.siteTitle, config.languages, await store.listFeedTerms());
    return c.body(opml, 200, { 'content-type': 'text/x-opml; charset=utf-8', 'cache-control': 'public, max-age=300' });
  });

  return app;
}
