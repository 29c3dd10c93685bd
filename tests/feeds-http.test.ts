import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const feeds = [
  ['/en/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/en/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/en/feed.json', 'application/feed+json; charset=utf-8'],
  ['/es/category/seguridad/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/en/tag/north-korea/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/es/tag/corea-del-norte/feed.json', 'application/feed+json; charset=utf-8'],
] as const;

describe('feed HTTP semantics', () => {
  it.each(feeds)('%s has its media type, validators and cache policy', async (path, type) => {
    const response = await t.request(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    // Within FEED_TTL_SECONDS (300) and FEED_MAX_TTL_SECONDS (a day), as the feed's cadence says.
    const maxAge = Number(/^public, max-age=(\d+), stale-while-revalidate=(\d+)$/.exec(response.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(300);
    expect(maxAge).toBeLessThanOrEqual(86400);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    const lastModified = response.headers.get('last-modified')!;
    expect(lastModified).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(500);
  });

  it('sets Last-Modified from the newest item, and Cache-Control, <ttl> and sy:update* from the cadence within the bounds', async () => {
    const other = await startTestApp({ seed: false, env: { FEED_TTL_SECONDS: '90', FEED_MAX_TTL_SECONDS: '7200' } });
    try {
      await other.admin('POST', '/api/admin/articles', {
        translations: [translation({ slug: 'a', publishedAt: '2030-01-01T10:00:00Z', updatedAt: '2030-01-02T11:30:00Z' })],
      });
      await other.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'b', publishedAt: '2029-01-01T10:00:00Z' })] });
      const response = await other.request('/en/feed.xml');
      expect(response.headers.get('last-modified')).toBe('Wed, 02 Jan 2030 11:30:00 GMT');
      // Two entries a year apart: the feed asks for the longest interval allowed.
      expect(response.headers.get('cache-control')).toBe('public, max-age=7200, stale-while-revalidate=7200');
      const rss = await response.text();
      expect(rss).toContain('<ttl>120</ttl>');
      expect(rss).toContain('<sy:updatePeriod>daily</sy:updatePeriod>');
      expect(rss).toContain('<sy:updateFrequency>12</sy:updateFrequency>');
      // A busy tag (entries minutes apart) asks for the shortest; the site feed too once most of its gaps are short.
      for (const minute of [1, 2, 3, 4]) {
        await other.admin('POST', '/api/admin/articles', {
          translations: [translation({ slug: `busy-${minute}`, tags: ['Busy'], publishedAt: `2030-01-03T10:0${minute}:00Z` })],
        });
      }
      const busy = await other.request('/en/tag/busy/feed.xml');
      expect(busy.headers.get('cache-control')).toBe('public, max-age=90, stale-while-revalidate=90');
      expect(await busy.text()).toContain('<ttl>2</ttl>');
    } finally {
      other.close();
    }
  });

  it('derives the ETag from the bytes: same bytes, same tag; each variant its own', async () => {
    const first = await t.request('/en/feed.xml');
    const second = await t.request('/en/feed.xml');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await second.text()).toBe(await first.text());
    const tags = new Set<string>();
    for (const path of ['/en/feed.xml', '/en/atom.xml', '/en/feed.json', '/es/feed.xml', '/en/feed.xml?limit=5']) {
      tags.add((await t.request(path)).headers.get('etag')!);
    }
    expect(tags.size).toBe(5);
  });

  it('answers 304 with no body and the same validators for a matching If-None-Match', async () => {
    const first = await t.request('/en/atom.xml');
    const etag = first.headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await t.request('/en/atom.xml', { headers: { 'if-none-match': ifNoneMatch } });
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
      expect(response.headers.get('last-modified')).toBe(first.headers.get('last-modified'));
      expect(response.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
    }
    expect((await t.request('/en/atom.xml', { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
  });

  it('lets If-None-Match take precedence over If-Modified-Since (RFC 9110 §13.2.2)', async () => {
    const first = await t.request('/en/feed.json');
    const lastModified = first.headers.get('last-modified')!;
    const later = new Date(Date.parse(lastModified) + 86400_000).toUTCString();
    expect((await t.request('/en/feed.json', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    expect((await t.request('/en/feed.json', { headers: { 'if-modified-since': later } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await t.request('/en/feed.json', { headers: { 'if-modified-since': earlier } })).status).toBe(200);
    expect((await t.request('/en/feed.json', { headers: { 'if-modified-since': 'not a date' } })).status).toBe(200);
    const mismatch = await t.request('/en/feed.json', { headers: { 'if-none-match': '"stale"', 'if-modified-since': later } });
    expect(mismatch.status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const get = await t.request('/es/feed.xml');
    const head = await t.request('/es/feed.xml', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
  });

  it('sends gzip to clients that accept it, with its own strong ETag that also validates', async () => {
    const plain = await t.request('/en/feed.xml');
    const gzipped = await t.request('/en/feed.xml', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const zipped = new Uint8Array(await gzipped.arrayBuffer());
    expect(zipped[0]).toBe(0x1f);
    expect(zipped[1]).toBe(0x8b);
    const unzipped = await new Response(new Blob([zipped]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
    expect(unzipped).toBe(await plain.text());
    expect(zipped.byteLength).toBeLessThan(unzipped.length / 2);
    const gzipEtag = gzipped.headers.get('etag')!;
    expect(gzipEtag).not.toBe(plain.headers.get('etag'));
    const revalidated = await t.request('/en/feed.xml', { headers: { 'accept-encoding': 'gzip', 'if-none-match': gzipEtag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(gzipEtag);
  });

  it('honours ?limit= (default 20, at most 100) and rejects nonsense', async () => {
    const count = async (query: string) => ((await (await t.request(`/en/feed.json${query}`)).json()) as { items: unknown[] }).items.length;
    const total = ((await t.request('/api/articles?lang=en&limit=100').then((r) => r.json())) as { items: unknown[] }).items.length;
    expect(total).toBeGreaterThan(5);
    expect(await count('?limit=3')).toBe(3);
    expect(await count('')).toBe(Math.min(20, total));
    expect(await count('?limit=1000')).toBe(Math.min(100, total));
    for (const bad of ['0', '-1', 'abc', '2.5']) {
      const response = await t.request(`/en/feed.json?limit=${bad}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_limit');
    }
  });

  it('answers 404 with a JSON error for an unknown language, category or tag', async () => {
    for (const path of [
      '/fr/feed.xml',
      '/en/category/no-such-thing/atom.xml',
      '/es/tag/nada/feed.json',
      '/en/category/seguridad/feed.xml',
    ]) {
      const response = await t.request(path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('lists every feed in /feeds.opml', async () => {
    const response = await t.request('/feeds.opml');
    expect(response.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const opml = await response.text();
    for (const url of [
      '/en/feed.xml',
      '/en/atom.xml',
      '/en/feed.json',
      '/es/feed.xml',
      '/es/category/seguridad/atom.xml',
      '/en/tag/north-korea/feed.json',
    ]) {
      expect(opml).toContain(`xmlUrl="https://news.example.org${url}"`);
    }
    const feedCount = (opml.match(/xmlUrl=/g) ?? []).length;
    const urls = [...opml.matchAll(/xmlUrl="https:\/\/news\.example\.org([^"]+)"/g)].map((m) => m[1]);
    for (const url of urls.slice(0, 12)) expect((await t.request(url)).status, url).toBe(200);
    expect(feedCount).toBeGreaterThan(30);
  });
});

describe('feed render cache', () => {
  async function state(app: TestApp, path: string) {
    const response = await app.request(path);
    return { etag: response.headers.get('etag'), cache: response.headers.get('x-cache'), body: await response.text() };
  }

  it('serves repeat requests from the cache and re-renders exactly the variants a write touches', async () => {
    const app = await startTestApp({ seed: false });
    try {
      const created = await app.admin('POST', '/api/admin/articles', {
        translations: [
          translation({ slug: 'one', categories: ['Bitcoin'], tags: ['Mining'] }),
          translation({ lang: 'es', slug: 'uno', categories: ['Bitcoin'], tags: ['Minería'] }),
        ],
      });
      const { id } = (await created.json()) as { id: string };
      await app.admin('POST', '/api/admin/articles', {
        translations: [translation({ slug: 'two', categories: ['Ethereum'], tags: ['Merge'] })],
      });
      const paths = [
        '/en/feed.xml',
        '/en/category/bitcoin/atom.xml',
        '/en/category/ethereum/feed.json',
        '/en/tag/merge/feed.xml',
        '/es/feed.xml',
        '/es/tag/mineria/atom.xml',
      ];
      const before = new Map<string, Awaited<ReturnType<typeof state>>>();
      for (const path of paths) before.set(path, await state(app, path));
      for (const path of paths) expect((await state(app, path)).cache, path).toBe('HIT');

      // An edit of the English translation: English feeds carrying it change; Ethereum, Merge and Spanish ones stay cached.
      await app.admin(
        'PUT',
        `/api/admin/articles/${id}/translations/en`,
        translation({ slug: 'one', title: 'Edited', categories: ['Bitcoin'], tags: ['Mining'] }),
      );
      const after = new Map<string, Awaited<ReturnType<typeof state>>>();
      for (const path of paths) after.set(path, await state(app, path));
      expect(after.get('/en/feed.xml')).toMatchObject({ cache: 'MISS' });
      expect(after.get('/en/feed.xml')!.body).toContain('Edited');
      expect(after.get('/en/feed.xml')!.etag).not.toBe(before.get('/en/feed.xml')!.etag);
      expect(after.get('/en/category/bitcoin/atom.xml')!.cache).toBe('MISS');
      for (const path of ['/en/category/ethereum/feed.json', '/en/tag/merge/feed.xml', '/es/feed.xml', '/es/tag/mineria/atom.xml']) {
        expect(after.get(path), path).toEqual({ ...before.get(path), cache: 'HIT' });
      }

      // Unpublishing the Spanish translation changes the Spanish feeds and the English entry's alternates.
      await app.admin(
        'PUT',
        `/api/admin/articles/${id}/translations/es`,
        translation({ lang: 'es', slug: 'uno', status: 'draft', categories: ['Bitcoin'] }),
      );
      const spanish = await state(app, '/es/feed.xml');
      expect(spanish.cache).toBe('MISS');
      expect(spanish.body).not.toContain('/es/uno');
      const english = await state(app, '/en/atom.xml');
      expect(english.body).not.toContain('hreflang="es"');
      expect((await state(app, '/en/tag/merge/feed.xml')).cache).toBe('HIT');

      // Deleting the article removes it everywhere at once.
      await app.admin('DELETE', `/api/admin/articles/${id}`);
      expect((await state(app, '/en/feed.xml')).body).not.toContain('/en/one');
      expect((await app.request('/en/category/bitcoin/atom.xml')).status).toBe(404);
    } finally {
      app.close();
    }
  });

  it('never keeps a feed rendered from data older than a write that finished meanwhile', async () => {
    const app = await startTestApp({ seed: false });
    try {
      await app.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'first' })] });
      // Start a render, and complete a write before the render finishes (the render awaits hashing).
      const rendering = app.request('/en/feed.xml');
      const write = app.admin('POST', '/api/admin/articles', {
        translations: [translation({ slug: 'second', publishedAt: '2031-01-01T00:00:00Z' })],
      });
      await Promise.all([rendering, write]);
      expect(await (await app.request('/en/feed.xml')).text()).toContain('/en/second');
    } finally {
      app.close();
    }
  });
});
