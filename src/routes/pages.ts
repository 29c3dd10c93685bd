import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ArticleService } from '../articles/article-service.ts';
import { type Scope, scopeKey, termName } from '../articles/model.ts';
import type { Config } from '../config.ts';
import type { CrosslinkService } from '../crosslink/crosslink-service.ts';
import { AppError } from '../errors.ts';
import { cachedResponse, type Serving } from '../http/cached-response.ts';
import { setSecurityHeaders } from '../http/security-headers.ts';
import type { Rendered } from '../render-cache/document.ts';
import type { Rendering } from '../render-cache/rendering.ts';
import { articleScopeKey } from '../render-cache/scopes.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { messagesFor } from '../shared/i18n.ts';
import type { Html } from '../views/layout.ts';
import { articlePage, errorPage, listPage } from '../views/pages.ts';
import { requireLanguage } from './languages.ts';
import { loadPublishedArticle } from './published-article.ts';

const pageSize = 20;

interface PagePorts {
  articles: ArticleService;
  crosslink: CrosslinkService;
  rendering: Rendering;
  config: Config;
  serving: Serving;
}

const htmlPage = async (page: Html): Promise<Rendered> => ({ text: (await page).toString(), contentType: 'text/html; charset=UTF-8' });

/** Plain HTML pages: the site root, per-language lists, category and tag lists, articles; rendered once per write. */
export function pageRoutes({ articles, crosslink, rendering, config, serving }: PagePorts) {
  const app = new Hono();
  const { languages } = config;
  // Browsers and proxies keep pages but ask again each time; an unchanged page then costs a 304.
  const options = { cacheControl: 'public, no-cache', serving };

  // Errors on HTML routes answer with an HTML page, not JSON; anything else goes on to the app's handler.
  app.onError((error, c) => {
    if (!(error instanceof AppError)) throw error;
    const asked = c.req.param('lang') ?? '';
    const lang = languages.includes(asked) ? asked : config.defaultLanguage;
    setSecurityHeaders(c);
    return c.html(errorPage(config, lang, error.status, error.message), error.status);
  });

  function renderList(c: Context, scope: Scope) {
    requireLanguage(languages, scope.lang);
    const cursor = c.req.query('cursor');
    const loaded = rendering.load(scopeKey(scope), `page:${cursor ?? ''}`, async () => {
      const found = await articles.listPublished({ scope, limit: pageSize + 1, after: cursor ? decodeCursor(cursor) : undefined });
      if (scope.term && found.length === 0) return undefined;
      const shown = found.slice(0, pageSize);
      const last = shown.at(-1);
      const next = found.length > pageSize && last ? encodeCursor({ publishedAt: last.publishedAt, id: last.articleId }) : null;
      const m = messagesFor(scope.lang);
      const heading = scope.term ? `${scope.term.kind === 'category' ? m.category : m.tag}: ${termName(scope, shown)}` : m.latest;
      return htmlPage(listPage(config, scope, heading, shown, next));
    });
    return cachedResponse(c, loaded, options, () => new AppError('not_found', `No ${scope.term?.kind} "${scope.term?.slug}".`));
  }

  app.get('/', (c) => {
    setSecurityHeaders(c);
    return c.redirect(`/${config.defaultLanguage}/`, 302);
  });
  app.get('/:lang', (c) => {
    requireLanguage(languages, c.req.param('lang'));
    setSecurityHeaders(c);
    return c.redirect(`/${c.req.param('lang')}/`, 301);
  });
  app.get('/:lang/', (c) => renderList(c, { lang: c.req.param('lang') }));
  for (const kind of ['category', 'tag'] as const) {
    app.get(`/:lang/${kind}/:slug/`, (c) => renderList(c, { lang: c.req.param('lang'), term: { kind, slug: c.req.param('slug') } }));
  }
  app.get('/:lang/:slug{[a-z0-9-]+}', (c) => {
    const { lang, slug } = c.req.param();
    requireLanguage(languages, lang);
    const loaded = rendering.load(articleScopeKey(lang, slug), 'page', async () => {
      const found = await loadPublishedArticle({ articles, crosslink }, lang, slug);
      return found && htmlPage(articlePage(config, found.translation, found.siblings, found.related));
    });
    return cachedResponse(c, loaded, options, () => new AppError('not_found', `No article "${slug}".`));
  });
  return app;
}
