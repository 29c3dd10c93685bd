import { Hono } from 'hono';
import { decodeCursor, encodeCursor } from '../articles/cursor.ts';
import type { Scope } from '../articles/model.ts';
import type { Deps } from '../deps.ts';
import { badRequest, notFound } from '../errors.ts';
import { parseLimit } from '../http/limit.ts';
import { articleApiPath, articlePath } from '../urls.ts';
import { presentRelated, presentTranslation } from './present.ts';

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
    const related = (await deps.crosslinkStore.relatedItems([translation.articleId])).get(translation.articleId) ?? [];
    return c.json({
      ...presentTranslation(translation, deps.config.siteUrl, siblings.get(translation.articleId) ?? [], { content: true }),
      related: related.map(presentRelated),
    });
  });

  app.get('/api/coverage/:itemId', async (c) => {
    const id = c.req.param('itemId');
    const item = /^\d{1,12}$/.test(id) ? await deps.ingestStore.getItem(Number(id)) : undefined;
    if (!item) throw notFound(`No external item with id "${id}".`);
    const links = await deps.crosslinkStore.linkedArticles(item.id);
    const siblings = await deps.store.publishedSiblings(links.map((link) => link.articleId));
    return c.json({
      item: {
        id: item.id,
        url: item.url,
        title: item.title,
        summary: item.summary,
        language: item.language,
        publishedAt: new Date(item.publishedAt).toISOString(),
        sources: item.sources.map((source) => source.title),
      },
      articles: links
        .filter((link) => siblings.has(link.articleId))
        .map((link) => ({
          id: link.articleId,
          score: link.score,
          reason: link.reason,
          translations: siblings.get(link.articleId)!.map((t) => ({
            lang: t.lang,
            title: t.title,
            url: deps.config.siteUrl + articlePath(t.lang, t.slug),
            api: deps.config.siteUrl + articleApiPath(t.lang, t.slug),
          })),
        })),
    });
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
