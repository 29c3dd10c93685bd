import { Hono } from 'hono';
import type { ArticleService } from '../articles/article-service.ts';
import { type Scope, scopeKey } from '../articles/model.ts';
import { articleApiPath, articlePath } from '../articles/urls.ts';
import type { CrosslinkService } from '../crosslink/crosslink-service.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { cachedResponse, type Serving } from '../http/cached-response.ts';
import { cursorParameter, limitParameter, validateQuery } from '../http/query-parameters.ts';
import type { IngestStore } from '../ingest/ingest-store.ts';
import type { Rendered } from '../render-cache/document.ts';
import type { Rendering } from '../render-cache/rendering.ts';
import { articleScopeKey, siteScope } from '../render-cache/scopes.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import * as z from '../shared/zod.ts';
import { requireLanguage } from './languages.ts';
import { presentRelated, presentTranslation } from './present.ts';
import { loadPublishedArticle } from './published-article.ts';

interface ArticlesApiPorts {
  articles: ArticleService;
  crosslink: CrosslinkService;
  items: Pick<IngestStore, 'getItem'>;
  rendering: Rendering;
  languages: string[];
  defaultLanguage: string;
  siteUrl: string;
  serving: Serving;
}

const json = (value: unknown): Rendered => ({ text: JSON.stringify(value), contentType: 'application/json' });

/** The query of `GET /api/articles`: what validates it also describes it in /api/openapi.json. */
export function articleListQuery(languages: string[], defaultLanguage: string) {
  const language = z.enum(languages, {
    error: (issue) => `Unknown language "${String(issue.input)}"; available: ${languages.join(', ')}.`,
  });
  return z
    .object({
      lang: z._default(language, defaultLanguage).check(z.describe('The language of the translations listed')),
      category: z.optional(z.string().check(z.describe('Only translations in this category (its slug)'))),
      tag: z.optional(z.string().check(z.describe('Only translations with this tag (its slug); not with `category`'))),
      limit: limitParameter(20, 100),
      cursor: z.optional(cursorParameter),
    })
    .check(
      // `when`: checked even when another parameter is bad, so that it is reported before a bad limit, as it always was.
      z.refine(({ category, tag }) => !(category && tag), {
        path: ['tag'],
        message: 'Filter by category or by tag, not both.',
        when: () => true,
      }),
    );
}

/** The error a bad parameter of `GET /api/articles` answers; the first listed is reported first, as these checks always ran. */
export const articleListErrors = {
  lang: 'not_found',
  tag: 'invalid_query',
  limit: 'invalid_limit',
  cursor: 'invalid_cursor',
} satisfies Record<string, ErrorCode>;

/** Public read API: published translations only, and which of our articles an external item relates to; rendered once per write. */
export function articlesApiRoutes(ports: ArticlesApiPorts) {
  const { articles, crosslink, items, rendering, languages, defaultLanguage, siteUrl } = ports;
  const app = new Hono();
  // Clients may keep answers but ask again each time; an unchanged answer then costs a 304.
  const options = { cacheControl: 'public, no-cache', serving: ports.serving };

  const listQuery = articleListQuery(languages, defaultLanguage);
  app.get('/api/articles', (c) => {
    const { lang, category, tag, limit, cursor } = validateQuery(listQuery, c.req.query(), articleListErrors);
    const scope = scopeOf(lang, category, tag);
    const position = cursor ? decodeCursor(cursor) : undefined;
    const loaded = rendering.load(scopeKey(scope), `api:${limit}:${cursor ?? ''}`, async () => {
      const page = await articles.listPublished({ scope, limit: limit + 1, after: position });
      if (scope.term && !position && page.length === 0) return undefined;
      const found = page.slice(0, limit);
      const siblings = await articles.publishedSiblings(found.map((t) => t.articleId));
      const last = found.at(-1);
      return json({
        items: found.map((t) => presentTranslation(t, siteUrl, siblings.get(t.articleId) ?? [], { content: false })),
        nextCursor: page.length > limit && last ? encodeCursor({ publishedAt: last.publishedAt, id: last.articleId }) : null,
      });
    });
    return cachedResponse(
      c,
      loaded,
      options,
      () => new AppError('not_found', `No ${scope.term?.kind} "${scope.term?.slug}" in language "${lang}".`),
    );
  });

  app.get('/api/articles/:lang/:slug', (c) => {
    const { lang, slug } = c.req.param();
    requireLanguage(languages, lang);
    const loaded = rendering.load(articleScopeKey(lang, slug), 'api', async () => {
      const found = await loadPublishedArticle(ports, lang, slug);
      if (!found) return undefined;
      return json({
        ...presentTranslation(found.translation, siteUrl, found.siblings, { content: true }),
        related: found.related.map(presentRelated),
      });
    });
    return cachedResponse(c, loaded, options, () => new AppError('not_found', `No published "${lang}" article with slug "${slug}".`));
  });

  app.get('/api/coverage/:itemId', (c) => {
    const id = c.req.param('itemId');
    const missing = () => new AppError('not_found', `No external item with id "${id}".`);
    if (!/^\d{1,12}$/.test(id)) throw missing();
    const loaded = rendering.load(siteScope, `coverage:${id}`, async () => {
      const item = await items.getItem(Number(id));
      if (!item) return undefined;
      const links = await crosslink.linkedArticles(item.id);
      const siblings = await articles.publishedSiblings(links.map((link) => link.articleId));
      return json({
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
    return cachedResponse(c, loaded, options, missing);
  });

  return app;
}

function scopeOf(lang: string, category: string | undefined, tag: string | undefined): Scope {
  if (category) return { lang, term: { kind: 'category', slug: category } };
  if (tag) return { lang, term: { kind: 'tag', slug: tag } };
  return { lang };
}
