import { Hono } from 'hono';
import type { Deps } from './deps.ts';
import { AppError, errorBody, notFound } from './errors.ts';
import { requireAdmin } from './http/admin-auth.ts';
import { adminArticleRoutes } from './routes/admin-articles.ts';
import { adminSourceRoutes } from './routes/admin-sources.ts';
import { articlesApiRoutes } from './routes/articles-api.ts';
import { feedRoutes } from './routes/feeds.ts';
import { pageRoutes } from './routes/pages.ts';
import { siteRoutes } from './routes/site.ts';
import { errorPage } from './views/pages.ts';

/**
 * The whole service as one Hono app; each runtime's entry file builds `deps` and serves it.
 * Route factories receive `deps` as an argument (no per-request middleware or globals).
 */
export function createApp(deps: Deps): Hono {
  const app = new Hono();

  // Order matters where patterns overlap: feeds and the API before `/:lang/:slug` pages.
  app.use('/api/admin/*', requireAdmin(deps));
  app.route('/', siteRoutes(deps));
  app.route('/', adminArticleRoutes(deps));
  app.route('/', adminSourceRoutes(deps));
  app.route('/', articlesApiRoutes(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', pageRoutes(deps));

  app.notFound((c) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || /\.(xml|json|opml)$/.test(path)) {
      return c.json(errorBody(notFound(`Nothing at ${path}.`)), 404);
    }
    return c.html(errorPage(deps.config, deps.config.defaultLanguage, 404, ''), 404);
  });

  app.onError((error, c) => {
    if (error instanceof AppError) {
      if (error.status === 401) c.header('www-authenticate', 'Bearer');
      return c.json(errorBody(error), error.status);
    }
    console.error(`${c.req.method} ${c.req.path} failed:`, error);
    return c.json(errorBody(new AppError(500, 'internal_error', 'The server failed to answer this request; it has been logged.')), 500);
  });

  return app;
}
