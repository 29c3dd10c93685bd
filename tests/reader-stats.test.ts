import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFeedDocument } from '../src/ingest/poller.ts';
import { aggregatorOf } from '../src/reader-stats/aggregators.ts';
import type { FeedReport, ReadersReport, SourcesReport } from '../src/reader-stats/report.ts';
import { describeFeed } from '../src/reader-stats/report.ts';
import { rss } from './helpers/publisher.ts';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';

// Reader statistics: feed answers counted as they are sent (by the app and by the Node server's shortcut alike), written
// in batches, and reported per feed and day through the admin API.

describe('aggregatorOf: hosted aggregators and the subscribers they announce in their User-Agent', () => {
  const aggregators: [string, string, number | undefined][] = [
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )', 'Feedly', 462],
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 870 subscribers; like FeedFetcher-Google)', 'Feedly', 870],
    ['Mozilla/5.0 (compatible; Feedly/1.0; +http://www.feedly.com/fetcher.html; 1 subscribers)', 'Feedly', 1],
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)', 'Feedly', undefined],
    ['Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)', 'Inoreader', 114],
    ['Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )', 'Inoreader', 3],
    [
      'NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/rendezvous-with-cassidoo ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.1 Safari/605.1.15")',
      'NewsBlur',
      27,
    ],
    ['NewsBlur Feed Fetcher - 1,234 subscribers - https://newsblur.com', 'NewsBlur', 1234],
    ['NewsBlur Feed Fetcher - -1 subscribers', 'NewsBlur', undefined],
    ['Feedbin feed-id:1697787 - 102 subscribers', 'Feedbin', 102],
    ['Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c3a837650eeefd8fe4a)', 'The Old Reader', 1],
    ['Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 1 subscribers)', 'BazQux', 1],
    ['Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)', 'Feedspot', undefined],
    [
      'Digg Feed Fetcher 1.0 (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_1) AppleWebKit/534.48.3 (KHTML, like Gecko) Version/5.1 Safari/534.48.3)',
      'Digg Reader',
      undefined,
    ],
    ['Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 4 subscribers; feed-id=9048986372668769311)', 'Google Feedfetcher', 4],
    ['Netvibes (http://www.netvibes.com/; 5 subscribers; feedId: 5404723)', 'Netvibes', 5],
    ['Netvibes (http://www.netvibes.com/; 0 subscribers; feedID: 19374716)', 'Netvibes', 0],
    ['WordPress.com; https://serdargunes.wordpress.com', 'WordPress.com', undefined],
    ['Bloglines/3.1 (http://www.bloglines.com; 154 subscribers)', 'Bloglines', 154],
    ['NewsGatorOnline/2.0 (http://www.newsgator.com; 39 subscribers)', 'NewsGator', 39],
    ['Overcast/1.0 Podcast Sync (1190 subscribers; feed-id=554901; +http://overcast.fm/)', 'Overcast', 1190],
    ['Dreamwidth Studios (webmaster@dreamwidth.org; for https://www.dreamwidth.org/users/vikingschoice_feed/; 2 readers)', 'Dreamwidth', 2],
    ['YahooFeedSeeker/2.0 (compatible; Mozilla 4.0; MSIE 5.5; http://my.yahoo.com/s/publishers.html; users 2; views 169)', 'Yahoo', 2],
    ['PlainFeeder v0.0.1 (+http://plainfeeder.com/about ; Subscriber Count: 12)', 'PlainFeeder', 12],
    // FeedHQ's own template ("FeedHQ/%s (https://github.com/feedhq/feedhq; %s; …)") with a count, as its hosted service sent.
    ['FeedHQ/1.3 (https://github.com/feedhq/feedhq; 3 subscribers; https://github.com/feedhq/feedhq/wiki/User-Agent)', 'FeedHQ', 3],
    // A hosted Tiny Tiny RSS that announces its users; a self-hosted one (below) does not.
    ['Tiny Tiny RSS/23.04-0578bf80 (https://tt-rss.org/; 2 subscribers)', 'Tiny Tiny RSS', 2],
    // Services missing from the table count by the usual announcement, named by their product token.
    ['Newshutch/1.0 (http://newshutch.com; 12 subscribers)', 'Newshutch', 12],
    ['Mozilla/5.0 (compatible; SomeReader/3.1; +https://somereader.example; 7 subscribers)', 'SomeReader', 7],
    [
      'Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.2.1; Rojo 1.0; http://www.rojo.com/corporate/help/agg/; Aggregating on behalf of 15 subscriber(s) online at http://www.rojo.com/?feed-id=1)',
      'Mozilla',
      15,
    ],
  ];
  it.each(aggregators)('%s', (userAgent, name, subscribers) => {
    expect(aggregatorOf(userAgent)).toEqual({ name, subscribers });
  });

  const others = [
    'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)',
    'FreshRSS/1.29.1 (Linux; https://freshrss.org)',
    'Tiny Tiny RSS/21.05-326850845 (http://tt-rss.org/)',
    'Tiny Tiny RSS/24.09-abc1234 (https://github.com/tt-rss/tt-rss)',
    'NetNewsWire (RSS Reader; https://netnewswire.com/)',
    'newsboat/2.21.0 (Linux x86_64)',
    'rss2email/3.13.1 (https://github.com/rss2email/rss2email)',
    'feedparser/6.0.10 +https://github.com/kurtmckee/feedparser/',
    'CommaFeed/4.4.1 (https://github.com/Athou/commafeed)',
    'Liferea/1.15.4 (Linux; en_US.UTF-8; https://lzone.de/liferea/)',
    'FeedHQ/1.3 (https://github.com/feedhq/feedhq; feed checker; https://github.com/feedhq/feedhq/wiki/User-Agent)',
    'curl/7.88.1',
    'python-requests/2.31.0',
    'PolyglotFeeds/0.1 (+https://news.example.org)',
    'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.0',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    '',
  ];
  it.each(others)('%s is not a hosted aggregator', (userAgent) => {
    expect(aggregatorOf(userAgent)).toBeUndefined();
  });
});

describe('describeFeed', () => {
  it.each([
    ['/en/feed.xml', { language: 'en', scope: 'site', format: 'rss' }],
    ['/es/atom.xml', { language: 'es', scope: 'site', format: 'atom' }],
    ['/en/category/events/feed.json', { language: 'en', scope: 'category', term: 'events', format: 'json' }],
    ['/es/tag/north-korea/atom.xml', { language: 'es', scope: 'tag', term: 'north-korea', format: 'atom' }],
    ['/en/archive/2024/03/feed.xml', { language: 'en', scope: 'archive', month: '2024-03', format: 'rss' }],
  ])('%s', (path, expected) => {
    expect(describeFeed(path)).toEqual({ feed: path, ...expected });
  });
  it('is undefined for what is no feed path', () => {
    expect(describeFeed('/en/')).toBeUndefined();
    expect(describeFeed('/en/category/events/')).toBeUndefined();
  });
});

const feedly = (count: number, id: string) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${count} subscribers; feed-id=${id})`;
const inoreader = (count: number) => `Mozilla/5.0 (compatible; inoreader.com; ${count} subscribers)`;
const miniflux = 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)';
const netNewsWire = 'NetNewsWire (RSS Reader; https://netnewswire.com/)';

const day = 86_400_000;
const start = Date.UTC(2031, 2, 10, 9, 30);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('reader statistics through the app', () => {
  let t: TestApp;
  let clock = start;
  beforeAll(async () => {
    t = await startTestApp({ parts: { now: () => clock } });
  });
  afterAll(() => t.close());

  const get = (path: string, userAgent: string, address: string, headers: Record<string, string> = {}) =>
    t.request(path, { headers: { 'user-agent': userAgent, 'cf-connecting-ip': address, ...headers } });
  const readers = async (days = 7) => {
    const response = await t.admin('GET', `/api/admin/stats/readers?days=${days}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ReadersReport;
  };
  const feed = (report: ReadersReport, path: string) => report.feeds.find((f) => f.feed === path) as FeedReport;
  const bytes = async (response: Response) => (await response.arrayBuffer()).byteLength;

  it('counts requests, 304s, gzip, bytes sent and saved, subscribers (largest per aggregator) and distinct pollers', async () => {
    const path = '/en/atom.xml';
    const first = await get(path, feedly(120, 'a'), '192.0.2.10');
    expect(first.status).toBe(200);
    const identity = await bytes(first);
    const etag = first.headers.get('etag')!;
    expect((await get(path, feedly(80, 'b'), '192.0.2.11', { 'if-none-match': etag })).status).toBe(304);
    const zipped = await get(path, inoreader(45), '192.0.2.20', { 'accept-encoding': 'gzip' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const gzip = await bytes(zipped);
    const gzipEtag = zipped.headers.get('etag')!;
    expect((await get(path, inoreader(40), '192.0.2.20', { 'accept-encoding': 'gzip', 'if-none-match': gzipEtag })).status).toBe(304);
    expect((await get(path, miniflux, '198.51.100.7')).status).toBe(200);
    // Counts add up across flushes; the same poller seen again after a flush is still one.
    await t.services.readerStats.flush();
    expect((await get(path, miniflux, '198.51.100.7', { 'if-none-match': etag })).status).toBe(304);
    expect((await get(path, miniflux, '198.51.100.8')).status).toBe(200);
    expect((await get(path, netNewsWire, '198.51.100.7')).status).toBe(200);
    // Not counted: HEAD, pages, the API, a feed that does not exist.
    expect((await t.request(path, { method: 'HEAD' })).status).toBe(200);
    expect((await get('/en/', miniflux, '198.51.100.9')).status).toBe(200);
    expect((await get('/api/articles?lang=en', miniflux, '198.51.100.9')).status).toBe(200);
    expect((await get('/en/tag/no-such-tag/atom.xml', miniflux, '198.51.100.9')).status).toBe(404);
    // Another variant; the query string is not part of the feed.
    expect((await get('/es/feed.json?limit=5', 'curl/7.88.1', '203.0.113.5')).status).toBe(200);
    await t.services.readerStats.flush();

    const report = await readers(7);
    expect(report).toMatchObject({ days: 7, from: dayOf(start - 6 * day), to: dayOf(start) });
    const traffic = {
      requests: 8,
      notModified: 3,
      notModifiedShare: 0.375,
      gzip: 1,
      bytesSent: 4 * identity + gzip,
      bytesSavedByNotModified: 2 * identity + gzip,
      bytesSavedByGzip: identity - gzip,
    };
    const subscribers = { total: 165, byAggregator: { Feedly: 120, Inoreader: 45 } };
    expect(feed(report, path)).toEqual({
      feed: path,
      language: 'en',
      scope: 'site',
      format: 'atom',
      ...traffic,
      subscribers,
      days: [{ day: dayOf(start), ...traffic, subscribers, pollers: 3 }],
    });
    expect(feed(report, '/es/feed.json')).toMatchObject({ language: 'es', format: 'json', requests: 1, notModified: 0 });
    expect(feed(report, '/es/feed.json').days[0].pollers).toBe(1);
    expect(report.feeds.map((f) => f.feed)).toEqual([path, '/es/feed.json']);
  });

  it('keeps days apart: subscribers now are the largest of today and yesterday; poller hashes and salts go after a day', async () => {
    const path = '/en/atom.xml';
    clock = start + day;
    await get(path, feedly(130, 'a'), '192.0.2.10');
    await get(path, miniflux, '198.51.100.7');
    let report = await readers(7);
    expect(feed(report, path).subscribers).toEqual({ total: 175, byAggregator: { Feedly: 130, Inoreader: 45 } });
    expect(feed(report, path).days.map((d) => [d.day, d.requests, d.subscribers.total, d.pollers])).toEqual([
      [dayOf(start), 8, 165, 3],
      [dayOf(start + day), 2, 130, 1],
    ]);
    expect(feed(report, path).requests).toBe(10);

    clock = start + 3 * day;
    await get(path, miniflux, '198.51.100.7');
    report = await readers(7);
    expect(feed(report, path).subscribers).toEqual({ total: 0, byAggregator: {} });
    expect(feed(report, path).days.map((d) => d.pollers)).toEqual([3, 1, 1]);
    // The distinct counts stay; the hashes behind them and the salts that made them are gone.
    const db = new Database(t.dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT DISTINCT day FROM reader_stats_clients').pluck().all()).toEqual([dayOf(start + 3 * day)]);
      expect(db.prepare('SELECT day FROM reader_stats_salts').pluck().all()).toEqual([dayOf(start + 3 * day)]);
      for (const client of db.prepare('SELECT client FROM reader_stats_clients').pluck().all()) expect(client).toMatch(/^[\w-]{22}$/);
    } finally {
      db.close();
    }
    expect((await readers(1)).feeds.map((f) => [f.feed, f.requests])).toEqual([[path, 1]]);
  });

  it('deletes counts after 90 days', async () => {
    clock = start + 92 * day;
    await get('/en/atom.xml', miniflux, '198.51.100.7');
    const report = await readers(90);
    expect(report.from).toBe(dayOf(start + 3 * day));
    expect(feed(report, '/en/atom.xml').days.map((d) => d.day)).toEqual([dayOf(start + 3 * day), dayOf(start + 92 * day)]);
    const db = new Database(t.dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT min(day) FROM reader_stats_daily').pluck().get()).toBe(dayOf(start + 3 * day));
    } finally {
      db.close();
    }
  });

  it('reports, per followed source, the items it brought each day', async () => {
    clock = start + 200 * day;
    const store = t.services.ingest.store;
    const [busy, quiet] = await store.addSources(
      [
        { url: 'https://busy.example.com/feed.xml', title: 'Busy outlet' },
        { url: 'https://quiet.example.com/feed.xml', title: 'Quiet outlet' },
      ],
      clock,
    );
    const source = (await store.getSource(busy))!;
    const item = (n: number) => ({ title: `Story number ${n}`, link: `https://busy.example.com/story-${n}`, guid: `story-${n}` });
    const document = (items: ReturnType<typeof item>[]) => ({
      body: new TextEncoder().encode(rss(items)),
      contentType: 'application/rss+xml',
      url: source.url,
    });
    await storeFeedDocument(t.services.ingest.pollerPorts, source, document([item(1), item(2)]), clock - day);
    await storeFeedDocument(t.services.ingest.pollerPorts, source, document([item(1), item(2), item(3)]), clock);
    const response = await t.admin('GET', '/api/admin/stats/sources?days=7');
    expect(response.status).toBe(200);
    const report = (await response.json()) as SourcesReport;
    expect(report).toMatchObject({ days: 7, from: dayOf(clock - 6 * day), to: dayOf(clock) });
    expect(report.sources).toEqual([
      {
        id: busy,
        title: 'Busy outlet',
        url: 'https://busy.example.com/feed.xml',
        items: 3,
        days: [
          { day: dayOf(clock - day), items: 2 },
          { day: dayOf(clock), items: 1 },
        ],
      },
      { id: quiet, title: 'Quiet outlet', url: 'https://quiet.example.com/feed.xml', items: 0, days: [] },
    ]);
    expect(((await (await t.admin('GET', '/api/admin/stats/sources?days=1')).json()) as SourcesReport).sources[0].items).toBe(1);
  });

  it.each(['0', '91', 'abc', '1.5', '-3', '30d', '0030'])('answers days=%s with 400 invalid_query', async (days) => {
    for (const endpoint of ['readers', 'sources']) {
      const response = await t.admin('GET', `/api/admin/stats/${endpoint}?days=${days}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_query');
    }
  });

  it('takes 30 days when days is absent, and needs the admin token', async () => {
    expect(((await (await t.admin('GET', '/api/admin/stats/readers')).json()) as ReadersReport).days).toBe(30);
    expect((await t.request('/api/admin/stats/readers')).status).toBe(401);
    expect((await t.request('/api/admin/stats/sources', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });
});

describe('reader statistics in the Node server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-stats-'));
  const dbPath = join(dir, 'news.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const freePort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
  /** One request on the wire (no decoding): status, headers and the body's size. */
  const raw = (port: number, method: string, target: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string>; size: number }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, method, path: target, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode!,
            headers: response.headers as Record<string, string>,
            size: Buffer.concat(chunks).length,
          });
        });
      })
        .on('error', reject)
        .end();
    });
  const waitFor = async (port: number, child: ChildProcess) => {
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error('server exited');
      try {
        return await fetch(`http://127.0.0.1:${port}/healthz`);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error('no answer');
  };

  it('counts answers given before routing as well as the app’s, once each, and writes them all when stopped', async () => {
    const port = await freePort();
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/node.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        DB_PATH: dbPath,
        ADMIN_TOKEN: adminToken,
        INGEST_SCHEDULE: 'off',
        INGEST_DEFAULT_SOURCES: 'off',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const target = '/en/atom.xml';
    const as = (userAgent: string, headers: Record<string, string> = {}, path = target) =>
      raw(port, 'GET', path, { 'user-agent': userAgent, ...headers });
    try {
      await waitFor(port, child);
      // The first answer comes from the app, which remembers the target; repeats are answered before routing, except
      // the first gzip one (its bytes are made by the app) and a target never asked before (`?probe`).
      const first = await as(netNewsWire);
      const identity = first.size;
      const etag = first.headers.etag;
      const zipped = await as('newsboat/2.21.0 (Linux x86_64)', { 'accept-encoding': 'gzip' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      const gzip = zipped.size;
      const gzipEtag = zipped.headers.etag;
      expect((await as(feedly(300, 'x'))).status).toBe(200);
      expect((await as(feedly(310, 'y'), { 'if-none-match': etag })).status).toBe(304);
      const rss2email = 'rss2email/3.13.1 (https://github.com/rss2email/rss2email)';
      expect((await as(rss2email, { 'accept-encoding': 'gzip', 'if-none-match': gzipEtag })).status).toBe(304);
      expect((await as(inoreader(45), {}, `${target}?probe=1`)).status).toBe(200);
      expect((await as('newsboat/2.21.0 (Linux x86_64)', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBe('gzip');
      expect((await raw(port, 'HEAD', target, {})).status).toBe(200);
      expect((await as(miniflux, {}, '/en/')).status).toBe(200);

      const response = await fetch(`http://127.0.0.1:${port}/api/admin/stats/readers?days=2`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      const atom = ((await response.json()) as ReadersReport).feeds.find((f) => f.feed === target)!;
      expect(atom).toMatchObject({
        requests: 7,
        notModified: 2,
        gzip: 2,
        bytesSent: 3 * identity + 2 * gzip,
        bytesSavedByNotModified: identity + gzip,
        bytesSavedByGzip: 2 * (identity - gzip),
        subscribers: { total: 355, byAggregator: { Feedly: 310, Inoreader: 45 } },
      });
      expect(atom.days.reduce((sum, d) => sum + d.pollers, 0)).toBe(3);

      // Counted after the last flush, written when the server stops.
      await as(miniflux);
      await as(miniflux, { 'if-none-match': etag });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    try {
      const stored = db
        .prepare(
          'SELECT sum(requests) AS requests, sum(not_modified) AS notModified, sum(pollers) AS pollers FROM reader_stats_daily WHERE name = ?',
        )
        .get(target);
      expect(stored).toEqual({ requests: 9, notModified: 3, pollers: 4 });
    } finally {
      db.close();
    }
  });
});
