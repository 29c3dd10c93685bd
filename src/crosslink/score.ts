/**
 * Scoring a candidate link between one of our articles and an external item (pure).
 * Three signals, each in [0, 1]:
 * - text: BM25 relevance from FTS5, saturated (rank / (rank + textScale)), since raw BM25 has no upper bound;
 * - entities: shared entity weight (IDF: rare entities weigh more) over the mean of both documents' totals (Dice), plus a
 *   bonus when both state one of their title-or-lead figures or days ("$4.3 billion", "October 1"), the mark of reports of one event, and a
 *   smaller one when an item days later names the article's day ("the January 11 debut"), the mark of a follow-up;
 * - time: the evidence (text + entities) / 2 fades with the days apart, more slowly the stronger it is: news of one event
 *   is reported, then followed up over weeks, so strong same-event evidence survives three weeks, while weak evidence
 *   (a shared word or two) still halves every five days. Past three weeks everything fades fast. A day before the
 *   article counts 1.3 days: what comes weeks before an event is previews and earlier stages.
 * Across languages (an article's published translations against an item's language) wording cannot be shared, so the
 * evidence is the entity signal alone when that is higher.
 * The score is the evidence scaled by time, so neither words alone nor a shared country alone links two stories.
 */
export interface SharedEntity {
  id: string;
  name: string;
  /** Inverse document frequency of the entity among stored articles and items. */
  weight: number;
}

export interface MatchCandidate {
  /** -bm25 of the candidate for the query (higher is more relevant), or 0 when full-text search did not find it. */
  textRank: number;
  shared: SharedEntity[];
  /** Figures and days both state in their title or lead ("$1.5 billion", "October 1"), counted only where the entity signal counts. */
  sharedFigures: number;
  /** The entity weight a perfect match would share (the mean of both documents' totals). */
  queryEntityWeight: number;
  /**
   * The item, two days or more after the article, names the article's day ("the January 11 debut"): a follow-up of that
   * event, counted only where the entity signal counts.
   */
  namesArticleDay?: boolean;
  /** Days from the article to the item: negative when the item came first. */
  itemDaysAfter: number;
  /** The two are in different languages, so no wording can be shared: the entities (with figures) alone are the evidence. */
  otherLanguage?: boolean;
}

export interface CrosslinkSettings {
  threshold: number;
  /** Links kept per article (the best), bounding what one widely covered article stores. */
  maxLinks: number;
  /** Stories an article shows (one item each: its best link), best first. */
  shownStories: number;
  /** Half-life of weak evidence (at or below `weakEvidence`), in days. */
  halfLifeDays: number;
  /** Half-life of strong evidence (at or above `strongEvidence`), in days; in between, it grows linearly. */
  strongHalfLifeDays: number;
  weakEvidence: number;
  strongEvidence: number;
  /** How long reports of one event follow it; past this, evidence halves every `lateHalfLifeDays` more. */
  followUpDays: number;
  lateHalfLifeDays: number;
  /**
   * What a day counts when the item came before the article: reports follow an event for weeks, while those weeks
   * before it are previews and earlier stages, more often another stage of the story.
   */
  dayBeforeWeight: number;
  textScale: number;
  /** What a shared title-or-lead figure adds to the entity signal. */
  figureBonus: number;
  /** What naming the article's day adds to the entity signal of a later item. */
  dayBonus: number;
}

export const crosslinkSettings: CrosslinkSettings = {
  threshold: 0.3,
  maxLinks: 30,
  shownStories: 8,
  halfLifeDays: 5,
  strongHalfLifeDays: 35,
  weakEvidence: 0.5,
  strongEvidence: 0.8,
  followUpDays: 21,
  lateHalfLifeDays: 3,
  dayBeforeWeight: 1.3,
  textScale: 8,
  figureBonus: 0.2,
  dayBonus: 0.1,
};

/** How much of the evidence is left after `days`: 1 on the same day, fading more slowly for stronger evidence. */
export function timeFactor(evidence: number, days: number, settings: CrosslinkSettings = crosslinkSettings): number {
  const strength = Math.min(1, Math.max(0, (evidence - settings.weakEvidence) / (settings.strongEvidence - settings.weakEvidence)));
  const halfLife = settings.halfLifeDays + strength * (settings.strongHalfLifeDays - settings.halfLifeDays);
  const late = Math.max(0, days - settings.followUpDays);
  return 2 ** (-days / halfLife - late / settings.lateHalfLifeDays);
}

/** BM25 relevance saturated into [0, 1): rank / (rank + textScale), 0 when full-text search did not find it. */
export function textRelevance(textRank: number, settings: CrosslinkSettings = crosslinkSettings): number {
  return textRank > 0 ? textRank / (textRank + settings.textScale) : 0;
}

export function scoreCandidate(
  candidate: MatchCandidate,
  settings: CrosslinkSettings = crosslinkSettings,
): { score: number; reason: string } {
  const text = textRelevance(candidate.textRank, settings);
  const sharedWeight = candidate.shared.reduce((sum, entity) => sum + entity.weight, 0);
  const overlap = candidate.queryEntityWeight > 0 ? sharedWeight / candidate.queryEntityWeight : 0;
  const entities = Math.min(
    1,
    overlap + (candidate.sharedFigures > 0 ? settings.figureBonus : 0) + (candidate.namesArticleDay ? settings.dayBonus : 0),
  );
  const evidence = candidate.otherLanguage ? Math.max(entities, (text + entities) / 2) : (text + entities) / 2;
  const days = candidate.itemDaysAfter >= 0 ? candidate.itemDaysAfter : -candidate.itemDaysAfter * settings.dayBeforeWeight;
  const score = evidence * timeFactor(evidence, days, settings);
  return { score: Math.round(score * 1000) / 1000, reason: reasonFor(candidate.shared, text) };
}

/** "shared: North Korea, blockchain conference" (the rarest shared entities first), or the wording when no entity is shared. */
function reasonFor(shared: SharedEntity[], text: number): string {
  const names = [...shared]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3)
    .map((entity) => entity.name);
  if (names.length) return `shared: ${names.join(', ')}${text >= 0.5 ? '; similar wording' : ''}`;
  return 'similar wording';
}

/** Inverse document frequency: ln(1 + documents / (1 + documents mentioning the entity)). */
export function entityWeight(documents: number, mentioning: number): number {
  return Math.log(1 + documents / (1 + mentioning));
}

/** The links to keep: scores at or above the threshold, best first, at most maxLinks. */
export function selectLinks<T extends { score: number }>(scored: T[], settings: CrosslinkSettings = crosslinkSettings): T[] {
  return scored
    .filter((link) => link.score >= settings.threshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, settings.maxLinks);
}
