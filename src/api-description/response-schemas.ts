import type { ErrorCode } from '../errors.ts';
import * as z from '../shared/zod.ts';

// The JSON bodies the API answers with, one schema per shape, written from what src/routes/*.ts present. They only
// describe (in /api/openapi.json) and check (tests/openapi.test.ts): nothing validates a response at run time. Objects
// are strict (`additionalProperties: false`) so that a field a route adds without saying so here fails the test.

const describe = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));

/** Times are written by `Date.prototype.toISOString`: UTC, milliseconds, `Z`. */
const dateTime = z.iso.datetime();
const count = z.int().check(z.gte(0));

const term = z.strictObject({ name: z.string(), slug: z.string(), url: describe(z.url(), 'The HTML page listing it') });

const otherLanguage = z.strictObject({
  lang: z.string(),
  slug: z.string(),
  title: z.string(),
  url: describe(z.url(), 'Its HTML page'),
  api: describe(z.url(), 'Its JSON at /api/articles/{lang}/{slug}'),
});

const translationFields = {
  id: describe(z.uuid(), "The article's id, shared by its translations"),
  lang: z.string(),
  slug: z.string(),
  url: describe(z.url(), 'The HTML page of this translation'),
  status: z.enum(['draft', 'published']),
  title: z.string(),
  summary: z.string(),
  authors: z.array(z.string()),
  categories: z.array(term),
  tags: z.array(term),
  image: z.nullable(z.strictObject({ url: z.url(), type: z.string(), length: describe(count, 'Bytes; 0 when unknown') })),
  publishedAt: dateTime,
  updatedAt: dateTime,
  translations: describe(z.array(otherLanguage), 'The same article in the other languages'),
};

/** A published translation in a list: everything but its content. */
export const articleSummary = z.strictObject(translationFields);

export const articleList = z.strictObject({
  items: z.array(articleSummary),
  nextCursor: describe(z.nullable(z.string()), 'Pass as `cursor` for the next page; null on the last page'),
});

const storyCoverage = describe(
  z.strictObject({ outlets: count, languages: count }),
  'How widely the story is covered: the outlets and languages of its story cluster',
);

/** An external item linked to one of our articles (crosslink/model.ts RelatedItem, as routes/present.ts shows it). */
export const relatedItem = z.strictObject({
  itemId: z.int(),
  source: describe(z.string(), 'The outlet that carried it'),
  title: z.string(),
  url: z.nullable(z.url()),
  language: z.nullable(z.string()),
  publishedAt: dateTime,
  score: describe(z.number(), 'How strongly it relates, from 0.3 (the threshold) up'),
  reason: describe(z.string(), 'Why, e.g. "shared: North Korea, blockchain conference"'),
  pinned: describe(z.boolean(), 'An editor pinned this link'),
  coverage: storyCoverage,
});

/** One published translation with its content and related coverage. */
export const article = z.strictObject({
  ...translationFields,
  content: describe(z.string(), 'HTML'),
  related: z.array(relatedItem),
});

export const coverage = z.strictObject({
  item: z.strictObject({
    id: z.int(),
    url: z.nullable(z.url()),
    title: z.string(),
    titleDerived: describe(z.boolean(), 'The entry had no title: this is its first words'),
    summary: z.string(),
    language: z.nullable(z.string()),
    publishedAt: dateTime,
    sources: describe(z.array(z.string()), 'Titles of the sources that carried it'),
  }),
  articles: z.array(
    z.strictObject({
      id: z.uuid(),
      score: z.number(),
      reason: z.string(),
      translations: z.array(z.strictObject({ lang: z.string(), title: z.string(), url: z.url(), api: z.url() })),
    }),
  ),
});

/** A translation as the admin API shows it: drafts included, with content. */
export const adminTranslation = z.strictObject({ ...translationFields, content: describe(z.string(), 'HTML') });

export const adminArticle = z.strictObject({ id: z.uuid(), translations: z.array(adminTranslation) });

export const linkState = z.strictObject({ articleId: z.uuid(), itemId: z.int(), state: z.enum(['pinned', 'blocked']) });

const reviewedItem = {
  itemId: z.int(),
  url: z.nullable(z.url()),
  title: z.string(),
  language: z.nullable(z.string()),
  publishedAt: dateTime,
  score: z.number(),
  reason: z.string(),
};

/** An article's links for an editor's review (routes/admin-links.ts). */
export const articleLinks = z.strictObject({
  articleId: z.uuid(),
  links: describe(
    z.array(
      z.strictObject({
        ...reviewedItem,
        articleId: z.uuid(),
        state: describe(z.enum(['auto', 'pinned', 'blocked']), "`auto` is the matcher's; the others an editor's"),
        source: describe(z.nullable(z.string()), 'The title of the first source that carried it'),
      }),
    ),
    'Every link: automatic, pinned and blocked, best first',
  ),
  nearMisses: describe(z.array(z.strictObject(reviewedItem)), 'Items found below the threshold, closest first'),
});

export const source = z.strictObject({
  id: z.int(),
  url: z.url(),
  title: z.string(),
  language: z.nullable(z.string()),
  enabled: z.boolean(),
  pollIntervalSeconds: z.int(),
  disabledReason: describe(z.nullable(z.string()), 'Why polling stopped by itself (e.g. the feed answered 410 Gone)'),
  createdAt: dateTime,
});

export const sourceList = z.strictObject({ sources: z.array(source) });

/** What became of a feed's entries at a poll that parsed it (ingest/normalize.ts EntryReport). */
export const entryReport = z.strictObject({
  kept: count,
  repaired: describe(count, 'Kept with a bad field left out or replaced'),
  dropped: count,
  problems: describe(z.record(z.string(), count), 'How many entries each problem touched, e.g. {"unparseable_date": 2}'),
  document: describe(z.array(z.string()), 'Where the document itself was damaged and read past'),
});

export const sourceStatus = z.strictObject({
  id: z.int(),
  url: z.url(),
  title: z.string(),
  enabled: z.boolean(),
  disabledReason: z.nullable(z.string()),
  lastAttemptAt: z.nullable(dateTime),
  lastSuccessAt: z.nullable(dateTime),
  httpStatus: describe(z.nullable(z.int()), 'Of the last attempt; null when no answer came'),
  itemsSeen: count,
  itemsNew: count,
  entries: z.nullable(entryReport),
  consecutiveErrors: count,
  lastError: z.nullable(z.strictObject({ code: z.string(), message: z.nullable(z.string()) })),
  nextPollAt: dateTime,
});

export const sourceStatusList = z.strictObject({ sources: z.array(sourceStatus) });

export const opmlImport = z.strictObject({
  imported: count,
  skipped: describe(count, 'Outlines whose feed URL is already a source'),
});

export const item = z.strictObject({
  id: z.int(),
  url: z.nullable(z.url()),
  title: z.string(),
  titleDerived: z.boolean(),
  summary: z.string(),
  content: describe(z.string(), 'Sanitized HTML'),
  authors: z.array(z.string()),
  categories: z.array(z.string()),
  language: z.nullable(z.string()),
  publishedAt: dateTime,
  updatedAt: dateTime,
  firstSeenAt: dateTime,
  image: z.nullable(z.strictObject({ url: z.url(), type: z.nullable(z.string()), length: z.nullable(z.int()) })),
  storyCluster: describe(z.nullable(z.int()), 'The story cluster it belongs to: items telling the same story'),
  sources: z.array(z.strictObject({ id: z.int(), title: z.string(), key: describe(z.string(), "The item's key in that source's feed") })),
});

export const itemList = z.strictObject({
  items: z.array(item),
  nextCursor: describe(z.nullable(z.string()), 'Pass as `cursor` for the next page; null on the last page'),
});

/** One poll of one source (ingest/poller.ts PollReport). */
export const pollReport = z.strictObject({
  sourceId: z.int(),
  url: describe(z.url(), 'Where the feed is now (after a permanent redirect, its new URL)'),
  outcome: z.enum(['updated', 'not-modified', 'failed', 'gone']),
  status: describe(z.nullable(z.int()), 'The HTTP status; null when no answer came'),
  itemsSeen: count,
  itemsNew: count,
  entries: z.optional(entryReport),
  errorCode: z.optional(z.string()),
  message: z.optional(z.string()),
  durationMs: z.number().check(z.gte(0)),
  nextPollAt: describe(z.int(), 'Milliseconds since the epoch'),
  relinkedArticles: describe(z.optional(z.array(z.string())), 'Our articles whose related coverage changed with this poll'),
});

export const pollReports = z.strictObject({ reports: z.array(pollReport) });

export const webSubStatus = z.strictObject({
  hub: describe(z.url(), 'Our hub: POST /websub'),
  subscriptions: describe(
    z.array(
      z.strictObject({
        topic: z.url(),
        callback: z.url(),
        signed: describe(z.boolean(), 'The subscriber gave a hub.secret: deliveries carry X-Hub-Signature'),
        leaseEnd: dateTime,
        since: dateTime,
        lastDelivery: z.nullable(dateTime),
        failures: count,
        lastError: z.nullable(z.string()),
        nextAttempt: describe(z.nullable(dateTime), 'When a delivery owed is next tried'),
      }),
    ),
    'Subscriptions to our feeds, at our hub',
  ),
  following: describe(
    z.array(
      z.strictObject({
        source: z.int(),
        hub: z.url(),
        topic: z.url(),
        callback: z.url(),
        state: z.enum(['requested', 'active', 'denied', 'unsubscribed']),
        requested: dateTime,
        leaseEnd: z.nullable(dateTime),
        lastContent: z.nullable(dateTime),
        failures: count,
        lastError: z.nullable(z.string()),
      }),
    ),
    'Our subscriptions to the hubs of the feeds we follow',
  ),
});

const day = describe(z.iso.date(), 'A UTC day');
const reportWindow = {
  days: describe(z.int(), 'Days covered, today included'),
  from: day,
  to: day,
};
const subscribers = describe(
  z.strictObject({ total: count, byAggregator: z.record(z.string(), count) }),
  'Subscribers aggregators announce in their User-Agent: the largest count of each, and their sum',
);
const traffic = {
  requests: count,
  notModified: count,
  notModifiedShare: describe(z.number().check(z.gte(0), z.lte(1)), 'notModified / requests'),
  gzip: count,
  bytesSent: count,
  bytesSavedByNotModified: count,
  bytesSavedByGzip: count,
};

/** Who reads each feed (reader-stats/report.ts ReadersReport). */
export const readersReport = z.strictObject({
  ...reportWindow,
  feeds: z.array(
    z.strictObject({
      feed: describe(z.string(), "The feed's path, e.g. /en/tag/bitcoin/atom.xml"),
      language: z.string(),
      scope: z.enum(['site', 'category', 'tag', 'archive']),
      term: describe(z.optional(z.string()), "The category's or tag's slug"),
      month: describe(z.optional(z.string()), "An archive's month, YYYY-MM"),
      format: z.enum(['rss', 'atom', 'json']),
      ...traffic,
      subscribers,
      days: z.array(
        z.strictObject({
          day,
          ...traffic,
          subscribers,
          pollers: describe(count, 'Distinct other clients (address and User-Agent) that day'),
        }),
      ),
    }),
  ),
});

/** What each followed source brought (reader-stats/report.ts SourcesReport). */
export const sourcesReport = z.strictObject({
  ...reportWindow,
  sources: z.array(
    z.strictObject({
      id: z.int(),
      title: z.string(),
      url: z.url(),
      items: count,
      days: describe(z.array(z.strictObject({ day, items: count })), 'Days with items, oldest first'),
    }),
  ),
});

// `satisfies` stops the build when errors.ts gains or loses a code that this list does not follow.
const everyErrorCode = {
  validation_failed: true,
  invalid_json: true,
  invalid_limit: true,
  invalid_cursor: true,
  invalid_query: true,
  invalid_opml: true,
  unauthorized: true,
  not_found: true,
  method_not_allowed: true,
  slug_taken: true,
  last_translation: true,
  source_exists: true,
  payload_too_large: true,
  unsupported_media_type: true,
  internal_error: true,
  insufficient_storage: true,
  admin_disabled: true,
} satisfies Record<ErrorCode, true>;

export const errorCodes = Object.keys(everyErrorCode) as [ErrorCode, ...ErrorCode[]];

/** The body of every error answer (errors.ts `errorBody`). */
export const errorResponse = z.strictObject({
  error: z.strictObject({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.optional(
      z.union([
        describe(
          z.strictObject({ fields: z.array(z.strictObject({ path: z.string(), message: z.string() })) }),
          'validation_failed: every bad field, by its path in the body ("translations.0.slug")',
        ),
        describe(z.strictObject({ lang: z.string(), slug: z.string() }), 'slug_taken: the slug already used'),
      ]),
    ),
  }),
});

/** /api/openapi.json itself; the test validates it against the OpenAPI 3.1 schema. */
export const openApiDocument = z.looseObject({ openapi: z.enum(['3.1.0']), info: z.looseObject({}), paths: z.looseObject({}) });

/** Each response schema by its name among the document's components (`#/components/schemas/{name}`). */
export const responseSchemas = {
  ArticleList: articleList,
  ArticleSummary: articleSummary,
  Article: article,
  RelatedItem: relatedItem,
  Coverage: coverage,
  AdminArticle: adminArticle,
  AdminTranslation: adminTranslation,
  LinkState: linkState,
  ArticleLinks: articleLinks,
  Source: source,
  SourceList: sourceList,
  EntryReport: entryReport,
  SourceStatus: sourceStatus,
  SourceStatusList: sourceStatusList,
  OpmlImport: opmlImport,
  Item: item,
  ItemList: itemList,
  PollReport: pollReport,
  PollReports: pollReports,
  WebSubStatus: webSubStatus,
  ReadersReport: readersReport,
  SourcesReport: sourcesReport,
  Error: errorResponse,
  OpenApiDocument: openApiDocument,
};

export type ResponseSchemaName = keyof typeof responseSchemas;
