import { describe, expect, it } from 'vitest';
import {
  dailySeries,
  dayBefore,
  daysOf,
  formatBytes,
  formatShare,
  readersDaysOf,
  seriesSummary,
  subscribersByAggregator,
  totalsPerDay,
} from '../src/console/reader-figures.ts';
import { BarChart, compactNumber, HorizontalBarChart, niceTicks, Sparkline } from '../src/console/views/charts.tsx';
import type { FeedDay, FeedReport, ReadersReport } from '../src/reader-stats/report.ts';

// The Readers page's charts and figures: pure functions of numbers, rendered to SVG strings here.

const render = async (element: unknown) => String(await element);

/** The attributes of each `<tag …>` in an SVG string, in order. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((match) =>
    Object.fromEntries([...match[1].matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])),
  );
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
const barFill = '#0a4f99';
const partFill = '#b35900';

describe('niceTicks and compactNumber: the scale of an axis', () => {
  it.each([
    [0, [0, 1]],
    [-3, [0, 1]],
    [Number.NaN, [0, 1]],
    [1, [0, 1]],
    [3, [0, 1, 2, 3]],
    [7, [0, 2, 4, 6, 8]],
    [10, [0, 5, 10]],
    [24, [0, 10, 20, 30]],
    [980, [0, 500, 1000]],
    [12_345_678, [0, 5_000_000, 10_000_000, 15_000_000]],
  ])('%d → %j', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('ends at or above the largest value, in whole steps', () => {
    for (const max of [1, 2, 9, 11, 99, 101, 4321, 2 ** 40]) {
      const ticks = niceTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks[ticks.length - 2]).toBeLessThan(max);
      expect(ticks.every((tick) => Number.isInteger(tick))).toBe(true);
    }
  });

  it('writes large numbers short', () => {
    expect([950, 1234, 15_000_000, 2_500_000_000].map(compactNumber)).toEqual(['950', '1.2K', '15M', '2.5B']);
  });
});

describe('BarChart', () => {
  const chart = (bars: { label: string; value: number; part?: number }[], partName?: string) =>
    render(BarChart({ title: 'Requests per day', bars, valueName: 'requests', partName }));
  const bars = (svg: string) => elements(svg, 'rect').filter((rect) => rect.fill === barFill && rect.width !== '12');

  it('is one named image: role="img", aria-label and <title>', async () => {
    const svg = await chart([{ label: '03-10', value: 4 }]);
    expect(svg).toMatch(/^<svg class="chart" role="img" aria-label="Requests per day" [^>]*viewBox="0 0 560 260"/);
    expect(svg).toContain('<title>Requests per day</title>');
    expect(svg).not.toContain('style=');
  });

  it('scales bars from 0 to the top tick, with the ticks as axis labels', async () => {
    // Plot area: 260 high, 28 above and 30 below: 202 px for 0 to 10.
    const svg = await chart([
      { label: '03-09', value: 5 },
      { label: '03-10', value: 10 },
    ]);
    expect(bars(svg).map((bar) => [bar.y, bar.height])).toEqual([
      ['129', '101'],
      ['28', '202'],
    ]);
    expect(texts(svg)).toEqual(['requests', '0', '5', '10', '03-09', '03-10']);
  });

  it('draws each bar’s part from its bottom in another colour, with a legend', async () => {
    const svg = await chart([{ label: '03-10', value: 10, part: 4 }], '304 Not Modified');
    const part = elements(svg, 'rect').find((rect) => rect.fill === partFill && rect.width !== '12')!;
    expect([part.y, part.height]).toEqual(['149.2', '80.8']);
    expect(texts(svg)).toContain('304 Not Modified');
  });

  it('shows one point as one bar, labelled', async () => {
    const svg = await chart([{ label: '03-10', value: 1 }]);
    expect(bars(svg)).toHaveLength(1);
    expect(bars(svg)[0]!.height).toBe('202');
    expect(texts(svg)).toContain('03-10');
  });

  it('says so when there is no data, on a 0 to 1 scale', async () => {
    const svg = await chart([]);
    expect(bars(svg)).toEqual([]);
    expect(texts(svg)).toEqual(['requests', '0', '1', 'No data']);
  });

  it('keeps large values on a compact scale, and a small one visible beside them', async () => {
    const svg = await chart([
      { label: 'a', value: 12_345_678 },
      { label: 'b', value: 1 },
    ]);
    expect(texts(svg)).toEqual(['requests', '0', '5M', '10M', '15M', 'a', 'b']);
    expect(bars(svg).map((bar) => bar.height)).toEqual(['166.26', '1']);
  });

  it('labels as many bars as fit, always the last (today)', async () => {
    const days = Array.from({ length: 30 }, (_, index) => ({ label: `d${index + 1}`, value: index }));
    const labels = texts(await chart(days)).filter((text) => text.startsWith('d'));
    expect(labels).toEqual(['d5', 'd10', 'd15', 'd20', 'd25', 'd30']);
  });

  it('escapes its text', async () => {
    const svg = await render(BarChart({ title: 'A <b> & "c"', bars: [], valueName: 'x' }));
    expect(svg).toContain('aria-label="A &lt;b&gt; &amp; &quot;c&quot;"');
    expect(svg).toContain('<title>A &lt;b&gt; &amp; &quot;c&quot;</title>');
  });
});

describe('HorizontalBarChart', () => {
  const chart = (bars: { label: string; value: number }[]) => render(HorizontalBarChart({ title: 'Subscribers by aggregator', bars }));

  it('gives each row a bar as long as its value on the scale, with its label and value', async () => {
    // Plot area: 520 wide, 160 left for labels and 52 right for values: 308 px for 0 to 600.
    const svg = await chart([
      { label: 'Feedly', value: 573 },
      { label: 'Inoreader', value: 150 },
    ]);
    expect(svg).toMatch(/^<svg class="chart" role="img" aria-label="Subscribers by aggregator" width="520" height="82"/);
    expect(svg).toContain('<title>Subscribers by aggregator</title>');
    expect(elements(svg, 'rect').map((rect) => rect.width)).toEqual(['294.14', '77']);
    expect(texts(svg)).toEqual(['0', '200', '400', '600', 'Feedly', '573', 'Inoreader', '150']);
  });

  it('shortens long names, and says so when there is no data', async () => {
    expect(texts(await chart([{ label: 'An aggregator with a very long name', value: 2 }]))).toContain('An aggregator with a …');
    const empty = await chart([]);
    expect(elements(empty, 'rect')).toEqual([]);
    expect(texts(empty)).toContain('No data');
  });

  it('handles large counts', async () => {
    const svg = await chart([{ label: 'Feedly', value: 2_400_000 }]);
    expect(texts(svg)).toEqual(['0', '1M', '2M', '3M', 'Feedly', '2.4M']);
  });
});

describe('Sparkline', () => {
  const line = (values: number[]) => render(Sparkline({ label: 'Requests per day', values }));

  it('is a named image whose line runs from 0 (bottom) to the largest value (top)', async () => {
    const svg = await line([0, 5, 10]);
    expect(svg).toMatch(/^<svg class="sparkline" role="img" aria-label="Requests per day" width="120" height="28"/);
    expect(svg).toContain('<title>Requests per day</title>');
    expect(elements(svg, 'polyline')[0]!.points).toBe('3,25 60,14 117,3');
    expect(elements(svg, 'circle')[0]).toMatchObject({ cx: '117', cy: '3' });
  });

  it('lies flat on its baseline when every value is 0', async () => {
    expect(elements(await line([0, 0, 0]), 'polyline')[0]!.points).toBe('3,25 60,25 117,25');
  });

  it('shows one value as a dot in the middle, and nothing but the baseline without values', async () => {
    const one = await line([7]);
    expect(elements(one, 'polyline')).toEqual([]);
    expect(elements(one, 'circle')[0]).toMatchObject({ cx: '60', cy: '3' });
    const none = await line([]);
    expect(elements(none, 'polyline')).toEqual([]);
    expect(elements(none, 'circle')).toEqual([]);
    expect(elements(none, 'line')).toHaveLength(1);
  });

  it('keeps large values inside its box', async () => {
    const points = elements(await line([1, 5_000_000_000, 2_500_000_000]), 'polyline')[0]!.points;
    expect(points).toBe('3,25 60,3 117,14');
  });
});

describe('the Readers page’s figures', () => {
  it('takes ?days= from 1 to 90, and falls back to 30 with a message for anything else', () => {
    expect(readersDaysOf(undefined)).toEqual({ days: 30 });
    expect(readersDaysOf('')).toEqual({ days: 30 });
    expect(readersDaysOf('7')).toEqual({ days: 7 });
    expect(readersDaysOf('90')).toEqual({ days: 90 });
    expect(readersDaysOf('14')).toEqual({ days: 14 });
    for (const bad of ['0', '91', '-7', '7.5', 'abc', '1e2', '0x10']) {
      expect(readersDaysOf(bad)).toEqual({ days: 30, error: expect.stringContaining(`"${bad}" is not a number of days from 1 to 90`) });
    }
  });

  it('lists every day of a window and fills the days a report leaves out with 0', () => {
    const days = daysOf({ days: 3, from: '2031-02-27', to: '2031-03-01' });
    expect(days).toEqual(['2031-02-27', '2031-02-28', '2031-03-01']);
    expect(dailySeries(days, [{ day: '2031-02-28', items: 4 }], (day) => day.items)).toEqual([0, 4, 0]);
    expect(dayBefore('2031-03-01')).toBe('2031-02-28');
  });

  const feedDay = (day: string, requests: number, notModified: number): FeedDay => ({
    day,
    requests,
    notModified,
    notModifiedShare: 0,
    gzip: 0,
    bytesSent: 0,
    bytesSavedByNotModified: notModified * 100,
    bytesSavedByGzip: 10,
    subscribers: { total: 0, byAggregator: {} },
    pollers: 1,
  });
  const feed = (path: string, days: FeedDay[], byAggregator: Record<string, number>): FeedReport => ({
    feed: path,
    language: 'en',
    scope: 'site',
    format: 'atom',
    requests: 0,
    notModified: 0,
    notModifiedShare: 0,
    gzip: 0,
    bytesSent: 0,
    bytesSavedByNotModified: 0,
    bytesSavedByGzip: 0,
    subscribers: { total: Object.values(byAggregator).reduce((a, b) => a + b, 0), byAggregator },
    days,
  });

  it('adds up the feeds per day, and their subscribers per aggregator', () => {
    const report: ReadersReport = {
      days: 3,
      from: '2031-03-08',
      to: '2031-03-10',
      feeds: [
        feed('/en/atom.xml', [feedDay('2031-03-08', 5, 2), feedDay('2031-03-10', 3, 1)], { Feedly: 120, Inoreader: 45 }),
        feed('/es/feed.xml', [feedDay('2031-03-10', 4, 0)], { Feedly: 30, NewsBlur: 45 }),
      ],
    };
    expect(totalsPerDay(report)).toEqual([
      { day: '2031-03-08', requests: 5, notModified: 2, bytesSavedByNotModified: 200, bytesSavedByGzip: 10 },
      { day: '2031-03-09', requests: 0, notModified: 0, bytesSavedByNotModified: 0, bytesSavedByGzip: 0 },
      { day: '2031-03-10', requests: 7, notModified: 1, bytesSavedByNotModified: 100, bytesSavedByGzip: 20 },
    ]);
    expect(subscribersByAggregator(report.feeds)).toEqual([
      { aggregator: 'Feedly', subscribers: 150 },
      { aggregator: 'Inoreader', subscribers: 45 },
      { aggregator: 'NewsBlur', subscribers: 45 },
    ]);
  });

  it('writes bytes, shares and a series in words', () => {
    expect([0, 532, 999, 1000, 12_345, 999_950, 4_100_000, 2.5e12].map(formatBytes)).toEqual([
      '0 B',
      '532 B',
      '999 B',
      '1.0 kB',
      '12.3 kB',
      '1.0 MB',
      '4.1 MB',
      '2.5 TB',
    ]);
    expect([0, 0.375, 1].map(formatShare)).toEqual(['0.0%', '37.5%', '100.0%']);
    const days = ['2031-03-08', '2031-03-09', '2031-03-10'];
    expect(seriesSummary('Requests', days, [2, 1500, 3])).toBe(
      'Requests, 2031-03-08 to 2031-03-10: 1,505 in all, most on 2031-03-09 (1,500)',
    );
    expect(seriesSummary('Items', days, [0, 0, 0])).toBe('Items, 2031-03-08 to 2031-03-10: none');
  });
});
