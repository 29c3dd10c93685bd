const months: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
  // Spanish and a few other spellings real feeds use in RFC 822 dates
  ene: 0,
  abr: 3,
  ago: 7,
  dic: 11,
  sept: 8,
  june: 5,
  july: 6,
};

// RFC 822 §5.1 zones, plus the ones feeds use anyway.
const zones: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
  a: -1,
  m: -12,
  n: 1,
  y: 12,
  cet: 1,
  cest: 2,
  bst: 1,
  ist: 5.5,
  jst: 9,
  kst: 9,
  aest: 10,
  eet: 2,
  eest: 3,
  wet: 0,
  west: 1,
};

/** W3C-DTF / RFC 3339 / ISO 8601, including date-only and zone-less forms (read as UTC). */
const iso = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i;

/** RFC 822 / RFC 2822 §3.3 with real-world variants: no weekday, 2-digit years, no seconds, named or offset zones. */
const rfc822 =
  /^(?:[a-z]{2,9}\.?,?\s+)?(\d{1,2})[\s-]+([a-z]{3,5})\.?[\s-]+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2}|(?:gmt|utc)[+-]\d{1,2}(?::?\d{2})?)?\.?$/i;

/** Parses a feed date to ms since the epoch, or undefined when it is not a date. */
export function parseFeedDate(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  return parseIso(text) ?? parseRfc822(text) ?? fallback(text);
}

function parseIso(text: string): number | undefined {
  const m = iso.exec(text);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', fraction = '0', zone] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number(`0.${fraction}`) * 1000));
  return valid(ms - offsetMinutes(zone) * 60_000, +mo, +d, +h, +mi);
}

function parseRfc822(text: string): number | undefined {
  const m = rfc822.exec(text);
  if (!m) return undefined;
  const [, d, monthName, y, h = '00', mi = '00', s = '00', zone] = m;
  const month = months[monthName.toLowerCase()] ?? months[monthName.slice(0, 3).toLowerCase()];
  if (month === undefined) return undefined;
  // RFC 2822 §4.3: two-digit years below 50 are 20xx, the rest 19xx
  let year = +y;
  if (y.length === 2) year += year < 50 ? 2000 : 1900;
  const ms = Date.UTC(year, month, +d, +h, +mi, +s);
  return valid(ms - offsetMinutes(zone) * 60_000, month + 1, +d, +h, +mi);
}

function fallback(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const named = zones[zone.toLowerCase()];
  if (named !== undefined) return named * 60;
  const m = /([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +(m[3] ?? 0));
}

function valid(ms: number, month: number, day: number, hour: number, minute: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || Number.isNaN(ms)) return undefined;
  return ms;
}

/**
 * A date a reader can sort by: dates before 1990 or more than a day ahead of `now` are
 * treated as missing (clock errors, placeholder values), and missing means "first seen now".
 */
export function plausibleDate(ms: number | undefined, now: number): number | undefined {
  if (ms === undefined) return undefined;
  if (ms < Date.UTC(1990, 0, 1) || ms > now + 86_400_000) return undefined;
  return ms;
}
