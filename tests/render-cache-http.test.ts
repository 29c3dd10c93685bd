import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvalItems } from '../bench/eval-crosslink.ts';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { openNodeServices } from '../src/runtime/node/node-services.ts';
import { adminToken, startTestApp, type TestApp, translation } from './helpers/test-app.ts';

// Pages, the public API and the feed list are answered from the same render cache as feeds: each is rendered once,
// carries validators, and a write that changes what it shows replaces it at once.

let t: TestApp;
let id: string;
beforeAll(async () => {
  t = await startTestApp({ seed: false });
  const created = await t.admin('POST', '/api/admin/articles', {
    translations: [
      translation(),
      translation({ lang: 'es', slug: 'articulo-de-prueba', title: 'Artículo de prueba', categories: ['Eventos'] }),
    ],
  });
  id = ((await created.json()) as { id: string }).id;
});
afterAll(() => t.close());

const cached = [
  ['/en/', 'text/html; charset=UTF-8'],
  ['/en/category/events/', 'text/html; charset=UTF-8'],
  ['/en/test-article', 'text/html; charset=UTF-8'],
  ['/api/articles?lang=en', 'application/json'],
  ['/api/articles?lang=es&category=eventos&limit=5', 'application/json'],
  ['/api/articles/en/test-article', 'application/json'],
  ['/feeds.opml', 'text/x-opml; charset=utf-8'],
] as const;

const text = async (path: string) => (await t.request(path)).text();

describe('pages and API answers from the render cache', () => {
  it.each(cached)('%s is rendered once, with an ETag, a 304 and the security headers', async (path, type) => {
    await t.services.rendering.invalidate(['en', 'es', 'es/category/eventos', 'en/category/events', 'en/article/test-article', 'site']);
    const first = await t.request(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe(type);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    const second = await t.request(path);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('etag')).toBe(etag);
    expect(await second.text()).toBe(await first.text());
    const notModified = await t.request(path, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(first.headers.get('cache-control')).toMatch(/^public, /);
    // A 304 updates the stored 200's validators and caching fields only (RFC 9110 §15.4.5, RFC 9111 §4.3.4).
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
    expect(notModified.headers.get('vary')).toBe('Accept-Encoding');
    expect(notModified.headers.get('content-type')).toBeNull();
  });

  it('sends gzip to clients that accept it, with its own ETag', async () => {
    const plain = await t.request('/en/test-article');
    const zipped = await t.request('/en/test-article', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(await plain.text());
  });

  it('shows an edit at once on the page, in the API and in the lists, and forgets an old slug', async () => {
    for (const path of ['/en/test-article', '/api/articles/en/test-article', '/en/', '/api/articles?lang=en']) await t.request(path);
    const edited = await t.admin('PUT', `/api/admin/articles/${id}/translations/en`, translation({ title: 'Edited headline' }));
    expect(edited.status).toBe(200);
    for (const path of ['/en/test-article', '/api/articles/en/test-article', '/en/', '/api/articles?lang=en']) {
      expect(await text(path)).toContain('Edited headline');
    }
    await t.admin('PUT', `/api/admin/articles/${id}/translations/en`, translation({ slug: 'moved-article', title: 'Edited headline' }));
    expect((await t.request('/en/test-article')).status).toBe(404);
    expect((await t.request('/api/articles/en/test-article')).status).toBe(404);
    expect(await text('/en/moved-article')).toContain('Edited headline');
    // The Spanish page links its English sibling by its new slug.
    expect(await text('/es/articulo-de-prueba')).toContain('/en/moved-article');
  });

  it('lists a new category in the feed list and drops a category nobody uses any more', async () => {
    expect(await text('/feeds.opml')).not.toContain('/en/category/markets/');
    await t.admin('PUT', `/api/admin/articles/${id}/translations/en`, translation({ slug: 'moved-article', categories: ['Markets'] }));
    const opml = await text('/feeds.opml');
    expect(opml).toContain('/en/category/markets/');
    expect(opml).not.toContain('/en/category/events/');
    expect((await t.request('/en/category/events/')).status).toBe(404);
  });

  it('answers 404 once a translation is unpublished', async () => {
    expect((await t.request('/es/articulo-de-prueba')).status).toBe(200);
    await t.admin(
      'PUT',
      `/api/admin/articles/${id}/translations/es`,
      translation({ lang: 'es', slug: 'articulo-de-prueba', status: 'draft' }),
    );
    expect((await t.request('/es/articulo-de-prueba')).status).toBe(404);
    expect((await t.request('/api/articles/es/articulo-de-prueba')).status).toBe(404);
    expect(await text('/en/moved-article')).not.toContain('/es/articulo-de-prueba');
  });
});

describe('related coverage in cached answers', () => {
  it('appears when an item is stored and goes when an editor blocks it, on the page, in the API and in the coverage answer', async () => {
    const seeded = await startTestApp();
    try {
      const page = '/en/binance-agrees-to-pay-4-3-billion-in-us-settlement';
      const api = '/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement';
      const article = (await (await seeded.request(api)).json()) as { id: string; publishedAt: string };
      const title = 'Binance to pay $4.3 billion as Changpeng Zhao pleads guilty and steps down';
      expect(await (await seeded.request(page)).text()).not.toContain(title);
      const ids = await ingestEvalItems(seeded.services, [
        {
          id: 'cached-binance',
          source: 'Ledger Wire',
          lang: 'en',
          url: 'https://ledgerwire.example/binance-settlement',
          title,
          summary: 'Binance settles Justice Department, Treasury and CFTC investigations; Richard Teng becomes chief executive.',
          content: '<p>Changpeng Zhao pleaded guilty in a Seattle federal court over an anti-money-laundering program.</p>',
          publishedAt: new Date(Date.parse(article.publishedAt) + 3 * 3_600_000).toISOString(),
        },
      ]);
      const itemId = ids.get('cached-binance')!;
      const coverage = `/api/coverage/${itemId}`;
      expect(await (await seeded.request(page)).text()).toContain(title);
      expect(await (await seeded.request(api)).text()).toContain(title);
      expect(await (await seeded.request(coverage)).text()).toContain(article.id);

      expect((await seeded.admin('PUT', `/api/admin/articles/${article.id}/links/${itemId}`, { state: 'blocked' })).status).toBe(200);
      expect(await (await seeded.request(page)).text()).not.toContain(title);
      expect(await (await seeded.request(api)).text()).not.toContain(title);
      expect(await (await seeded.request(coverage)).text()).not.toContain(article.id);
    } finally {
      await seeded.close();
    }
  });
});

describe('the Node server’s shortcut for repeated requests', () => {
  it('answers a target the app answered from the cache without the app, until a write invalidates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyglot-shortcut-'));
    const config = parseConfig({
      DB_PATH: join(dir, 'news.db'),
      ADMIN_TOKEN: adminToken,
      INGEST_SCHEDULE: 'off',
      INGEST_DEFAULT_SOURCES: 'off',
    });
    const { services, shortcut, close } = await openNodeServices(config);
    const app = getRequestListener(createApp(services).fetch);
    let reachedApp = 0;
    const server = createServer((request, response) => {
      if (shortcut.answer(request, response)) return;
      reachedApp += 1;
      app(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (slug: string) =>
      fetch(`${base}/api/admin/articles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ translations: [translation({ slug })] }),
      });
    try {
      expect((await post('test-article')).status).toBe(201);
      for (let i = 0; i < 3; i++) expect((await fetch(`${base}/en/test-article`)).status).toBe(200);
      expect(reachedApp).toBe(2);
      // POST is never answered early; nor is a target after its document was invalidated.
      expect((await post('second')).status).toBe(201);
      expect(reachedApp).toBe(3);
      await services.rendering.invalidate(['en/article/test-article']);
      expect((await fetch(`${base}/en/test-article`)).status).toBe(200);
      expect(reachedApp).toBe(4);
      await fetch(`${base}/en/test-article`);
      expect(reachedApp).toBe(4);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
