import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Services } from './compose.ts';
import { consoleRoutes } from './console/console-app.tsx';
import { AppError, errorBody } from './errors.ts';
import { requireAdmin } from './http/admin-auth.ts';
import { allowedMethods } from './http/allowed-methods.ts';
import { limitBody } from './http/body.ts';
import { addSecurityHeaders, setSecurityHeaders } from './http/security-headers.ts';
import { adminArticleRoutes } from './routes/admin-articles.ts';
import { adminLinkRoutes } from './routes/admin-links.ts';
import { adminSourceRoutes } from './routes/admin-sources.ts';
import { apiDescriptionRoutes } from './routes/api-description.ts';
import { articlesApiRoutes } from './routes/articles-api.ts';
import { feedRoutes } from './routes/feeds.ts';
import { pageRoutes } from './routes/pages.ts';
import { readerStatsRoutes } from './routes/reader-stats.ts';
import { siteRoutes } from './routes/site.ts';
import { webSubRoutes } from './routes/websub.ts';
import { StorageFull } from './store/sql-client.ts';
import { errorPage } from './views/pages.ts';

/** The whole service as one Hono app over the composed services; each runtime's entry file composes and serves it. */
export function createApp(services: Services): Hono {
  const { config, articles, crosslink, feeds } = services;
  const sources = services.ingest.store;
  const app = new Hono();

  // Answers from the render cache (feeds, pages, the public API) carry these headers in their cached headers, and errors get
  // them in notFound/onError; a middleware on every path would cost the cached answers a compose step each.
  for (const path of ['/api/admin/*', '/healthz']) app.use(path, addSecurityHeaders);
  // Order matters where patterns overlap: feeds and the API before `/:lang/:slug` pages.
  app.use('/api/admin/*', requireAdmin(config.adminToken), limitBody());
  const { rendering, serving } = services;
  app.route('/', siteRoutes({ articles, rendering, site: config, serving }));
  app.route('/', adminArticleRoutes({ articles, languages: config.languages, siteUrl: config.siteUrl }));
  app.route('/', adminLinkRoutes({ articles, crosslink, items: sources, refreshArticleFeeds: services.refreshArticleFeeds }));
  app.route('/', adminSourceRoutes({ store: sources, polls: services.polls, siteTitle: config.siteTitle, now: services.now }));
  app.route('/', readerStatsRoutes({ readerStats: services.readerStats }));
  app.route('/', consoleRoutes(services));
  app.route('/', articlesApiRoutes({ articles, crosslink, items: sources, rendering, ...config, serving }));
  app.route('/', apiDescriptionRoutes(config));
  app.route('/', feedRoutes({ feeds, ...config, now: services.now, serving }));
  app.use('/websub', addSecurityHeaders, limitBody());
  // A hub pushes whole feed documents to our callbacks: as large as a polled feed may be.
  app.use('/websub/callback/*', addSecurityHeaders, limitBody(config.ingest.maxBytes));
  app.route('/', webSubRoutes({ hub: services.hub, subscriber: services.subscriber }));
  app.route('/', pageRoutes({ articles, crosslink, rendering, config, serving }));

  const allowed = allowedMethods(app);
  app.notFound((c) => {
    setSecurityHeaders(c);
    const path = c.req.path;
    const methods = allowed(path);
    if (methods.length > 0 && !methods.includes(c.req.method)) {
      c.header('allow', methods.join(', '));
      return c.json(errorBody(new AppError('method_not_allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}.`)), 405);
    }
    if (path.startsWith('/api/') || /\.(xml|json|opml)$/.test(path)) {
      return c.json(errorBody(new AppError('not_found', `Nothing at ${path}.`)), 404);
    }
    return c.html(errorPage(config, config.defaultLanguage, 404, ''), 404);
  });

  app.onError((error, c) => {
    setSecurityHeaders(c);
    // Hono's own middleware (bearerAuth) answers with a ready response.
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof AppError) {
      if (error.status === 401) c.header('www-authenticate', 'Bearer');
      return c.json(errorBody(error), error.status);
    }
    if (error instanceof StorageFull) {
      console.error(`${c.req.method} ${c.req.path} refused: the disk is full (${error.message})`);
      return c.json(errorBody(new AppError('insufficient_storage', 'The server has no room to store this; nothing was written.')), 507);
    }
    console.error(`${c.req.method} ${c.req.path} failed:`, error);
    return c.json(errorBody(new AppError('internal_error', 'The server failed to answer this request; it has been logged.')), 500);
  });

  return app;
}
