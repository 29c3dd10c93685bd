import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { AppError, badRequest, conflict, notFound } from '../errors.ts';
import { readJsonBody, readXmlBody } from '../http/body.ts';
import { parseLimit } from '../http/limit.ts';
import { validateBody } from '../http/validate.ts';
import { decodeFeedBytes } from '../ingest/decode.ts';
import { IngestError } from '../ingest/ingest-error.ts';
import { languageTag } from '../ingest/normalize.ts';
import { parseSourcesOpml, renderSourcesOpml } from '../ingest/sources-opml.ts';
import type { Source, StoredItem } from '../store/ingest-store.ts';

const sourceUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2000);
const sourceFields = {
  title: z.string().trim().min(1).max(300),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'must be a language tag such as en or es-ES')
    .transform((value) => languageTag(value)!)
    .nullable(),
  enabled: z.boolean(),
  pollIntervalSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86400),
};
const createSchema = z
  .strictObject({ url: sourceUrl, ...sourceFields, title: sourceFields.title.optional(), language: sourceFields.language.optional() })
  .partial({
    enabled: true,
    pollIntervalSeconds: true,
  });
const patchSchema = z.strictObject({ url: sourceUrl, ...sourceFields }).partial();

/** Admin API for followed sources, their status, ingested items, and polling on demand. */
export function adminSourceRoutes(deps: Deps) {
  const app = new Hono();
  const store = deps.ingestStore;

  app.get('/api/admin/sources', async (c) => c.json({ sources: (await store.listSources()).map(presentSource) }));

  app.post('/api/admin/sources', async (c) => {
    const input = validateBody(createSchema, await readJsonBody(c.req.raw));
    if (await store.findSourceByUrl(input.url)) throw conflict('source_exists', `A source with the URL ${input.url} already exists.`);
    const [id] = await store.addSources([{ ...input, title: input.title ?? new URL(input.url).host }], deps.now());
    c.header('location', `/api/admin/sources/${id}`);
    return c.json(presentSource((await store.getSource(id))!), 201);
  });

  app.get('/api/admin/sources.opml', async (c) => {
    const opml = renderSourcesOpml(`${deps.config.siteTitle}: followed sources`, await store.listSources());
    return c.body(opml, 200, {
      'content-type': 'text/x-opml; charset=utf-8',
      'content-disposition': 'attachment; filename="sources.opml"',
    });
  });

  app.post('/api/admin/sources.opml', async (c) => {
    const { bytes, contentType } = await readXmlBody(c.req.raw);
    let sources: Awaited<ReturnType<typeof parseSourcesOpml>>;
    try {
      sources = await parseSourcesOpml(decodeFeedBytes(bytes, contentType).text);
    } catch (error) {
      if (error instanceof IngestError) throw badRequest(error.code, `Nothing was imported: ${error.message}`);
      throw error;
    }
    const ids = await store.addSources(sources, deps.now());
    return c.json({ imported: ids.length, skipped: sources.length - ids.length });
  });

  app.get('/api/admin/sources/status', async (c) => c.json({ sources: (await store.listSources()).map(presentStatus) }));

  app.patch('/api/admin/sources/:id', async (c) => {
    const source = await requireSource(deps, c.req.param('id'));
    const patch = validateBody(patchSchema, await readJsonBody(c.req.raw));
    if (patch.url && patch.url !== source.url && (await store.findSourceByUrl(patch.url))) {
      throw conflict('source_exists', `A source with the URL ${patch.url} already exists.`);
    }
    await store.updateSource(source.id, patch);
    return c.json(presentSource((await store.getSource(source.id))!));
  });

  app.delete('/api/admin/sources/:id', async (c) => {
    const source = await requireSource(deps, c.req.param('id'));
    await store.deleteSource(source.id);
    return c.body(null, 204);
  });

  app.get('/api/admin/items', async (c) => {
    const sourceParam = c.req.query('source');
    const sourceId = sourceParam ? (await requireSource(deps, sourceParam)).id : undefined;
    const limit = parseLimit(c.req.query('limit'), 50, 200);
    const cursor = c.req.query('cursor');
    const after = cursor ? decodeItemCursor(cursor) : undefined;
    const items = await store.listItems({ sourceId, q: c.req.query('q')?.trim() || undefined, limit: limit + 1, after });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return c.json({
      items: page.map(presentItem),
      nextCursor: items.length > limit && last ? btoa(`${last.publishedAt}.${last.id}`) : null,
    });
  });

  // Polls every enabled source now (or the one named by `source`: its id or URL), whether due or not.
  app.post('/api/admin/ingest', async (c) => {
    const hasBody = c.req.raw.body !== null && c.req.header('content-type') !== undefined && c.req.header('content-length') !== '0';
    const body = hasBody ? ((await readJsonBody(c.req.raw)) as { source?: unknown }) : {};
    const wanted = body?.source;
    if (wanted === undefined) {
      const all = (await store.listSources()).filter((source) => source.enabled);
      return c.json({ reports: await deps.ingestRunner.pollSources(all.map((source) => source.id)) });
    }
    const source =
      typeof wanted === 'number'
        ? await store.getSource(wanted)
        : typeof wanted === 'string'
          ? await store.findSourceByUrl(wanted)
          : undefined;
    if (!source) throw notFound(`No source ${JSON.stringify(wanted)}.`);
    return c.json({ reports: await deps.ingestRunner.pollSources([source.id]) });
  });

  return app;
}

async function requireSource(deps: Deps, id: string): Promise<Source> {
  const source = /^\d{1,12}$/.test(id) ? await deps.ingestStore.getSource(Number(id)) : undefined;
  if (!source) throw notFound(`No source with id "${id}".`);
  return source;
}

function decodeItemCursor(value: string): { publishedAt: number; id: number } {
  try {
    const match = /^(\d{1,15})\.(\d{1,15})$/.exec(atob(value));
    if (match) return { publishedAt: Number(match[1]), id: Number(match[2]) };
  } catch {
    // falls through
  }
  throw new AppError(400, 'invalid_cursor', 'The cursor is not one this API returned; start again without it.');
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
