import { Hono } from 'hono';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import type { Scope } from '../articles/model.ts';
import type { Deps } from '../deps.ts';
import { badRequest, notFound } from '../errors.ts';
import { parseLimit } from '../http/limit.ts';
import { presentTranslation } from './present.ts';

/** Public read API: published translations only. */
export function articlesApiRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/api/articles', async (c) => {
    const lang = c.req.query('lang') || deps.config.defaultLanguage;
    const scope = parseScope(deps, lang, c.req.query('category'), c.req.query('tag'));
    const limit = parseLimit(c.req.query('limit'));
    const cursor = c.req.query('cursor');
    const after = cursor ? decodeCursor(cursor) : undefined;
    const page = await deps.store.listPublished({ scope, limit: limit + 1, after });
    if (scope.term && !after && page.length === 0) throw notFound(`No ${scope.term.kind} "${scope.term.slug}" in language "${lang}".`);
    const items = page.slice(0, limit);
    const siblings = await deps.store.publishedSiblings(items.map((t) => t.articleId));
    const last = items.at(-1);
    return c.json({
      items: items.map((t) => presentTranslation(t, deps.config.siteUrl, siblings.get(t.articleId) ?? [], { content: false })),
      nextCursor: page.length > limit && last ? encodeCursor({ publishedAt: last.publishedAt, articleId: last.articleId }) : null,
    });
  });

  app.get('/api/articles/:lang/:slug', async (c) => {
    const { lang, slug } = c.req.param();
    requireLanguage(deps, lang);
    const translation = await deps.store.getPublished(lang, slug);
    if (!translation) throw notFound(`No published "${lang}" article with slug "${slug}".`);
    const siblings = await deps.store.publishedSiblings([translation.articleId]);
    return c.json(presentTranslation(translation, deps.config.siteUrl, siblings.get(translation.articleId) ?? [], { content: true }));
  });

  return app;
}

export function requireLanguage(deps: Deps, lang: string): void {
  if (!deps.config.languages.includes(lang)) {
    throw notFound(`Unknown language "${lang}"; available: ${deps.config.languages.join(', ')}.`);
  }
}

function parseScope(deps: Deps, lang: string, category: string | undefined, tag: string | undefined): Scope {
  requireLanguage(deps, lang);
  if (category && tag) throw badRequest('invalid_query', 'Filter by category or by tag, not both.');
  if (category) return { lang, term: { kind: 'category', slug: category } };
  if (tag) return { lang, term: { kind: 'tag', slug: tag } };
  return { lang };
}
