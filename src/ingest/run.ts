import type { Config } from '../config.ts';
import { type CrosslinkDeps, matchItem } from '../crosslink/matcher.ts';
import type { IngestStore, PollRecord, Source } from '../store/ingest-store.ts';
import { type FeedResponseHeaders, fetchFeed } from './fetch.ts';
import { IngestError } from './ingest-error.ts';
import type { NormalizedItem } from './normalize.ts';
import { type FreshnessHints, nextPollAt, type PollPolicy } from './poll-policy.ts';
import { processFeed } from './process-feed.ts';
import { defaultVideoIframeHosts } from './sanitize.ts';

/** What polling needs; shared by the Node scheduler, the CLI, the admin API and (later) the Workers cron. */
export interface IngestDeps extends CrosslinkDeps {
  config: Config;
  ingestStore: IngestStore;
  now: () => number;
  random: () => number;
  /** The transport fetchFeed uses: on Node, a fetch whose connections go only to checked addresses. */
  transport: typeof fetch;
  log: (line: string) => void;
}

/** Runs polls: in this thread (inline), or elsewhere (on Node, a worker thread with its own database connection). */
export interface IngestRunner {
  pollDue(): Promise<PollReport[]>;
  pollSources(sourceIds: number[]): Promise<PollReport[]>;
  close(): Promise<void>;
}

/** A runner whose polls, once done, refresh the feeds of the articles whose related coverage changed. */
export function refreshingFeeds(runner: IngestRunner, refresh: (articleIds: string[]) => Promise<void>): IngestRunner {
  const after = async (reports: PollReport[]) => {
    await refresh([...new Set(reports.flatMap((report) => report.relinkedArticles ?? []))]);
    return reports;
  };
  return {
    pollDue: () => runner.pollDue().then(after),
    pollSources: (sourceIds) => runner.pollSources(sourceIds).then(after),
    close: () => runner.close(),
  };
}

/** An IngestRunner that polls in the calling thread; `dueLimit` caps the sources one pollDue takes. */
export function createInlineRunner(deps: IngestDeps, dueLimit?: number): IngestRunner {
  return {
    pollDue: () => pollDue(deps, undefined, dueLimit),
    async pollSources(sourceIds) {
      const sources = await Promise.all(sourceIds.map((id) => deps.ingestStore.getSource(id)));
      return pollSources(
        deps,
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
  errorCode?: string;
  message?: string;
  durationMs: number;
  nextPollAt: number;
  /** Our articles whose related coverage changed with this poll (their feeds change too). */
  relinkedArticles?: string[];
}

export function userAgent(config: Config): string {
  return `PolyglotFeeds/0.1 (+${config.siteUrl})`;
}

function policyOf(config: Config): PollPolicy {
  const { minIntervalSeconds, maxIntervalSeconds, maxBackoffSeconds } = config.ingest;
  return { minIntervalSeconds, maxIntervalSeconds, maxBackoffSeconds };
}

/** Polls one source once: conditional GET, then (unless 304) decode, parse, normalize and store its items. */
export async function pollSource(deps: IngestDeps, source: Source): Promise<PollReport> {
  const started = deps.now();
  const { config } = deps;
  const policy = policyOf(config);
  const done = (record: Omit<PollRecord, 'attemptAt'>, report: Omit<PollReport, 'sourceId' | 'url' | 'durationMs' | 'nextPollAt'>) =>
    finish(deps, source, started, { ...record, attemptAt: started }, report);

  let hints: FreshnessHints = {};
  try {
    const result = await fetchFeed(source.url, {
      userAgent: userAgent(config),
      etag: source.etag ?? undefined,
      lastModified: source.lastModified ?? undefined,
      timeoutMs: config.ingest.timeoutSeconds * 1000,
      maxBytes: config.ingest.maxBytes,
      allowHosts: config.ingest.allowHosts,
      fetch: deps.transport,
    });
    hints = freshnessHints(result.headers);
    const movedTo = result.permanentUrl && result.permanentUrl !== source.url ? result.permanentUrl : undefined;

    if (result.kind === 'not-modified') {
      // RFC 9110 §15.4.5: nothing changed, so nothing is parsed
      const next = nextPollAt(started, source.pollIntervalSeconds, { kind: 'fetched', hints }, policy, deps.random);
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

    const processed = await processFeed({
      body: result.body,
      contentType: result.headers.contentType,
      context: {
        feedUrl: result.url,
        sourceLanguage: source.language ?? undefined,
        now: started,
        iframeHosts: config.ingest.videoIframes ? [...defaultVideoIframeHosts] : [],
      },
    });
    hints = { ...hints, ttlMinutes: processed.ttlMinutes, updatePeriod: processed.updatePeriod };
    const { saved, relinked } = await storeItems(deps, source.id, processed.items, started);
    const next = nextPollAt(started, source.pollIntervalSeconds, { kind: 'fetched', hints }, policy, deps.random);
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
        consecutiveErrors: 0,
        nextPollAt: next,
      },
      { outcome: 'updated', status: result.status, itemsSeen: saved.seen, itemsNew: saved.created, relinkedArticles: relinked },
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

/** Stores a source's normalized items and links each to the articles it relates to; returns the articles relinked. */
export async function storeItems(deps: IngestDeps, sourceId: number, items: NormalizedItem[], now: number) {
  const saved = await deps.ingestStore.saveItems(sourceId, items, now);
  const relinked = new Set<string>();
  for (const [index, item] of items.entries()) {
    for (const articleId of await matchItem(deps, { ...item, id: saved.ids[index] }, now)) relinked.add(articleId);
  }
  return { saved, relinked: [...relinked] };
}

async function finish(
  deps: IngestDeps,
  source: Source,
  started: number,
  record: PollRecord,
  report: Omit<PollReport, 'sourceId' | 'url' | 'durationMs' | 'nextPollAt'>,
): Promise<PollReport> {
  await deps.ingestStore.recordPoll(source.id, record);
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
 * each host's sources form a queue, and a worker drains one queue at a time.
 */
export async function pollSources(deps: IngestDeps, sources: Source[], onReport?: (report: PollReport) => void): Promise<PollReport[]> {
  const byHost = new Map<string, Source[]>();
  for (const source of sources) {
    const host = hostOf(source.url);
    byHost.set(host, [...(byHost.get(host) ?? []), source]);
  }
  const queues = [...byHost.values()];
  const reports: PollReport[] = [];
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const source of queue) {
        const report = await pollSource(deps, source);
        reports.push(report);
        onReport?.(report);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.config.ingest.concurrency, queues.length) }, worker));
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
export async function pollDue(deps: IngestDeps, onReport?: (report: PollReport) => void, limit = 1000): Promise<PollReport[]> {
  const now = deps.now();
  const due = await deps.ingestStore.dueSources(now, limit);
  const reports = await pollSources(deps, due, onReport);
  await deps.ingestStore.pruneItems(now - deps.config.ingest.retentionDays * 86_400_000);
  return reports;
}
