import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollDue } from '../src/ingest/poller.ts';
import { type Publisher, rss, startPublisher } from './helpers/publisher.ts';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';

const start = Date.UTC(2025, 5, 15, 12, 0, 0);
let clock = start;
let logs: string[];
let publisher: Publisher;
let t: TestApp;
let closedPort: number;

beforeEach(async () => {
  clock = start;
  logs = [];
  publisher = await startPublisher();
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
  t = await startTestApp({
    seed: false,
    env: { INGEST_ALLOW_HOSTS: `${publisher.host},127.0.0.1:${closedPort}`, INGEST_RETENTION_DAYS: '30' },
    parts: { now: () => clock, random: () => 0.5, log: (line) => logs.push(line) },
  });
});
afterEach(async () => {
  t.close();
  await publisher.close();
});

const json = async <T>(response: Response) => (await response.json()) as T;

async function addSource(path: string, extra: Record<string, unknown> = {}): Promise<number> {
  const response = await t.admin('POST', '/api/admin/sources', {
    url: publisher.url + path,
    title: `Outlet ${path}`,
    language: 'en',
    ...extra,
  });
  expect(response.status).toBe(201);
  return (await json<{ id: number }>(response)).id;
}

async function ingest(source?: number) {
  const response = await t.admin('POST', '/api/admin/ingest', source === undefined ? undefined : { source });
  expect(response.status).toBe(200);
  return (
    await json<{ reports: { outcome: string; status: number | null; itemsNew: number; itemsSeen: number; errorCode?: string }[] }>(response)
  ).reports;
}

interface Status {
  id: number;
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  httpStatus: number | null;
  itemsSeen: number;
  itemsNew: number;
  consecutiveErrors: number;
  lastError: { code: string; message: string } | null;
  lastSuccessAt: string | null;
  nextPollAt: string;
  entries: { kept: number; repaired: number; dropped: number; problems: Record<string, number>; document: string[] } | null;
}
async function status(id: number): Promise<Status> {
  const { sources } = await json<{ sources: Status[] }>(await t.admin('GET', '/api/admin/sources/status'));
  return sources.find((source) => source.id === id)!;
}

interface Item {
  id: number;
  url: string;
  title: string;
  titleDerived: boolean;
  summary: string;
  content: string;
  language: string;
  storyCluster: number;
  sources: { id: number; key: string }[];
}
async function items(query = ''): Promise<Item[]> {
  return (await json<{ items: Item[] }>(await t.admin('GET', `/api/admin/items${query}`))).items;
}

const secondsUntil = (iso: string) => (Date.parse(iso) - clock) / 1000;

describe('polling a source', () => {
  it('fetches, normalizes and stores items, and reports the source status', async () => {
    publisher.route('/feed.xml', (_, response) => {
      response.writeHead(200, {
        'content-type': 'application/rss+xml',
        etag: 'W/"v1 x"',
        'last-modified': 'Sun, 15 Jun 2025 11:00:00 GMT',
      });
      response.end(
        rss([
          {
            title: 'Bitcoin &amp; ether rally',
            link: 'https://outlet.example.com/a?utm_source=rss#top',
            guid: 'a-1',
            pubDate: 'Sun, 15 Jun 2025 10:00:00 GMT',
          },
          { title: 'Regulators meet', link: 'https://outlet.example.com/b', guid: 'b-1', pubDate: 'Sun, 15 Jun 2025 09:00:00 GMT' },
        ]),
      );
    });
    const id = await addSource('/feed.xml');
    const [report] = await ingest();
    expect(report).toMatchObject({ outcome: 'updated', status: 200, itemsSeen: 2, itemsNew: 2 });
    const stored = await items();
    expect(stored.map((item) => [item.title, item.url, item.language])).toEqual([
      ['Bitcoin & ether rally', 'https://outlet.example.com/a', 'en'],
      ['Regulators meet', 'https://outlet.example.com/b', 'en'],
    ]);
    expect(stored[0].sources).toEqual([{ id, title: 'Outlet /feed.xml', key: 'a-1' }]);
    expect(await status(id)).toMatchObject({
      httpStatus: 200,
      itemsSeen: 2,
      itemsNew: 2,
      consecutiveErrors: 0,
      lastError: null,
      lastSuccessAt: new Date(start).toISOString(),
    });
    expect(publisher.requests[0].headers['user-agent']).toBe('PolyglotFeeds/0.1 (+https://news.example.org)');
  });

  it('sends the stored validators back byte-exact, and a 304 changes nothing and parses nothing', async () => {
    let seen: { inm?: string; ims?: string } = {};
    publisher.route('/feed.xml', (request, response) => {
      seen = { inm: request.headers['if-none-match'], ims: request.headers['if-modified-since'] };
      if (request.headers['if-none-match'] === 'W/"v1 x"') {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { etag: 'W/"v1 x"', 'last-modified': 'Sun, 15 Jun 2025   11:00:00 GMT' });
      response.end(rss([{ title: 'One', link: 'https://outlet.example.com/1', guid: '1' }]));
    });
    const id = await addSource('/feed.xml');
    await ingest();
    expect(seen).toEqual({ inm: undefined, ims: undefined });
    clock += 3_600_000;
    const [report] = await ingest();
    expect(seen).toEqual({ inm: 'W/"v1 x"', ims: 'Sun, 15 Jun 2025   11:00:00 GMT' });
    expect(report).toMatchObject({ outcome: 'not-modified', status: 304, itemsSeen: 0, itemsNew: 0 });
    expect(await status(id)).toMatchObject({ httpStatus: 304, itemsNew: 1, consecutiveErrors: 0 });
    expect(await items()).toHaveLength(1);
  });

  it('waits as long as Cache-Control, Expires, <ttl> or sy:updatePeriod say, within the bounds', async () => {
    const answers: Record<string, [Record<string, string>, string]> = {
      '/max-age.xml': [{ 'cache-control': 'public, max-age=7200' }, ''],
      '/expires.xml': [{ date: new Date(start).toUTCString(), expires: new Date(start + 5400_000).toUTCString() }, ''],
      '/ttl.xml': [{}, '<ttl>240</ttl>'],
      '/hourly.xml': [{}, '<sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">daily</sy:updatePeriod>'],
      '/huge.xml': [{ 'cache-control': 'max-age=99999999' }, ''],
    };
    const ids: Record<string, number> = {};
    for (const [path, [headers, extra]] of Object.entries(answers)) {
      publisher.route(path, (_, response) =>
        response.writeHead(200, headers).end(rss([{ title: path, link: `https://outlet.example.com${path}` }], extra)),
      );
      ids[path] = await addSource(path, { pollIntervalSeconds: 600 });
    }
    await ingest();
    expect(secondsUntil((await status(ids['/max-age.xml'])).nextPollAt)).toBe(7200);
    expect(secondsUntil((await status(ids['/expires.xml'])).nextPollAt)).toBe(5400);
    expect(secondsUntil((await status(ids['/ttl.xml'])).nextPollAt)).toBe(14400);
    expect(secondsUntil((await status(ids['/hourly.xml'])).nextPollAt)).toBe(86400);
    expect(secondsUntil((await status(ids['/huge.xml'])).nextPollAt)).toBe(86400);
  });

  it('honours Retry-After on 429 and 503 for that source only', async () => {
    publisher.route('/busy.xml', (_, response) => response.writeHead(429, { 'retry-after': '1800' }).end());
    publisher.route('/fine.xml', (_, response) =>
      response.writeHead(200).end(rss([{ title: 'Fine', link: 'https://outlet.example.com/fine' }])),
    );
    const busy = await addSource('/busy.xml', { pollIntervalSeconds: 600 });
    const fine = await addSource('/fine.xml', { pollIntervalSeconds: 600 });
    await ingest();
    expect(await status(busy)).toMatchObject({ httpStatus: 429, consecutiveErrors: 1, lastError: { code: 'http_error' } });
    expect(secondsUntil((await status(busy)).nextPollAt)).toBe(1800);
    expect(secondsUntil((await status(fine)).nextPollAt)).toBe(600);
  });

  it('backs off exponentially on errors, up to the cap, and never gives up', async () => {
    publisher.route('/broken.xml', (_, response) => response.writeHead(500).end());
    const id = await addSource('/broken.xml', { pollIntervalSeconds: 600 });
    const delays: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      await ingest();
      const current = await status(id);
      delays.push(secondsUntil(current.nextPollAt));
      expect(current.enabled).toBe(true);
    }
    expect(delays.slice(0, 5)).toEqual([600, 1200, 2400, 4800, 9600]);
    expect(delays.at(-1)).toBe(86400);
    expect((await status(id)).consecutiveErrors).toBe(10);
    expect(logs.filter((line) => line.includes('/broken.xml'))).toHaveLength(1);
  });

  it('follows a 301 and stores the new URL; a 410 disables the source and says why', async () => {
    publisher.route('/old.xml', (_, response) => response.writeHead(301, { location: '/new.xml' }).end());
    publisher.route('/new.xml', (_, response) =>
      response.writeHead(200).end(rss([{ title: 'Moved', link: 'https://outlet.example.com/moved' }])),
    );
    publisher.route('/gone.xml', (_, response) => response.writeHead(410).end());
    const moved = await addSource('/old.xml');
    const gone = await addSource('/gone.xml');
    await ingest();
    expect((await status(moved)).url).toBe(`${publisher.url}/new.xml`);
    const goneStatus = await status(gone);
    expect(goneStatus).toMatchObject({ enabled: false, httpStatus: 410 });
    expect(goneStatus.disabledReason).toMatch(/410 Gone/);
    const before = publisher.requests.length;
    await ingest();
    expect(publisher.requests.slice(before).map((r) => r.path)).toEqual(['/new.xml']);
    // Re-enabling puts it back in the rotation.
    await t.admin('PATCH', `/api/admin/sources/${gone}`, { enabled: true });
    expect((await status(gone)).disabledReason).toBeNull();
  });

  it('records unreachable and forbidden sources, logs each once, and keeps serving', async () => {
    // A closed port refuses the connection, as any unreachable outlet does when there is no network.
    const unreachable = (
      await json<{ id: number }>(await t.admin('POST', '/api/admin/sources', { url: `http://127.0.0.1:${closedPort}/rss` }))
    ).id;
    const forbidden = (await json<{ id: number }>(await t.admin('POST', '/api/admin/sources', { url: 'http://127.0.0.1:1/feed' }))).id;
    for (let round = 0; round < 3; round++) {
      clock += 86_400_000;
      await pollDue(t.services.ingest.pollerPorts);
    }
    expect(await status(unreachable)).toMatchObject({ consecutiveErrors: 3, lastError: { code: 'connection_failed' }, enabled: true });
    expect(await status(forbidden)).toMatchObject({ consecutiveErrors: 3, lastError: { code: 'forbidden_address' } });
    expect(logs).toHaveLength(2);
    expect((await t.request('/healthz')).status).toBe(200);
    expect((await t.request('/en/feed.xml')).status).toBe(200);
  });
});

describe('what became of the entries', () => {
  it('shows per poll the entries kept, repaired and dropped, with the reasons, and which titles were derived', async () => {
    publisher.route('/mixed.xml', (_, response) =>
      response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        rss([
          { title: 'Plain story', link: 'https://outlet.example.com/plain', pubDate: 'Mon, 02 Jun 2025 10:00:00 GMT' },
          { title: 'Undated story', link: 'https://outlet.example.com/undated', pubDate: 'the day before yesterday' },
        ]).replace(
          '</channel>',
          '<item></item><item><guid isPermaLink="false">note-1</guid><description>A short note without a title, as microblogs write them.</description></item></channel>',
        ),
      ),
    );
    const id = await addSource('/mixed.xml');
    const [report] = await ingest(id);
    expect(report).toMatchObject({ outcome: 'updated', itemsSeen: 3 });
    expect((await status(id)).entries).toEqual({
      kept: 2,
      repaired: 1,
      dropped: 1,
      problems: { unparseable_date: 1, empty_entry: 1 },
      document: [],
    });
    const stored = await items(`?source=${id}`);
    expect(stored.map((item) => [item.title, item.titleDerived]).sort()).toEqual([
      ['A short note without a title, as microblogs write them.', true],
      ['Plain story', false],
      ['Undated story', false],
    ]);
  });
});

describe('deduplication and story clusters', () => {
  it('updates an item seen again instead of duplicating it', async () => {
    let title = 'First title';
    publisher.route('/feed.xml', (_, response) =>
      response.writeHead(200).end(rss([{ title, link: 'https://outlet.example.com/story', guid: 'g-1' }])),
    );
    await addSource('/feed.xml');
    await ingest();
    title = 'Corrected title';
    clock += 60_000;
    const [report] = await ingest();
    expect(report).toMatchObject({ itemsSeen: 1, itemsNew: 0 });
    expect((await items()).map((item) => item.title)).toEqual(['Corrected title']);
  });

  it('stores one story URL from two sources once, with both sources', async () => {
    publisher.route('/a.xml', (_, response) =>
      response.writeHead(200).end(rss([{ title: 'ETF approved', link: 'https://wire.example.org/etf?utm_source=a', guid: 'a-etf' }])),
    );
    publisher.route('/b.xml', (_, response) =>
      response
        .writeHead(200)
        .end(rss([{ title: 'ETF approved (wire)', link: 'https://wire.example.org/etf?utm_medium=b#x', guid: 'b-etf' }])),
    );
    const a = await addSource('/a.xml');
    const b = await addSource('/b.xml');
    await ingest();
    const stored = await items();
    expect(stored).toHaveLength(1);
    expect(stored[0].url).toBe('https://wire.example.org/etf');
    expect(stored[0].sources.map((s) => [s.id, s.key]).sort()).toEqual([
      [a, 'a-etf'],
      [b, 'b-etf'],
    ]);
  });

  it('groups near-identical titles from different sources within 72 hours into one cluster', async () => {
    const at = (hours: number) => new Date(start - hours * 3_600_000).toUTCString();
    publisher.route('/one.xml', (_, response) =>
      response.writeHead(200).end(
        rss([
          { title: 'North Korea hosts first blockchain conference in Pyongyang', link: 'https://one.example.com/nk', pubDate: at(100) },
          { title: 'Bitcoin miners brace for the halving', link: 'https://one.example.com/halving', pubDate: at(1) },
        ]),
      ),
    );
    publisher.route('/two.xml', (_, response) =>
      response.writeHead(200).end(
        rss([
          { title: 'North Korea hosts its first blockchain conference in Pyongyang', link: 'https://two.example.com/nk', pubDate: at(60) },
          { title: 'Bitcoin miners brace for halving', link: 'https://two.example.com/halving', pubDate: at(2) },
          { title: 'Ethereum fees fall after upgrade', link: 'https://two.example.com/fees', pubDate: at(2) },
        ]),
      ),
    );
    await addSource('/one.xml');
    await addSource('/two.xml');
    await ingest();
    const byUrl = new Map((await items()).map((item) => [item.url, item]));
    expect(byUrl.get('https://two.example.com/halving')!.storyCluster).toBe(byUrl.get('https://one.example.com/halving')!.storyCluster);
    expect(byUrl.get('https://two.example.com/nk')!.storyCluster).toBe(byUrl.get('https://one.example.com/nk')!.storyCluster);
    expect(byUrl.get('https://two.example.com/fees')!.storyCluster).not.toBe(byUrl.get('https://one.example.com/halving')!.storyCluster);

    // Beyond 72 hours apart, the same words are another story.
    publisher.route('/three.xml', (_, response) =>
      response
        .writeHead(200)
        .end(rss([{ title: 'Bitcoin miners brace for the halving', link: 'https://three.example.com/h', pubDate: at(200) }])),
    );
    await addSource('/three.xml');
    await ingest();
    const late = (await items()).find((item) => item.url === 'https://three.example.com/h')!;
    expect(late.storyCluster).not.toBe(byUrl.get('https://one.example.com/halving')!.storyCluster);
  });

  it('prunes items older than INGEST_RETENTION_DAYS', async () => {
    publisher.route('/feed.xml', (_, response) =>
      response.writeHead(200).end(
        rss([
          { title: 'Fresh', link: 'https://outlet.example.com/fresh', pubDate: new Date(start - 86_400_000).toUTCString() },
          { title: 'Stale', link: 'https://outlet.example.com/stale', pubDate: new Date(start - 40 * 86_400_000).toUTCString() },
        ]),
      ),
    );
    await addSource('/feed.xml');
    await ingest();
    expect((await items()).map((item) => item.title)).toEqual(['Fresh', 'Stale']);
    clock += 3_600_000;
    await pollDue(t.services.ingest.pollerPorts);
    expect((await items()).map((item) => item.title)).toEqual(['Fresh']);
  });
});

describe('sources admin API', () => {
  it('validates sources: 400 for bad fields, 409 for a duplicate, 404 for an unknown id', async () => {
    const bad = await t.admin('POST', '/api/admin/sources', { url: 'ftp://example.org/feed', language: 'not a language!' });
    expect(bad.status).toBe(400);
    const fields = (await json<{ error: { details: { fields: { path: string }[] } } }>(bad)).error.details.fields.map((f) => f.path).sort();
    expect(fields).toEqual(['language', 'url']);
    await addSource('/feed.xml');
    expect((await t.admin('POST', '/api/admin/sources', { url: `${publisher.url}/feed.xml` })).status).toBe(409);
    expect((await t.admin('PATCH', '/api/admin/sources/999', { title: 'x' })).status).toBe(404);
    expect((await t.admin('DELETE', '/api/admin/sources/abc')).status).toBe(404);
    expect((await t.request('/api/admin/sources')).status).toBe(401);
  });

  it('edits and deletes a source', async () => {
    const id = await addSource('/feed.xml');
    const patched = await t.admin('PATCH', `/api/admin/sources/${id}`, {
      title: 'Renamed',
      language: 'es',
      pollIntervalSeconds: 900,
      enabled: false,
    });
    expect(await json(patched)).toMatchObject({ id, title: 'Renamed', language: 'es', pollIntervalSeconds: 900, enabled: false });
    expect((await t.admin('DELETE', `/api/admin/sources/${id}`)).status).toBe(204);
    expect((await json<{ sources: unknown[] }>(await t.admin('GET', '/api/admin/sources'))).sources).toEqual([]);
  });

  it('imports OPML, refuses invalid OPML whole with a message saying what is wrong, and exports', async () => {
    const post = (body: string) =>
      t.request('/api/admin/sources.opml', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/x-opml' },
        body,
      });
    const invalid = await post(
      '<opml version="2.0"><body><outline text="Good" xmlUrl="https://good.example.com/rss"/><outline text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>',
    );
    expect(invalid.status).toBe(400);
    const error = (await json<{ error: { code: string; message: string } }>(invalid)).error;
    expect(error.code).toBe('invalid_opml');
    expect(error.message).toMatch(/Bad/);
    expect((await json<{ sources: unknown[] }>(await t.admin('GET', '/api/admin/sources'))).sources).toEqual([]);
    expect((await post('not xml at all <')).status).toBe(400);

    const valid = await post(
      '<opml version="2.0"><head><title>x</title></head><body><outline text="Crypto"><outline text="A" xmlUrl="https://a.example.com/rss" language="es"/><outline text="B" xmlUrl="https://b.example.com/rss"/></outline></body></opml>',
    );
    expect(await json(valid)).toEqual({ imported: 2, skipped: 0 });
    expect(
      await json(await post('<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example.com/rss"/></body></opml>')),
    ).toEqual({
      imported: 0,
      skipped: 1,
    });
    const exported = await t.admin('GET', '/api/admin/sources.opml');
    expect(exported.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const text = await exported.text();
    expect(text).toContain('xmlUrl="https://a.example.com/rss"');
    expect(text).toContain('language="es"');
    expect(
      (
        await t.request('/api/admin/sources.opml', {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(415);
  });

  it('lists items by source and text, newest first, with cursor paging', async () => {
    publisher.route('/a.xml', (_, response) =>
      response.writeHead(200).end(
        rss(
          Array.from({ length: 5 }, (_, i) => ({
            title: `Bitcoin note ${i}`,
            link: `https://a.example.com/${i}`,
            pubDate: new Date(start - i * 3_600_000).toUTCString(),
          })),
        ),
      ),
    );
    publisher.route('/b.xml', (_, response) =>
      response.writeHead(200).end(rss([{ title: 'Ether news', link: 'https://b.example.com/e' }])),
    );
    const a = await addSource('/a.xml');
    await addSource('/b.xml');
    await ingest();
    expect((await items(`?source=${a}`)).map((item) => item.title)).toHaveLength(5);
    expect((await items('?q=ether')).map((item) => item.title)).toEqual(['Ether news']);
    const first = await json<{ items: Item[]; nextCursor: string }>(await t.admin('GET', `/api/admin/items?source=${a}&limit=2`));
    const second = await json<{ items: Item[] }>(await t.admin('GET', `/api/admin/items?source=${a}&limit=2&cursor=${first.nextCursor}`));
    expect([...first.items, ...second.items].map((item) => item.title)).toEqual([
      'Bitcoin note 0',
      'Bitcoin note 1',
      'Bitcoin note 2',
      'Bitcoin note 3',
    ]);
    expect((await t.admin('GET', '/api/admin/items?cursor=zzz')).status).toBe(400);
  });
});

describe('polling many sources', () => {
  it('makes at most one request at a time per host and at most INGEST_CONCURRENCY in all', async () => {
    const others = await Promise.all(Array.from({ length: 6 }, () => startPublisher()));
    const app = await startTestApp({
      seed: false,
      env: { INGEST_ALLOW_HOSTS: [publisher.host, ...others.map((o) => o.host)].join(','), INGEST_CONCURRENCY: '4' },
    });
    try {
      const slow = (delay: number) => (_: unknown, response: import('node:http').ServerResponse) =>
        setTimeout(() => response.writeHead(200).end(rss([{ title: 'x', link: `https://x.example.com/${Math.random()}` }])), delay);
      for (let i = 0; i < 4; i++) publisher.route(`/same-${i}.xml`, slow(80));
      for (const other of others) other.route('/feed.xml', slow(150));
      const urls = [...Array.from({ length: 4 }, (_, i) => `${publisher.url}/same-${i}.xml`), ...others.map((o) => `${o.url}/feed.xml`)];
      for (const url of urls) expect((await app.admin('POST', '/api/admin/sources', { url })).status).toBe(201);
      let inFlight = 0;
      let maxInFlight = 0;
      const counting: typeof fetch = async (input, init) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      };
      const reports = await pollDue({ ...app.services.ingest.pollerPorts, fetch: counting });
      expect(reports.every((report) => report.outcome === 'updated')).toBe(true);
      expect(publisher.maxInFlight).toBe(1);
      expect(maxInFlight).toBe(4);
    } finally {
      app.close();
      await Promise.all(others.map((o) => o.close()));
    }
  });
});
