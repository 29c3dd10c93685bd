import { retentionDays } from '../reader-stats/reader-stats-service.ts';
import type { FeedReport, ReadersReport, ReportWindow, SourceReport } from '../reader-stats/report.ts';

// What the Readers page shows, computed from the reader-stats reports: pure functions, no rendering.

/** The periods the page offers; any whole number of days the service keeps is accepted in the URL. */
export const dayChoices = [7, 30, 90];
export const defaultDays = 30;

/** `?days=` of the Readers page: absent means 30; a bad value falls back to 30 with a message to show beside the selector. */
export function readersDaysOf(value: string | undefined): { days: number; error?: string } {
  if (value === undefined || value === '') return { days: defaultDays };
  if (/^\d{1,3}$/.test(value) && Number(value) >= 1 && Number(value) <= retentionDays) return { days: Number(value) };
  return {
    days: defaultDays,
    error: `"${value.slice(0, 40)}" is not a number of days from 1 to ${retentionDays}: showing the last ${defaultDays} days.`,
  };
}

const dayMs = 86_400_000;

/** Every day of the window (`YYYY-MM-DD`), oldest first. */
export function daysOf(window: ReportWindow): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${window.from}T00:00:00Z`); ms <= Date.parse(`${window.to}T00:00:00Z`); ms += dayMs) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}

/** The value of each day of `days`, 0 where `counted` has no entry for it (reports list only days with counts). */
export function dailySeries<T extends { day: string }>(days: string[], counted: T[], value: (entry: T) => number): number[] {
  const byDay = new Map(counted.map((entry) => [entry.day, value(entry)]));
  return days.map((day) => byDay.get(day) ?? 0);
}

/** In words, what a sparkline of `values` over `days` shows: the total and the busiest day. */
export function seriesSummary(what: string, days: string[], values: number[]): string {
  const total = values.reduce((sum, value) => sum + value, 0);
  const period = days.length > 0 ? `${days[0]} to ${days[days.length - 1]}` : 'no days';
  if (total === 0) return `${what}, ${period}: none`;
  const busiest = values.indexOf(Math.max(...values));
  return `${what}, ${period}: ${formatCount(total)} in all, most on ${days[busiest]} (${formatCount(values[busiest])})`;
}

export interface DayTotals {
  day: string;
  requests: number;
  notModified: number;
  bytesSavedByNotModified: number;
  bytesSavedByGzip: number;
}

/** Every feed's traffic added up, for each day of the window (oldest first, days without requests at 0). */
export function totalsPerDay(report: ReadersReport): DayTotals[] {
  const totals = new Map(
    daysOf(report).map((day) => [day, { day, requests: 0, notModified: 0, bytesSavedByNotModified: 0, bytesSavedByGzip: 0 }]),
  );
  for (const feed of report.feeds) {
    for (const day of feed.days) {
      const total = totals.get(day.day);
      if (!total) continue;
      total.requests += day.requests;
      total.notModified += day.notModified;
      total.bytesSavedByNotModified += day.bytesSavedByNotModified;
      total.bytesSavedByGzip += day.bytesSavedByGzip;
    }
  }
  return [...totals.values()];
}

/**
 * Subscribers now by aggregator, added up over the feeds (a Feedly user following two of our feeds is two
 * subscriptions), most first.
 */
export function subscribersByAggregator(feeds: FeedReport[]): { aggregator: string; subscribers: number }[] {
  const totals = new Map<string, number>();
  for (const feed of feeds) {
    for (const [aggregator, count] of Object.entries(feed.subscribers.byAggregator)) {
      totals.set(aggregator, (totals.get(aggregator) ?? 0) + count);
    }
  }
  return [...totals]
    .map(([aggregator, subscribers]) => ({ aggregator, subscribers }))
    .sort((a, b) => b.subscribers - a.subscribers || a.aggregator.localeCompare(b.aggregator));
}

/** A feed's distinct pollers on a day (0 when it had no request that day). */
export function pollersOn(feed: FeedReport, day: string): number {
  return feed.days.find((entry) => entry.day === day)?.pollers ?? 0;
}

/** The day before a `YYYY-MM-DD` day. */
export function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - dayMs).toISOString().slice(0, 10);
}

/** Sources with the most items first, then by title. */
export function sourcesByItems(sources: SourceReport[]): SourceReport[] {
  return [...sources].sort((a, b) => b.items - a.items || a.title.localeCompare(b.title));
}

const counts = new Intl.NumberFormat('en');

/** A count as people read it: `12,345`. */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** A share (0 to 1) as a percentage with one decimal: `37.5%`. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

const byteUnits = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Bytes in decimal units with one decimal above a kilobyte: `532 B`, `12.3 kB`, `4.1 MB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  // 999.95 kB would print as "1000.0 kB": move up a unit from there.
  while (value >= 999.95 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${byteUnits[unit]}`;
}
