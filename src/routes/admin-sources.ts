import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import { readXmlBody } from '../http/body.ts';
import { cursorParameter, limitParameter, validateQuery } from '../http/query-parameters.ts';
import { jsonBody } from '../http/validate.ts';
import { decodeFeedBytes } from '../ingest/decode.ts';
import { IngestError } from '../ingest/ingest-error.ts';
import type { IngestStore } from '../ingest/ingest-store.ts';
import type { Source, StoredItem } from '../ingest/model.ts';
import type { PollRunner } from '../ingest/poller.ts';
import { createSourceSchema, patchSourceSchema, sourceUrl } from '../ingest/source-input.ts';
import { parseSourcesOpml, renderSourcesOpml } from '../ingest/sources-opml.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import * as z from '../shared/zod.ts';

// `source` names one source by its id or URL; without it, every enabled source is polled.
export const ingestSchema = z.strictObject({ source: z.optional(z.union([z.number().check(z.int(), z.gte(1)), sourceUrl])) });

/** The query of `GET /api/admin/items`: what validates it also describes it in /api/openapi.json. */
export const itemListQuery = z.object({
  source: z.optional(z.string().check(z.describe('Only the items of this source (its id)'))),
  q: z.optional(z.string().check(z.describe('Only the items whose text matches these words (full-text search)'))),
  limit: limitParameter(50, 200),
  cursor: z.optional(cursorParameter),
});

interface AdminSourcePorts {
  store: IngestStore;
  polls: PollRunner;
  siteTitle: string;
  now: () => number;
}

/** Admin API for followed sources, their status, ingested items, and polling on demand. */
export function adminSourceRoutes({ store, polls, siteTitle, now }: AdminSourcePorts) {
  const app = new Hono();

  async function requireSource(id: string): Promise<Source> {
    const source = /^\d{1,12}$/.test(id) ? await store.getSource(Number(id)) : undefined;
    if (!source) throw new AppError('not_found', `No source with id "${id}".`);
    return source;
  }

  app.get('/api/admin/sources', async (c) => c.json({ sources: (await store.listSources()).map(presentSource) }));

  app.post('/api/admin/sources', jsonBody(createSourceSchema), async (c) => {
    const input = c.req.valid('json');
    if (await store.findSourceByUrl(input.url)) throw new AppError('source_exists', `A source with the URL ${input.url} already exists.`);
    const [id] = await store.addSources([{ ...input, title: input.title ?? new URL(input.url).host }], now());
    c.header('location', `/api/admin/sources/${id}`);
    return c.json(presentSource((await store.getSource(id))!), 201);
  });

  app.get('/api/admin/sources.opml', async (c) => {
    const opml = renderSourcesOpml(`${siteTitle}: followed sources`, await store.listSources());
    return c.body(opml, 200, {
      'content-type': 'text/x-opml; charset=utf-8',
      'content-disposition': 'attachment; filename="sources.opml"',
    });
  });

  app.post('/api/admin/sources.opml', async (c) => {
    const { bytes, contentType } = await readXmlBody(c);
    let sources: Awaited<ReturnType<typeof parseSourcesOpml>>;
    try {
      sources = await parseSourcesOpml(decodeFeedBytes(bytes, contentType).text);
    } catch (error) {
      if (error instanceof IngestError) throw new AppError('invalid_opml', `Nothing was imported: ${error.message}`);
      throw error;
    }
    const ids = await store.addSources(sources, now());
    return c.json({ imported: ids.length, skipped: sources.length - ids.length });
  });

  app.get('/api/admin/sources/status', async (c) => c.json({ sources: (await store.listSources()).map(presentStatus) }));

  app.patch('/api/admin/sources/:id', jsonBody(patchSourceSchema), async (c) => {
    const source = await requireSource(c.req.param('id'));
    const patch = c.req.valid('json');
    if (patch.url && patch.url !== source.url && (await store.findSourceByUrl(patch.url))) {
      throw new AppError('source_exists', `A source with the URL ${patch.url} already exists.`);
    }
    await store.updateSource(source.id, patch);
    return c.json(presentSource((await store.getSource(source.id))!));
  });

  app.delete('/api/admin/sources/:id', async (c) => {
    const source = await requireSource(c.req.param('id'));
    await store.deleteSource(source.id);
    return c.body(null, 204);
  });

  app.get('/api/admin/items', async (c) => {
    // An unknown source is a 404 whatever else is wrong with the query, as it always was: looked up before the rest.
    const sourceParam = c.req.query('source');
    const sourceId = sourceParam ? (await requireSource(sourceParam)).id : undefined;
    const { q, limit, cursor } = validateQuery(itemListQuery, c.req.query(), { limit: 'invalid_limit', cursor: 'invalid_cursor' });
    const position = cursor ? decodeCursor(cursor) : undefined;
    const after = position && /^\d+$/.test(position.id) ? { publishedAt: position.publishedAt, id: Number(position.id) } : undefined;
    if (position && !after) throw new AppError('invalid_cursor', 'The cursor is not one this API returned; start again without it.');
    const items = await store.listItems({ sourceId, q: q?.trim() || undefined, limit: limit + 1, after });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return c.json({
      items: page.map(presentItem),
      nextCursor: items.length > limit && last ? encodeCursor({ publishedAt: last.publishedAt, id: String(last.id) }) : null,
    });
  });

  // Polls every enabled source now (or the one named by `source`: its id or URL), whether due or not.
  app.post('/api/admin/ingest', jsonBody(ingestSchema, { optional: true }), async (c) => {
    const wanted = c.req.valid('json').source;
    if (wanted === undefined) {
      const all = (await store.listSources()).filter((source) => source.enabled);
      return c.json({ reports: await polls.pollSources(all.map((source) => source.id)) });
    }
    const source = typeof wanted === 'number' ? await store.getSource(wanted) : await store.findSourceByUrl(wanted);
    if (!source) throw new AppError('not_found', `No source ${typeof wanted === 'number' ? wanted : `with the URL ${wanted}`}.`);
    return c.json({ reports: await polls.pollSources([source.id]) });
  });

  return app;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function presentSource(source: Source) {
  return {
    id: source.id,
    url: source.url,
    title: source.title,
    language: source.language,
    enabled: source.enabled,
    pollIntervalSeconds: source.pollIntervalSeconds,
    disabledReason: source.disabledReason,
    createdAt: iso(source.createdAt),
  };
}

function presentStatus(source: Source) {
  return {
    id: source.id,
    url: source.url,
    title: source.title,
    enabled: source.enabled,
    disabledReason: source.disabledReason,
    lastAttemptAt: iso(source.lastAttemptAt),
    lastSuccessAt: iso(source.lastSuccessAt),
    httpStatus: source.lastStatus,
    itemsSeen: source.itemsSeen,
    itemsNew: source.itemsNew,
    // At the last poll that parsed the feed: entries kept as they were, repaired (a bad field left out or replaced),
    // dropped, what each problem touched, and where the document itself was damaged.
    entries: source.entries,
    consecutiveErrors: source.consecutiveErrors,
    lastError: source.lastErrorCode ? { code: source.lastErrorCode, message: source.lastErrorMessage } : null,
    nextPollAt: iso(source.nextPollAt),
  };
}

function presentItem(item: StoredItem) {
  return {
    id: item.id,
    url: item.url,
    title: item.title,
    titleDerived: item.titleDerived,
    summary: item.summary,
    content: item.contentHtml,
    authors: item.authors,
    categories: item.categories,
    language: item.language,
    publishedAt: iso(item.publishedAt),
    updatedAt: iso(item.updatedAt),
    firstSeenAt: iso(item.firstSeenAt),
    image: item.image,
    storyCluster: item.clusterId,
    sources: item.sources,
  };
}
