import { Hono } from 'hono';
import type { ArticleService } from '../articles/article-service.ts';
import type { Scope } from '../articles/model.ts';
import { articleApiPath, articlePath } from '../articles/urls.ts';
import type { CrosslinkService } from '../crosslink/crosslink-service.ts';
import { AppError } from '../errors.ts';
import { parseLimit } from '../http/limit.ts';
import type { IngestStore } from '../ingest/ingest-store.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { requireLanguage } from './languages.ts';
import { presentRelated, presentTranslation } from './present.ts';

interface ArticlesApiPorts {
  articles: ArticleService;
  crosslink: CrosslinkService;
  items: Pick<IngestStore, 'getItem'>;
  languages: string[];
  defaultLanguage: string;
  siteUrl: string;
}

/** Public read API: published translations only, and which of our articles an external item relates to. */
export function articlesApiRoutes({ articles, crosslink, items, languages, defaultLanguage, siteUrl }: ArticlesApiPorts) {
  const app = new Hono();

  app.get('/api/articles', async (c) => {
    const lang = c.req.query('lang') || defaultLanguage;
    const scope = parseScope(languages, lang, c.req.query('category'), c.req.query('tag'));
    const limit = parseLimit(c.req.query('limit'));
    const cursor = c.req.query('cursor');
    const position = cursor ? decodeCursor(cursor) : undefined;
    const page = await articles.listPublished({ scope, limit: limit + 1, after: position });
    if (scope.term && !position && page.length === 0) {
      throw new AppError('not_found', `No ${scope.term.kind} "${scope.term.slug}" in language "${lang}".`);
    }
    const found = page.slice(0, limit);
    const siblings = await articles.publishedSiblings(found.map((t) => t.articleId));
    const last = found.at(-1);
    return c.json({
      items: found.map((t) => presentTranslation(t, siteUrl, siblings.get(t.articleId) ?? [], { content: false })),
      nextCursor: page.length > limit && last ? encodeCursor({ publishedAt: last.publishedAt, id: last.articleId }) : null,
    });
  });

  app.get('/api/articles/:lang/:slug', async (c) => {
    const { lang, slug } = c.req.param();
    requireLanguage(languages, lang);
    const translation = await articles.getPublished(lang, slug);
    if (!translation) throw new AppError('not_found', `No published "${lang}" article with slug "${slug}".`);
    const [siblings, related] = await Promise.all([
      articles.publishedSiblings([translation.articleId]),
      crosslink.relatedItems([translation.articleId]),
    ]);
    return c.json({
      ...presentTranslation(translation, siteUrl, siblings.get(translation.articleId) ?? [], { content: true }),
      related: (related.get(translation.articleId) ?? []).map(presentRelated),
    });
  });

  app.get('/api/coverage/:itemId', async (c) => {
    const id = c.req.param('itemId');
    const item = /^\d{1,12}$/.test(id) ? await items.getItem(Number(id)) : undefined;
    if (!item) throw new AppError('not_found', `No external item with id "${id}".`);
    const links = await crosslink.linkedArticles(item.id);
    const siblings = await articles.publishedSiblings(links.map((link) => link.articleId));
    return c.json({
      item: {
        id: item.id,
        url: item.url,
        title: item.title,
        titleDerived: item.titleDerived,
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
            url: siteUrl + articlePath(t.lang, t.slug),
            api: siteUrl + articleApiPath(t.lang, t.slug),
          })),
        })),
    });
  });

  return app;
}

function parseScope(languages: string[], lang: string, category: string | undefined, tag: string | undefined): Scope {
  requireLanguage(languages, lang);
  if (category && tag) throw new AppError('invalid_query', 'Filter by category or by tag, not both.');
  if (category) return { lang, term: { kind: 'category', slug: category } };
  if (tag) return { lang, term: { kind: 'tag', slug: tag } };
  return { lang };
}
