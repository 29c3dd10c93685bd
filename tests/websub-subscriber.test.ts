import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { type LoopbackServer, serveOnLoopback } from './helpers/loopback-server.ts';
import { type Publisher, rss, startPublisher } from './helpers/publisher.ts';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';

// Ingestion as a WebSub subscriber (W3C WebSub, 2018), between two instances of the service on loopback: B follows A's
// feed, B's poll finds A's hub and subscribes, A verifies at B's callback, and A's next write reaches B by push.

type Handler = (request: Request) => Response | Promise<Response>;
const starting: Handler = () => new Response('starting', { status: 503 });
let handleA = starting;
let handleB = starting;
let serverA: LoopbackServer;
let serverB: LoopbackServer;
let a: TestApp;
let b: TestApp;
/** A news outlet (allowlisted) and a hub on a loopback port that is not. */
let outlet: Publisher;
let privateHub: Publisher;
/** Requests for A's feed: a push must reach B without B fetching it. */
let feedFetches = 0;
const logsB: string[] = [];

beforeAll(async () => {
  serverA = await serveOnLoopback((request) => handleA(request));
  serverB = await serveOnLoopback((request) => handleB(request));
  outlet = await startPublisher();
  privateHub = await startPublisher();
  // Each instance may reach the other and the outlet; nothing else on loopback.
  const allowHosts = [new URL(serverA.url).host, new URL(serverB.url).host, outlet.host].join(',');
  a = await startTestApp({ seed: false, env: { SITE_URL: serverA.url, INGEST_ALLOW_HOSTS: allowHosts } });
  b = await startTestApp({
    seed: false,
    env: { SITE_URL: serverB.url, INGEST_ALLOW_HOSTS: allowHosts },
    parts: { log: (line) => logsB.push(line) },
  });
  const appA = createApp(a.services);
  const appB = createApp(b.services);
  handleA = (request) => {
    if (new URL(request.url).pathname === '/en/atom.xml') feedFetches++;
    return appA.fetch(request);
  };
  handleB = (request) => appB.fetch(request);
});
afterAll(async () => {
  await Promise.all([serverA?.close(), serverB?.close(), outlet?.close(), privateHub?.close()]);
  await Promise.all([a?.close(), b?.close()]);
});

const json = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;

interface Following {
  source: number;
  hub: string;
  topic: string;
  callback: string;
  state: string;
  leaseEnd: string | null;
  lastContent: string | null;
  failures: number;
  lastError: string | null;
}
const following = async (source: number) =>
  (await json<{ following: Following[] }>(b.admin('GET', '/api/admin/websub'))).following.find((s) => s.source === source);

interface Item {
  url: string;
  title: string;
  summary: string;
  content: string;
  authors: string[];
  categories: string[];
  language: string;
  publishedAt: string;
  sources: { id: number }[];
}
const itemsOf = async (source: number) => (await json<{ items: Item[] }>(b.admin('GET', `/api/admin/items?source=${source}`))).items;

async function addSource(url: string): Promise<number> {
  const response = await b.admin('POST', '/api/admin/sources', { url, title: new URL(url).host, language: 'en' });
  expect(response.status).toBe(201);
  return (await json<{ id: number }>(response)).id;
}
async function poll(source: number) {
  const { reports } = await json<{ reports: { outcome: string; itemsNew: number }[] }>(b.admin('POST', '/api/admin/ingest', { source }));
  return reports[0]!;
}
const nextPollAt = async (source: number) =>
  Date.parse(
    (await json<{ sources: { id: number; nextPollAt: string }[] }>(b.admin('GET', '/api/admin/sources/status'))).sources.find(
      (s) => s.id === source,
    )!.nextPollAt,
  );

/** Waits (bounded) until `done` holds: verifications and pushes run after their answers. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** A hub on the outlet that accepts every request (202) and keeps the form bodies it was sent. */
function recordingHub(path: string): URLSearchParams[] {
  const requests: URLSearchParams[] = [];
  outlet.route(path, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(new URLSearchParams(Buffer.concat(chunks).toString()));
      response.writeHead(202).end();
    });
  });
  return requests;
}

const hour = 3_600_000;
let followed: number;
let topic: string;
let callback: string;

describe('ingestion as a WebSub subscriber, between two instances', () => {
  it('subscribes at the hub a polled feed names, and is verified there', async () => {
    await a.admin('POST', '/api/admin/articles', {
      translations: [translation({ slug: 'first-story', title: 'First story from A', publishedAt: '2025-01-01T10:00:00Z' })],
    });
    topic = `${serverA.url}/en/atom.xml`;
    followed = await addSource(topic);
    expect(await poll(followed)).toMatchObject({ outcome: 'updated', itemsNew: 1 });

    await until(async () => (await following(followed))?.state === 'active', 'A to verify B’s subscription');
    const mine = (await following(followed))!;
    expect(mine).toMatchObject({ hub: `${serverA.url}/websub`, topic, failures: 0, lastError: null, lastContent: null });
    expect(mine.callback).toMatch(new RegExp(`^${serverB.url}/websub/callback/[0-9a-f]{32}$`));
    // The lease A granted: the 10 days asked for.
    expect(Date.parse(mine.leaseEnd!) - Date.now()).toBeGreaterThan(10 * 24 * hour - 60_000);
    callback = mine.callback;

    // A's hub holds the subscription, signed.
    const { subscriptions } = await json<{ subscriptions: { topic: string; callback: string; signed: boolean }[] }>(
      a.admin('GET', '/api/admin/websub'),
    );
    expect(subscriptions).toEqual([expect.objectContaining({ topic, callback, signed: true })]);
  });

  it('gets a new article on A as an item without polling, the same item a poll would store', async () => {
    const fetches = feedFetches;
    await a.admin('POST', '/api/admin/articles', {
      translations: [
        translation({ slug: 'pushed-story', title: 'Pushed from A to B', authors: ['Ada Pusher'], publishedAt: '2025-01-02T10:00:00Z' }),
      ],
    });
    const pushedUrl = `${serverA.url}/en/pushed-story`;
    await until(async () => (await itemsOf(followed)).some((item) => item.url === pushedUrl), 'the pushed item on B');
    expect(feedFetches).toBe(fetches);
    const pushed = (await itemsOf(followed)).find((item) => item.url === pushedUrl)!;
    expect(pushed).toMatchObject({
      title: 'Pushed from A to B',
      authors: ['Ada Pusher'],
      language: 'en',
      publishedAt: '2025-01-02T10:00:00.000Z',
      sources: [expect.objectContaining({ id: followed })],
    });
    await until(async () => (await following(followed))?.lastContent !== null, 'the push recorded');

    // A poll now finds nothing new, and leaves the item as the push stored it.
    expect(await poll(followed)).toMatchObject({ outcome: 'updated', itemsNew: 0 });
    const polled = (await itemsOf(followed)).find((item) => item.url === pushedUrl)!;
    const { updatedAt: _p, ...pushedFields } = pushed as Item & { updatedAt: string };
    const { updatedAt: _q, ...polledFields } = polled as Item & { updatedAt: string };
    expect(polledFields).toEqual(pushedFields);
  });

  it('polls a subscribed source once a day, as a safety net', async () => {
    // The poll above ran with the subscription active: its next poll is a day away, not the source's 30 minutes.
    expect((await nextPollAt(followed)) - Date.now()).toBeGreaterThan(23 * hour);
  });

  it('ignores a delivery with a bad or missing signature, yet answers 2xx', async () => {
    const { secret } = (await b.services.subscriber.list()).find((s) => s.sourceId === followed)!;
    const body = rss([{ title: 'Signed story', link: `${serverA.url}/en/signed-story`, pubDate: 'Fri, 03 Jan 2025 10:00:00 GMT' }]);
    const push = (signature?: string) =>
      fetch(callback, {
        method: 'POST',
        headers: { 'content-type': 'application/rss+xml', ...(signature ? { 'x-hub-signature': signature } : {}) },
        body,
      });
    const hmac = (method: string, key: string) => `${method}=${createHmac(method, key).update(body).digest('hex')}`;
    for (const signature of [hmac('sha256', 'not-the-secret'), undefined, `sha256=${'0'.repeat(64)}`, hmac('md5', secret)]) {
      const answer = await push(signature);
      expect(answer.status, String(signature)).toBe(202);
    }
    // A bad signature is decided before the answer: nothing was stored, and nothing is under way.
    expect((await itemsOf(followed)).map((item) => item.title)).not.toContain('Signed story');
    expect(logsB.filter((line) => line.includes('bad or missing signature'))).toHaveLength(4);

    // The same body signed with the secret (sha1, one of the methods §8 names) is stored.
    expect((await push(hmac('sha1', secret))).status).toBe(202);
    await until(async () => (await itemsOf(followed)).some((item) => item.title === 'Signed story'), 'the signed push');
  });

  it('answers 410 Gone to a delivery for a callback it does not have, and 404 to its verification', async () => {
    const unknown = `${serverB.url}/websub/callback/${'f'.repeat(32)}`;
    const response = await fetch(unknown, { method: 'POST', headers: { 'content-type': 'application/atom+xml' }, body: '<feed/>' });
    expect(response.status).toBe(410);
    expect((await fetch(`${unknown}?hub.mode=subscribe&hub.topic=${encodeURIComponent(topic)}&hub.challenge=x`)).status).toBe(404);
  });

  it('refuses a verification for another topic, or one it did not ask for, with 404', async () => {
    const verify = (fields: Record<string, string>) =>
      fetch(`${callback}?${new URLSearchParams({ 'hub.challenge': 'ch4llenge', ...fields })}`);
    const wrongTopic = await verify({ 'hub.mode': 'subscribe', 'hub.topic': `${serverA.url}/es/atom.xml`, 'hub.lease_seconds': '60' });
    expect(wrongTopic.status).toBe(404);
    expect(await wrongTopic.text()).not.toContain('ch4llenge');
    expect((await verify({ 'hub.mode': 'unsubscribe', 'hub.topic': topic })).status).toBe(404);
    // The subscription is as it was.
    expect(await following(followed)).toMatchObject({ state: 'active' });
    expect(Date.parse((await following(followed))!.leaseEnd!) - Date.now()).toBeGreaterThan(9 * 24 * hour);
  });

  it('carries the security headers on the callback, and limits what a push may send', async () => {
    const response = await fetch(`${callback}?hub.mode=subscribe&hub.topic=elsewhere&hub.challenge=x`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
    const huge = await fetch(callback, {
      method: 'POST',
      headers: { 'content-type': 'application/atom+xml' },
      body: new Uint8Array(10 * 1024 * 1024 + 1),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses to send a subscription request to a private address that INGEST_ALLOW_HOSTS does not list', async () => {
    const feedPath = '/private-hub.xml';
    const extra = `<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="${privateHub.url}/hub"/><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="${outlet.url}${feedPath}"/>`;
    outlet.route(feedPath, (_, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(rss([{ title: 'Outlet story', link: 'https://outlet.example.com/story', guid: 'story-1' }], extra));
    });
    const source = await addSource(`${outlet.url}${feedPath}`);
    expect(await poll(source)).toMatchObject({ outcome: 'updated', itemsNew: 1 });
    const refused = (await following(source))!;
    expect(refused).toMatchObject({ state: 'requested', failures: 1, hub: `${privateHub.url}/hub` });
    expect(refused.lastError).toMatch(/^forbidden_address: /);
    expect(privateHub.requests).toHaveLength(0);
    // Not subscribed: the source keeps its cadence (30 minutes).
    expect((await nextPollAt(source)) - Date.now()).toBeLessThan(hour);
  });

  it('takes note of a hub’s denial and keeps polling the source at its cadence', async () => {
    const feedPath = '/denying.xml';
    const hubPath = '/denying-hub';
    const requests = recordingHub(hubPath);
    const selfUrl = `${outlet.url}${feedPath}`;
    const extra = `<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="${outlet.url}${hubPath}"/><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="${selfUrl}"/>`;
    outlet.route(feedPath, (_, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(rss([{ title: 'Denied story', link: 'https://outlet.example.com/denied', guid: 'denied-1' }], extra));
    });
    const source = await addSource(selfUrl);
    await poll(source);
    // W3C WebSub §5.1: the request as the hub receives it.
    expect(requests).toHaveLength(1);
    const form = Object.fromEntries(requests[0]!);
    const mine = (await following(source))!;
    expect(form).toEqual({
      'hub.mode': 'subscribe',
      'hub.topic': selfUrl,
      'hub.callback': mine.callback,
      'hub.lease_seconds': '864000',
      'hub.secret': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(mine).toMatchObject({ state: 'requested', failures: 0, lastError: null });

    // W3C WebSub §5.2: the hub denies it at the callback.
    const denied = await fetch(
      `${mine.callback}?${new URLSearchParams({ 'hub.mode': 'denied', 'hub.topic': selfUrl, 'hub.reason': 'closed' })}`,
    );
    expect(denied.status).toBe(200);
    expect(await following(source)).toMatchObject({ state: 'denied', failures: 1, lastError: 'denied: closed' });
    // Polled again at its cadence, without asking the hub again before the backoff has passed.
    await poll(source);
    expect(requests).toHaveLength(1);
    expect((await nextPollAt(source)) - Date.now()).toBeLessThan(hour);
  });
  it('finds the hub and self URL in the Link header first (W3C WebSub §4), before the document’s', async () => {
    const feedPath = '/linked.xml';
    const selfUrl = `${outlet.url}${feedPath}`;
    const requests: string[] = [];
    for (const hubPath of ['/header-hub', '/document-hub']) {
      outlet.route(hubPath, (request, response) => {
        request.resume();
        request.on('end', () => {
          requests.push(hubPath);
          response.writeHead(202).end();
        });
      });
    }
    const inDocument = `<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="${outlet.url}/document-hub"/>`;
    outlet.route(feedPath, (_, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml', link: `</header-hub>; rel="hub", <${feedPath}>; rel="self"` });
      response.end(rss([{ title: 'Linked story', link: 'https://outlet.example.com/linked', guid: 'linked-1' }], inDocument));
    });
    const source = await addSource(selfUrl);
    await poll(source);
    expect(requests).toEqual(['/header-hub']);
    expect(await following(source)).toMatchObject({ hub: `${outlet.url}/header-hub`, topic: selfUrl, state: 'requested' });
  });

  it('unsubscribes when the feed stops naming its hub, confirms that to the hub, then answers its pushes with 410', async () => {
    const feedPath = '/leaving.xml';
    const hubPath = '/leaving-hub';
    const selfUrl = `${outlet.url}${feedPath}`;
    const requests = recordingHub(hubPath);
    let extra = `<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="${outlet.url}${hubPath}"/><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="${selfUrl}"/>`;
    outlet.route(feedPath, (_, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(rss([{ title: 'Leaving story', link: 'https://outlet.example.com/leaving', guid: 'leaving-1' }], extra));
    });
    const source = await addSource(selfUrl);
    await poll(source);
    const { callback: mine } = (await following(source))!;
    const verify = (mode: string) =>
      fetch(
        `${mine}?${new URLSearchParams({ 'hub.mode': mode, 'hub.topic': selfUrl, 'hub.challenge': `${mode}-ok`, 'hub.lease_seconds': '3600' })}`,
      );
    expect(await (await verify('subscribe')).text()).toBe('subscribe-ok');
    expect(await following(source)).toMatchObject({ state: 'active' });

    extra = '';
    await poll(source);
    expect(requests.map((form) => form.get('hub.mode'))).toEqual(['subscribe', 'unsubscribe']);
    expect(Object.fromEntries(requests[1]!)).toEqual({ 'hub.mode': 'unsubscribe', 'hub.topic': selfUrl, 'hub.callback': mine });
    expect(await following(source)).toMatchObject({ state: 'unsubscribed', leaseEnd: null });
    // W3C WebSub §5.3: the unsubscription is ours, so it is confirmed; a renewed subscription no longer is.
    expect(await (await verify('unsubscribe')).text()).toBe('unsubscribe-ok');
    expect((await verify('subscribe')).status).toBe(404);
    const pushed = await fetch(mine, { method: 'POST', headers: { 'content-type': 'application/rss+xml' }, body: rss([]) });
    expect(pushed.status).toBe(410);
    // Polled at its cadence again.
    expect((await nextPollAt(source)) - Date.now()).toBeLessThan(hour);
  });
});
