import type { IngestConfig } from '../config.ts';
import { type FeedResponseHeaders, fetchFeed } from './fetch.ts';
import { IngestError } from './ingest-error.ts';
import type { IngestStore } from './ingest-store.ts';
import type { ItemStorage } from './item-storage.ts';
import { parseLinkHeader } from './link-header.ts';
import type { PollRecord, Source } from './model.ts';
import type { EntryReport } from './normalize.ts';
import { type FreshnessHints, nextPollAt, type PollPolicy, pushedPollAt } from './poll-policy.ts';
import { type ProcessedFeed, processFeed } from './process-feed.ts';
import { defaultVideoIframeHosts } from './sanitize.ts';

/** What polling needs: the sources' store, the settings, the outbound fetch, a clock, randomness and a log. */
export interface PollerPorts {
  store: IngestStore;
  items: ItemStorage;
  settings: IngestConfig;
  userAgent: string;
  /** On Node, a fetch whose connections go only to checked addresses. */
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  log: (line: string) => void;
  /** WebSub subscriptions to the hubs followed feeds name (W3C WebSub); without it every source is only polled. */
  push?: PushPort;
}

/** A feed's hub and its self URL (the topic to subscribe to), as WebSub discovery finds them (W3C WebSub §4). */
export interface PushDiscovery {
  hub: string;
  topic: string;
}

/** Where polls hand what they learn about a feed's hub, and learn whether its updates are pushed. */
export interface PushPort {
  /**
   * Called after each poll that reached the feed: `found` is its hub and self URL, `null` when the parsed feed names
   * none, `undefined` when it was not parsed (304). Returns the live lease, if any: the source is then polled rarely.
   */
  afterPoll(source: Source, found: PushDiscovery | null | undefined, now: number): Promise<{ renewAt: number } | undefined>;
}

/** Runs polls: here (inline), or elsewhere (on Node, a child process with its own database connection). */
export interface PollRunner {
  pollDue(): Promise<PollReport[]>;
  pollSources(sourceIds: number[]): Promise<PollReport[]>;
  close(): Promise<void>;
}

/** A PollRunner that polls in the calling process; `dueLimit` caps the sources one pollDue takes. */
export function createInlinePollRunner(ports: PollerPorts, dueLimit?: number): PollRunner {
  return {
    pollDue: () => pollDue(ports, undefined, dueLimit),
    async pollSources(sourceIds) {
      const sources = await Promise.all(sourceIds.map((id) => ports.store.getSource(id)));
      return pollSources(
        ports,
        sources.filter((source): source is Source => source !== undefined),
      );
    },
    close: async () => undefined,
  };
}

export interface PollReport {
  sourceId: number;
  url: string;
  outcome: 'updated' | 'not-modified' | 'failed' | 'gone';
  status: number | null;
  itemsSeen: number;
  itemsNew: number;
  /** What became of the feed's entries, when it was parsed. */
  entries?: EntryReport;
  errorCode?: string;
  message?: string;
  durationMs: number;
  nextPollAt: number;
  /** Our articles whose related coverage changed with this poll (their feeds change too). */
  relinkedArticles?: string[];
}

export function userAgent(siteUrl: string): string {
  return `PolyglotFeeds/0.1 (+${siteUrl})`;
}

function policyOf(settings: IngestConfig): PollPolicy {
  const { minIntervalSeconds, maxIntervalSeconds, maxBackoffSeconds } = settings;
  return { minIntervalSeconds, maxIntervalSeconds, maxBackoffSeconds };
}

/** Polls one source once: conditional GET, then (unless 304) decode, parse, normalize and store its items. */
export async function pollSource(deps: PollerPorts, source: Source): Promise<PollReport> {
  const started = deps.now();
  const { settings } = deps;
  const policy = policyOf(settings);
  const done = (record: Omit<PollRecord, 'attemptAt'>, report: Omit<PollReport, 'sourceId' | 'url' | 'durationMs' | 'nextPollAt'>) =>
    finish(deps, source, started, { ...record, attemptAt: started }, report);

  let hints: FreshnessHints = {};
  try {
    const result = await fetchFeed(source.url, {
      userAgent: deps.userAgent,
      etag: source.etag ?? undefined,
      lastModified: source.lastModified ?? undefined,
      timeoutMs: settings.timeoutSeconds * 1000,
      maxBytes: settings.maxBytes,
      allowHosts: settings.allowHosts,
      fetch: deps.fetch,
    });
    hints = freshnessHints(result.headers);
    const movedTo = result.permanentUrl && result.permanentUrl !== source.url ? result.permanentUrl : undefined;

    if (result.kind === 'not-modified') {
      // RFC 9110 §15.4.5: nothing changed, so nothing is parsed
      const push = await followPush(deps, source, undefined, started);
      const cadence = nextPollAt(started, source.pollIntervalSeconds, { kind: 'fetched', hints }, policy, deps.random);
      const next = pushedPollAt(started, cadence, push);
      return done(
        { status: 304, success: true, url: movedTo, consecutiveErrors: 0, nextPollAt: next },
        { outcome: 'not-modified', status: 304, itemsSeen: 0, itemsNew: 0 },
      );
    }
    if (result.kind === 'http-error') {
      if (result.status === 410) {
        const reason = 'The server answered 410 Gone: the publisher removed this feed. Re-enable the source to try again.';
        return done(
          {
            status: 410,
            success: false,
            consecutiveErrors: source.consecutiveErrors + 1,
            nextPollAt: started,
            errorCode: 'gone',
            errorMessage: reason,
            disable: reason,
          },
          { outcome: 'gone', status: 410, itemsSeen: 0, itemsNew: 0, errorCode: 'gone', message: reason },
        );
      }
      const errors = source.consecutiveErrors + 1;
      const next = nextPollAt(
        started,
        source.pollIntervalSeconds,
        { kind: 'failed', status: result.status, retryAfter: result.headers.retryAfter, consecutiveErrors: errors },
        policy,
        deps.random,
      );
      const message = `The server answered HTTP ${result.status}.`;
      return done(
        {
          status: result.status,
          success: false,
          url: movedTo,
          consecutiveErrors: errors,
          nextPollAt: next,
          errorCode: 'http_error',
          errorMessage: message,
        },
        { outcome: 'failed', status: result.status, itemsSeen: 0, itemsNew: 0, errorCode: 'http_error', message },
      );
    }

    const document = { body: result.body, contentType: result.headers.contentType, url: result.url };
    const { processed, saved, relinked } = await storeFeedDocument(deps, source, document, started);
    hints = { ...hints, ttlMinutes: processed.ttlMinutes, updatePeriod: processed.updatePeriod };
    const push = await followPush(deps, source, webSubDiscovery(processed, result.headers.link, result.url), started);
    const cadence = nextPollAt(started, source.pollIntervalSeconds, { kind: 'fetched', hints }, policy, deps.random);
    const next = pushedPollAt(started, cadence, push);
    return done(
      {
        status: result.status,
        success: true,
        // Validators are kept byte-exact, and forgotten when the server stops sending them.
        etag: result.headers.etag ?? null,
        lastModified: result.headers.lastModified ?? null,
        url: movedTo,
        itemsSeen: saved.seen,
        itemsNew: saved.created,
        entries: processed.report,
        consecutiveErrors: 0,
        nextPollAt: next,
      },
      {
        outcome: 'updated',
        status: result.status,
        itemsSeen: saved.seen,
        itemsNew: saved.created,
        entries: processed.report,
        relinkedArticles: relinked,
      },
    );
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    const errors = source.consecutiveErrors + 1;
    const next = nextPollAt(started, source.pollIntervalSeconds, { kind: 'failed', consecutiveErrors: errors }, policy, deps.random);
    return done(
      { status: null, success: false, consecutiveErrors: errors, nextPollAt: next, errorCode: error.code, errorMessage: error.message },
      { outcome: 'failed', status: null, itemsSeen: 0, itemsNew: 0, errorCode: error.code, message: error.message },
    );
  }
}

/**
 * A source's feed document to stored items: decode, parse, normalize (sanitizing on the way), store and cross-link. A
 * poll's fetched document and a hub's pushed one (W3C WebSub §7) both go this way, so their items are alike.
 */
export async function storeFeedDocument(
  deps: Pick<PollerPorts, 'items' | 'settings'>,
  source: Source,
  document: { body: Uint8Array; contentType: string | undefined; url: string },
  now: number,
) {
  const processed = await processFeed({
    body: document.body,
    contentType: document.contentType,
    context: {
      feedUrl: document.url,
      sourceLanguage: source.language ?? undefined,
      now,
      iframeHosts: deps.settings.videoIframes ? [...defaultVideoIframeHosts] : [],
    },
  });
  const { saved, relinked } = await deps.items.storeItems(source.id, processed.items, now);
  return { processed, saved, relinked };
}

/**
 * W3C WebSub §4: the feed's hub and self URL, from its `Link` header first, else as the document names them (the first
 * hub); both absolute http(s) URLs; else null.
 */
function webSubDiscovery(processed: ProcessedFeed, linkHeader: string | undefined, url: string): PushDiscovery | null {
  const links = parseLinkHeader(linkHeader, url);
  const hub = links.find((link) => link.rels.includes('hub'))?.href ?? processed.hubs[0];
  const topic = links.find((link) => link.rels.includes('self'))?.href ?? processed.selfUrl;
  return hub && topic && isHttpUrl(hub) && isHttpUrl(topic) ? { hub, topic } : null;
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** Hands the poll's WebSub discovery on; a failure there is logged and leaves the source polled as usual. */
async function followPush(deps: PollerPorts, source: Source, found: PushDiscovery | null | undefined, now: number) {
  if (!deps.push) return undefined;
  try {
    return await deps.push.afterPoll(source, found, now);
  } catch (error) {
    deps.log(`source ${source.id} (${source.url}): WebSub subscription step failed: ${(error as Error).message}`);
    return undefined;
  }
}

async function finish(
  deps: PollerPorts,
  source: Source,
  started: number,
  record: PollRecord,
  report: Omit<PollReport, 'sourceId' | 'url' | 'durationMs' | 'nextPollAt'>,
): Promise<PollReport> {
  await deps.store.recordPoll(source.id, record);
  // One log line when a source starts failing, is disabled or recovers; not one per attempt.
  if (report.outcome === 'gone') deps.log(`source ${source.id} (${source.url}) disabled: ${report.message}`);
  else if (report.outcome === 'failed' && source.consecutiveErrors === 0) {
    deps.log(`source ${source.id} (${source.url}) failing: ${report.errorCode}: ${report.message} (retrying with backoff)`);
  } else if (report.outcome !== 'failed' && source.consecutiveErrors > 0) deps.log(`source ${source.id} (${source.url}) recovered`);
  if (record.url) deps.log(`source ${source.id} moved permanently to ${record.url}`);
  return { sourceId: source.id, url: record.url ?? source.url, durationMs: deps.now() - started, nextPollAt: record.nextPollAt, ...report };
}

function freshnessHints(headers: FeedResponseHeaders): FreshnessHints {
  return { cacheControl: headers.cacheControl, expires: headers.expires, date: headers.date };
}

/**
 * Polls sources with at most `concurrency` requests at once and one at a time per host:
 * each host's sources form a queue, and each of `concurrency` lanes drains one queue at a time.
 */
export async function pollSources(deps: PollerPorts, sources: Source[], onReport?: (report: PollReport) => void): Promise<PollReport[]> {
  const byHost = new Map<string, Source[]>();
  for (const source of sources) {
    const host = hostOf(source.url);
    byHost.set(host, [...(byHost.get(host) ?? []), source]);
  }
  const queues = [...byHost.values()];
  const reports: PollReport[] = [];
  const lane = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const source of queue) {
        const report = await pollSource(deps, source);
        reports.push(report);
        onReport?.(report);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.settings.concurrency, queues.length) }, lane));
  return reports;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Polls the enabled sources that are due, most overdue first and at most `limit`, then prunes items past retention. */
export async function pollDue(deps: PollerPorts, onReport?: (report: PollReport) => void, limit = 1000): Promise<PollReport[]> {
  const now = deps.now();
  const due = await deps.store.dueSources(now, limit);
  const reports = await pollSources(deps, due, onReport);
  await deps.items.pruneItems(now - deps.settings.retentionDays * 86_400_000);
  return reports;
}
