import { AppError } from '../errors.ts';
import { feedFileNames } from '../feeds/feed-model.ts';
import { defaultLimit, type FeedService } from '../feeds/feed-service.ts';
import { checkedUrl, fetchFeed } from '../ingest/fetch.ts';
import { IngestError } from '../ingest/ingest-error.ts';
import { encodeUtf8 } from '../render-cache/document.ts';
import { isListScope } from '../render-cache/scopes.ts';
import { signBody } from './signature.ts';
import { parseTopic } from './topic.ts';
import type { WebSubStore } from './websub-store.ts';

export interface HubPorts {
  store: WebSubStore;
  feeds: Pick<FeedService, 'loadFeed'>;
  site: { siteUrl: string; languages: string[] };
  /** An external hub told of every changed feed (`hub.mode=publish&hub.url=…`, the convention public hubs follow). */
  externalHub?: string;
  /**
   * Whether `changed` starts the deliveries itself, in the background (Node). Where work after an answer may be cut off
   * (Workers), the runtime runs `deliverDue` itself within the request instead.
   */
  deliverInBackground: boolean;
  /** Where callbacks may be (the same guard and allowlist as ingestion): outbound HTTP, host:port exemptions, limits. */
  fetch: typeof fetch;
  allowHosts: string[];
  timeoutMs: number;
  userAgent: string;
  now: () => number;
  random: () => number;
  log: (line: string) => void;
}

const day = 86_400;
/** W3C WebSub §5.1: lease_seconds as the subscriber asks, within these bounds; 10 days when it does not ask. */
export const leaseBounds = { min: 3600, default: 10 * day, max: 30 * day };
/** Retries of a failed delivery: 30 s, doubling, at most 6 hours apart, over about a day and a half in all. */
const retryDelaySeconds = (failures: number) => Math.min(30 * 2 ** (failures - 1), 6 * 3600);
const maxFailures = 14;

export type Hub = ReturnType<typeof createHub>;

/**
 * Our own WebSub hub (W3C Recommendation, 2018) for every feed variant: subscription requests verified by GET to the
 * callback, and content distribution (the feed's new bytes, signed when the subscriber gave a secret) whenever a write
 * changes a feed, retried with backoff. Callbacks are attacker-chosen URLs: every request to one goes through
 * ingestion's fetch, with its address guard, allowlist, timeouts, size limit and redirect rules.
 */
export function createHub(ports: HubPorts) {
  const hubUrl = `${ports.site.siteUrl}/websub`;
  const linkHeader = (topic: string) => `<${hubUrl}>; rel="hub", <${topic}>; rel="self"`;

  /** A request to an attacker-chosen URL (a callback, a hub): through ingestion's fetch and its limits. */
  const callOut = (url: string, limits: { maxBytes: number; post?: { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } }) =>
    fetchFeed(url, { userAgent: ports.userAgent, fetch: ports.fetch, allowHosts: ports.allowHosts, timeoutMs: ports.timeoutMs, ...limits });

  /** W3C WebSub §5.3: the subscriber confirms by echoing the challenge. */
  async function verify(mode: 'subscribe' | 'unsubscribe', topic: string, callback: string, leaseSeconds: number): Promise<boolean> {
    const challenge = Array.from({ length: 4 }, () => Math.floor(ports.random() * 2 ** 32).toString(36)).join('');
    const url = new URL(callback);
    url.searchParams.set('hub.mode', mode);
    url.searchParams.set('hub.topic', topic);
    url.searchParams.set('hub.challenge', challenge);
    if (mode === 'subscribe') url.searchParams.set('hub.lease_seconds', String(leaseSeconds));
    try {
      const result = await callOut(url.href, { maxBytes: 1024 });
      return result.kind === 'ok' && new TextDecoder().decode(result.body) === challenge;
    } catch (error) {
      ports.log(`websub: verifying ${callback} failed: ${(error as Error).message}`);
      return false;
    }
  }

  async function deliver(topic: string, callback: string, secret: string | undefined, lastEtag: string | undefined, failures: number) {
    const parsed = parseTopic(topic, ports.site.siteUrl, ports.site.languages);
    const loaded = parsed && (await ports.feeds.loadFeed(parsed.scope, parsed.format, defaultLimit));
    const at = ports.now();
    if (!loaded) return ports.store.unsubscribe(topic, callback); // the feed is gone (its last tagged article too)
    const { document } = loaded;
    if (document.etag === lastEtag) return ports.store.recordDelivery(topic, callback, { at, etag: lastEtag });
    const headers: Record<string, string> = { 'Content-Type': document.contentType, Link: linkHeader(topic) };
    if (secret) headers['X-Hub-Signature'] = await signBody(secret, document.body);
    let error: string;
    try {
      const result = await callOut(callback, { maxBytes: 64 * 1024, post: { body: document.body, headers } });
      if (result.kind === 'ok') return ports.store.recordDelivery(topic, callback, { at, etag: document.etag });
      // W3C WebSub §7: 410 Gone tells the hub to stop.
      if (result.kind === 'http-error' && result.status === 410) return ports.store.unsubscribe(topic, callback);
      error = result.kind === 'http-error' ? `HTTP ${result.status}` : `unexpected answer (${result.kind})`;
    } catch (failure) {
      error = failure instanceof IngestError ? `${failure.code}: ${failure.message}` : (failure as Error).message;
    }
    const tried = failures + 1;
    const dueAt = tried >= maxFailures ? undefined : at + retryDelaySeconds(tried) * 1000;
    ports.log(`websub: delivering ${topic} to ${callback} failed (${error})${dueAt ? '' : '; giving up'}`);
    return ports.store.recordDelivery(topic, callback, { at, error, dueAt });
  }

  /** Tells an external hub which of our feeds changed, one request a feed of these list scopes. */
  async function publishTo(hub: string, scopes: string[]): Promise<void> {
    const topics = scopes.flatMap((scope) => Object.values(feedFileNames).map((file) => `${ports.site.siteUrl}/${scope}/${file}`));
    for (const topic of topics) {
      const body = encodeUtf8(new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString());
      const result = await callOut(hub, {
        maxBytes: 64 * 1024,
        post: { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      });
      if (result.kind !== 'ok')
        ports.log(`websub: ${hub} answered ${result.kind === 'http-error' ? result.status : result.kind} to a publish ping`);
    }
  }

  /** Scopes changed since the external hub was last told (kept in memory: a lost ping only delays that hub's fetch). */
  const pings: string[] = [];

  /** Tells the external hub, if any, of the feeds changed since it was last told. */
  async function pingExternalHub(): Promise<void> {
    if (!ports.externalHub || pings.length === 0) return;
    const scopes = [...new Set(pings.splice(0))];
    await publishTo(ports.externalHub, scopes).catch((error: unknown) => ports.log(`websub: ${(error as Error).message}`));
  }

  /**
   * Takes up to `limit` owed deliveries: each comes due again in 10 minutes, so another run (request, process, isolate
   * or queue consumer) does not take it too, and one that was cut off is tried again.
   */
  const claimDue = (limit: number) => ports.store.claimDue(ports.now(), ports.now() + 10 * 60_000, limit);

  /** Delivers what is owed now, a few at a time, and pings the external hub. Runs may overlap: each claims what it delivers. */
  async function deliverDue(): Promise<void> {
    await pingExternalHub();
    for (let due = await claimDue(20); due.length > 0; due = await claimDue(20)) {
      await Promise.all(due.map((s) => deliver(s.topic, s.callback, s.secret, s.lastEtag, s.failures)));
    }
  }

  return {
    hubUrl,
    linkHeader,

    /**
     * A subscription request (W3C WebSub §5.1), as the form fields sent to the hub. Throws AppError for a bad one;
     * otherwise returns at once (202) with the verification of intent under way (awaitable, for tests and waitUntil).
     */
    request(form: URLSearchParams): { verified: Promise<boolean> } {
      const mode = form.get('hub.mode');
      const topicUrl = form.get('hub.topic') ?? '';
      const callback = form.get('hub.callback') ?? '';
      const secret = form.get('hub.secret') ?? undefined;
      const lease = form.get('hub.lease_seconds');
      if (mode !== 'subscribe' && mode !== 'unsubscribe') throw new AppError('invalid_query', 'hub.mode must be subscribe or unsubscribe.');
      const topic = parseTopic(topicUrl, ports.site.siteUrl, ports.site.languages);
      if (!topic)
        throw new AppError('invalid_query', `hub.topic must be one of this site's feeds (${ports.site.siteUrl}/{lang}/atom.xml, ...).`);
      let callbackUrl: URL;
      try {
        callbackUrl = new URL(callback);
      } catch {
        throw new AppError('invalid_query', 'hub.callback must be an absolute http(s) URL.');
      }
      if (callbackUrl.protocol !== 'http:' && callbackUrl.protocol !== 'https:') {
        throw new AppError('invalid_query', 'hub.callback must be an absolute http(s) URL.');
      }
      // Loopback, private and metadata addresses are refused here already; names that resolve to them, on connecting.
      try {
        checkedUrl(callbackUrl.href, undefined, ports.allowHosts);
      } catch (error) {
        if (!(error instanceof IngestError)) throw error;
        throw new AppError('invalid_query', `hub.callback is refused: ${error.message}`);
      }
      if (secret !== undefined && (secret.length === 0 || new TextEncoder().encode(secret).length >= 200)) {
        throw new AppError('invalid_query', 'hub.secret must be 1 to 199 bytes.');
      }
      if (lease !== null && !/^\d{1,9}$/.test(lease))
        throw new AppError('invalid_query', 'hub.lease_seconds must be a whole number of seconds.');
      const leaseSeconds = Math.min(leaseBounds.max, Math.max(leaseBounds.min, lease === null ? leaseBounds.default : Number(lease)));
      const verified = verify(mode, topic.url, callbackUrl.href, leaseSeconds).then(async (confirmed) => {
        if (!confirmed) return false;
        if (mode === 'unsubscribe') await ports.store.unsubscribe(topic.url, callbackUrl.href);
        else
          await ports.store.subscribe(
            { topic: topic.url, callback: callbackUrl.href, scope: topic.scopeKey, secret, leaseEnd: ports.now() + leaseSeconds * 1000 },
            ports.now(),
          );
        return true;
      });
      return { verified };
    },

    /** These render-cache scopes changed: their subscribers are owed the new documents, delivered now. */
    async changed(scopes: Iterable<string>): Promise<void> {
      // Topics are feeds, so only list scopes can change one: page-only and site-only changes (every poll's) write nothing.
      const list = [...scopes].filter(isListScope);
      if (list.length === 0) return;
      await ports.store.markDue(list, ports.now());
      if (ports.externalHub) pings.push(...list);
      if (ports.deliverInBackground)
        deliverDue().catch((error: unknown) => ports.log(`websub: deliveries failed: ${(error as Error).message}`));
    },

    deliverDue,
    pingExternalHub,
    claimDue,
    /** Delivers one claimed subscription's feed (a queue consumer's part), read afresh; nothing when it is gone. */
    async deliverClaimed(topic: string, callback: string): Promise<void> {
      const s = await ports.store.get(topic, callback);
      if (s) await deliver(s.topic, s.callback, s.secret, s.lastEtag, s.failures);
    },
    list: () => ports.store.list(),
  };
}
