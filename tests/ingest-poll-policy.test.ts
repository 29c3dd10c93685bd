import { describe, expect, it } from 'vitest';
import {
  defaultPollPolicy,
  type FreshnessHints,
  freshnessSeconds,
  nextPollAt,
  type PollOutcome,
  type PollPolicy,
  retryAfterSeconds,
} from '../src/ingest/poll-policy.ts';

const NOW = Date.UTC(2024, 4, 15, 12, 0, 0); // Wed, 15 May 2024 12:00:00 GMT
const HTTP_NOW = 'Wed, 15 May 2024 12:00:00 GMT';
const policy: PollPolicy = { minIntervalSeconds: 300, maxIntervalSeconds: 86_400, maxBackoffSeconds: 43_200 };
const half = () => 0.5; // jitter factor 1.0
const never = () => {
  throw new Error('random() must not be called after a successful fetch');
};

const fetched = (hints: FreshnessHints = {}): PollOutcome => ({ kind: 'fetched', hints });
const failed = (consecutiveErrors: number, status?: number, retryAfter?: string): PollOutcome => ({
  kind: 'failed',
  status,
  retryAfter,
  consecutiveErrors,
});
const delaySeconds = (at: number) => (at - NOW) / 1000;

describe('freshnessSeconds', () => {
  it.each<[string, FreshnessHints, number | undefined]>([
    ['no hints', {}, undefined],
    ['max-age', { cacheControl: 'max-age=600' }, 600],
    ['max-age among other directives', { cacheControl: 'public, max-age=1800, must-revalidate' }, 1800],
    ['max-age with upper-case name and spaces', { cacheControl: 'Public , MAX-AGE = 900' }, 900],
    ['quoted max-age', { cacheControl: 'max-age="120"' }, 120],
    ['max-age=0', { cacheControl: 'max-age=0' }, 0],
    ['first of repeated max-age', { cacheControl: 'max-age=60, max-age=6000' }, 60],
    ['max-age beyond 2^31', { cacheControl: 'max-age=99999999999999' }, 2 ** 31],
    ['s-maxage alone (shared caches only)', { cacheControl: 's-maxage=3600' }, undefined],
    ['s-maxage beside max-age', { cacheControl: 's-maxage=3600, max-age=60' }, 60],
    ['invalid max-age', { cacheControl: 'max-age=soon' }, undefined],
    ['negative max-age', { cacheControl: 'max-age=-5' }, undefined],
    ['no-cache', { cacheControl: 'no-cache' }, undefined],
    ['no-cache with max-age', { cacheControl: 'max-age=600, no-cache' }, undefined],
    ['no-store with max-age', { cacheControl: 'no-store, max-age=600' }, undefined],
    ['NO-CACHE upper-case', { cacheControl: 'NO-CACHE, max-age=600' }, undefined],
    ['qualified no-cache (one field only)', { cacheControl: 'no-cache="Set-Cookie, X-Foo", max-age=600' }, 600],
    ['Expires minus Date', { expires: 'Wed, 15 May 2024 13:00:00 GMT', date: 'Wed, 15 May 2024 12:30:00 GMT' }, 1800],
    ['Expires minus now without Date', { expires: 'Wed, 15 May 2024 13:00:00 GMT' }, 3600],
    ['Expires minus now with an invalid Date', { expires: 'Wed, 15 May 2024 13:00:00 GMT', date: 'yesterday' }, 3600],
    ['Expires in RFC 850 format', { expires: 'Wednesday, 15-May-24 14:00:00 GMT' }, 7200],
    ['Expires in asctime format', { expires: 'Wed May 15 12:10:00 2024' }, 600],
    ['Expires in asctime format, one-digit day', { expires: 'Sun Jun  2 12:00:00 2024' }, 18 * 86_400],
    ['past Expires', { expires: 'Wed, 15 May 2024 11:00:00 GMT' }, undefined],
    ['Expires equal to Date', { expires: HTTP_NOW, date: HTTP_NOW }, undefined],
    ['Expires before Date', { expires: 'Wed, 15 May 2024 12:30:00 GMT', date: 'Wed, 15 May 2024 13:00:00 GMT' }, undefined],
    ['Expires: 0', { expires: '0' }, undefined],
    ['Expires: -1', { expires: '-1' }, undefined],
    ['Expires on 31 February', { expires: 'Sat, 31 Feb 2025 00:00:00 GMT' }, undefined],
    ['Expires with a bad month', { expires: 'Wed, 15 Foo 2024 13:00:00 GMT' }, undefined],
    ['Expires at 25 o’clock', { expires: 'Wed, 15 May 2024 25:00:00 GMT' }, undefined],
    ['Expires in ISO 8601 (not an HTTP-date)', { expires: '2024-05-15T13:00:00Z' }, undefined],
    ['max-age wins over Expires', { cacheControl: 'max-age=60', expires: 'Wed, 15 May 2024 13:00:00 GMT' }, 60],
    ['Expires when max-age is invalid', { cacheControl: 'max-age=x', expires: 'Wed, 15 May 2024 13:00:00 GMT' }, 3600],
    ['no-cache also silences Expires', { cacheControl: 'no-cache', expires: 'Wed, 15 May 2024 13:00:00 GMT' }, undefined],
    ['ttl', { ttlMinutes: 60 }, 3600],
    ['ttl of 0', { ttlMinutes: 0 }, 0],
    ['negative ttl', { ttlMinutes: -5 }, undefined],
    ['NaN ttl', { ttlMinutes: Number.NaN }, undefined],
    ['hourly', { updatePeriod: { period: 'hourly', frequency: 1 } }, 3600],
    ['hourly twice', { updatePeriod: { period: 'hourly', frequency: 2 } }, 1800],
    ['daily', { updatePeriod: { period: 'daily', frequency: 1 } }, 86_400],
    ['daily 4 times, padded and capitalised', { updatePeriod: { period: ' Daily ', frequency: 4 } }, 21_600],
    ['weekly', { updatePeriod: { period: 'weekly', frequency: 1 } }, 604_800],
    ['monthly', { updatePeriod: { period: 'monthly', frequency: 1 } }, 2_592_000],
    ['yearly', { updatePeriod: { period: 'yearly', frequency: 1 } }, 31_536_000],
    ['frequency 0 read as 1', { updatePeriod: { period: 'hourly', frequency: 0 } }, 3600],
    ['NaN frequency read as 1', { updatePeriod: { period: 'daily', frequency: Number.NaN } }, 86_400],
    ['unknown period', { updatePeriod: { period: 'fortnightly', frequency: 1 } }, undefined],
    ['prototype key as period', { updatePeriod: { period: 'constructor', frequency: 1 } }, undefined],
    ['largest of max-age and ttl', { cacheControl: 'max-age=600', ttlMinutes: 30 }, 1800],
    ['largest of max-age and ttl (max-age larger)', { cacheControl: 'max-age=7200', ttlMinutes: 30 }, 7200],
    [
      'largest of Expires, ttl and sy',
      { expires: 'Wed, 15 May 2024 12:20:00 GMT', ttlMinutes: 15, updatePeriod: { period: 'hourly', frequency: 6 } },
      1200,
    ],
    ['largest of all four', { cacheControl: 'max-age=60', ttlMinutes: 10, updatePeriod: { period: 'daily', frequency: 24 } }, 3600],
    ['ttl survives no-cache', { cacheControl: 'no-cache', ttlMinutes: 20 }, 1200],
    ['sy survives a past Expires', { expires: 'Wed, 15 May 2024 11:00:00 GMT', updatePeriod: { period: 'hourly', frequency: 1 } }, 3600],
  ])('%s', (_name, hints, expected) => {
    expect(freshnessSeconds(hints, NOW)).toBe(expected);
  });
});

describe('retryAfterSeconds', () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['120', 120],
    [' 120 ', 120],
    ['0', 0],
    ['86400000', 86_400_000],
    ['Wed, 15 May 2024 12:05:00 GMT', 300],
    ['Wed, 15 May 2024 12:00:00 GMT', 0],
    ['Wed, 15 May 2024 11:00:00 GMT', 0],
    ['Wednesday, 15-May-24 12:01:00 GMT', 60],
    ['Wed May 15 12:00:30 2024', 30],
    ['-10', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
    ['120 seconds', undefined],
    ['soon', undefined],
    ['2024-05-15T12:05:00Z', undefined],
    ['Wed, 15 May 2024 12:05:00 +0200', undefined],
  ])('%j → %j', (value, expected) => {
    expect(retryAfterSeconds(value, NOW)).toBe(expected);
  });

  it('rounds a date a fraction of a second away up to whole seconds', () => {
    expect(retryAfterSeconds('Wed, 15 May 2024 12:00:10 GMT', NOW + 500)).toBe(10);
  });

  it('reads a two-digit RFC 850 year more than 50 years ahead as the past century', () => {
    expect(retryAfterSeconds('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(0);
    expect(retryAfterSeconds('Friday, 15-May-54 12:00:00 GMT', NOW)).toBe((Date.UTC(2054, 4, 15, 12) - NOW) / 1000);
  });
});

describe('nextPollAt after a successful fetch', () => {
  it.each<[string, number, FreshnessHints, number]>([
    ['the source interval without hints', 900, {}, 900],
    ['the source interval when hints are shorter', 900, { cacheControl: 'max-age=60', ttlMinutes: 5 }, 900],
    ['max-age when longer', 900, { cacheControl: 'max-age=3600' }, 3600],
    ['Expires minus Date when longer', 900, { expires: 'Wed, 15 May 2024 14:00:00 GMT', date: HTTP_NOW }, 7200],
    ['ttl when longer', 900, { ttlMinutes: 120 }, 7200],
    ['sy:updatePeriod when longer', 900, { updatePeriod: { period: 'hourly', frequency: 1 } }, 3600],
    ['the largest hint', 900, { cacheControl: 'max-age=1200', ttlMinutes: 30, updatePeriod: { period: 'hourly', frequency: 1 } }, 3600],
    ['the source interval after no-cache', 900, { cacheControl: 'no-cache, max-age=99999' }, 900],
    ['the source interval after a past Expires', 900, { expires: 'Wed, 15 May 2024 11:00:00 GMT' }, 900],
    ['min when the source interval is below it', 60, {}, 300],
    ['min when the source interval is 0', 0, { cacheControl: 'max-age=0' }, 300],
    ['min when the source interval is negative', -100, {}, 300],
    ['min when the source interval is NaN', Number.NaN, {}, 300],
    ['max when the source interval is above it', 200_000, {}, 86_400],
    ['max when the source interval is Infinity', Number.POSITIVE_INFINITY, {}, 86_400],
    ['max when a hint is above it', 900, { updatePeriod: { period: 'yearly', frequency: 1 } }, 86_400],
    ['max when max-age is huge', 900, { cacheControl: 'max-age=31536000' }, 86_400],
  ])('is %s', (_name, interval, hints, expected) => {
    expect(delaySeconds(nextPollAt(NOW, interval, fetched(hints), policy, never))).toBe(expected);
  });

  it('uses the default policy bounds', () => {
    expect(defaultPollPolicy).toEqual({ minIntervalSeconds: 300, maxIntervalSeconds: 86_400, maxBackoffSeconds: 86_400 });
    expect(delaySeconds(nextPollAt(NOW, 1, fetched(), defaultPollPolicy, never))).toBe(300);
    expect(delaySeconds(nextPollAt(NOW, 10 ** 9, fetched(), defaultPollPolicy, never))).toBe(86_400);
  });
});

describe('nextPollAt after a failure', () => {
  it.each<[number, string | undefined, number]>([
    [429, '600', 600],
    [503, '600', 600],
    [429, 'Wed, 15 May 2024 13:00:00 GMT', 3600],
    [503, 'Wednesday, 15-May-24 12:20:00 GMT', 1200],
    [429, '10', 300],
    [429, '0', 300],
    [503, 'Wed, 15 May 2024 11:00:00 GMT', 300],
    [429, '999999', 43_200],
    [503, 'Fri, 15 May 2026 12:00:00 GMT', 43_200],
  ])('%i with Retry-After %j waits %i s, within [min, maxBackoff]', (status, retryAfter, expected) => {
    expect(delaySeconds(nextPollAt(NOW, 900, failed(5, status, retryAfter), policy, never))).toBe(expected);
  });

  it.each<[number | undefined, string | undefined]>([
    [429, undefined],
    [429, 'soon'],
    [503, ''],
    [503, '2024-05-15T13:00:00Z'],
    [500, '600'],
    [404, '600'],
    [403, 'Wed, 15 May 2024 13:00:00 GMT'],
    [undefined, '600'],
  ])('%j with Retry-After %j backs off instead', (status, retryAfter) => {
    expect(delaySeconds(nextPollAt(NOW, 900, failed(3, status, retryAfter), policy, half))).toBe(3600);
  });

  it('doubles the delay with each consecutive error up to maxBackoff', () => {
    const delays = Array.from({ length: 12 }, (_, i) => delaySeconds(nextPollAt(NOW, 900, failed(i + 1), policy, half)));
    expect(delays).toEqual([900, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200, 43_200, 43_200, 43_200]);
  });

  it('caps at the default maxBackoff of a day', () => {
    const delays = Array.from({ length: 12 }, (_, i) => delaySeconds(nextPollAt(NOW, 600, failed(i + 1), defaultPollPolicy, half)));
    expect(delays).toEqual([600, 1200, 2400, 4800, 9600, 19_200, 38_400, 76_800, 86_400, 86_400, 86_400, 86_400]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('keeps jitter within [0.8, 1.2) and the cap after %i errors', (errors) => {
    const low = delaySeconds(nextPollAt(NOW, 900, failed(errors), policy, () => 0));
    const high = delaySeconds(nextPollAt(NOW, 900, failed(errors), policy, () => 0.999999));
    const backoff = Math.min(900 * 2 ** (errors - 1), policy.maxBackoffSeconds);
    expect(low).toBe(backoff * 0.8);
    expect(high).toBeCloseTo(Math.min(backoff * 1.1999996, policy.maxBackoffSeconds), 2);
    expect(high).toBeLessThanOrEqual(Math.min(backoff * 1.2, policy.maxBackoffSeconds));
  });

  it('spreads retries of sources that failed together', () => {
    const delays = [0, 0.25, 0.5, 0.75].map((r) => delaySeconds(nextPollAt(NOW, 1000, failed(1), policy, () => r)));
    expect(delays).toEqual([800, 900, 1000, 1100]);
  });

  it('never waits less than min, even with jitter below 1', () => {
    expect(delaySeconds(nextPollAt(NOW, 300, failed(1), policy, () => 0))).toBe(300);
    expect(delaySeconds(nextPollAt(NOW, 60, failed(1), policy, () => 0))).toBe(300);
  });

  it('backs off from min when the source interval is below it', () => {
    expect(delaySeconds(nextPollAt(NOW, 0, failed(3), policy, half))).toBe(1200);
  });

  it.each([0, -3, 0.5, Number.NaN])('treats %j consecutive errors as the first', (errors) => {
    expect(delaySeconds(nextPollAt(NOW, 900, failed(errors), policy, half))).toBeGreaterThanOrEqual(300);
    expect(delaySeconds(nextPollAt(NOW, 900, failed(errors), policy, half))).toBeLessThanOrEqual(900);
  });

  it('stays at maxBackoff after a huge number of errors', () => {
    expect(delaySeconds(nextPollAt(NOW, 900, failed(10_000), policy, () => 0.999999))).toBe(43_200);
  });
});

describe('nextPollAt bounds', () => {
  const outcomes: PollOutcome[] = [
    fetched(),
    fetched({ cacheControl: 'max-age=0' }),
    fetched({ expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }),
    fetched({ ttlMinutes: 10 ** 12 }),
    failed(1),
    failed(64),
    failed(1, 429, '0'),
    failed(1, 503, 'Thu, 01 Jan 1970 00:00:00 GMT'),
    failed(1, 429, String(10 ** 30)),
  ];
  const intervals = [Number.NaN, -1, 0, 1, 300, 3600, 10 ** 9];
  const randoms = [0, 0.5, 0.999999];

  it('is never in the past nor beyond max (fetched) or maxBackoff (failed)', () => {
    for (const outcome of outcomes) {
      for (const interval of intervals) {
        for (const r of randoms) {
          const at = nextPollAt(NOW, interval, outcome, policy, () => r);
          const limit = outcome.kind === 'fetched' ? policy.maxIntervalSeconds : policy.maxBackoffSeconds;
          expect(Number.isFinite(at)).toBe(true);
          expect(at).toBeGreaterThanOrEqual(NOW + policy.minIntervalSeconds * 1000);
          expect(at).toBeLessThanOrEqual(NOW + limit * 1000);
        }
      }
    }
  });

  it('returns whole milliseconds', () => {
    expect(Number.isInteger(nextPollAt(NOW, 1000, failed(1), policy, () => 0.123456789))).toBe(true);
  });
});
