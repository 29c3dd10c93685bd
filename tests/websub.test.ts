import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../src/ingest/parse.ts';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';

// Our WebSub hub (W3C WebSub, 2018) against a subscriber on loopback: verification of intent, signed content
// distribution after a write, retries, 410, and refused callbacks.

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let clock = Date.now();
let t: TestApp;
let subscriber: Server;
let base = '';
const received: Received[] = [];
const challenges: string[] = [];
/** What the external hub (WEBSUB_HUB_URL) was told. */
const pings: string[] = [];
/** What the subscriber answers the next deliveries with (then 200). */
const answers: number[] = [];
let confirm = true;

beforeAll(async () => {
  subscriber = createServer((request, response) => {
    const url = new URL(request.url!, 'http://127.0.0.1');
    if (request.method === 'GET') {
      const challenge = url.searchParams.get('hub.challenge') ?? '';
      challenges.push(`${url.searchParams.get('hub.mode')} ${url.searchParams.get('hub.topic')}`);
      response.end(confirm ? challenge : 'no');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (url.pathname === '/external-hub') {
        pings.push(Buffer.concat(chunks).toString());
        response.writeHead(204).end();
        return;
      }
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
  const { port } = subscriber.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  t = await startTestApp({
    seed: false,
    env: { INGEST_ALLOW_HOSTS: `127.0.0.1:${port}`, WEBSUB_HUB_URL: `${base}/external-hub` },
    parts: { now: () => clock },
  });
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => subscriber.close(resolve));
});

const topic = 'https://news.example.org/en/atom.xml';
const hubRequest = (fields: Record<string, string>) =>
  t.request('/websub', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const subscriptions = async () =>
  (
    (await (await t.admin('GET', '/api/admin/websub')).json()) as {
      subscriptions: { topic: string; callback: string; failures: number; nextAttempt: string | null; lastDelivery: string | null }[];
    }
  ).subscriptions;
/** Waits (bounded) until `done` holds; the hub works after it has answered. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('the WebSub hub', () => {
  it('advertises itself and WEBSUB_HUB_URL on every subscription feed, in the document and in Link headers', async () => {
    await t.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'first-story' })] });
    for (const [path, marker] of [
      ['/en/atom.xml', '<link rel="hub" href="https://news.example.org/websub"/>'],
      ['/en/feed.xml', '<atom:link href="https://news.example.org/websub" rel="hub"/>'],
      ['/en/feed.json', '"hubs":[{"type":"WebSub","url":"https://news.example.org/websub"},{"type":"WebSub","url":"http://127.0.0.1:'],
      ['/en/tag/north-korea/atom.xml', '<link rel="hub" href="https://news.example.org/websub"/>'],
    ]) {
      const response = await t.request(path);
      expect(await response.text(), path).toContain(marker);
      expect(response.headers.get('link'), path).toBe(
        `<https://news.example.org/websub>; rel="hub", <${base}/external-hub>; rel="hub", <https://news.example.org${path}>; rel="self"`,
      );
    }
  });

  it('is found by our own feed reader in every format (ingestion’s WebSub discovery)', async () => {
    for (const file of ['feed.xml', 'atom.xml', 'feed.json']) {
      const parsed = await parseFeed(await (await t.request(`/en/${file}`)).text());
      expect(parsed.hubs, file).toEqual(['https://news.example.org/websub', `${base}/external-hub`]);
      expect(parsed.selfUrl, file).toBe(`https://news.example.org/en/${file}`);
    }
  });

  it('verifies a subscription with the callback, then delivers the new feed, signed, after a write', async () => {
    const accepted = await hubRequest({
      'hub.mode': 'subscribe',
      'hub.topic': topic,
      'hub.callback': `${base}/cb?user=1`,
      'hub.secret': 's3cret',
    });
    expect(accepted.status).toBe(202);
    await until(async () => (await subscriptions()).length === 1, 'the subscription');
    expect(challenges).toContain(`subscribe ${topic}`);
    const [subscription] = await subscriptions();
    expect(subscription).toMatchObject({ topic, callback: `${base}/cb?user=1`, failures: 0 });

    const before = received.length;
    await t.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'pushed-story', title: 'Pushed to subscribers' })] });
    await until(() => received.length > before, 'a delivery');
    const delivery = received.at(-1)!;
    expect(delivery.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(delivery.headers.link).toBe(`<https://news.example.org/websub>; rel="hub", <${topic}>; rel="self"`);
    expect(delivery.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(delivery.body).digest('hex')}`);
    expect(delivery.body.toString()).toContain('Pushed to subscribers');
    // The external hub is pinged for every changed feed (hub.mode=publish&hub.url=…).
    await until(() => pings.includes(new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString()), 'the publish ping');
  });

  it('retries a delivery the subscriber failed, and stops when it answers 410', async () => {
    answers.push(500);
    const before = received.length;
    await t.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'retried-story', title: 'Retried story' })] });
    await until(async () => (await subscriptions())[0]?.failures === 1, 'the failure recorded');
    expect(received.length).toBe(before + 1);
    expect((await subscriptions())[0]!.nextAttempt).not.toBeNull();
    // Not due yet: nothing is sent.
    await t.services.hub.deliverDue();
    expect(received.length).toBe(before + 1);
    clock += 60_000;
    await t.services.hub.deliverDue();
    expect(received.length).toBe(before + 2);
    expect(received.at(-1)!.body.toString()).toContain('Retried story');
    expect((await subscriptions())[0]).toMatchObject({ failures: 0, nextAttempt: null });

    answers.push(410);
    await t.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'gone-story' })] });
    await until(async () => (await subscriptions()).length === 0, 'the subscription ended by 410');
  });

  it('refuses bad requests with 400 and the reason, and callbacks on private or loopback addresses', async () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ 'hub.mode': 'follow', 'hub.topic': topic, 'hub.callback': `${base}/cb` }, /hub.mode/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': 'https://elsewhere.example/feed.xml', 'hub.callback': `${base}/cb` }, /hub.topic/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': 'ftp://x.example/' }, /hub.callback/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': 'http://169.254.169.254/latest/meta-data/' }, /refused/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': 'http://127.0.0.1:9/cb' }, /refused/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': `${base}/cb`, 'hub.secret': 'x'.repeat(200) }, /hub.secret/],
    ];
    for (const [fields, reason] of bad) {
      const response = await hubRequest(fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('invalid_query');
      expect(error.message).toMatch(reason);
    }
    expect((await t.request('/websub', { method: 'POST', body: 'hub.mode=subscribe' })).status).toBe(415);
  });

  it('does not subscribe a callback that does not confirm, and unsubscribes one that does', async () => {
    confirm = false;
    const asked = challenges.length;
    expect((await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': `${base}/refusing` })).status).toBe(202);
    await until(() => challenges.length > asked, 'the verification request');
    expect(await subscriptions()).toEqual([]);
    confirm = true;
    await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': `${base}/cb2` });
    await until(async () => (await subscriptions()).length === 1, 'the subscription');
    await hubRequest({ 'hub.mode': 'unsubscribe', 'hub.topic': topic, 'hub.callback': `${base}/cb2` });
    await until(async () => (await subscriptions()).length === 0, 'the unsubscription');
  });
});
