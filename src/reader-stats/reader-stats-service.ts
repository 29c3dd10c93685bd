import type { SentAnswer } from '../http/cached-response.ts';
import type { SourceDayItems } from '../ingest/ingest-store.ts';
import { type AggregatorReport, aggregatorOf } from './aggregators.ts';
import type { DocumentDayAddition, ReaderStatsStore } from './reader-stats-store.ts';
import { type ReadersReport, type ReportWindow, type SourcesReport, shapeReadersReport, shapeSourcesReport } from './report.ts';
import { countAnswer, type DocumentDay, dayNumber, dayString, documentDays, emptyTally, mergeTally, type Tally } from './tally.ts';

/** Days of counts kept, and the most a report covers. */
export const retentionDays = 90;

interface ReaderStatsPorts {
  store: ReaderStatsStore;
  /** Items each source brought per day (ingestion's). */
  sourceItems: (from: number) => Promise<SourceDayItems[]>;
  now: () => number;
  log: (line: string) => void;
  /** (User-Agent, address) pairs held in memory between flushes at most. */
  maxPollers?: number;
}

export type ReaderStats = ReturnType<typeof createReaderStats>;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const encoder = new TextEncoder();

/** A client as stored: the day's salt, its address and User-Agent through SHA-256, 16 bytes in base64url. */
async function clientHash(salt: string, address: string, agent: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(`${salt}\n${address}\n${agent}`)));
  return btoa(String.fromCharCode(...digest.subarray(0, 16)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function randomSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Reader statistics: answers are counted in memory as they are sent (`count`, which never waits for anything) and
 * written in batches (`flush`: one transaction adding the counts). The runtime decides when to flush: Node on a timer
 * and at shutdown, Workers after answers through `scheduleFlush`.
 */
export function createReaderStats({ store, sourceItems, now, log, maxPollers = 100_000 }: ReaderStatsPorts) {
  let pending = emptyTally();
  let writing: Promise<void> = Promise.resolve();
  let flushWaiting = false;
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  const salts = new Map<string, string>();

  // User-Agents repeat (each aggregator and poller sends the same one again and again): each is classified once.
  const classified = new Map<string, AggregatorReport | null>();
  const classify = (agent: string) => {
    let report = classified.get(agent);
    if (report === undefined) {
      if (classified.size >= 5000) classified.clear();
      report = aggregatorOf(agent) ?? null;
      classified.set(agent, report);
    }
    return report ?? undefined;
  };

  async function additionOf(counts: DocumentDay, day: string): Promise<DocumentDayAddition> {
    let salt = salts.get(day);
    if (!salt) {
      salt = await store.saltFor(day, randomSalt());
      salts.set(day, salt);
    }
    const clients: Promise<string>[] = [];
    for (const [agent, addresses] of counts.pollers) for (const address of addresses) clients.push(clientHash(salt, address, agent));
    const { kind, name, requests, notModified, gzip, bytesSent, bytesSavedByNotModified, bytesSavedByGzip } = counts;
    return {
      day,
      kind,
      name,
      requests,
      notModified,
      gzip,
      bytesSent,
      bytesSavedByNotModified,
      bytesSavedByGzip,
      subscribers: [...counts.subscribers],
      clients: await Promise.all(clients),
    };
  }

  async function write(tally: Tally): Promise<void> {
    const additions: DocumentDayAddition[] = [];
    for (const counts of documentDays(tally)) additions.push(await additionOf(counts, dayString(counts.day)));
    const today = dayNumber(now());
    const clientsFrom = dayString(today - 1);
    await store.add(additions, { countsFrom: dayString(today - retentionDays + 1), clientsFrom });
    for (const day of salts.keys()) if (day < clientsFrom) salts.delete(day);
  }

  /** Writes what was counted so far, after any write under way; a failed write keeps its counts for the next one. */
  function flush(): Promise<void> {
    if (pending.requests === 0) return writing;
    const taken = pending;
    pending = emptyTally();
    writing = writing.then(() =>
      write(taken).catch((error: unknown) => {
        mergeTally(pending, taken);
        log(`reader stats: not written, kept for the next flush (${(error as Error).message})`);
      }),
    );
    return writing;
  }

  function window(days: number): ReportWindow {
    const today = dayNumber(now());
    return { days, from: dayString(today - days + 1), to: dayString(today) };
  }

  return {
    /** Counts an answer sent for a counted document. On the answer's path: memory only, and it never throws. */
    count(sent: SentAnswer): void {
      try {
        countAnswer(pending, sent, dayNumber(now()), classify, maxPollers);
      } catch (error) {
        log(`reader stats: an answer was not counted (${(error as Error).message})`);
      }
    },

    flush,

    /**
     * For short-lived processes (Workers isolates): starts a flush unless one is waiting already, at once when the last
     * was `minIntervalMs` ago or more, else when that much has passed. Returns it when it started one, for the runtime to
     * keep alive (`waitUntil`). So an isolate writes at most once per interval, and counts wait at most that long.
     */
    scheduleFlush(minIntervalMs: number): Promise<void> | undefined {
      if (flushWaiting || pending.requests === 0) return undefined;
      flushWaiting = true;
      const start = () => {
        flushWaiting = false;
        lastFlushAt = now();
        return flush();
      };
      const wait = lastFlushAt + minIntervalMs - now();
      return wait > 0 ? delay(wait).then(start) : start();
    },

    /** Per feed, over the last `days` UTC days (today included); what this process counted is written first. */
    async readers(days: number): Promise<ReadersReport> {
      await flush();
      const covered = window(days);
      const [documents, subscribers] = await Promise.all([store.documentDays(covered.from), store.subscribers(covered.from)]);
      return shapeReadersReport(covered, documents, subscribers, dayString(dayNumber(now()) - 1));
    },

    /** Per followed source, the items it brought each day over the last `days` UTC days. */
    async sources(days: number): Promise<SourcesReport> {
      const covered = window(days);
      return shapeSourcesReport(covered, await sourceItems(Date.parse(`${covered.from}T00:00:00Z`)));
    },
  };
}
