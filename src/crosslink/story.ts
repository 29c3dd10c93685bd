/**
 * Story clusters across outlets and languages (pure): whether two external items tell the same story.
 *
 * Near-identical headlines are clustered when an item is stored (ingest/cluster.ts). This catches what wording cannot:
 * rewrites with other words, and translations. Two reports of one story, in any language, name the same subject (the
 * exchange, the chain, the person: entity ids are language-independent) in their title or lead, usually repeat its
 * figures ("$625 million", "3,125 BTC", "1.500 millones"), and appear within days of each other.
 */

/** Entity ids of the figures a text states, stored beside its entities (`#625`), so one index finds both. */
export const numberPrefix = '#';

// A figure as written, not part of a word: digits with thousands or decimal separators (either convention: 1,500.5 or
// 1.500,5), maybe followed by a unit ("1.5bn", "625M").
const figurePattern = /(?<![\p{L}\p{N}])\d(?:[\d.,]*\d)?(?!\p{N})/gu;
/** The most figures kept per text: enough for a report's numbers, bounded for a page of tables. */
const maxFigures = 12;
const yearPattern = /^(19|20)\d\d$/;

/**
 * The figures a text states, reduced to their significant digits so that languages and scales agree: "1.5 billion",
 * "1,5 mil millones" and "1.500 millones" are all `15`; "3.125" and "3,125" are `3125`. Left out: years, and whole
 * numbers up to 31 (days of the month, counts, percentages too common to tell stories apart).
 */
export function storyFigures(text: string): Set<string> {
  const figures = new Set<string>();
  for (const [written] of text.matchAll(figurePattern)) {
    if (yearPattern.test(written)) continue;
    if (/^\d+$/.test(written) && Number(written) <= 31) continue;
    const digits = written.replace(/[.,]/g, '').replace(/^0+/, '').replace(/0+$/, '');
    if (digits.length >= 2) figures.add(digits);
    if (figures.size === maxFigures) break;
  }
  return figures;
}

// The days a text names, stored with its figures as month-day ids (`#d0111`): a report days or weeks after an event
// names its day ("the January 11 debut", "the Jan. 11 filing", "el 11 de enero").
export const dayPrefix = `${numberPrefix}d`;
const englishMonths = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const spanishMonths = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];
// English months are capitalized ("May 3", not "may 3"); "11 January" too.
const englishDay =
  /\b(?:(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s(\d{1,2})(?!\d)|(\d{1,2})\s(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)/g;
const spanishDay =
  /\b(\d{1,2})\s+de\s+(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)\b/gi;

const dayOf = (month: number, day: number) => `${dayPrefix}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;

/** The `#d` ids of the days of the month a text names. */
export function storyDays(text: string): Set<string> {
  const days = new Set<string>();
  const add = (month: number, day: number) => {
    if (month >= 1 && day >= 1 && day <= 31) days.add(dayOf(month, day));
  };
  for (const match of text.matchAll(englishDay)) {
    add(englishMonths.indexOf((match[1] ?? match[4])!.toLowerCase()) + 1, Number(match[2] ?? match[3]));
  }
  for (const match of text.matchAll(spanishDay)) {
    const month = match[2]!.toLowerCase();
    add(month === 'setiembre' ? 9 : spanishMonths.indexOf(month) + 1, Number(match[1]));
  }
  return days;
}

/** The `#d` id of the day (UTC) of a time. */
export function dayId(time: number): string {
  const date = new Date(time);
  return dayOf(date.getUTCMonth() + 1, date.getUTCDate());
}

export interface StoryEvidence {
  /** Saturated full-text relevance of one item to the other, in [0, 1] (0 across languages). */
  text: number;
  /** Weight of the subjects (title or lead entities other than places and generic topics) both name. */
  sharedSubjects: number;
  /** Weight of the subjects of each item. */
  subjects: [number, number];
  /** Figures both state in their title or lead. */
  sharedFigures: number;
  hoursApart: number;
}

/**
 * How far apart two reports of one story may be: rewrites of one announcement come within a day or so; reports days
 * later are follow-ups, another stage of the story, which an article may or may not cover.
 */
export const storyWindowHours = 36;

/**
 * One story: close in time, the subjects of each mostly shared (so a report on one exchange does not join a report
 * naming it among others), and besides the same wording or a shared figure (the same subjects alone are not enough:
 * "Bukele" and "bitcoin" make many stories a week). A shared place or a generic topic (a hack, a
 * conference) never makes one story by itself.
 */
export function isOneStory(evidence: StoryEvidence): boolean {
  const [a, b] = evidence.subjects;
  if (evidence.hoursApart > storyWindowHours || evidence.sharedSubjects <= 0 || a <= 0 || b <= 0) return false;
  if (evidence.sharedSubjects / Math.max(a, b) < 0.5 || evidence.sharedSubjects / Math.min(a, b) < 0.75) return false;
  return evidence.text >= 0.6 || evidence.sharedFigures > 0;
}
