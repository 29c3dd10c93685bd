import type { PushDiscovery } from '../ingest/poller.ts';

export type SubscriptionState = 'requested' | 'active' | 'denied' | 'unsubscribed';

/** Our subscription, as a WebSub subscriber (W3C WebSub §5.1), to the hub of one followed source. Times in ms. */
export interface HubSubscription {
  sourceId: number;
  hub: string;
  /** The feed's self URL as it states it. */
  topic: string;
  /** The opaque last segment of our callback URL. */
  callbackId: string;
  secret: string;
  state: SubscriptionState;
  /** When the hub was last asked (subscribe, renew or unsubscribe). */
  requestedAt: number;
  leaseSeconds: number | undefined;
  leaseEnd: number | undefined;
  lastContentAt: number | undefined;
  /** Attempts in a row that did not end in a verified subscription. */
  failures: number;
  lastError: string | undefined;
}

const hour = 3_600_000;
const day = 24 * hour;

/** W3C WebSub §5.1 hub.lease_seconds: what we ask for; the hub may grant another lease. */
export const askedLeaseSeconds = 10 * 86_400;

/** How long before its end a lease is renewed: a day, or half the lease when that is shorter. */
export function renewalMarginMs(leaseSeconds: number | undefined): number {
  return Math.min(day, ((leaseSeconds ?? askedLeaseSeconds) * 1000) / 2);
}

/** The wait after asking a hub before asking again: an hour for it to verify, doubling with each failure, at most a week. */
export function retryDelayMs(failures: number): number {
  return Math.min(hour * 2 ** failures, 7 * day);
}

export type Step =
  | { kind: 'none' }
  | { kind: 'subscribe'; hub: string; topic: string }
  | { kind: 'renew'; failures: number }
  | { kind: 'unsubscribe' };

const none: Step = { kind: 'none' };

/**
 * What a poll asks of a source's subscription. `found` is the hub and self URL its feed names, `null` when the parsed
 * feed names none, `undefined` when it was not parsed this time (304): a new hub or topic is a new subscription, a hub no
 * longer named is left, a lease near its end is renewed, and a request never verified or denied is asked again later.
 */
export function nextStep(current: HubSubscription | undefined, found: PushDiscovery | null | undefined, now: number): Step {
  if (found === null) return current?.state === 'active' || current?.state === 'requested' ? { kind: 'unsubscribe' } : none;
  const changed = found && (!current || current.hub !== found.hub || current.topic !== found.topic || current.state === 'unsubscribed');
  if (changed) return { kind: 'subscribe', hub: found.hub, topic: found.topic };
  if (!current || current.state === 'unsubscribed' || now - current.requestedAt < retryDelayMs(current.failures)) return none;
  if (current.state === 'active') {
    const due = current.leaseEnd === undefined || current.leaseEnd - now <= renewalMarginMs(current.leaseSeconds);
    return due ? { kind: 'renew', failures: current.failures } : none;
  }
  // Never verified (W3C WebSub §5.3), or denied (§5.2): ask again. A request the hub accepted but never verified failed too.
  const unverified = current.state === 'requested' && current.lastError === undefined;
  return { kind: 'renew', failures: current.failures + (unverified ? 1 : 0) };
}

/** While a subscription's lease is live, when it is due for renewal (what polling plans around); undefined otherwise. */
export function liveLease(current: HubSubscription | undefined, now: number): { renewAt: number } | undefined {
  if (current?.state !== 'active' || current.leaseEnd === undefined || current.leaseEnd <= now) return undefined;
  return { renewAt: current.leaseEnd - renewalMarginMs(current.leaseSeconds) };
}

export type Verification =
  | { kind: 'confirm'; mode: 'subscribe' | 'unsubscribe'; challenge: string; leaseSeconds: number }
  | { kind: 'denied'; reason: string }
  | { kind: 'refuse' };

/**
 * The answer to a hub's GET at our callback. W3C WebSub §5.3: confirm (echo hub.challenge) only a subscription or
 * unsubscription we asked for, of this topic at this callback; anything else is refused (404). §5.2: a denial of one
 * we asked for is taken note of.
 */
export function verification(current: HubSubscription | undefined, query: URLSearchParams): Verification {
  const mode = query.get('hub.mode');
  if (!current || query.get('hub.topic') !== current.topic) return { kind: 'refuse' };
  const asked = current.state === 'requested' || current.state === 'active';
  if (mode === 'denied')
    return asked ? { kind: 'denied', reason: query.get('hub.reason')?.slice(0, 500) || 'no reason given' } : { kind: 'refuse' };
  const challenge = query.get('hub.challenge');
  if (!challenge) return { kind: 'refuse' };
  if (mode === 'subscribe' && asked) {
    // §5.3: the hub states the lease it granted; a hub that leaves it out is taken to grant what was asked.
    const lease = query.get('hub.lease_seconds') ?? '';
    return { kind: 'confirm', mode, challenge, leaseSeconds: /^\d{1,9}$/.test(lease) ? Number(lease) : askedLeaseSeconds };
  }
  if (mode === 'unsubscribe' && current.state === 'unsubscribed') return { kind: 'confirm', mode, challenge, leaseSeconds: 0 };
  return { kind: 'refuse' };
}
