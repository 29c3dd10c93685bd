import type { Translation } from '../articles/model.ts';
import { htmlToText } from '../ingest/sanitize.ts';
import type { Candidate, CrosslinkStore, NewLink } from '../store/crosslink-store.ts';
import { type EntityIndex, findEntities } from './entities.ts';
import { queryTerms } from './query.ts';
import { type CrosslinkSettings, crosslinkSettings, entityWeight, type SharedEntity, scoreCandidate, selectLinks } from './score.ts';

export interface CrosslinkDeps {
  crosslinkStore: CrosslinkStore;
  entities: EntityIndex;
}

/** How far apart in time an article and an item may be and still be considered at all. */
const windowMs = 30 * 86_400_000;
const candidateLimit = 60;

export interface MatchableItem {
  id: number;
  title: string;
  summary: string;
  contentHtml: string;
  publishedAt: number;
}

/**
 * Indexes a new or changed external item and links it to the articles it relates to.
 * Returns the ids of the articles whose links changed (their feeds need re-rendering).
 */
export async function matchItem(deps: CrosslinkDeps, item: MatchableItem, now: number, settings = crosslinkSettings): Promise<string[]> {
  const body = `${item.summary}\n${htmlToText(item.contentHtml)}`;
  const entities = findEntities(deps.entities, `${item.title}\n${body}`);
  await deps.crosslinkStore.indexItem(item.id, { title: item.title, body }, entities, item.publishedAt);
  const candidates = await deps.crosslinkStore.articleCandidates(
    queryTerms([item.title, item.summary]),
    [...entities.keys()],
    item.publishedAt - windowMs,
    item.publishedAt + windowMs,
    candidateLimit,
  );
  const scored = await score(deps, [...entities.keys()], candidates, item.publishedAt, settings);
  const links: NewLink[] = scored.filter((s) => s.score >= settings.threshold).map((s) => ({ ...s, articleId: s.key, itemId: item.id }));
  return deps.crosslinkStore.replaceItemLinks(item.id, links, settings.topK, now);
}

/**
 * Indexes an article (all its published translations as one document, so items in any language
 * can match it) and re-links it to recent items. Pinned and blocked links are kept.
 * Returns whether the links the article shows changed (its feeds need re-rendering).
 */
export async function matchArticle(
  deps: CrosslinkDeps,
  articleId: string,
  translations: Translation[],
  now: number,
  settings = crosslinkSettings,
): Promise<boolean> {
  const published = translations.filter((t) => t.status === 'published');
  if (published.length === 0) {
    await deps.crosslinkStore.indexArticle(articleId, undefined, new Map(), 0);
    return deps.crosslinkStore.replaceArticleLinks(articleId, [], now);
  }
  const title = published.map((t) => t.title).join('\n');
  const body = published.map((t) => `${t.summary}\n${htmlToText(t.contentHtml)}`).join('\n');
  const entities = findEntities(deps.entities, `${title}\n${body}`);
  const publishedAt = Math.min(...published.map((t) => t.publishedAt));
  await deps.crosslinkStore.indexArticle(articleId, { title, body }, entities, publishedAt);
  const terms = queryTerms([...published.map((t) => t.title), ...published.map((t) => t.summary)]);
  const candidates = await deps.crosslinkStore.itemCandidates(
    terms,
    [...entities.keys()],
    publishedAt - windowMs,
    publishedAt + windowMs,
    candidateLimit * 2,
  );
  const scored = await score(deps, [...entities.keys()], candidates, publishedAt, settings);
  const links = selectLinks(scored, settings).map((s) => ({ articleId, itemId: s.key, score: s.score, reason: s.reason }));
  return deps.crosslinkStore.replaceArticleLinks(articleId, links, now);
}

async function score<Key>(
  deps: CrosslinkDeps,
  queryEntities: string[],
  candidates: Candidate<Key>[],
  publishedAt: number,
  settings: CrosslinkSettings,
): Promise<{ key: Key; score: number; reason: string }[]> {
  if (candidates.length === 0) return [];
  const all = [...new Set([...queryEntities, ...candidates.flatMap((candidate) => candidate.entities)])];
  const { documents, mentioning } = await deps.crosslinkStore.entityCounts(all);
  // A shared place is context, not a story: places count half (a summit and a conference can share a capital).
  const weight = (id: string) =>
    entityWeight(documents, mentioning.get(id) ?? 0) * (deps.entities.entities.get(id)?.type === 'place' ? 0.5 : 1);
  const total = (ids: string[]) => ids.reduce((sum, id) => sum + weight(id), 0);
  const queryWeight = total(queryEntities);
  const own = new Set(queryEntities);
  return candidates.map((candidate) => {
    const common = candidate.entities.filter((id) => own.has(id));
    // Places alone do not make one story (a summit and a conference in the same capital): without a shared
    // subject (an asset, organization, person, group, regulator or topic) the entities signal counts nothing.
    const subjects = common.some((id) => deps.entities.entities.get(id)?.type !== 'place');
    const shared: SharedEntity[] = (subjects ? common : []).map((id) => ({ id, name: displayName(deps.entities, id), weight: weight(id) }));
    const daysApart = Math.abs(candidate.publishedAt - publishedAt) / 86_400_000;
    // Overlap against the smaller of the two entity sets, so an item and an article score the same whichever side asks.
    const entityBasis = Math.min(queryWeight, total(candidate.entities));
    return {
      key: candidate.key,
      ...scoreCandidate({ textRank: candidate.textRank, shared, queryEntityWeight: entityBasis, daysApart }, settings),
    };
  });
}

function displayName(index: EntityIndex, id: string): string {
  const entity = index.entities.get(id);
  return entity?.names.en?.[0] ?? entity?.names.es?.[0] ?? id;
}
