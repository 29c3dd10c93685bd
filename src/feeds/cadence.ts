/**
 * How long a reader may wait between polls of a feed whose entries were published at these times: a quarter of the
 * median gap between consecutive entries, within [min, max]. A tag that gets a story twice a year asks for a poll a day
 * or so; a busy language feed for one every few minutes. Computed from the entries alone, so the bytes do not change
 * with the clock. With fewer than two entries there is no cadence yet: the minimum.
 */
export function pollSeconds(publishedTimes: number[], bounds: { min: number; max: number }): number {
  const sorted = [...publishedTimes].sort((a, b) => b - a);
  const gaps = sorted.slice(1).map((time, i) => (sorted[i]! - time) / 1000);
  if (gaps.length === 0) return bounds.min;
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  return Math.round(Math.min(bounds.max, Math.max(bounds.min, median / 4)));
}

/** The Syndication module's hint for a poll interval (http://purl.org/rss/1.0/modules/syndication/): per period, how often. */
export function updateHint(seconds: number): { period: 'hourly' | 'daily' | 'weekly'; frequency: number } {
  const periods = [
    ['hourly', 3600],
    ['daily', 86_400],
    ['weekly', 604_800],
  ] as const;
  const [period, length] = periods.find(([, length]) => seconds <= length) ?? periods[2];
  return { period, frequency: Math.max(1, Math.floor(length / Math.max(1, seconds))) };
}
