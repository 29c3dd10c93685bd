import { fetchFeed } from '../ingest/fetch.ts';
import { IngestError } from '../ingest/ingest-error.ts';
import type { PushDiscovery } from '../ingest/poller.ts';
import { encodeUtf8 } from '../render-cache/document.ts';
import { verifySignature } from './signature.ts';
import { askedLeaseSeconds, type HubSubscription, liveLease, nextStep, verification } from './subscriber.ts';
import type { SubscriberStore } from './subscriber-store.ts';

/** A pushed feed document, as a poll would have fetched it. */
export interface PushedDocument {
  body: Uint8Array;
  contentType: string | undefined;
  url: string;
}

export interface SubscriberPorts {
  store: SubscriberStore;
  /** Our callback URLs are this followed by the subscription's id (`{SITE_URL}/websub/callback/`). */
  callbackBase: string;
  /** Stores a source's pushed document the way a poll stores a fetched one; false when the source is gone or disabled. */
  ingest: (sourceId: number, document: PushedDocument) => Promise<boolean>;
  /** Requests to hubs go through ingestion's fetch: the same address guard, allowlist and timeouts. */
  fetch: typeof fetch;
  allowHosts: string[];
  timeoutMs: number;
  userAgent: string;
  now: () => number;
  log: (line: string) => void;
}

export type Subscriber = ReturnType<typeof createSubscriber>;

/**
 * Ingestion as a WebSub subscriber (W3C Recommendation 2018): a poll that finds a hub in a followed feed subscribes to
 * it (§5.1), the hub verifies at our callback (§5.3), and the content it pushes (§7), once its signature checks out
 * (§8), is stored the way a poll stores a feed. Leases are renewed by the polls that still run as a safety net.
 */
export function createSubscriber(ports: SubscriberPorts) {
  const { store } = ports;

  /** W3C WebSub §5.1: a subscription request to the hub, through ingestion's fetch and its limits. */
  async function ask(s: Pick<HubSubscription, 'sourceId' | 'hub' | 'topic' | 'callbackId' | 'secret'>, mode: 'subscribe' | 'unsubscribe') {
    const form = new URLSearchParams({ 'hub.mode': mode, 'hub.topic': s.topic, 'hub.callback': ports.callbackBase + s.callbackId });
    if (mode === 'subscribe') {
      form.set('hub.lease_seconds', String(askedLeaseSeconds));
      // §5.1 says hub.secret SHOULD go only over HTTPS; it goes to every hub here, since without one anybody who learns
      // the callback URL could push items into our store, and a secret seen on the wire is no worse than none.
      form.set('hub.secret', s.secret);
    }
    let error: string | undefined;
    try {
      const result = await fetchFeed(s.hub, {
        userAgent: ports.userAgent,
        fetch: ports.fetch,
        allowHosts: ports.allowHosts,
        timeoutMs: ports.timeoutMs,
        maxBytes: 64 * 1024,
        post: { body: encodeUtf8(form.toString()), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      });
      // §5.1: 202 Accepted (any 2xx) means the hub is to verify at the callback.
      if (result.kind !== 'ok') error = `the hub answered ${result.kind === 'http-error' ? `HTTP ${result.status}` : '304'}`;
    } catch (failure) {
      if (!(failure instanceof IngestError)) throw failure;
      error = `${failure.code}: ${failure.message}`;
    }
    if (error) ports.log(`websub: the ${mode} request for source ${s.sourceId} (${s.topic}) to ${s.hub} failed: ${error}`);
    if (mode === 'subscribe') await store.recordRequest(s.callbackId, error);
  }

  return {
    /**
     * After a poll of a source: subscribes, renews or unsubscribes as its feed asks (`found`: see nextStep), and returns
     * the live lease, if any, that makes polling a safety net.
     */
    async afterPoll(
      source: { id: number },
      found: PushDiscovery | null | undefined,
      now: number,
    ): Promise<{ renewAt: number } | undefined> {
      const current = await store.ofSource(source.id);
      const step = nextStep(current, found, now);
      if (step.kind === 'none') return liveLease(current, now);
      if (step.kind === 'subscribe') {
        const fresh = { sourceId: source.id, hub: step.hub, topic: step.topic, callbackId: randomToken(16), secret: randomToken(32) };
        // Stored before asking: a hub may verify before it answers the request.
        await store.start(fresh, now);
        await ask(fresh, 'subscribe');
      } else if (step.kind === 'renew') {
        await store.requestedAgain(current!.callbackId, now, step.failures);
        await ask(current!, 'subscribe');
      } else {
        await store.unsubscribed(current!.callbackId, now);
        await ask(current!, 'unsubscribe');
      }
      return liveLease(await store.ofSource(source.id), now);
    },

    /** A hub's GET at our callback (W3C WebSub §5.2, §5.3): the status and body to answer with. */
    async verify(callbackId: string, query: URLSearchParams): Promise<{ status: 200 | 404; body: string }> {
      const current = await store.ofCallback(callbackId);
      const answer = verification(current, query);
      if (answer.kind === 'refuse') return { status: 404, body: 'No such subscription was asked for.' };
      if (answer.kind === 'denied') {
        await store.deny(callbackId, answer.reason);
        ports.log(
          `websub: ${current!.hub} denied the subscription of source ${current!.sourceId} (${answer.reason}); polling it as before`,
        );
        return { status: 200, body: '' };
      }
      if (answer.mode === 'subscribe') await store.activate(callbackId, answer.leaseSeconds, ports.now() + answer.leaseSeconds * 1000);
      return { status: 200, body: answer.challenge };
    },

    /**
     * Content distribution at our callback (W3C WebSub §7): 410 Gone for a callback we no longer have (the hub stops);
     * otherwise 202 at once, the document stored in `done` when its signature checks out.
     */
    async receive(
      callbackId: string,
      body: Uint8Array<ArrayBuffer>,
      headers: { signature: string | undefined; contentType: string | undefined },
    ): Promise<{ status: 202 | 410; done?: Promise<void> }> {
      const current = await store.ofCallback(callbackId);
      if (!current || current.state === 'unsubscribed') return { status: 410 };
      // §8: a bad signature is ignored, though still acknowledged with a 2xx (which tells a forger nothing).
      if (!(await verifySignature(current.secret, body, headers.signature))) {
        ports.log(`websub: ignored a delivery for source ${current.sourceId} with a bad or missing signature`);
        return { status: 202 };
      }
      const done = ports
        .ingest(current.sourceId, { body, contentType: headers.contentType, url: current.topic })
        .then(async (stored) => {
          if (stored) await store.recordContent(callbackId, ports.now());
          else ports.log(`websub: ignored a delivery for source ${current.sourceId}: the source is disabled`);
        })
        .catch((error: unknown) => ports.log(`websub: a delivery for source ${current.sourceId} failed: ${(error as Error).message}`));
      return { status: 202, done };
    },

    list: () => store.list(),
    callbackUrl: (callbackId: string) => ports.callbackBase + callbackId,
  };
}

/** A random token of `bytes` bytes in hex, from the platform's cryptographic generator (callback ids, secrets). */
function randomToken(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
