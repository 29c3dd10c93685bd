import { beforeAll, describe, expect, it } from 'vitest';

/** How the shared suite talks to a running app: Node's app.request or workerd's SELF.fetch. */
export interface Driver {
  request(path: string, init?: RequestInit): Promise<Response>;
  adminToken: string;
  /** Publishes an RSS document at a URL the app may poll, and returns that URL. */
  publish(name: string, rss: string): Promise<string>;
}

/**
 * HTTP behaviour written once and run against both runtimes (tests/http-behaviour.test.ts on Node,
 * tests/workers/http-behaviour.test.ts in workerd). It creates its own data through the admin API.
 */
export function httpBehaviour(name: string, connect: () => Promise<Driver>) {
  describe(`HTTP behaviour (${name})`, () => {
    let driver: Driver;
    const admin = (method: string, path: string, body?: unknown) =>
      driver.request(path, {
        method,
        headers: { authorization: `Bearer ${driver.adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const code = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

    beforeAll(async () => {
      driver = await connect();
      const created = await admin('POST', '/api/admin/articles', {
        translations: [
          {
            lang: 'en',
            slug: 'shared-behaviour',
            title: 'Shared behaviour',
            content: '<p>Same on both runtimes.</p>',
            tags: ['Parity'],
            status: 'published',
            publishedAt: '2031-03-01T10:00:00Z',
          },
          {
            lang: 'es',
            slug: 'comportamiento-comun',
            title: 'Comportamiento común',
            content: '<p>Igual.</p>',
            status: 'published',
            publishedAt: '2031-03-01T11:00:00Z',
          },
        ],
      });
      expect(created.status).toBe(201);
    });

    it('serves each format with its media type, a strong ETag, Last-Modified and the cache policy', async () => {
      for (const [path, type] of [
        ['/en/feed.xml', 'application/rss+xml; charset=utf-8'],
        ['/en/atom.xml', 'application/atom+xml; charset=utf-8'],
        ['/en/feed.json', 'application/feed+json; charset=utf-8'],
        ['/en/tag/parity/atom.xml', 'application/atom+xml; charset=utf-8'],
      ]) {
        const response = await driver.request(path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('content-type')).toBe(type);
        expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
        expect(response.headers.get('last-modified')).toMatch(/ GMT$/);
        expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
        expect(await response.text()).toMatch(/Shared behaviour/);
      }
    });

    it('answers conditional requests: If-None-Match first, then If-Modified-Since; HEAD without a body', async () => {
      const first = await driver.request('/en/atom.xml');
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      const notModified = await driver.request('/en/atom.xml', { headers: { 'if-none-match': etag } });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      expect((await driver.request('/en/atom.xml', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
      expect(
        (await driver.request('/en/atom.xml', { headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } })).status,
      ).toBe(200);
      const head = await driver.request('/en/atom.xml', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    });

    it('re-renders a feed after a write to it, and only then', async () => {
      const before = (await driver.request('/es/feed.json')).headers.get('etag');
      expect((await driver.request('/es/feed.json')).headers.get('etag')).toBe(before);
      const article = (await (await driver.request('/api/articles/es/comportamiento-comun')).json()) as { id: string };
      const edited = await admin('PUT', `/api/admin/articles/${article.id}/translations/es`, {
        slug: 'comportamiento-comun',
        title: 'Comportamiento común, editado',
        content: '<p>Igual.</p>',
        status: 'published',
        publishedAt: '2031-03-01T11:00:00Z',
      });
      expect(edited.status).toBe(200);
      const after = await driver.request('/es/feed.json');
      expect(after.headers.get('etag')).not.toBe(before);
      expect(await after.text()).toContain('Comportamiento común, editado');
    });

    it('advertises the WebSub hub on every subscription feed, in Link headers and in the document', async () => {
      for (const [path, marker] of [
        ['/en/atom.xml', '<link rel="hub" href="https://news.example.org/websub"/>'],
        ['/en/feed.xml', '<atom:link href="https://news.example.org/websub" rel="hub"/>'],
        ['/en/feed.json', '"hubs":[{"type":"WebSub","url":"https://news.example.org/websub"}]'],
        ['/en/tag/parity/atom.xml', '<link rel="hub" href="https://news.example.org/websub"/>'],
      ]) {
        const response = await driver.request(path);
        expect(response.headers.get('link'), path).toBe(
          `<https://news.example.org/websub>; rel="hub", <https://news.example.org${path}>; rel="self"`,
        );
        expect(await response.text(), path).toContain(marker);
      }
      // Archives are not subscribed to: no hub there.
      expect((await driver.request('/en/archive/2031/03/atom.xml')).headers.get('link')).toBeNull();
    });

    it('links the subscription feed to its newest monthly archive (RFC 5005), an archive that says so', async () => {
      const feed = await (await driver.request('/en/atom.xml')).text();
      expect(feed).toContain(
        '<link rel="prev-archive" type="application/atom+xml" href="https://news.example.org/en/archive/2031/03/atom.xml"/>',
      );
      const archive = await driver.request('/en/archive/2031/03/atom.xml');
      expect(archive.status).toBe(200);
      const text = await archive.text();
      expect(text).toContain('<fh:archive/>');
      expect(text).toContain('Shared behaviour');
      expect((await driver.request('/en/archive/2031/02/atom.xml')).status).toBe(404);
    });

    it('pages a tag feed (RFC 5005 §3) and keeps its last page right as translations are tagged and deleted', async () => {
      const lastOf = async () => {
        const text = await (await driver.request('/en/tag/paging/atom.xml?limit=2')).text();
        return /<link rel="last"[^>]*href="([^"]+)"/.exec(text)?.[1]?.replace(/&amp;/g, '&');
      };
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const created = await admin('POST', '/api/admin/articles', {
          translations: [
            { lang: 'en', slug: `paging-${n}`, title: `Paging ${n}`, content: '<p>P.</p>', tags: ['Paging'], status: 'published' },
          ],
        });
        expect(created.status).toBe(201);
        ids.push(((await created.json()) as { id: string }).id);
      }
      expect(await lastOf()).toBe('https://news.example.org/en/tag/paging/atom.xml?limit=2&page=2');
      expect((await admin('DELETE', `/api/admin/articles/${ids[0]}`)).status).toBe(204);
      expect(await lastOf()).toBe('https://news.example.org/en/tag/paging/atom.xml?limit=2');
    });

    it('serves the JSON API with sibling translations', async () => {
      const response = await driver.request('/api/articles/en/shared-behaviour');
      const body = (await response.json()) as { translations: { lang: string; slug: string }[]; related: unknown[] };
      expect(body.translations).toMatchObject([{ lang: 'es', slug: 'comportamiento-comun' }]);
      expect(body.related).toEqual([]);
    });

    it('links ingested coverage to the article, in the API and the Atom feed', async () => {
      const article = await admin('POST', '/api/admin/articles', {
        translations: [
          {
            lang: 'en',
            slug: 'uniswap-airdrop-parity',
            title: 'Uniswap airdrops its UNI governance token',
            summary: 'Early Uniswap users receive UNI in an airdrop.',
            content: '<p>Uniswap airdropped the UNI governance token to early users of the exchange.</p>',
            status: 'published',
            publishedAt: '2026-05-10T12:00:00Z',
          },
        ],
      });
      expect(article.status).toBe(201);
      const url = await driver.publish(
        'coverage.xml',
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title><link>https://outlet.example.com/</link><description>d</description>` +
          `<item><title>Uniswap airdrop hands UNI tokens to early users</title><link>https://outlet.example.com/uniswap-airdrop</link>` +
          `<guid>u-1</guid><pubDate>Sun, 10 May 2026 15:00:00 GMT</pubDate><description>The Uniswap airdrop gives UNI governance tokens to early users.</description></item>` +
          `</channel></rss>`,
      );
      expect((await admin('POST', '/api/admin/sources', { url, title: 'Outlet' })).status).toBe(201);
      const ingest = await admin('POST', '/api/admin/ingest');
      expect(((await ingest.json()) as { reports: { outcome: string }[] }).reports.map((r) => r.outcome)).toEqual(['updated']);
      const related = (
        (await (await driver.request('/api/articles/en/uniswap-airdrop-parity')).json()) as { related: { url: string; reason: string }[] }
      ).related;
      expect(related.map((item) => item.url)).toEqual(['https://outlet.example.com/uniswap-airdrop']);
      expect(related[0].reason).toMatch(/Uniswap/);
      expect(await (await driver.request('/en/atom.xml')).text()).toContain(
        '<link rel="related" type="text/html" href="https://outlet.example.com/uniswap-airdrop"',
      );
    });

    it('describes its API: the OpenAPI 3.1 document, and a page made from it under a strict CSP', async () => {
      const described = await driver.request('/api/openapi.json');
      expect(described.status).toBe(200);
      const document = (await described.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths)).toContain('/api/articles/{lang}/{slug}');
      const page = await driver.request('/api/docs');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
      expect(await page.text()).toContain('<code>/api/articles/{lang}/{slug}</code>');
    });

    it('answers bad input and unknown things with JSON errors and stable codes', async () => {
      expect(await code(await admin('POST', '/api/admin/articles', { translations: [] }))).toBe('validation_failed');
      const unauthorized = await driver.request('/api/admin/articles', { method: 'POST' });
      expect(unauthorized.status).toBe(401);
      expect(await code(unauthorized)).toBe('unauthorized');
      const notJson = await driver.request('/api/admin/articles', {
        method: 'POST',
        headers: { authorization: `Bearer ${driver.adminToken}`, 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(notJson.status).toBe(415);
      const taken = await admin('POST', '/api/admin/articles', {
        translations: [{ lang: 'en', slug: 'shared-behaviour', title: 'Again', content: '<p>x</p>', status: 'published' }],
      });
      expect(taken.status).toBe(409);
      expect(await code(taken)).toBe('slug_taken');
      expect((await driver.request('/fr/feed.xml')).status).toBe(404);
      expect(await code(await driver.request('/en/tag/nothing-here/feed.json'))).toBe('not_found');
      expect(await code(await driver.request('/en/feed.xml?limit=zero'))).toBe('invalid_limit');
    });
  });
}
