import { applyD1Migrations, createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createCrosslinkStore } from '../../src/crosslink/crosslink-store.ts';
import { createD1Client, type D1Like } from '../../src/store/d1-client.ts';
import { ConstraintViolation } from '../../src/store/sql-client.ts';
import worker from '../../src/worker.ts';

const token = 'workers-test-token-0123456789';
const admin = (method: string, path: string, body?: unknown) =>
  SELF.fetch(`https://news.example.org${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`https://news.example.org${path}`, { headers });

beforeAll(async () => {
  const bindings = env as unknown as {
    DB: Parameters<typeof applyD1Migrations>[0];
    TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  };
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
});

describe('the Workers build inside workerd', () => {
  it('stores an article in D1 and serves its feed from the Cache API the second time, re-rendered after a write', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const created = await admin('POST', '/api/admin/articles', {
      translations: [
        {
          lang: 'en',
          slug: 'edge-story',
          title: 'Edge story',
          content: '<p>Body.</p>',
          status: 'published',
          publishedAt: '2030-01-01T00:00:00Z',
        },
      ],
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const first = await get('/en/atom.xml');
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(await first.text()).toContain('Edge story');
    const second = await get('/en/atom.xml');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await get('/en/atom.xml', { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
    const edited = await admin('PUT', `/api/admin/articles/${id}/translations/en`, {
      slug: 'edge-story',
      title: 'Edited at the edge',
      content: '<p>Body.</p>',
      status: 'published',
      publishedAt: '2030-01-01T00:00:00Z',
    });
    expect(edited.status).toBe(200);
    const third = await get('/en/atom.xml');
    expect(third.headers.get('x-cache')).toBe('MISS');
    expect(await third.text()).toContain('Edited at the edge');
  });

  it('answers bad input with the same JSON errors as on Node', async () => {
    const response = await admin('POST', '/api/admin/articles', { translations: [] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    expect((await get('/fr/feed.xml')).status).toBe(404);
  });
});

describe('the scheduled handler inside workerd', () => {
  it('ingests fixture feeds into D1 within the per-run budget, and the next run continues where it stopped', async () => {
    const feed = (n: number) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${n}</title><link>https://outlet${n}.example.com/</link><description>d</description>` +
      `<item><title>Story ${n}</title><link>https://outlet${n}.example.com/story-${n}</link><guid>s-${n}</guid><pubDate>Mon, 01 Jan 2029 10:00:00 GMT</pubDate><description>Text ${n}.</description></item></channel></rss>`;
    // The outlets, answered by a stub of fetch: the Workers transport is the global fetch.
    const stub = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const n = Number(/outlet(\d+)/.exec(url.hostname)?.[1]);
      return new Response(feed(n), { headers: { 'content-type': 'application/rss+xml' } });
    });
    try {
      for (const n of [1, 2, 3]) {
        const response = await admin('POST', '/api/admin/sources', {
          url: `https://outlet${n}.example.com/feed.xml`,
          title: `Outlet ${n}`,
        });
        expect(response.status).toBe(201);
      }
      // Without the queue binding, each run polls what fits its budget (INGEST_RUN_LIMIT is 2 here).
      const inline = { ...(env as object), POLL_QUEUE: undefined };
      const run = async () => {
        const ctx = createExecutionContext();
        await worker.scheduled({}, inline as never, ctx);
        await waitOnExecutionContext(ctx);
      };
      const titles = async () =>
        ((await (await admin('GET', '/api/admin/items')).json()) as { items: { title: string }[] }).items.map((item) => item.title).sort();
      await run();
      expect(stub).toHaveBeenCalledTimes(2);
      expect(await titles()).toEqual(['Story 1', 'Story 2']);
      await run();
      expect(stub).toHaveBeenCalledTimes(3);
      expect(await titles()).toEqual(['Story 1', 'Story 2', 'Story 3']);
    } finally {
      stub.mockRestore();
    }
  });

  it('with the queue, puts every due source on it and the consumer polls them all, once', async () => {
    const feed = (n: number) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Queued ${n}</title><link>https://queued${n}.example.com/</link><description>d</description>` +
      `<item><title>Queued story ${n}</title><link>https://queued${n}.example.com/story</link><guid>q-${n}</guid><pubDate>Mon, 01 Jan 2029 10:00:00 GMT</pubDate><description>Text ${n}.</description></item></channel></rss>`;
    const fetched: string[] = [];
    const stub = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      fetched.push(url.hostname);
      const n = Number(/queued(\d+)/.exec(url.hostname)?.[1]);
      return new Response(feed(n), { headers: { 'content-type': 'application/rss+xml' } });
    });
    try {
      for (const n of [1, 2, 3, 4, 5]) {
        expect((await admin('POST', '/api/admin/sources', { url: `https://queued${n}.example.com/feed.xml` })).status).toBe(201);
      }
      const run = async () => {
        const ctx = createExecutionContext();
        await worker.scheduled({}, env as never, ctx);
        await waitOnExecutionContext(ctx);
      };
      await run();
      const stories = async () =>
        ((await (await admin('GET', '/api/admin/items?limit=100')).json()) as { items: { title: string }[] }).items
          .map((item) => item.title)
          .filter((title) => title.startsWith('Queued story'));
      // All five, more than one inline run's budget, polled by the queue's consumer (which Miniflare runs on its own).
      for (let i = 0; i < 200 && (await stories()).length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect((await stories()).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `Queued story ${n}`));
      // Polled, they are not due again: the next run queues nothing.
      await run();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(fetched.filter((host) => host.startsWith('queued')).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `queued${n}.example.com`));
    } finally {
      stub.mockRestore();
    }
  });

  it('ranks an article for an item’s words and reads items’ leads on D1, as an article’s re-match does', async () => {
    const created = await admin('POST', '/api/admin/articles', {
      translations: [
        {
          lang: 'en',
          slug: 'qubit-bridge-drained-on-the-edge',
          title: 'Qubit bridge drained of $82 million',
          content: '<p>An attacker minted unbacked tokens on the Qubit bridge.</p>',
          status: 'published',
        },
      ],
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const sql = createD1Client((env as unknown as { DB: D1Like }).DB);
    const store = createCrosslinkStore(sql);
    const [matching, unrelated] = await store.articleTextRanks(id, [['qubit', 'bridge'], ['volcano']]);
    expect(matching).toBeGreaterThan(0);
    expect(unrelated).toBe(0);
    await sql.batch([
      { sql: 'INSERT INTO item_fts (rowid, title, body) VALUES (?, ?, ?)', params: [987654, 'A title', 'The lead.\nThe rest.'] },
    ]);
    expect(await store.itemLeads([987654])).toEqual(new Map([[987654, { title: 'A title', lead: 'The lead.' }]]));
  });

  it('reports a broken constraint on D1 as ConstraintViolation, writing nothing of the batch', async () => {
    const sql = createD1Client((env as unknown as { DB: D1Like }).DB);
    await sql.exec('CREATE TABLE constraint_probe (k TEXT PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    await sql.batch([{ sql: 'INSERT INTO constraint_probe VALUES (?, ?)', params: ['a', 'x'] }]);
    const attempt = sql.batch([
      { sql: 'INSERT INTO constraint_probe VALUES (?, ?)', params: ['b', 'y'] },
      { sql: 'INSERT INTO constraint_probe VALUES (?, ?)', params: ['c', 'x'] },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(ConstraintViolation);
    await expect(attempt).rejects.toMatchObject({ kind: 'unique' });
    expect(await sql.all('SELECT k FROM constraint_probe')).toEqual([{ k: 'a' }]);
  });
});

describe('the WebSub hub inside workerd', () => {
  type Bindings = Record<string, unknown> & { WEBSUB_QUEUE: { sendBatch(messages: { body: unknown }[]): Promise<void> } };
  const queued: unknown[] = [];
  const variants = [
    {
      name: 'through the delivery queue, whose consumer delivers it',
      path: 'queue',
      // The real queue, watched: what the write's invocation put on it.
      env: (bindings: Bindings) => ({
        ...bindings,
        WEBSUB_QUEUE: {
          sendBatch: async (messages: { body: unknown }[]) => {
            queued.push(...messages.map((message) => message.body));
            await bindings.WEBSUB_QUEUE.sendBatch(messages);
          },
        },
      }),
    },
    {
      name: 'within the write’s invocation, without a queue',
      path: 'inline',
      env: (bindings: Bindings) => ({ ...bindings, WEBSUB_QUEUE: undefined }),
    },
  ];
  for (const variant of variants) {
    it(`verifies a subscriber and delivers the changed feed, signed, ${variant.name}`, async () => {
      const deliveries: { url: string; signature: string | null; type: string | null; body: string }[] = [];
      const stub = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
        const request = input instanceof Request ? input : new Request(String(input), init);
        const url = new URL(request.url);
        if (request.method === 'GET') return new Response(url.searchParams.get('hub.challenge'));
        deliveries.push({
          url: request.url,
          signature: request.headers.get('x-hub-signature'),
          type: request.headers.get('content-type'),
          body: await request.text(),
        });
        return new Response(null, { status: 204 });
      });
      const waitFor = async (done: () => boolean | Promise<boolean>) => {
        for (let i = 0; i < 150 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await done()).toBe(true);
      };
      const bindings = variant.env(env as unknown as Bindings);
      const call = async (path: string, init: RequestInit & { headers?: Record<string, string> }) => {
        const ctx = createExecutionContext();
        const response = await worker.fetch(new Request(`https://news.example.org${path}`, init), bindings as never, ctx);
        await waitOnExecutionContext(ctx);
        return response;
      };
      try {
        const topic = 'https://news.example.org/es/feed.json';
        const callback = `https://subscriber.example/${variant.path}`;
        const subscribed = await call('/websub', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': callback, 'hub.secret': 'edge' }),
        });
        expect(subscribed.status).toBe(202);
        const listed = async () =>
          ((await (await admin('GET', '/api/admin/websub')).json()) as { subscriptions: { callback: string }[] }).subscriptions.some(
            (s) => s.callback === callback,
          );
        await waitFor(listed);
        const title = `Desde el borde (${variant.path})`;
        const created = await call('/api/admin/articles', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            translations: [{ lang: 'es', slug: `desde-el-borde-${variant.path}`, title, content: '<p>Texto.</p>', status: 'published' }],
          }),
        });
        expect(created.status).toBe(201);
        if (variant.path === 'queue') expect(queued).toContainEqual({ topic, callback });
        await waitFor(() => deliveries.some((d) => d.url === callback && d.body.includes(title)));
        const delivery = deliveries.find((d) => d.url === callback && d.body.includes(title))!;
        expect(delivery.type).toBe('application/feed+json; charset=utf-8');
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('edge'), { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
        ]);
        const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(delivery.body)));
        expect(delivery.signature).toBe(`sha256=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`);
      } finally {
        stub.mockRestore();
      }
    });
  }
});
