import { applyD1Migrations, env, SELF } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Ingestion as a WebSub subscriber inside workerd: a poll subscribes at the hub the feed names (the request goes out
// within the poll's invocation), the hub's verification GET and signed content POST reach the shared callback routes.

const token = 'workers-test-token-0123456789';
const site = 'https://news.example.org';
const admin = (method: string, path: string, body?: unknown) =>
  SELF.fetch(`${site}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const feedUrl = 'https://pushing-outlet.example.com/feed.xml';
const hubUrl = 'https://hub.pushing-outlet.example.com/';
const feed = (title: string, guid: string) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Pushing outlet</title>` +
  `<link>https://pushing-outlet.example.com/</link><description>d</description>` +
  `<atom:link rel="hub" href="${hubUrl}"/><atom:link rel="self" href="${feedUrl}"/>` +
  `<item><title>${title}</title><link>https://pushing-outlet.example.com/${guid}</link><guid>${guid}</guid>` +
  `<pubDate>Mon, 01 Jan 2029 10:00:00 GMT</pubDate><description>Text.</description></item></channel></rss>`;

/** What the hub was asked (W3C WebSub §5.1). */
const hubRequests: URLSearchParams[] = [];
// The outlet and its hub, answered by a stub of the fetch the Workers transport uses.
const stub = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
  const request = input instanceof Request ? input : new Request(String(input), init);
  if (request.url === feedUrl) return new Response(feed('Polled story', 'polled'), { headers: { 'content-type': 'application/rss+xml' } });
  if (request.url === hubUrl && request.method === 'POST') {
    hubRequests.push(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())));
    return new Response(null, { status: 202 });
  }
  return new Response('not found', { status: 404 });
});

beforeAll(async () => {
  const bindings = env as unknown as {
    DB: Parameters<typeof applyD1Migrations>[0];
    TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  };
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
});
afterAll(() => stub.mockRestore());

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('ingestion as a WebSub subscriber inside workerd', () => {
  it('subscribes from a poll, answers the verification, and stores a signed push like a poll', async () => {
    const created = await admin('POST', '/api/admin/sources', { url: feedUrl, title: 'Pushing outlet', language: 'en' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect((await admin('POST', '/api/admin/ingest', { source: id })).status).toBe(200);

    expect(hubRequests).toHaveLength(1);
    const form = Object.fromEntries(hubRequests[0]!);
    expect(form).toMatchObject({ 'hub.mode': 'subscribe', 'hub.topic': feedUrl, 'hub.lease_seconds': '864000' });
    const callback = form['hub.callback']!;
    const secret = form['hub.secret']!;
    expect(callback).toMatch(/^https:\/\/news\.example\.org\/websub\/callback\/[0-9a-f]{32}$/);

    // W3C WebSub §5.3: a wrong topic is refused, the right one confirmed by echoing the challenge.
    const verify = (topic: string) =>
      SELF.fetch(
        `${callback}?${new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.challenge': 'edge-challenge', 'hub.lease_seconds': '3600' })}`,
      );
    expect((await verify('https://elsewhere.example/feed.xml')).status).toBe(404);
    const confirmed = await verify(feedUrl);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toBe('edge-challenge');
    const { following } = (await (await admin('GET', '/api/admin/websub')).json()) as { following: { source: number; state: string }[] };
    expect(following).toEqual([expect.objectContaining({ source: id, state: 'active' })]);

    // W3C WebSub §7, §8: a push with a bad signature is acknowledged and ignored; a signed one is stored.
    const body = feed('Pushed story', 'pushed');
    const push = (signature: string) =>
      SELF.fetch(callback, { method: 'POST', headers: { 'content-type': 'application/rss+xml', 'x-hub-signature': signature }, body });
    expect((await push(`sha256=${await hmacHex('wrong', body)}`)).status).toBe(202);
    expect((await push(`sha256=${await hmacHex(secret, body)}`)).status).toBe(202);
    const titles = async () =>
      ((await (await admin('GET', `/api/admin/items?source=${id}`)).json()) as { items: { title: string }[] }).items.map(
        (item) => item.title,
      );
    await until(async () => (await titles()).includes('Pushed story'), 'the pushed item');
    expect((await titles()).sort()).toEqual(['Polled story', 'Pushed story']);

    const gone = await SELF.fetch(`${site}/websub/callback/${'0'.repeat(32)}`, { method: 'POST', body });
    expect(gone.status).toBe(410);
  });
});
