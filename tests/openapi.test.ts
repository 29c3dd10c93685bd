import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { type LoopbackServer, serveOnLoopback } from './helpers/loopback-server.ts';
import { adminToken, siteUrl, startTestApp, type TestApp, translation } from './helpers/test-app.ts';

// /api/openapi.json against the app itself: every route under /api/ is described, the document is valid OpenAPI 3.1,
// and every answer the document declares is given by a real request and matches its declared schema.

interface ParameterObject {
  name: string;
  in: string;
  schema: object;
}
interface OperationObject {
  operationId: string;
  summary: string;
  parameters?: ParameterObject[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, object> };
}
interface Described {
  path: string;
  method: string;
  operation: OperationObject;
  pattern: RegExp;
}

const documentId = 'https://openapi.test/api/openapi.json';
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const day = 86_400_000;

let t: TestApp;
/** The same service with no ADMIN_TOKEN: its admin API answers 503. */
let disabled: TestApp;
/** An outlet on loopback: a feed naming a WebSub hub, that hub, and a subscriber's callback for our hub. */
let outlet: LoopbackServer;
let document: Document;
let operations: Described[];
let ajv: Ajv2020;
/** `operationId status` of every answer checked against the document. */
const answered = new Set<string>();

beforeAll(async () => {
  let outletUrl = '';
  outlet = await serveOnLoopback((request) => {
    const url = new URL(request.url);
    if (url.pathname === '/feed.xml') {
      return new Response(outletFeed(outletUrl), {
        headers: { 'content-type': 'application/rss+xml', link: `<${outletUrl}/hub>; rel="hub", <${outletUrl}/feed.xml>; rel="self"` },
      });
    }
    if (url.pathname === '/hub') return new Response(null, { status: 202 });
    if (url.pathname === '/callback') return new Response(url.searchParams.get('hub.challenge') ?? '');
    return new Response('not here', { status: 404 });
  });
  outletUrl = outlet.url;
  t = await startTestApp({ env: { INGEST_ALLOW_HOSTS: new URL(outlet.url).host } });
  disabled = await startTestApp({ seed: false, env: { ADMIN_TOKEN: '' } });
  const response = await t.request('/api/openapi.json');
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
  operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation, pattern: pathPattern(path) })),
  );
  ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  // The whole document under one id, so that response schemas are found by JSON Pointer and their $refs resolve.
  ajv.addSchema(document, documentId);
});
afterAll(async () => {
  await t.close();
  await disabled.close();
  await outlet.close();
});

/** `/api/articles/{lang}/{slug}` as a pattern of the request paths it describes. */
function pathPattern(path: string): RegExp {
  const literal = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${literal.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

const pointer = (...segments: string[]) => `#/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function validate(at: string, value: unknown): string {
  const check = ajv.getSchema(documentId + at);
  if (!check) throw new Error(`No schema at ${at}`);
  return check(value) ? '' : ajv.errorsText(check.errors, { dataVar: 'body' });
}

/** The described operation a request is for: of several matching templates, the most literal (as the router picks). */
function describedOperation(method: string, pathname: string): Described | undefined {
  const matching = operations.filter((d) => d.method === method && d.pattern.test(pathname));
  return matching.sort((a, b) => a.path.split('{').length - b.path.split('{').length)[0];
}

/**
 * A request through the app, its answer held against the document: the status must be one the operation declares, the
 * media type one declared for it, and a JSON body must match the declared schema. An accepted request's body and query
 * must match the document's request schemas too.
 */
async function call(method: string, path: string, init: RequestInit & { app?: TestApp } = {}): Promise<Response> {
  const { app = t, ...request } = init;
  const response = await app.request(path, { ...request, method });
  const url = new URL(path, siteUrl);
  const described = describedOperation(method, url.pathname);
  expect(described, `${method} ${url.pathname} is not in the document`).toBeDefined();
  const { operation } = described!;
  const status = String(response.status);
  const answer = operation.responses[status];
  expect(answer, `${method} ${path} answered ${status}, which the document does not declare`).toBeDefined();
  const text = await response.clone().text();
  if (!answer!.content) {
    expect(text, `${method} ${path} ${status} has a body the document does not declare`).toBe('');
  } else {
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
    expect(Object.keys(answer!.content), `${method} ${path} ${status}`).toContain(type);
    if (type === 'application/json') {
      const errors = validate(
        pointer('paths', described!.path, described!.method.toLowerCase(), 'responses', status, 'content', type, 'schema'),
        JSON.parse(text),
      );
      expect(errors, `${method} ${path} ${status}: ${text.slice(0, 300)}`).toBe('');
    } else expect(text.length).toBeGreaterThan(0);
  }
  if (response.ok) checkAcceptedRequest(described!, url, request);
  answered.add(`${operation.operationId} ${status}`);
  return response;
}

function checkAcceptedRequest(described: Described, url: URL, request: RequestInit): void {
  const at = (...segments: string[]) => pointer('paths', described.path, described.method.toLowerCase(), ...segments);
  const type = new Headers(request.headers).get('content-type');
  if (typeof request.body === 'string' && type === 'application/json') {
    expect(validate(at('requestBody', 'content', type, 'schema'), JSON.parse(request.body)), `${described.path}: accepted body`).toBe('');
  }
  (described.operation.parameters ?? []).forEach((parameter, index) => {
    const value = parameter.in === 'query' ? url.searchParams.get(parameter.name) : null;
    if (value) expect(validate(at('parameters', String(index), 'schema'), value), `?${parameter.name}=${value}`).toBe('');
  });
}

const asAdmin = (body?: unknown, type = 'application/json'): RequestInit => ({
  headers: { authorization: `Bearer ${adminToken}`, 'content-type': type },
  body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
});
const json = async <T>(response: Response) => (await response.json()) as T;

function outletFeed(base: string): string {
  const item = (title: string, link: string, hoursAgo: number, description: string) =>
    `<item><title>${title}</title><link>${base}/${link}</link><guid>${link}</guid><pubDate>${new Date(Date.now() - hoursAgo * 3_600_000).toUTCString()}</pubDate><description>${description}</description></item>`;
  return (
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title><link>${base}/</link><description>News</description>` +
    item(
      'Uniswap airdrop hands UNI tokens to early users',
      'uniswap-airdrop',
      20,
      'The Uniswap airdrop gives UNI governance tokens to early users.',
    ) +
    item('Copper prices rise in London trading', 'copper', 3, 'Copper rose on the London Metal Exchange.') +
    '</channel></rss>'
  );
}

describe('/api/openapi.json', () => {
  it('describes every route the app serves under /api/, and nothing else', () => {
    const app = createApp(t.services);
    const served = app.routes
      .filter((route) => route.path.startsWith('/api/') && methods.includes(route.method))
      // Hono writes `:param` (with an optional `{regex}`), OpenAPI `{param}`.
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
    const described = operations.map(({ method, path }) => `${method} ${path}`);
    expect([...new Set(served)].sort()).toEqual(described.sort());
  });

  it('is a valid OpenAPI 3.1 document whose schemas are valid JSON Schema 2020-12', () => {
    expect(document.openapi).toBe('3.1.0');
    // ajv does not follow the $dynamicRef "#meta" of the published schema (ajv-validator/ajv#1573); in this schema it
    // can only mean its own $defs/schema (a Schema Object is any object or boolean), so it is read that way, and every
    // Schema Object is checked against the JSON Schema 2020-12 meta-schema below.
    const oas = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/openapi/oas-3.1-schema.json'), 'utf8'), (_, value) =>
      value && typeof value === 'object' && value.$dynamicRef === '#meta' ? { $ref: '#/$defs/schema' } : value,
    );
    const checker = new Ajv2020({ allErrors: true, strict: false });
    addFormats(checker);
    checker.addFormat('media-range', true);
    const valid = checker.validate(oas, document);
    expect(valid ? '' : checker.errorsText(checker.errors)).toBe('');

    const schemas = [
      ...Object.values(document.components.schemas),
      ...operations.flatMap(({ operation }) => [
        ...(operation.parameters ?? []).map((parameter) => parameter.schema),
        ...[operation.requestBody?.content ?? {}, ...Object.values(operation.responses).map((r) => r.content ?? {})].flatMap((content) =>
          Object.values(content as Record<string, { schema: object }>).map((media) => media.schema),
        ),
      ]),
    ];
    for (const schema of schemas) expect(checker.validateSchema(schema) ? '' : checker.errorsText(checker.errors)).toBe('');

    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, operation } of operations) {
      const inPath = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(inPath.sort(), path).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
    }
  });

  it('is served on its own: JSON, cacheable, with the site as its server', async () => {
    const response = await call('GET', '/api/openapi.json');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(((await response.json()) as { servers: { url: string }[] }).servers).toEqual([{ url: siteUrl }]);
  });
});

describe('/api/docs', () => {
  it('is an HTML page of every operation, with a strict Content-Security-Policy and nothing from elsewhere', async () => {
    const response = await call('GET', '/api/docs');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    const style = /<style>([^<]*)<\/style>/.exec(page)![1]!;
    expect(policy).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
    expect(page).not.toMatch(/https?:\/\/(?!news\.example\.org)/);
    for (const { path, method, operation } of operations) {
      const section = new RegExp(`<section class="operation" id="${operation.operationId}">[\\s\\S]*?</section>`).exec(page)?.[0] ?? '';
      expect(section, operation.operationId).toContain(`<span class="method ${method.toLowerCase()}">${method.toLowerCase()}</span>`);
      expect(section).toContain(`<code>${path}</code>`);
      expect(section).toContain(escapeHtml(operation.summary));
      for (const parameter of operation.parameters ?? []) expect(section).toContain(`<code>${parameter.name}</code>`);
      for (const status of Object.keys(operation.responses)) expect(section).toContain(`<dt>${status}</dt>`);
    }
    for (const name of Object.keys(document.components.schemas)) expect(page).toContain(`id="schema-${name}"`);
  });
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

describe('every answer matches its declared schema', () => {
  let articleId = '';
  let sourceId = 0;
  let itemId = 0;

  it('the admin API for articles', async () => {
    const published = new Date(Date.now() - 2 * day).toISOString();
    const uniswap = translation({
      slug: 'uniswap-airdrops-uni',
      title: 'Uniswap airdrops its UNI governance token',
      summary: 'Early Uniswap users receive UNI in an airdrop.',
      content: '<p>Uniswap airdropped the UNI governance token to early users of the exchange.</p>',
      categories: ['Markets'],
      tags: ['Uniswap', 'Airdrops'],
      image: { url: 'https://news.example.org/images/uni.jpg', type: 'image/jpeg', length: 2048 },
      publishedAt: published,
    });
    const spanish = { ...uniswap, lang: 'es', slug: 'uniswap-reparte-uni', title: 'Uniswap reparte su token UNI' };
    const created = await call('POST', '/api/admin/articles', asAdmin({ translations: [uniswap] }));
    expect(created.status).toBe(201);
    articleId = (await json<{ id: string }>(created)).id;
    const article = `/api/admin/articles/${articleId}`;
    expect((await call('POST', '/api/admin/articles', asAdmin({ translations: [{ ...uniswap, title: 'Again' }] }))).status).toBe(409);
    expect((await call('POST', '/api/admin/articles', asAdmin({ translations: [] }))).status).toBe(400);

    expect((await call('GET', article, asAdmin())).status).toBe(200);
    expect((await call('GET', '/api/admin/articles/nope', asAdmin())).status).toBe(404);

    expect((await call('PUT', `${article}/translations/es`, asAdmin(spanish))).status).toBe(201);
    expect((await call('PUT', `${article}/translations/es`, asAdmin({ ...spanish, summary: 'Otra.' }))).status).toBe(200);
    expect((await call('PUT', `${article}/translations/de`, asAdmin(spanish))).status).toBe(404);
    expect((await call('PUT', `${article}/translations/es`, asAdmin({ ...spanish, publishedAt: 'ayer' }))).status).toBe(400);
    const listed = await json<{ items: { id: string; slug: string }[] }>(await call('GET', '/api/articles?lang=es&limit=5'));
    const seeded = listed.items.find((item) => item.id !== articleId)!;
    expect((await call('PUT', `${article}/translations/es`, asAdmin({ ...spanish, slug: seeded.slug }))).status).toBe(409);

    expect((await call('PUT', article, asAdmin({ translations: [uniswap, spanish] }))).status).toBe(200);
    expect((await call('PUT', article, asAdmin({ translations: [{ ...uniswap, status: 'maybe' }] }))).status).toBe(400);
    expect((await call('PUT', '/api/admin/articles/nope', asAdmin({ translations: [uniswap] }))).status).toBe(404);
    expect((await call('PUT', article, asAdmin({ translations: [uniswap, { ...spanish, slug: seeded.slug }] }))).status).toBe(409);

    // A second article to take apart: its translations one by one, then itself.
    const other = await call('POST', '/api/admin/articles', asAdmin({ translations: [translation({ slug: 'to-delete' })] }));
    const otherPath = `/api/admin/articles/${(await json<{ id: string }>(other)).id}`;
    await call('PUT', `${otherPath}/translations/es`, asAdmin({ ...translation({ slug: 'para-borrar' }), lang: 'es' }));
    expect((await call('DELETE', `${otherPath}/translations/es`, asAdmin())).status).toBe(204);
    expect((await call('DELETE', `${otherPath}/translations/es`, asAdmin())).status).toBe(404);
    expect((await call('DELETE', `${otherPath}/translations/en`, asAdmin())).status).toBe(409);
    expect((await call('DELETE', otherPath, asAdmin())).status).toBe(204);
    expect((await call('DELETE', otherPath, asAdmin())).status).toBe(404);
  });

  it('the admin API for sources, polling, items and WebSub', async () => {
    const feed = `${outlet.url}/feed.xml`;
    const created = await call('POST', '/api/admin/sources', asAdmin({ url: feed, language: 'en' }));
    expect(created.status).toBe(201);
    sourceId = (await json<{ id: number }>(created)).id;
    expect((await call('POST', '/api/admin/sources', asAdmin({ url: feed }))).status).toBe(409);
    expect((await call('POST', '/api/admin/sources', asAdmin({ url: 'ftp://example.org/feed' }))).status).toBe(400);
    expect((await call('GET', '/api/admin/sources/status', asAdmin())).status).toBe(200);

    const polled = await call('POST', '/api/admin/ingest', asAdmin({ source: sourceId }));
    expect((await json<{ reports: { outcome: string }[] }>(polled)).reports.map((r) => r.outcome)).toEqual(['updated']);
    expect((await call('POST', '/api/admin/ingest', { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
    expect((await call('POST', '/api/admin/ingest', asAdmin({ source: 999_999 }))).status).toBe(404);
    expect((await call('POST', '/api/admin/ingest', asAdmin({ source: 'not a url' }))).status).toBe(400);
    expect((await call('GET', '/api/admin/sources/status', asAdmin())).status).toBe(200);

    const page = await json<{ items: { id: number; title: string }[]; nextCursor: string }>(
      await call('GET', `/api/admin/items?source=${sourceId}&limit=1`, asAdmin()),
    );
    expect(page.nextCursor).toEqual(expect.any(String));
    await call('GET', `/api/admin/items?source=${sourceId}&limit=1&cursor=${page.nextCursor}`, asAdmin());
    const found = await json<{ items: { id: number; title: string }[] }>(await call('GET', '/api/admin/items?q=uniswap', asAdmin()));
    itemId = found.items.find((item) => /Uniswap/.test(item.title))!.id;
    expect((await call('GET', '/api/admin/items?limit=zero', asAdmin())).status).toBe(400);
    expect((await call('GET', '/api/admin/items?source=999999', asAdmin())).status).toBe(404);

    const opml = await call('GET', '/api/admin/sources.opml', asAdmin());
    expect(await opml.text()).toContain(feed);
    const imported = await call(
      'POST',
      '/api/admin/sources.opml',
      asAdmin('<opml version="2.0"><body><outline text="Other" xmlUrl="https://other.example.com/rss"/></body></opml>', 'text/x-opml'),
    );
    expect(await json(imported)).toEqual({ imported: 1, skipped: 0 });
    expect((await call('POST', '/api/admin/sources.opml', asAdmin('not xml <', 'text/x-opml'))).status).toBe(400);
    const sources = (await json<{ sources: { id: number; url: string }[] }>(await call('GET', '/api/admin/sources', asAdmin()))).sources;
    const otherId = sources.find((s) => s.url === 'https://other.example.com/rss')!.id;

    expect((await call('PATCH', `/api/admin/sources/${sourceId}`, asAdmin({ title: 'The outlet', pollIntervalSeconds: 900 }))).status).toBe(
      200,
    );
    expect((await call('PATCH', `/api/admin/sources/${otherId}`, asAdmin({ url: feed }))).status).toBe(409);
    expect((await call('PATCH', `/api/admin/sources/${otherId}`, asAdmin({ pollIntervalSeconds: 1 }))).status).toBe(400);
    expect((await call('PATCH', '/api/admin/sources/999999', asAdmin({ title: 'x' }))).status).toBe(404);
    expect((await call('DELETE', `/api/admin/sources/${otherId}`, asAdmin())).status).toBe(204);
    expect((await call('DELETE', `/api/admin/sources/${otherId}`, asAdmin())).status).toBe(404);

    // A subscriber at our hub; the poll above subscribed us to the outlet's hub.
    const subscribe = await t.request('/websub', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        'hub.mode': 'subscribe',
        'hub.topic': `${siteUrl}/en/atom.xml`,
        'hub.callback': `${outlet.url}/callback`,
        'hub.secret': 'a-secret-of-the-subscriber',
      }).toString(),
    });
    expect(subscribe.status).toBe(202);
    let webSub = { subscriptions: [] as unknown[], following: [] as unknown[] };
    for (let tries = 0; tries < 50 && webSub.subscriptions.length === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      webSub = await json(await call('GET', '/api/admin/websub', asAdmin()));
    }
    expect(webSub.subscriptions).toHaveLength(1);
    expect(webSub.following).toHaveLength(1);
  });

  it('links between articles and items, and the coverage of an item', async () => {
    const link = `/api/admin/articles/${articleId}/links/${itemId}`;
    const related = await json<{ related: { itemId: number }[] }>(await call('GET', '/api/articles/en/uniswap-airdrops-uni'));
    expect(related.related.map((item) => item.itemId)).toContain(itemId);
    expect((await call('PUT', link, asAdmin({ state: 'pinned' }))).status).toBe(200);
    const review = await json<{ links: { itemId: number; state: string }[] }>(
      await call('GET', `/api/admin/articles/${articleId}/links`, asAdmin()),
    );
    expect(review.links).toContainEqual(expect.objectContaining({ itemId, state: 'pinned' }));
    expect((await call('GET', '/api/admin/articles/nope/links', asAdmin())).status).toBe(404);
    expect((await call('PUT', link, asAdmin({ state: 'maybe' }))).status).toBe(400);
    expect((await call('PUT', `/api/admin/articles/${articleId}/links/999999`, asAdmin({ state: 'blocked' }))).status).toBe(404);
    expect((await call('DELETE', link, asAdmin())).status).toBe(204);
    expect((await call('DELETE', `/api/admin/articles/nope/links/${itemId}`, asAdmin())).status).toBe(404);

    const coverage = await call('GET', `/api/coverage/${itemId}`);
    expect((await json<{ articles: { id: string }[] }>(coverage)).articles.map((a) => a.id)).toContain(articleId);
    const etag = coverage.headers.get('etag')!;
    expect((await call('GET', `/api/coverage/${itemId}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await call('GET', '/api/coverage/999999')).status).toBe(404);
  });

  it('the public read API', async () => {
    const first = await call('GET', '/api/articles?lang=es&limit=2');
    const { nextCursor } = await json<{ nextCursor: string }>(first);
    await call('GET', `/api/articles?lang=es&limit=2&cursor=${nextCursor}`);
    expect((await call('GET', '/api/articles', { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(200);
    expect((await call('GET', '/api/articles?lang=es&limit=2', { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(
      304,
    );
    expect((await call('GET', '/api/articles?category=markets')).status).toBe(200);
    expect((await call('GET', '/api/articles?tag=uniswap&limit=500')).status).toBe(200);
    for (const [query, status] of [
      ['lang=fr', 404],
      ['tag=nothing-here', 404],
      ['limit=zero', 400],
      ['cursor=%25%25', 400],
      ['category=markets&tag=uniswap', 400],
    ] as const) {
      expect((await call('GET', `/api/articles?${query}`)).status, query).toBe(status);
    }

    const article = await call('GET', '/api/articles/en/uniswap-airdrops-uni');
    expect(
      (await call('GET', '/api/articles/en/uniswap-airdrops-uni', { headers: { 'if-none-match': article.headers.get('etag')! } })).status,
    ).toBe(304);
    expect((await call('GET', '/api/articles/en/no-such-article')).status).toBe(404);
    expect((await call('GET', '/api/articles/fr/uniswap-airdrops-uni')).status).toBe(404);
  });

  it('the statistics of readers and sources', async () => {
    for (const agent of ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers)', 'curl/8']) {
      await t.request('/en/feed.xml', { headers: { 'user-agent': agent } });
    }
    expect((await call('GET', '/api/admin/stats/readers', asAdmin())).status).toBe(200);
    expect((await call('GET', '/api/admin/stats/sources?days=7', asAdmin())).status).toBe(200);
    expect((await call('GET', '/api/admin/stats/readers?days=0', asAdmin())).status).toBe(400);
    expect((await call('GET', '/api/admin/stats/sources?days=x', asAdmin())).status).toBe(400);
  });

  const requestPath = (path: string) =>
    path
      .replace('{lang}', 'en')
      .replace('{slug}', 'x')
      .replace(/\{\w+\}/g, '1');

  it('what every admin route refuses alike: no token (401), no ADMIN_TOKEN configured (503)', async () => {
    for (const { method, path } of operations.filter((d) => d.path.startsWith('/api/admin/'))) {
      expect((await call(method, requestPath(path))).status, `${method} ${path}`).toBe(401);
      expect((await call(method, requestPath(path), { app: disabled, ...asAdmin() })).status, `${method} ${path}`).toBe(503);
    }
  });

  it('what every request body may be refused for: not JSON (400), too large (413), another media type (415)', async () => {
    for (const { method, path, operation } of operations.filter((d) => d.operation.requestBody)) {
      const isJson = 'application/json' in operation.requestBody!.content;
      const target = requestPath(path);
      if (isJson) expect((await call(method, target, asAdmin('{"translations": ['))).status, `${method} ${path}`).toBe(400);
      expect((await call(method, target, asAdmin('x'.repeat(1024 * 1024 + 1)))).status, `${method} ${path}`).toBe(413);
      expect((await call(method, target, asAdmin('{}', isJson ? 'text/plain' : 'application/json'))).status, `${method} ${path}`).toBe(415);
    }
  });

  it('gave every answer the document declares, for every operation', () => {
    const declared = operations.flatMap(({ operation }) =>
      Object.keys(operation.responses)
        .filter((status) => status !== 'default')
        .map((status) => `${operation.operationId} ${status}`),
    );
    expect(declared.filter((answer) => !answered.has(answer))).toEqual([]);
  });

  it('answers other methods with the error body of `default`', async () => {
    const response = await t.request('/api/articles', { method: 'DELETE' });
    expect(response.status).toBe(405);
    const errors = validate(
      pointer('paths', '/api/articles', 'get', 'responses', 'default', 'content', 'application/json', 'schema'),
      await response.json(),
    );
    expect(errors).toBe('');
  });
});
