import { applyD1Migrations, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReadersReport } from '../../src/reader-stats/report.ts';
import worker from '../../src/worker.ts';

const token = 'workers-test-token-0123456789';
const bindings = env as unknown as {
  DB: Parameters<typeof applyD1Migrations>[0] & { prepare(sql: string): { first<T>(): Promise<T | null> } };
  TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
};

/** One invocation of the Workers entry, with its own execution context (what it leaves running after the answer). */
async function invoke(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://news.example.org${path}`, init), env as never, ctx);
  return { response, after: () => waitOnExecutionContext(ctx) };
}

const stored = () =>
  bindings.DB.prepare(
    "SELECT sum(requests) AS requests, sum(not_modified) AS notModified, sum(pollers) AS pollers FROM reader_stats_daily WHERE name = '/en/atom.xml'",
  ).first<{ requests: number | null; notModified: number | null; pollers: number | null }>();

beforeAll(async () => {
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
});

describe('reader statistics inside workerd', () => {
  it('counts in the isolate and writes after the answer (waitUntil): at once when quiet, then at most every 10 s', {
    timeout: 30_000,
  }, async () => {
    const created = await invoke('/api/admin/articles', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        translations: [
          {
            lang: 'en',
            slug: 'counted',
            title: 'Counted at the edge',
            content: '<p>Body.</p>',
            status: 'published',
            publishedAt: '2030-01-01T00:00:00Z',
          },
        ],
      }),
    });
    expect(created.response.status).toBe(201);
    await created.after();

    const as = (userAgent: string, address: string, headers: Record<string, string> = {}) =>
      invoke('/en/atom.xml', { headers: { 'user-agent': userAgent, 'cf-connecting-ip': address, ...headers } });
    // The first count in a quiet isolate is written as soon as the answer is sent.
    const first = await as('Feedly/1.0 (+http://www.feedly.com/fetcher.html; 120 subscribers; )', '192.0.2.10');
    expect(first.response.status).toBe(200);
    const etag = first.response.headers.get('etag')!;
    const size = (await first.response.arrayBuffer()).byteLength;
    await first.after();
    expect(await stored()).toEqual({ requests: 1, notModified: 0, pollers: 0 });

    // The next ones wait for one write, within 10 s of the last.
    const later = [
      await as('Feedly/1.0 (+http://www.feedly.com/fetcher.html; 95 subscribers; )', '192.0.2.11', { 'if-none-match': etag }),
      await as('Mozilla/5.0 (compatible; inoreader.com; 45 subscribers)', '192.0.2.20'),
      await as('Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)', '198.51.100.7'),
      await as('Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)', '198.51.100.7', { 'if-none-match': etag }),
      await as('Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)', '198.51.100.8'),
      await as('FreshRSS/1.29.1 (Linux; https://freshrss.org)', '203.0.113.9'),
    ];
    expect(later.map(({ response }) => response.status)).toEqual([304, 200, 200, 304, 200, 200]);
    await Promise.all(later.map(({ after }) => after()));
    expect(await stored()).toEqual({ requests: 7, notModified: 2, pollers: 3 });

    const report = await invoke('/api/admin/stats/readers?days=1', { headers: { authorization: `Bearer ${token}` } });
    const atom = ((await report.response.json()) as ReadersReport).feeds.find((feed) => feed.feed === '/en/atom.xml')!;
    // Workers compress answers themselves: every answer here is identity-coded.
    expect(atom).toMatchObject({
      requests: 7,
      notModified: 2,
      gzip: 0,
      bytesSent: 5 * size,
      bytesSavedByNotModified: 2 * size,
      bytesSavedByGzip: 0,
      subscribers: { total: 165, byAggregator: { Feedly: 120, Inoreader: 45 } },
    });
    await report.after();
  });
});
