import type { CountedKind, SentAnswer } from '../http/cached-response.ts';
import type { AggregatorReport } from './aggregators.ts';

/** How a document's answers went: counted in memory, stored per day, added up in reports. */
export interface AnswerCounts {
  requests: number;
  notModified: number;
  gzip: number;
  /** Body bytes sent (headers left out). */
  bytesSent: number;
  /** The bodies 304s stood for and did not send. */
  bytesSavedByNotModified: number;
  /** Identity size minus gzip size, for each gzip answer. */
  bytesSavedByGzip: number;
}

/** What one counted document (a feed URL) was asked and answered on one UTC day, counted in memory. */
export interface DocumentDay extends AnswerCounts {
  kind: CountedKind;
  name: string;
  /** UTC days since 1970-01-01. */
  day: number;
  /** The largest count each hosted aggregator announced. */
  subscribers: Map<string, number>;
  /** Every other client seen: User-Agent → client addresses (hashed only when written). */
  pollers: Map<string, Set<string>>;
}

/** Counts not yet written: by day, then by document. */
export interface Tally {
  days: Map<number, Map<string, DocumentDay>>;
  /** Answers counted. */
  requests: number;
  /** (User-Agent, address) pairs held, across documents: what memory the tally takes grows with. */
  pollers: number;
}

export const emptyTally = (): Tally => ({ days: new Map(), requests: 0, pollers: 0 });

export const dayNumber = (ms: number) => Math.floor(ms / 86_400_000);

/** A day number as written in storage and reports: `YYYY-MM-DD`. */
export const dayString = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

// A User-Agent longer than this is cut: it still tells clients apart, and a hostile one cannot fill memory.
const longestAgent = 256;

function documentDay(tally: Tally, day: number, kind: CountedKind, name: string): DocumentDay {
  let documents = tally.days.get(day);
  if (!documents) {
    documents = new Map();
    tally.days.set(day, documents);
  }
  let counts = documents.get(name);
  if (!counts) {
    counts = {
      kind,
      name,
      day,
      requests: 0,
      notModified: 0,
      gzip: 0,
      bytesSent: 0,
      bytesSavedByNotModified: 0,
      bytesSavedByGzip: 0,
      subscribers: new Map(),
      pollers: new Map(),
    };
    documents.set(name, counts);
  }
  return counts;
}

function addPoller(tally: Tally, counts: DocumentDay, agent: string, address: string, maxPollers: number): void {
  let addresses = counts.pollers.get(agent);
  if (addresses?.has(address)) return;
  // Past the limit new clients go uncounted until the next flush empties the tally (only a flood gets there).
  if (tally.pollers >= maxPollers) return;
  if (!addresses) {
    addresses = new Set();
    counts.pollers.set(agent, addresses);
  }
  addresses.add(address);
  tally.pollers += 1;
}

/**
 * Counts one answer sent: the request, how it was answered (304, gzip, identity), the bytes sent and saved, and who
 * asked (a hosted aggregator's announced subscribers, or any other client as a poller). `aggregatorOf` classifies
 * User-Agents (the caller may cache it).
 */
export function countAnswer(
  tally: Tally,
  sent: SentAnswer,
  day: number,
  aggregatorOf: (userAgent: string) => AggregatorReport | undefined,
  maxPollers: number,
): void {
  const counts = documentDay(tally, day, sent.kind, sent.name);
  const identityBytes = sent.document.body.byteLength;
  const gzipBytes = sent.document.gzipped?.byteLength ?? identityBytes;
  counts.requests += 1;
  tally.requests += 1;
  if (sent.answer.body === 'none') {
    counts.notModified += 1;
    // What the 200 would have carried: the gzip body when the client takes gzip (once it has been made).
    counts.bytesSavedByNotModified += sent.answer.coding === 'gzip' ? gzipBytes : identityBytes;
  } else if (sent.answer.body === 'gzip') {
    counts.gzip += 1;
    counts.bytesSent += gzipBytes;
    counts.bytesSavedByGzip += identityBytes - gzipBytes;
  } else {
    counts.bytesSent += identityBytes;
  }
  const agent = (sent.userAgent ?? '').slice(0, longestAgent);
  const aggregator = aggregatorOf(agent);
  if (!aggregator) addPoller(tally, counts, agent, sent.clientAddress ?? '', maxPollers);
  else if (aggregator.subscribers !== undefined)
    counts.subscribers.set(aggregator.name, Math.max(aggregator.subscribers, counts.subscribers.get(aggregator.name) ?? 0));
}

/** Adds `from` into `into` (counts a failed write took, put back for the next one). */
export function mergeTally(into: Tally, from: Tally): void {
  for (const documents of from.days.values()) {
    for (const source of documents.values()) {
      const target = documentDay(into, source.day, source.kind, source.name);
      target.requests += source.requests;
      target.notModified += source.notModified;
      target.gzip += source.gzip;
      target.bytesSent += source.bytesSent;
      target.bytesSavedByNotModified += source.bytesSavedByNotModified;
      target.bytesSavedByGzip += source.bytesSavedByGzip;
      for (const [name, count] of source.subscribers) target.subscribers.set(name, Math.max(count, target.subscribers.get(name) ?? 0));
      for (const [agent, addresses] of source.pollers) {
        for (const address of addresses) addPoller(into, target, agent, address, Number.POSITIVE_INFINITY);
      }
    }
  }
  into.requests += from.requests;
}

/** Every document-day of a tally. */
export function documentDays(tally: Tally): DocumentDay[] {
  return [...tally.days.values()].flatMap((documents) => [...documents.values()]);
}
