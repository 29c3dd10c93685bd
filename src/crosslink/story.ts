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
