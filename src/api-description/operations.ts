import { articleBody, translationBody } from '../articles/input.ts';
import type { ErrorCode } from '../errors.ts';
import { createSourceSchema, patchSourceSchema } from '../ingest/source-input.ts';
import { linkStateBody } from '../routes/admin-links.ts';
import { ingestSchema, itemListQuery } from '../routes/admin-sources.ts';
import { articleListQuery } from '../routes/articles-api.ts';
import * as z from '../shared/zod.ts';
import type { ResponseSchemaName } from './response-schemas.ts';

// The registry of every operation under /api/: what /api/openapi.json and /api/docs describe, and what
// tests/openapi.test.ts holds against the routes the app really has and the answers it really gives. Request bodies and
// queries are the very schemas the routes validate with; what the shared middleware adds to every admin route (the bearer
// token: 401, 503; the body limit: 413) and to every JSON body (400, 415) is added by openapi-document.ts.

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An answer with a body of a response schema (JSON), a body of another media type, or none. */
export interface Answer {
  description: string;
  schema?: ResponseSchemaName;
  /** A body that is not JSON (OPML, HTML): described as a string of this media type. */
  mediaType?: string;
  /** Response headers worth naming, with what they hold. */
  headers?: Record<string, string>;
}

/** An error answer: the JSON error body, with one of these codes. */
export interface ErrorAnswer {
  errors: ErrorCode[];
  description: string;
}

export interface Operation {
  operationId: string;
  method: Method;
  /** In OpenAPI's form, `{param}` (Hono's `:param`). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  pathParameters?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  body?: {
    /** Its name among the document's components. */
    name: string;
    schema: z.ZodMiniType;
    /** Media types other than JSON (the body is then described as a string). */
    mediaTypes?: string[];
    /** Absent means `{}`. */
    optional?: boolean;
  };
  responses: Record<number, Answer | ErrorAnswer>;
}

const notModified: Answer = {
  description: 'Not Modified: unchanged since the ETag sent in If-None-Match (or the time in If-Modified-Since).',
};
const fails = (description: string, ...errors: ErrorCode[]): ErrorAnswer => ({ errors, description });

/** Every operation the app serves under /api/, for a site in these languages. */
export function apiOperations(site: { languages: string[]; defaultLanguage: string }): Operation[] {
  const language = z.enum(site.languages).check(z.describe('One of the languages the site publishes in'));
  const articleId = z.object({ id: z.uuid().check(z.describe("The article's id")) });
  const itemId = z.int().check(z.gte(1), z.describe("An ingested item's id"));
  const sourceId = z.object({ id: z.int().check(z.gte(1), z.describe("The source's id")) });
  const articleInput = { name: 'ArticleInput', schema: articleBody(site.languages) };
  const admin = { articles: 'Admin: articles', sources: 'Admin: sources and items', stats: 'Admin: statistics', webSub: 'Admin: WebSub' };
  // routes/reader-stats.ts reads `days` by hand (parseDays); this describes the same rule.
  const statsQuery = z.object({
    days: z.optional(
      z.string().check(z.regex(/^\d{1,3}$/), z.describe('Days covered, today included: a whole number from 1 to 90 (default 30)')),
    ),
  });

  return [
    {
      operationId: 'listArticles',
      method: 'get',
      path: '/api/articles',
      summary: 'Published translations in one language, newest first',
      description: 'Pages with `nextCursor`; lists omit `content` (ask for the article for it).',
      tag: 'Articles',
      query: articleListQuery(site.languages, site.defaultLanguage),
      responses: {
        200: { description: 'A page of translations.', schema: 'ArticleList' },
        304: notModified,
        400: fails('A bad limit or cursor, or both category and tag.', 'invalid_query', 'invalid_limit', 'invalid_cursor'),
        404: fails('An unknown language, or a category or tag with no translation in it.', 'not_found'),
      },
    },
    {
      operationId: 'getArticle',
      method: 'get',
      path: '/api/articles/{lang}/{slug}',
      summary: 'One published translation, with its content, its other languages and related coverage',
      tag: 'Articles',
      pathParameters: z.object({ lang: language, slug: z.string() }),
      responses: {
        200: { description: 'The translation.', schema: 'Article' },
        304: notModified,
        404: fails('No published translation in that language with that slug.', 'not_found'),
      },
    },
    {
      operationId: 'getCoverage',
      method: 'get',
      path: '/api/coverage/{itemId}',
      summary: 'An ingested item and the articles of ours it relates to',
      tag: 'Articles',
      pathParameters: z.object({ itemId }),
      responses: {
        200: { description: 'The item and its articles.', schema: 'Coverage' },
        304: notModified,
        404: fails('No item with that id.', 'not_found'),
      },
    },
    {
      operationId: 'getOpenApiDocument',
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This description of the API (OpenAPI 3.1)',
      tag: 'API description',
      responses: { 200: { description: 'The OpenAPI document.', schema: 'OpenApiDocument' } },
    },
    {
      operationId: 'getApiDocs',
      method: 'get',
      path: '/api/docs',
      summary: 'The same description as a readable page',
      tag: 'API description',
      responses: { 200: { description: 'An HTML page.', mediaType: 'text/html' } },
    },

    {
      operationId: 'createArticle',
      method: 'post',
      path: '/api/admin/articles',
      summary: 'Create an article with its translations',
      description: 'A slug left out is made from the title; `status` is `draft` unless `published` is sent.',
      tag: admin.articles,
      body: articleInput,
      responses: {
        201: { description: 'Created.', schema: 'AdminArticle', headers: { Location: 'The article, /api/admin/articles/{id}' } },
        409: fails('A slug is already used by another article in that language.', 'slug_taken'),
      },
    },
    {
      operationId: 'getAdminArticle',
      method: 'get',
      path: '/api/admin/articles/{id}',
      summary: 'An article with every translation, drafts included',
      tag: admin.articles,
      pathParameters: articleId,
      responses: {
        200: { description: 'The article.', schema: 'AdminArticle' },
        404: fails('No article with that id.', 'not_found'),
      },
    },
    {
      operationId: 'replaceArticle',
      method: 'put',
      path: '/api/admin/articles/{id}',
      summary: 'Replace an article: translations not sent are deleted',
      description: 'Each translation keeps its feed entry id, and its publication time when none is sent.',
      tag: admin.articles,
      pathParameters: articleId,
      body: articleInput,
      responses: {
        200: { description: 'The article as it is now.', schema: 'AdminArticle' },
        404: fails('No article with that id.', 'not_found'),
        409: fails('A slug is already used by another article in that language.', 'slug_taken'),
      },
    },
    {
      operationId: 'deleteArticle',
      method: 'delete',
      path: '/api/admin/articles/{id}',
      summary: 'Delete an article and every translation',
      tag: admin.articles,
      pathParameters: articleId,
      responses: { 204: { description: 'Deleted.' }, 404: fails('No article with that id.', 'not_found') },
    },
    {
      operationId: 'putTranslation',
      method: 'put',
      path: '/api/admin/articles/{id}/translations/{lang}',
      summary: "Create or replace one translation; its language is the URL's",
      tag: admin.articles,
      pathParameters: z.object({ id: articleId.shape.id, lang: language }),
      body: { name: 'TranslationInput', schema: translationBody(site.languages) },
      responses: {
        200: { description: 'Replaced: the article as it is now.', schema: 'AdminArticle' },
        201: { description: 'Added: the article as it is now.', schema: 'AdminArticle' },
        404: fails('No article with that id, or a language the site does not publish in.', 'not_found'),
        409: fails('The slug is already used by another article in that language.', 'slug_taken'),
      },
    },
    {
      operationId: 'deleteTranslation',
      method: 'delete',
      path: '/api/admin/articles/{id}/translations/{lang}',
      summary: 'Delete one translation (the last one goes with the article, by deleting the article)',
      tag: admin.articles,
      pathParameters: z.object({ id: articleId.shape.id, lang: z.string() }),
      responses: {
        204: { description: 'Deleted.' },
        404: fails('No such article, or it has no translation in that language.', 'not_found'),
        409: fails("It is the article's last translation.", 'last_translation'),
      },
    },
    {
      operationId: 'listArticleLinks',
      method: 'get',
      path: '/api/admin/articles/{id}/links',
      summary: "An article's links to ingested items, and the near-misses below the threshold, for review",
      tag: admin.articles,
      pathParameters: articleId,
      responses: {
        200: { description: 'Its links and near-misses.', schema: 'ArticleLinks' },
        404: fails('No article with that id.', 'not_found'),
      },
    },
    {
      operationId: 'setLinkState',
      method: 'put',
      path: '/api/admin/articles/{id}/links/{itemId}',
      summary: 'Pin or block the link between an article and an ingested item',
      description: 'The choice survives re-matching; DELETE undoes it.',
      tag: admin.articles,
      pathParameters: z.object({ id: articleId.shape.id, itemId }),
      body: { name: 'LinkStateInput', schema: linkStateBody },
      responses: {
        200: { description: 'The link as it is now.', schema: 'LinkState' },
        404: fails('No article or no item with that id.', 'not_found'),
      },
    },
    {
      operationId: 'clearLinkState',
      method: 'delete',
      path: '/api/admin/articles/{id}/links/{itemId}',
      summary: "Undo an editor's pin or block: the matcher decides again",
      tag: admin.articles,
      pathParameters: z.object({ id: articleId.shape.id, itemId }),
      responses: { 204: { description: 'Undone.' }, 404: fails('No article or no item with that id.', 'not_found') },
    },

    {
      operationId: 'listSources',
      method: 'get',
      path: '/api/admin/sources',
      summary: 'The followed feeds',
      tag: admin.sources,
      responses: { 200: { description: 'Every source.', schema: 'SourceList' } },
    },
    {
      operationId: 'createSource',
      method: 'post',
      path: '/api/admin/sources',
      summary: 'Follow a feed',
      description: "The title defaults to the URL's host; the new source is due for a poll at once.",
      tag: admin.sources,
      body: { name: 'SourceInput', schema: createSourceSchema },
      responses: {
        201: { description: 'Created.', schema: 'Source', headers: { Location: 'The source, /api/admin/sources/{id}' } },
        409: fails('A source with that URL already exists.', 'source_exists'),
      },
    },
    {
      operationId: 'exportSourcesOpml',
      method: 'get',
      path: '/api/admin/sources.opml',
      summary: 'The followed feeds as OPML',
      tag: admin.sources,
      responses: { 200: { description: 'An OPML 2.0 document (a download).', mediaType: 'text/x-opml' } },
    },
    {
      operationId: 'importSourcesOpml',
      method: 'post',
      path: '/api/admin/sources.opml',
      summary: 'Follow every feed of an OPML document',
      description: 'All or nothing: one bad outline refuses the whole document. Feeds already followed are skipped.',
      tag: admin.sources,
      body: { name: 'OpmlDocument', schema: z.string(), mediaTypes: ['text/x-opml', 'application/xml', 'text/xml'] },
      responses: {
        200: { description: 'How many were imported and skipped.', schema: 'OpmlImport' },
        400: fails('Not OPML, or an outline with a bad feed URL (nothing was imported).', 'invalid_opml'),
      },
    },
    {
      operationId: 'listSourceStatus',
      method: 'get',
      path: '/api/admin/sources/status',
      summary: 'How polling each source went',
      tag: admin.sources,
      responses: { 200: { description: 'Every source with its polling state.', schema: 'SourceStatusList' } },
    },
    {
      operationId: 'updateSource',
      method: 'patch',
      path: '/api/admin/sources/{id}',
      summary: 'Change a source: the fields sent',
      tag: admin.sources,
      pathParameters: sourceId,
      body: { name: 'SourcePatch', schema: patchSourceSchema },
      responses: {
        200: { description: 'The source as it is now.', schema: 'Source' },
        404: fails('No source with that id.', 'not_found'),
        409: fails('Another source has that URL.', 'source_exists'),
      },
    },
    {
      operationId: 'deleteSource',
      method: 'delete',
      path: '/api/admin/sources/{id}',
      summary: 'Stop following a source (the items it brought stay)',
      tag: admin.sources,
      pathParameters: sourceId,
      responses: { 204: { description: 'Deleted.' }, 404: fails('No source with that id.', 'not_found') },
    },
    {
      operationId: 'listItems',
      method: 'get',
      path: '/api/admin/items',
      summary: 'Ingested items, newest first',
      tag: admin.sources,
      query: itemListQuery,
      responses: {
        200: { description: 'A page of items.', schema: 'ItemList' },
        400: fails('A bad limit or cursor.', 'invalid_limit', 'invalid_cursor'),
        404: fails('No source with that id.', 'not_found'),
      },
    },
    {
      operationId: 'pollNow',
      method: 'post',
      path: '/api/admin/ingest',
      summary: 'Poll now, due or not: every enabled source, or the one named',
      tag: admin.sources,
      body: { name: 'IngestRequest', schema: ingestSchema, optional: true },
      responses: {
        200: { description: 'What each poll did.', schema: 'PollReports' },
        404: fails('No source with that id or URL.', 'not_found'),
      },
    },

    {
      operationId: 'readerStats',
      method: 'get',
      path: '/api/admin/stats/readers',
      summary: 'Who reads each feed: requests, 304s, gzip, bytes, subscribers and pollers, per day',
      tag: admin.stats,
      query: statsQuery,
      responses: {
        200: { description: 'Per feed, most requested first.', schema: 'ReadersReport' },
        400: fails('A bad `days`.', 'invalid_query'),
      },
    },
    {
      operationId: 'sourceStats',
      method: 'get',
      path: '/api/admin/stats/sources',
      summary: 'What each followed source brought: items per day',
      tag: admin.stats,
      query: statsQuery,
      responses: {
        200: { description: 'Per source, those without items too.', schema: 'SourcesReport' },
        400: fails('A bad `days`.', 'invalid_query'),
      },
    },

    {
      operationId: 'listWebSub',
      method: 'get',
      path: '/api/admin/websub',
      summary: 'WebSub subscriptions: to our feeds at our hub, and ours to the hubs of the feeds we follow',
      tag: admin.webSub,
      responses: { 200: { description: 'Both lists.', schema: 'WebSubStatus' } },
    },
  ];
}
