import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pushedPollAt, pushedPollSeconds } from '../src/ingest/poll-policy.ts';
import { signBody, verifySignature } from '../src/websub/signature.ts';
import {
  askedLeaseSeconds,
  type HubSubscription,
  liveLease,
  nextStep,
  renewalMarginMs,
  retryDelayMs,
  verification,
} from '../src/websub/subscriber.ts';

// The pure rules of ingestion as a WebSub subscriber: signatures (W3C WebSub §8), what a poll does with a source's
// subscription (§5.1, lease renewal), how a hub's verification is answered (§5.2, §5.3), and polling while pushed.

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const hour = 3_600_000;
const day = 24 * hour;
const hub = 'https://hub.example.com/';
const topic = 'https://outlet.example.com/feed.xml';

const subscription = (overrides: Partial<HubSubscription> = {}): HubSubscription => ({
  sourceId: 1,
  hub,
  topic,
  callbackId: 'c0ffee',
  secret: 's3cret',
  state: 'active',
  requestedAt: NOW - 5 * day,
  leaseSeconds: askedLeaseSeconds,
  leaseEnd: NOW + 5 * day,
  lastContentAt: undefined,
  failures: 0,
  lastError: undefined,
  ...overrides,
});

describe('X-Hub-Signature (W3C WebSub §8)', () => {
  const body = new TextEncoder().encode('<feed>pushed</feed>') as Uint8Array<ArrayBuffer>;
  const hmac = (method: string, secret = 's3cret') => createHmac(method, secret).update(body).digest('hex');

  it.each(['sha1', 'sha256', 'sha384', 'sha512'] as const)('accepts %s, signed as Node signs it', async (method) => {
    expect(await verifySignature('s3cret', body, `${method}=${hmac(method)}`)).toBe(true);
    expect(await signBody('s3cret', body, method)).toBe(`${method}=${hmac(method)}`);
  });

  it('accepts upper-case hex and a method name in capitals', async () => {
    expect(await verifySignature('s3cret', body, `SHA256=${hmac('sha256').toUpperCase()}`)).toBe(true);
  });

  it.each<[string, string | undefined]>([
    ['no header', undefined],
    ['an empty header', ''],
    ['another secret', `sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`],
    ['a method the spec does not name', `md5=${createHmac('md5', 's3cret').update(body).digest('hex')}`],
    ['no method', hmac('sha256')],
    ['a truncated signature', `sha256=${hmac('sha256').slice(0, 62)}`],
    ['an odd number of hex digits', `sha256=${hmac('sha256').slice(0, 63)}`],
    ['hex of another method', `sha1=${hmac('sha256')}`],
    ['not hex', `sha256=${'zz'.repeat(32)}`],
  ])('rejects %s', async (_, header) => {
    expect(await verifySignature('s3cret', body, header)).toBe(false);
  });

  it('rejects a body changed after signing', async () => {
    const changed = new TextEncoder().encode('<feed>pushed!</feed>') as Uint8Array<ArrayBuffer>;
    expect(await verifySignature('s3cret', changed, `sha256=${hmac('sha256')}`)).toBe(false);
  });
});

describe('lease renewal and retries', () => {
  it('renews a day before the end of a long lease, half-way through a short one', () => {
    expect(renewalMarginMs(10 * 86_400)).toBe(day);
    expect(renewalMarginMs(3600)).toBe(hour / 2);
    expect(renewalMarginMs(undefined)).toBe(day);
  });

  it('waits an hour for a verification, doubling with each failure, at most a week', () => {
    expect([0, 1, 2, 3].map(retryDelayMs)).toEqual([hour, 2 * hour, 4 * hour, 8 * hour]);
    expect(retryDelayMs(20)).toBe(7 * day);
  });

  it('leaves a live lease alone until a day before its end, then renews it with the same callback', () => {
    const found = { hub, topic };
    expect(nextStep(subscription({ leaseEnd: NOW + day + 1 }), found, NOW)).toEqual({ kind: 'none' });
    expect(nextStep(subscription({ leaseEnd: NOW + day }), found, NOW)).toEqual({ kind: 'renew', failures: 0 });
    // The feed was not parsed this time (304): the stored hub and topic still serve.
    expect(nextStep(subscription({ leaseEnd: NOW + hour }), undefined, NOW)).toEqual({ kind: 'renew', failures: 0 });
    // A lapsed lease is renewed too.
    expect(nextStep(subscription({ leaseEnd: NOW - hour }), undefined, NOW)).toEqual({ kind: 'renew', failures: 0 });
  });

  it('does not ask again within an hour of asking', () => {
    expect(nextStep(subscription({ leaseEnd: NOW + hour, requestedAt: NOW - 59 * 60_000 }), undefined, NOW)).toEqual({ kind: 'none' });
    expect(nextStep(subscription({ state: 'requested', requestedAt: NOW - 59 * 60_000 }), undefined, NOW)).toEqual({ kind: 'none' });
  });

  it('asks again when the hub never verified, counting that as a failure, and backs off', () => {
    const unverified = subscription({ state: 'requested', requestedAt: NOW - hour, leaseEnd: undefined });
    expect(nextStep(unverified, { hub, topic }, NOW)).toEqual({ kind: 'renew', failures: 1 });
    // A request that failed already counted; the next waits 2^failures hours.
    const refused = subscription({ state: 'requested', failures: 2, lastError: 'the hub answered HTTP 500', leaseEnd: undefined });
    expect(nextStep({ ...refused, requestedAt: NOW - 3 * hour }, undefined, NOW)).toEqual({ kind: 'none' });
    expect(nextStep({ ...refused, requestedAt: NOW - 4 * hour }, undefined, NOW)).toEqual({ kind: 'renew', failures: 2 });
  });

  it('asks again after a denial, once its backoff has passed', () => {
    const denied = subscription({ state: 'denied', failures: 1, lastError: 'denied: no', leaseEnd: undefined });
    expect(nextStep({ ...denied, requestedAt: NOW - hour }, { hub, topic }, NOW)).toEqual({ kind: 'none' });
    expect(nextStep({ ...denied, requestedAt: NOW - 2 * hour }, { hub, topic }, NOW)).toEqual({ kind: 'renew', failures: 1 });
  });

  it('subscribes afresh to a new hub or topic, and when a hub it left is named again', () => {
    expect(nextStep(undefined, { hub, topic }, NOW)).toEqual({ kind: 'subscribe', hub, topic });
    expect(nextStep(subscription(), { hub: 'https://other-hub.example/', topic }, NOW)).toMatchObject({ kind: 'subscribe' });
    expect(nextStep(subscription(), { hub, topic: `${topic}?v=2` }, NOW)).toMatchObject({ kind: 'subscribe' });
    expect(nextStep(subscription({ state: 'unsubscribed', requestedAt: NOW }), { hub, topic }, NOW)).toMatchObject({ kind: 'subscribe' });
  });

  it('unsubscribes when the feed no longer names a hub, and does nothing without one', () => {
    expect(nextStep(subscription(), null, NOW)).toEqual({ kind: 'unsubscribe' });
    expect(nextStep(subscription({ state: 'requested' }), null, NOW)).toEqual({ kind: 'unsubscribe' });
    expect(nextStep(subscription({ state: 'denied' }), null, NOW)).toEqual({ kind: 'none' });
    expect(nextStep(subscription({ state: 'unsubscribed' }), null, NOW)).toEqual({ kind: 'none' });
    expect(nextStep(subscription({ state: 'unsubscribed' }), undefined, NOW)).toEqual({ kind: 'none' });
    expect(nextStep(undefined, null, NOW)).toEqual({ kind: 'none' });
    expect(nextStep(undefined, undefined, NOW)).toEqual({ kind: 'none' });
  });

  it('counts a lease as live only while active and unexpired', () => {
    expect(liveLease(subscription(), NOW)).toEqual({ renewAt: NOW + 4 * day });
    expect(liveLease(subscription({ leaseSeconds: 3600, leaseEnd: NOW + hour }), NOW)).toEqual({ renewAt: NOW + hour / 2 });
    expect(liveLease(subscription({ leaseEnd: NOW }), NOW)).toBeUndefined();
    expect(liveLease(subscription({ state: 'requested' }), NOW)).toBeUndefined();
    expect(liveLease(subscription({ state: 'denied' }), NOW)).toBeUndefined();
    expect(liveLease(undefined, NOW)).toBeUndefined();
  });
});

describe('answering a hub at our callback (W3C WebSub §5.2, §5.3)', () => {
  const query = (fields: Record<string, string>) => new URLSearchParams(fields);
  const subscribe = { 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.challenge': 'abc123', 'hub.lease_seconds': '86400' };

  it('confirms a subscription it asked for, with the lease granted', () => {
    for (const state of ['requested', 'active'] as const) {
      expect(verification(subscription({ state }), query(subscribe))).toEqual({
        kind: 'confirm',
        mode: 'subscribe',
        challenge: 'abc123',
        leaseSeconds: 86_400,
      });
    }
    const { 'hub.lease_seconds': _, ...withoutLease } = subscribe;
    expect(verification(subscription({ state: 'requested' }), query(withoutLease))).toMatchObject({ leaseSeconds: askedLeaseSeconds });
  });

  it('refuses another topic, a missing challenge, a subscription it did not ask for or gave up', () => {
    expect(verification(subscription(), query({ ...subscribe, 'hub.topic': `${topic}x` }))).toEqual({ kind: 'refuse' });
    expect(verification(subscription(), query({ ...subscribe, 'hub.challenge': '' }))).toEqual({ kind: 'refuse' });
    expect(verification(undefined, query(subscribe))).toEqual({ kind: 'refuse' });
    expect(verification(subscription({ state: 'unsubscribed' }), query(subscribe))).toEqual({ kind: 'refuse' });
    expect(verification(subscription({ state: 'denied' }), query(subscribe))).toEqual({ kind: 'refuse' });
    expect(verification(subscription(), query({ ...subscribe, 'hub.mode': 'publish' }))).toEqual({ kind: 'refuse' });
  });

  it('confirms an unsubscription only after asking for one', () => {
    const unsubscribe = { ...subscribe, 'hub.mode': 'unsubscribe' };
    expect(verification(subscription(), query(unsubscribe))).toEqual({ kind: 'refuse' });
    expect(verification(subscription({ state: 'unsubscribed' }), query(unsubscribe))).toMatchObject({
      kind: 'confirm',
      mode: 'unsubscribe',
    });
  });

  it('takes note of a denial of its own request, with the reason', () => {
    const denied = { 'hub.mode': 'denied', 'hub.topic': topic, 'hub.reason': 'not here' };
    expect(verification(subscription({ state: 'requested' }), query(denied))).toEqual({ kind: 'denied', reason: 'not here' });
    expect(verification(subscription({ state: 'unsubscribed' }), query(denied))).toEqual({ kind: 'refuse' });
    expect(verification(subscription(), query({ ...denied, 'hub.topic': 'https://elsewhere.example/' }))).toEqual({ kind: 'refuse' });
  });
});

describe('polling a source while a hub pushes its updates', () => {
  const minutes = (n: number) => NOW + n * 60_000;

  it('keeps the cadence without a live lease', () => {
    expect(pushedPollAt(NOW, minutes(30), undefined)).toBe(minutes(30));
  });

  it('polls once a day as a safety net instead of its cadence', () => {
    expect(pushedPollAt(NOW, minutes(30), { renewAt: NOW + 5 * day })).toBe(NOW + pushedPollSeconds * 1000);
    expect(pushedPollSeconds).toBe(86_400);
  });

  it('keeps a slower cadence', () => {
    expect(pushedPollAt(NOW, NOW + 2 * day, { renewAt: NOW + 5 * day })).toBe(NOW + 2 * day);
  });

  it('polls when the lease is due for renewal, if that comes first', () => {
    expect(pushedPollAt(NOW, minutes(30), { renewAt: NOW + 3 * hour })).toBe(NOW + 3 * hour);
  });

  it('keeps the cadence once renewal is due, until the hub verifies it', () => {
    expect(pushedPollAt(NOW, minutes(30), { renewAt: NOW })).toBe(minutes(30));
    expect(pushedPollAt(NOW, minutes(30), { renewAt: NOW - hour })).toBe(minutes(30));
  });
});
