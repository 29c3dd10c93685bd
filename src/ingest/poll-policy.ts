/** Bounds on the delay between two polls of a source, in seconds. */
export interface PollPolicy {
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
  maxBackoffSeconds: number;
}

export const defaultPollPolicy: PollPolicy = { minIntervalSeconds: 300, maxIntervalSeconds: 86_400, maxBackoffSeconds: 86_400 };

/** What a response says about how long its content stays fresh: HTTP caching headers and the feed's own hints. */
export interface FreshnessHints {
  cacheControl?: string;
  expires?: string;
  date?: string;
  ttlMinutes?: number;
  updatePeriod?: { period: string; frequency: number };
}

export type PollOutcome =
  | { kind: 'fetched'; hints: FreshnessHints } // 200 or 304
  | { kind: 'failed'; status?: number; retryAfter?: string; consecutiveErrors: number }; // consecutiveErrors counts this failure too (>= 1)

/**
 * When to poll a source next, in ms since the epoch like `now`. After a fetch: the source's interval, stretched to what
 * its freshness hints promise, within [min, max]. After a failure: the Retry-After of a 429 or 503, else exponential
 * backoff from the source's interval with ±20 % jitter; either within [min, maxBackoff].
 */
export function nextPollAt(
  now: number,
  sourceIntervalSeconds: number,
  outcome: PollOutcome,
  policy: PollPolicy,
  random: () => number,
): number {
  const interval = clamp(sourceIntervalSeconds, policy.minIntervalSeconds, policy.maxIntervalSeconds);
  const delay =
    outcome.kind === 'fetched'
      ? clamp(Math.max(interval, freshnessSeconds(outcome.hints, now) ?? 0), policy.minIntervalSeconds, policy.maxIntervalSeconds)
      : failureDelay(now, interval, outcome, policy, random);
  return now + Math.round(delay * 1000);
}

/** The least time between polls of a source whose updates a WebSub hub pushes: polling is then a safety net. */
export const pushedPollSeconds = 86_400;

/**
 * When to poll a source whose updates a hub pushes (W3C WebSub §7), given `next` as its own cadence has it and `push`,
 * its live lease: no sooner than a day from now (or `next`, when the cadence is slower), and no later than `renewAt`, when
 * the lease is due for renewal, so the poll that renews it comes in time. Without a live lease, or once renewal is due
 * (asked and not yet verified), `next` unchanged: the source is polled as if it had no hub.
 */
export function pushedPollAt(now: number, next: number, push: { renewAt: number } | undefined): number {
  if (!push || push.renewAt <= now) return next;
  return Math.min(Math.max(next, now + pushedPollSeconds * 1000), push.renewAt);
}

function failureDelay(
  now: number,
  interval: number,
  outcome: Extract<PollOutcome, { kind: 'failed' }>,
  policy: PollPolicy,
  random: () => number,
): number {
  // RFC 9110 §10.2.3 with RFC 6585 §4 (429) and RFC 9110 §15.6.4 (503): the server says when to come back.
  const retryAfter = outcome.status === 429 || outcome.status === 503 ? retryAfterSeconds(outcome.retryAfter, now) : undefined;
  if (retryAfter !== undefined) return clamp(retryAfter, policy.minIntervalSeconds, policy.maxBackoffSeconds);
  // Exponential backoff with jitter, so that sources which failed together do not all retry at the same moment.
  const backoff = Math.min(interval * 2 ** (Math.max(1, Math.floor(outcome.consecutiveErrors)) - 1), policy.maxBackoffSeconds);
  return clamp(backoff * (0.8 + 0.4 * random()), policy.minIntervalSeconds, policy.maxBackoffSeconds);
}

function clamp(value: number, low: number, high: number): number {
  return Number.isNaN(value) ? low : Math.min(Math.max(value, low), high);
}

/**
 * How long, in seconds, the response promises its content stays unchanged: the HTTP freshness lifetime (Cache-Control
 * max-age, else Expires minus Date), the RSS `<ttl>` and the `sy:updatePeriod`/`sy:updateFrequency`, whichever is
 * largest; undefined when none gives a hint.
 */
export function freshnessSeconds(hints: FreshnessHints, now: number): number | undefined {
  const candidates = [httpFreshness(hints, now), ttlSeconds(hints.ttlMinutes), syndicationSeconds(hints.updatePeriod)];
  const known = candidates.filter((seconds) => seconds !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

// RFC 9111 §4.2.1: freshness lifetime from max-age (§5.2.2.1), else Expires (§5.3) minus Date (§6.6.1 of RFC 9110).
function httpFreshness(hints: FreshnessHints, now: number): number | undefined {
  const directives = cacheDirectives(hints.cacheControl);
  // RFC 9111 §5.2.2.4-5: unqualified no-cache, or no-store, means the response is never reused without asking again.
  if (directives.has('no-store') || (directives.has('no-cache') && directives.get('no-cache') === undefined)) return undefined;
  const maxAge = directives.get('max-age');
  // RFC 9111 §1.2.2: delta-seconds beyond 2^31 are taken as 2^31.
  if (maxAge !== undefined && /^\d+$/.test(maxAge)) return Math.min(Number(maxAge), 2 ** 31);
  const expires = parseHttpDate(hints.expires, now);
  const date = parseHttpDate(hints.date, now) ?? now;
  return expires !== undefined && expires > date ? Math.floor((expires - date) / 1000) : undefined;
}

// RFC 9111 §5.2: comma-separated directives, case-insensitive names, token or quoted-string arguments; the first of a
// repeated directive wins (§4.2.1).
function cacheDirectives(header: string | undefined): Map<string, string | undefined> {
  const directives = new Map<string, string | undefined>();
  for (const [, name, quoted, token] of (header ?? '').matchAll(/([\w!#$%&'*+.^`|~-]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,;"]*)))?/g)) {
    const key = name.toLowerCase();
    if (!directives.has(key)) directives.set(key, quoted ?? token);
  }
  return directives;
}

// RSS 2.0 <ttl>: minutes the channel may be cached before refreshing.
function ttlSeconds(minutes: number | undefined): number | undefined {
  return minutes !== undefined && Number.isFinite(minutes) && minutes >= 0 ? minutes * 60 : undefined;
}

const updatePeriods = new Map([
  ['hourly', 3600],
  ['daily', 86_400],
  ['weekly', 7 * 86_400],
  ['monthly', 30 * 86_400],
  ['yearly', 365 * 86_400],
]);

// RSS 1.0 Syndication module: the channel updates sy:updateFrequency times per sy:updatePeriod (frequency 1 by default).
function syndicationSeconds(update: FreshnessHints['updatePeriod']): number | undefined {
  const period = update && updatePeriods.get(update.period.trim().toLowerCase());
  if (!update || period === undefined) return undefined;
  return period / (Number.isFinite(update.frequency) && update.frequency > 0 ? update.frequency : 1);
}

/**
 * A Retry-After value (RFC 9110 §10.2.3) as seconds from `now` (ms since the epoch): delay-seconds, or an HTTP-date
 * (0 when already past); undefined when it is neither.
 */
export function retryAfterSeconds(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 and asctime() formats; a lenient day of one digit and UTC for GMT too.
const imfFixdate = /^[a-z]{3}, (\d{1,2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC)$/i;
const rfc850Date = /^[a-z]{6,9}, (\d{1,2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC)$/i;
const asctimeDate = /^[a-z]{3} ([a-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

function parseHttpDate(value: string | undefined, now: number): number | undefined {
  const text = value?.trim().replace(/\s+/g, ' ') ?? '';
  let m = imfFixdate.exec(text);
  if (m) return utc(+m[3], m[2], +m[1], +m[4], +m[5], +m[6]);
  m = rfc850Date.exec(text);
  if (m) return utc(twoDigitYear(+m[3], now), m[2], +m[1], +m[4], +m[5], +m[6]);
  m = asctimeDate.exec(text);
  if (m) return utc(+m[6], m[1], +m[2], +m[3], +m[4], +m[5]);
  return undefined;
}

// RFC 9110 §5.6.7: a two-digit year that would be more than 50 years ahead is the latest such year in the past.
function twoDigitYear(year: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  const candidate = current - (current % 100) + year;
  return candidate > current + 50 ? candidate - 100 : candidate;
}

function utc(year: number, monthName: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const month = months.indexOf(monthName.toLowerCase());
  const ms = Date.UTC(year, month, day, hour, minute, second);
  const date = new Date(ms);
  const valid = month >= 0 && date.getUTCMonth() === month && date.getUTCDate() === day && hour < 24 && minute < 60 && second <= 60;
  return valid ? ms : undefined;
}
