import type { Context } from 'hono';
import { Hono } from 'hono';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import type { Scope } from '../articles/model.ts';
import type { Deps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';
import { termName } from '../feeds/feed-service.ts';
import { messagesFor } from '../i18n.ts';
import { articlePage, errorPage, listPage } from '../views/pages.ts';
import { requireLanguage } from './articles-api.ts';

const pageSize = 20;

type Handler = (c: Context) => Promise<Response>;

const param = (c: Context, name: string) => c.req.param(name) ?? '';

/** Plain HTML pages: the site root, per-language lists, category and tag lists, articles. */
export function pageRoutes(deps: Deps) {
  const app = new Hono();
  const { config } = deps;

  /** Errors on HTML routes answer with an HTML page, not JSON. */
  const page =
    (handler: Handler): Handler =>
    async (c) => {
      try {
        return await handler(c);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const lang = config.languages.includes(param(c, 'lang')) ? param(c, 'lang') : config.defaultLanguage;
        return c.html(errorPage(config, lang, error.status, error.message), error.status);
      }
    };

  app.get('/', (c) => c.redirect(`/${deps.config.defaultLanguage}/`, 302));
  app.get(
    '/:lang',
    page(async (c) => {
      requireLanguage(deps, param(c, 'lang'));
      return c.redirect(`/${param(c, 'lang')}/`, 301);
    }),
  );
  app.get(
    '/:lang/',
    page((c) => renderList(deps, c, { lang: param(c, 'lang') })),
  );
  for (const kind of ['category', 'tag'] as const) {
    app.get(
      `/:lang/${kind}/:slug/`,
      page((c) => renderList(deps, c, { lang: param(c, 'lang'), term: { kind, slug: param(c, 'slug') } })),
    );
  }
  app.get(
    '/:lang/:slug{[a-z0-9-]+}',
    page(async (c) => {
      const lang = param(c, 'lang');
      const slug = param(c, 'slug');
      requireLanguage(deps, lang);
      const translation = await deps.store.getPublished(lang, slug);
      if (!translation) throw notFound(`No article "${slug}".`);
      const [siblings, related] = await Promise.all([
        deps.store.publishedSiblings([translation.articleId]),
        deps.crosslinkStore.relatedItems([translation.articleId]),
      ]);
      return c.html(
        articlePage(deps.config, translation, siblings.get(translation.articleId) ?? [], related.get(translation.articleId) ?? []),
      );
    }),
  );
  return app;
}

async function renderList(deps: Deps, c: Context, scope: Scope): Promise<Response> {
  requireLanguage(deps, scope.lang);
  const cursor = c.req.query('cursor');
  const after = cursor ? decodeCursor(cursor) : undefined;
  const found = await deps.store.listPublished({ scope, limit: pageSize + 1, after });
  if (scope.term && found.length === 0) throw notFound(`No ${scope.term.kind} "${scope.term.slug}".`);
  const items = found.slice(0, pageSize);
  const last = items.at(-1);
  const next = found.length > pageSize && last ? encodeCursor({ publishedAt: last.publishedAt, articleId: last.articleId }) : null;
  const m = messagesFor(scope.lang);
  const heading = scope.term ? `${scope.term.kind === 'category' ? m.category : m.tag}: ${termName(scope, items)}` : m.latest;
  return c.html(listPage(deps.config, scope, heading, items, next));
}
