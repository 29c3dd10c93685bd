import { type FeedFormat, feedFileNames } from '../feeds/feed-model.ts';
import type { SourceDayItems } from '../ingest/ingest-store.ts';
import type { DocumentDayRow, SubscriberRow } from './reader-stats-store.ts';
import type { AnswerCounts } from './tally.ts';

/** The days a report covers (UTC, `YYYY-MM-DD`, both included). */
export interface ReportWindow {
  days: number;
  from: string;
  to: string;
}

/** Subscribers by aggregator (the largest count each announced) and their sum. */
export interface Subscribers {
  total: number;
  byAggregator: Record<string, number>;
}

export interface Traffic extends AnswerCounts {
  /** notModified / requests (0 without requests), to three decimals. */
  notModifiedShare: number;
}

export interface FeedDay extends Traffic {
  day: string;
  subscribers: Subscribers;
  /** Distinct other clients (address and User-Agent) that day. */
  pollers: number;
}

/** What a feed URL says of itself: its language, scope and format. */
export interface FeedVariant {
  feed: string;
  language: string;
  scope: 'site' | 'category' | 'tag' | 'archive';
  /** The category's or tag's slug. */
  term?: string;
  /** An archive's month, `YYYY-MM`. */
  month?: string;
  format: FeedFormat;
}

export interface FeedReport extends FeedVariant, Traffic {
  /** Each aggregator's largest count today or yesterday: a day is the unit, so this covers at least the last 24 hours. */
  subscribers: Subscribers;
  /** Days with requests, oldest first. */
  days: FeedDay[];
}

export interface ReadersReport extends ReportWindow {
  feeds: FeedReport[];
}

const formatOfFile = new Map(Object.entries(feedFileNames).map(([format, file]) => [file, format as FeedFormat]));

/** Language, scope and format of a feed's path (`/en/tag/lazarus/atom.xml`, `/es/archive/2024/03/feed.json`…). */
export function describeFeed(path: string): FeedVariant | undefined {
  const match = /^\/([^/]+)\/(?:(category|tag)\/([^/]+)\/|archive\/(\d{4})\/(\d{2})\/)?([^/]+)$/.exec(path);
  const format = match && formatOfFile.get(match[6]);
  if (!match || !format) return undefined;
  const [, language, kind, term, year, month] = match;
  if (kind) return { feed: path, language, scope: kind as 'category' | 'tag', term, format };
  if (year) return { feed: path, language, scope: 'archive', month: `${year}-${month}`, format };
  return { feed: path, language, scope: 'site', format };
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000);

function traffic(rows: AnswerCounts[]): Traffic {
  const sum = (field: keyof AnswerCounts) => rows.reduce((total, row) => total + row[field], 0);
  const requests = sum('requests');
  const notModified = sum('notModified');
  return {
    requests,
    notModified,
    notModifiedShare: share(notModified, requests),
    gzip: sum('gzip'),
    bytesSent: sum('bytesSent'),
    bytesSavedByNotModified: sum('bytesSavedByNotModified'),
    bytesSavedByGzip: sum('bytesSavedByGzip'),
  };
}

/** The largest count of each aggregator among these rows, and their sum. */
function subscribersOf(rows: SubscriberRow[]): Subscribers {
  const byAggregator: Record<string, number> = {};
  for (const row of rows) byAggregator[row.aggregator] = Math.max(row.subscribers, byAggregator[row.aggregator] ?? 0);
  return { total: Object.values(byAggregator).reduce((total, count) => total + count, 0), byAggregator };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * Per feed: totals over the window, subscribers now (today or yesterday, `recentFrom` on), and each day with
 * requests. Feeds most requested first.
 */
export function shapeReadersReport(
  window: ReportWindow,
  documentDays: DocumentDayRow[],
  subscriberRows: SubscriberRow[],
  recentFrom: string,
): ReadersReport {
  const feedRows = documentDays.filter((row) => row.kind === 'feed');
  const subscribersByFeed = groupBy(
    subscriberRows.filter((row) => row.kind === 'feed'),
    (row) => row.name,
  );
  const feeds: FeedReport[] = [];
  for (const [name, rows] of groupBy(feedRows, (row) => row.name)) {
    const variant = describeFeed(name);
    if (!variant) continue;
    const subscriberDays = groupBy(subscribersByFeed.get(name) ?? [], (row) => row.day);
    feeds.push({
      ...variant,
      ...traffic(rows),
      subscribers: subscribersOf((subscribersByFeed.get(name) ?? []).filter((row) => row.day >= recentFrom)),
      days: rows.map((row) => ({
        day: row.day,
        ...traffic([row]),
        subscribers: subscribersOf(subscriberDays.get(row.day) ?? []),
        pollers: row.pollers,
      })),
    });
  }
  feeds.sort((a, b) => b.requests - a.requests || a.feed.localeCompare(b.feed));
  return { ...window, feeds };
}

export interface SourceReport {
  id: number;
  title: string;
  url: string;
  /** Items over the window. */
  items: number;
  /** Days with items, oldest first. */
  days: { day: string; items: number }[];
}

export interface SourcesReport extends ReportWindow {
  sources: SourceReport[];
}

/** Per source (every one, those without items too): items per day and in all. */
export function shapeSourcesReport(window: ReportWindow, rows: SourceDayItems[]): SourcesReport {
  const sources: SourceReport[] = [];
  for (const group of groupBy(rows, (row) => String(row.id)).values()) {
    const days = group.flatMap((row) => (row.day === null ? [] : [{ day: row.day, items: row.items }]));
    const { id, title, url } = group[0];
    sources.push({ id, title, url, items: days.reduce((total, day) => total + day.items, 0), days });
  }
  return { ...window, sources };
}
