import type { Translation } from '../articles/model.ts';
import type { IngestStore } from '../ingest/ingest-store.ts';
import type { LinkableItem } from '../ingest/item-storage.ts';
import type { ItemHeadline } from '../ingest/model.ts';
import { htmlToText } from '../ingest/sanitize.ts';
import { primaryLanguage } from '../shared/language.ts';
import { foldedWords } from '../shared/text.ts';
import type { CrosslinkStore } from './crosslink-store.ts';
import { type EntityIndex, findEntities, saysCrypto } from './entities.ts';
import type { ArticleLink, Candidate, DocumentEntity, LinkedArticle, LinkState, NearMiss, NewLink, RelatedItem } from './model.ts';
import {
  countNames,
  findNames,
  isKindedName,
  isTitleCase,
  kindedName,
  nameDisplay,
  nameKinds,
  namePrefix,
  subjectOfName,
} from './names.ts';
import { anotherStory, inBody, inDateline, inLead, inTitle, type Subject, storySubjects, subjectOf } from './prominence.ts';
import { queryTerms } from './query.ts';
import {
  type CrosslinkSettings,
  crosslinkSettings,
  entityWeight,
  type MatchCandidate,
  type SharedEntity,
  scoreCandidate,
  selectLinks,
  textRelevance,
} from './score.ts';
import { dayId, dayPrefix, isOneStory, numberPrefix, storyDays, storyFigures, storyWindowHours } from './story.ts';

export interface CrosslinkPorts {
  store: CrosslinkStore;
  entities: EntityIndex;
  /** Headlines of stored items (ingestion's), to show beside the links. */
  itemHeadlines: (ids: number[]) => Promise<Map<number, ItemHeadline>>;
  /** Story clusters of stored items (ingestion's). */
  stories: Pick<IngestStore, 'joinStories' | 'storyMembers'>;
  now: () => number;
  settings?: CrosslinkSettings;
}

export type CrosslinkService = ReturnType<typeof createCrosslinkService>;

/** Related coverage: indexes our articles and external items, links them, and answers which are linked. */
export function createCrosslinkService(ports: CrosslinkPorts) {
  const settings = ports.settings ?? crosslinkSettings;
  return {
    matchItem: (item: LinkableItem) => matchItem(ports, item, ports.now(), settings),
    /** Links each item in turn; returns the articles whose links changed. */
    async matchItems(items: LinkableItem[]): Promise<string[]> {
      const relinked = new Set<string>();
      for (const item of items) for (const id of await matchItem(ports, item, ports.now(), settings)) relinked.add(id);
      return [...relinked];
    },
    matchArticle: (articleId: string, translations: Translation[]) => matchArticle(ports, articleId, translations, ports.now(), settings),
    relatedItems: (articleIds: string[]) => relatedItems(ports, articleIds, settings),
    /** Every link of an article with its item's headline: automatic, pinned and blocked (for an editor's review). */
    async articleLinks(articleId: string) {
      const links = await ports.store.linksOfArticle(articleId);
      const headlines = await ports.itemHeadlines(links.map((link) => link.itemId));
      return links.flatMap((link) => {
        const item = headlines.get(link.itemId);
        return item
          ? [{ ...link, url: item.url, title: item.title, language: item.language, publishedAt: item.publishedAt, source: item.source }]
          : [];
      });
    },
    /** What was found for an article below the threshold, closest first (for an editor's review). */
    nearMisses: (articleId: string, translations: Translation[], limit = 10) => nearMisses(ports, articleId, translations, settings, limit),
    linkedArticles: (itemId: number) => linkedArticles(ports, itemId),
    linkedItems: (itemIds: number[]) => ports.store.linkedItems(itemIds),
    /** An editor's choice about one link (kept through re-matching), or undefined to undo it. */
    setLinkState: (articleId: string, itemId: number, state: LinkState | undefined) =>
      ports.store.setLinkState(articleId, itemId, state, ports.now()),
  };
}

/**
 * The links each article shows, one per story: the best linked item of each story cluster (pinned first, then by
 * score), at most `shownStories` of them, with how many outlets and languages cover each story. Items without a URL
 * are left out by callers that need one.
 */
async function relatedItems(ports: CrosslinkPorts, articleIds: string[], settings: CrosslinkSettings): Promise<Map<string, RelatedItem[]>> {
  const links = await ports.store.shownLinks(articleIds);
  const related = new Map<string, RelatedItem[]>();
  if (links.length === 0) return related;
  const headlines = await ports.itemHeadlines([...new Set(links.map((link) => link.itemId))]);
  const shownStories = new Set<string>();
  for (const link of links) {
    const item = headlines.get(link.itemId);
    const story = item && `${link.articleId} ${item.clusterId}`;
    if (!item || shownStories.has(story!) || (related.get(link.articleId)?.length ?? 0) >= settings.shownStories) continue;
    shownStories.add(story!);
    const list = related.get(link.articleId) ?? [];
    list.push({
      itemId: item.id,
      url: item.url,
      title: item.title,
      language: item.language,
      publishedAt: item.publishedAt,
      source: item.source ?? (item.url ? new URL(item.url).host : 'unknown'),
      score: link.score,
      reason: link.reason,
      state: link.state,
      coverage: item.coverage,
    });
    related.set(link.articleId, list);
  }
  return related;
}

/**
 * The articles an item's story is linked to: an article links a story cluster, so an item is covered by the links of
 * any item of its story (each article once, by its best link), unless an editor blocked this very item for it.
 */
async function linkedArticles(ports: CrosslinkPorts, itemId: number): Promise<LinkedArticle[]> {
  const members = (await ports.stories.storyMembers([itemId])).get(itemId) ?? [itemId];
  const links = await ports.store.linksOfItems(members);
  const blocked = new Set(links.filter((link) => link.itemId === itemId && link.state === 'blocked').map((link) => link.articleId));
  const byArticle = new Map<string, ArticleLink>();
  for (const { articleId, itemId: linked, score, reason, state } of links) {
    if (state === 'blocked' || blocked.has(articleId) || byArticle.has(articleId)) continue;
    // Its own pin or link first; a story mate's otherwise.
    const own = links.find((link) => link.articleId === articleId && link.itemId === itemId && link.state !== 'blocked');
    byArticle.set(articleId, own ?? { articleId, itemId: linked, score, reason, state });
  }
  return [...byArticle.values()]
    .map(({ articleId, score, reason, state }) => ({ articleId, score, reason, state }))
    .sort((a, b) => b.score - a.score);
}

/** How far apart in time an article and an item may be and still be considered at all. */
const windowMs = 30 * 86_400_000;
const candidateLimit = 60;
const storyCandidates = 30;

/**
 * Indexes a new or changed external item and links it to the articles it relates to.
 * Returns the ids of the articles whose links changed (their feeds need re-rendering).
 */
async function matchItem(deps: CrosslinkPorts, item: LinkableItem, now: number, settings: CrosslinkSettings): Promise<string[]> {
  const text = htmlToText(item.contentHtml, true);
  const body = `${item.summary}\n${text}`;
  // The lead: the summary, else the content's opening.
  const entities = documentEntities(deps.entities, { title: item.title, lead: item.summary || text.slice(0, leadLength), body: text });
  const languages = item.language ? [primaryLanguage(item.language)] : [];
  await deps.store.indexItem(item.id, { title: item.title, body }, entities, item.publishedAt, languages);
  const terms = queryTerms([item.title, item.summary]);
  const candidates = await deps.store.articleCandidates(
    terms,
    namedEntities(entities),
    item.publishedAt - windowMs,
    item.publishedAt + windowMs,
    candidateLimit,
  );
  const scored = await score(deps, prominence(entities), languages, candidates, item.publishedAt, settings, false);
  const links: NewLink[] = scored.filter((s) => s.score >= settings.threshold).map((s) => ({ ...s, articleId: s.key, itemId: item.id }));
  const relinked = await deps.store.replaceItemLinks(item.id, links, settings.maxLinks, now);
  return [...new Set([...relinked, ...(await joinStory(deps, item, terms, entities, settings))])];
}

/**
 * Puts an item into the story cluster of another item telling the same story (story.ts), the most alike first.
 * Returns the articles linked to the merged story: what they show (its best item, its coverage) may have changed.
 */
async function joinStory(
  deps: CrosslinkPorts,
  item: LinkableItem,
  terms: string[],
  entities: Map<string, DocumentEntity>,
  settings: CrosslinkSettings,
): Promise<string[]> {
  const typeOf = (id: string) => deps.entities.entities.get(id)?.type;
  // A kinded name is its plain name again (names.ts), counted once.
  const isSubject = (id: string) => !id.startsWith(numberPrefix) && !isKindedName(id) && typeOf(id) !== 'place' && typeOf(id) !== 'topic';
  const lead = (map: Map<string, number>) => [...map].filter(([, prominence]) => prominence >= subjectProminence).map(([id]) => id);
  const ownProminence = prominence(entities);
  const own = lead(ownProminence);
  const subjects = own.filter(isSubject);
  if (subjects.length === 0) return [];
  const figures = new Set(own.filter(isFigure));
  const window = storyWindowHours * 3_600_000;
  const candidates = (
    await deps.store.itemCandidates(terms, [...subjects, ...figures], item.publishedAt - window, item.publishedAt + window, storyCandidates)
  ).filter((candidate) => candidate.key !== item.id);
  if (candidates.length === 0) return [];
  const all = [...new Set([...subjects, ...candidates.flatMap((candidate) => lead(candidate.entities).filter(isSubject))])];
  const { documents, mentioning } = await deps.store.entityCounts(all);
  const weight = (id: string) => entityWeight(documents, mentioning.get(id) ?? 0);
  const sum = (ids: string[]) => ids.reduce((total, id) => total + weight(id), 0);
  const subjectOfId = (id: string) => subjectOfEntity(deps.entities, id);
  const ownSubjects = storySubjects(ownProminence, subjectOfId);
  const alike = candidates.flatMap((candidate) => {
    if (anotherStory(ownSubjects, storySubjects(candidate.entities, subjectOfId), distinctiveIn(documents, mentioning))) return [];
    const theirs = lead(candidate.entities);
    const theirSubjects = theirs.filter(isSubject);
    const shared = theirSubjects.filter((id) => subjects.includes(id));
    const evidence = {
      text: textRelevance(candidate.textRank, settings),
      sharedSubjects: sum(shared),
      subjects: [sum(subjects), sum(theirSubjects)] as [number, number],
      sharedFigures: theirs.filter((id) => figures.has(id)).length,
      hoursApart: Math.abs(candidate.publishedAt - item.publishedAt) / 3_600_000,
    };
    return isOneStory(evidence)
      ? [{ key: candidate.key, closeness: evidence.sharedSubjects / Math.max(...evidence.subjects) + evidence.text }]
      : [];
  });
  const best = alike.sort((a, b) => b.closeness - a.closeness)[0];
  if (!best) return [];
  const members = await deps.stories.joinStories(item.id, best.key);
  return [...new Set((await deps.store.linksOfItems(members)).map((link) => link.articleId))];
}

/**
 * Indexes an article (all its published translations as one document, so items in any language
 * can match it) and re-links it to recent items. Pinned and blocked links are kept.
 * Returns whether the links the article shows changed (its feeds need re-rendering).
 */
async function matchArticle(
  deps: CrosslinkPorts,
  articleId: string,
  translations: Translation[],
  now: number,
  settings: CrosslinkSettings,
): Promise<boolean> {
  const document = articleDocument(deps, translations);
  if (!document) {
    await deps.store.indexArticle(articleId, undefined, new Map(), 0, []);
    return deps.store.replaceArticleLinks(articleId, [], now);
  }
  await deps.store.indexArticle(articleId, document.text, document.entities, document.publishedAt, document.languages);
  const scored = await scoreItemsFor(deps, articleId, document, settings);
  const links = selectLinks(scored, settings).map((s) => ({ articleId, itemId: s.key, score: s.score, reason: s.reason }));
  return deps.store.replaceArticleLinks(articleId, links, now);
}

/** An article as the matcher reads it: all its published translations as one document; undefined when none is published. */
function articleDocument(deps: CrosslinkPorts, translations: Translation[]) {
  const published = translations.filter((t) => t.status === 'published');
  if (published.length === 0) return undefined;
  const title = published.map((t) => t.title).join('\n');
  const texts = published.map((t) => htmlToText(t.contentHtml, true));
  const body = published.map((t, index) => `${t.summary}\n${texts[index]}`).join('\n');
  const entities = documentEntities(deps.entities, {
    title,
    lead: published.map((t, index) => t.summary || texts[index]!.slice(0, leadLength)).join('\n'),
    body: texts.join('\n'),
  });
  return {
    text: { title, body },
    entities,
    publishedAt: Math.min(...published.map((t) => t.publishedAt)),
    languages: [...new Set(published.map((t) => primaryLanguage(t.lang)))],
    terms: queryTerms([...published.map((t) => t.title), ...published.map((t) => t.summary)]),
  };
}

/** Every item found for an article, scored (above and below the threshold). */
async function scoreItemsFor(
  deps: CrosslinkPorts,
  articleId: string,
  document: NonNullable<ReturnType<typeof articleDocument>>,
  settings: CrosslinkSettings,
) {
  const { entities, publishedAt, terms, languages } = document;
  const candidates = await deps.store.itemCandidates(
    terms,
    namedEntities(entities),
    publishedAt - windowMs,
    publishedAt + windowMs,
    candidateLimit * 2,
  );
  // The wording is ranked as when each item arrived, by the item's own terms against the article, so that a link scores
  // the same whichever of the two was indexed last (an edit must not lose links the item found).
  const asItemsRankIt = async (keys: number[]) => {
    const leads = await deps.store.itemLeads(keys);
    const queries = keys.map((key) => {
      const lead = leads.get(key);
      return lead ? queryTerms([lead.title, lead.lead]) : [];
    });
    return deps.store.articleTextRanks(articleId, queries);
  };
  return score(deps, prominence(entities), languages, candidates, publishedAt, settings, true, asItemsRankIt);
}

/**
 * What the matcher found for an article but left below the threshold, closest first, with the reasons it scored: what
 * an editor reviews before pinning one. Items an editor already decided about are left out.
 */
async function nearMisses(
  deps: CrosslinkPorts,
  articleId: string,
  translations: Translation[],
  settings: CrosslinkSettings,
  limit: number,
): Promise<NearMiss[]> {
  const document = articleDocument(deps, translations);
  if (!document) return [];
  const decided = new Set((await deps.store.linksOfArticle(articleId)).map((link) => link.itemId));
  const below = (await scoreItemsFor(deps, articleId, document, settings))
    .filter((s) => s.score < settings.threshold && s.score >= settings.threshold * nearMissShare && !decided.has(s.key))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
  const headlines = await deps.itemHeadlines(below.map((s) => s.key));
  return below.flatMap((s) => {
    const item = headlines.get(s.key);
    return item
      ? [
          {
            itemId: s.key,
            url: item.url,
            title: item.title,
            language: item.language,
            publishedAt: item.publishedAt,
            score: s.score,
            reason: s.reason,
          },
        ]
      : [];
  });
}

/** Near-misses shown are those scoring at least this share of the threshold. */
const nearMissShare = 0.4;

async function score<Key>(
  deps: CrosslinkPorts,
  withFigures: Map<string, number>,
  queryLanguages: string[],
  found: Candidate<Key>[],
  publishedAt: number,
  settings: CrosslinkSettings,
  queryIsArticle: boolean,
  /** The text ranks to score by instead of the query's, for the candidates given (the closest ones). */
  rankFromCandidates?: (keys: Key[]) => Promise<number[]>,
): Promise<{ key: Key; score: number; reason: string }[]> {
  if (found.length === 0) return [];
  // Figures (story.ts) tell reports of one story apart from each other, not an article from its coverage.
  const withoutFigures = (entities: Map<string, number>) => new Map([...entities].filter(([id]) => !id.startsWith(numberPrefix)));
  const queryEntities = withoutFigures(withFigures);
  // Figures and days stated in the title or lead, by which a later report names the event ("the $4.3bn plea deal",
  // "the October 1 conference").
  const leadFigures = (entities: Map<string, number>) =>
    [...entities].filter(([id, prominence]) => id.startsWith(numberPrefix) && prominence >= inLead).map(([id]) => id);
  const queryFigures = new Set(leadFigures(withFigures));
  const daysIn = (entities: Map<string, number>) => new Set([...entities.keys()].filter((id) => id.startsWith(dayPrefix)));
  const queryDays = daysIn(withFigures);
  const candidates = found.map((candidate) => ({
    ...candidate,
    entities: withoutFigures(candidate.entities),
    figures: leadFigures(candidate.entities).filter((id) => queryFigures.has(id)),
    // The days the item names (story.ts).
    itemDays: queryIsArticle ? daysIn(candidate.entities) : queryDays,
  }));
  const all = [...new Set([...queryEntities.keys(), ...candidates.flatMap((candidate) => [...candidate.entities.keys()])])];
  const { documents, mentioning } = await deps.store.entityCounts(all);
  const typeOf = (id: string) => deps.entities.entities.get(id)?.type;
  // A shared place is context, not a story: places count half (a summit and a conference can share a capital).
  // Names the dictionary does not know (names.ts) weigh nothing: they vouch for a shared subject below, but a
  // capitalized word is too weak a sign to weigh like a dictionary entity.
  const weight = (id: string) =>
    id.startsWith(namePrefix) ? 0 : entityWeight(documents, mentioning.get(id) ?? 0) * (typeOf(id) === 'place' ? 0.5 : 1);
  // What a document's entities weigh, each as prominently as it appears.
  const total = (entities: Map<string, number>) => [...entities].reduce((sum, [id, prominence]) => sum + weight(id) * prominence, 0);
  const queryWeight = total(queryEntities);
  const subjectOfId = (id: string) => subjectOfEntity(deps.entities, id);
  const querySubjects = storySubjects(queryEntities, subjectOfId);
  const distinctive = distinctiveIn(documents, mentioning);
  const judged = candidates.map((candidate): { key: Key; match?: MatchCandidate } => {
    // Another story, however alike the wording (prominence.ts).
    if (anotherStory(querySubjects, storySubjects(candidate.entities, subjectOfId), distinctive)) return { key: candidate.key };
    const common = [...candidate.entities].flatMap(([id, prominence]) =>
      queryEntities.has(id) ? [{ id, prominence: Math.min(prominence, queryEntities.get(id)!) }] : [],
    );
    // A place alone or a generic topic alone (a hack, a conference) does not make one story: the entities signal
    // counts only with a shared subject (an asset, organization, person, group or regulator, or a name the dictionary
    // does not know), or a shared topic and place together (what happened where), in the title or lead of both.
    const prominent = common.filter(({ prominence }) => prominence >= subjectProminence).map(({ id }) => typeOf(id));
    const subjects =
      prominent.some((type) => type !== 'place' && type !== 'topic') || (prominent.includes('place') && prominent.includes('topic'));
    const shared: SharedEntity[] = (subjects ? common : []).map(({ id, prominence }) => ({
      id,
      name: displayName(deps.entities, id),
      weight: weight(id) * prominence,
    }));
    const itemDaysAfter = (queryIsArticle ? candidate.publishedAt - publishedAt : publishedAt - candidate.publishedAt) / 86_400_000;
    // Weighted Dice overlap: shared weight against the mean of both documents' totals, symmetric (an item and an article
    // score the same whichever side asks), and a short item sharing its one entity (bitcoin) with a long article does not
    // count as wholly shared, as it would against the smaller side.
    const entityBasis = (queryWeight + total(candidate.entities)) / 2;
    return {
      key: candidate.key,
      match: {
        textRank: candidate.textRank,
        shared,
        sharedFigures: subjects ? candidate.figures.length : 0,
        namesArticleDay:
          subjects && itemDaysAfter >= 2 && namesDayOf(candidate.itemDays, queryIsArticle ? publishedAt : candidate.publishedAt),
        queryEntityWeight: entityBasis,
        itemDaysAfter,
        // Wording can only be compared within a language: across languages, entities and figures are the evidence.
        otherLanguage:
          queryLanguages.length > 0 && candidate.languages.length > 0 && !candidate.languages.some((lang) => queryLanguages.includes(lang)),
      },
    };
  });
  const scores = judged.map(({ match }) => (match ? scoreCandidate(match, settings) : { score: 0, reason: 'another story' }));
  if (rankFromCandidates) {
    const closest = judged
      .flatMap(({ match }, index) => (match && scores[index]!.score > 0 ? [index] : []))
      .sort((a, b) => scores[b]!.score - scores[a]!.score)
      .slice(0, rankedFromCandidates);
    const ranks = closest.length > 0 ? await rankFromCandidates(closest.map((index) => judged[index]!.key)) : [];
    closest.forEach((index, position) => {
      scores[index] = scoreCandidate({ ...judged[index]!.match!, textRank: ranks[position]! }, settings);
    });
  }
  return judged.map(({ key }, index) => ({ key, ...scores[index]! }));
}

/**
 * Whether a subject is named by few enough documents to tell a story by (prominence.ts): a tenth of them at most, or
 * five while the index is small (on a fresh install, bitcoin is in most documents; the story's subject in a few).
 */
function distinctiveIn(documents: number, mentioning: Map<string, number>) {
  return (key: string) => (mentioning.get(key) ?? 0) <= Math.max(5, documents * 0.1);
}

/**
 * Figures a document states, not the days it names (story.ts): reports of two stories on one day say "on Thursday,
 * October 1" alike, so days do not tell reports of one story from another.
 */
const isFigure = (id: string) => id.startsWith(numberPrefix) && !id.startsWith(dayPrefix);

/** Whether an item names the day an article was published or the day before (the event's, in any time zone). */
function namesDayOf(itemDays: Set<string>, articlePublishedAt: number): boolean {
  return itemDays.has(dayId(articlePublishedAt)) || itemDays.has(dayId(articlePublishedAt - 86_400_000));
}

/** How many of the closest candidates are ranked from their own side (what that costs bounds it). */
const rankedFromCandidates = 40;

// Title or lead: where a document says what it is about (prominence.ts).
const subjectProminence = inLead;
const leadLength = 400;
// A dateline opening a lead or body: a place in capitals, maybe a date or an agency, then a dash.
const dateline = /^\s*(\p{Lu}[\p{Lu}\p{M} .'’-]{1,40}(?:,[^—–\n-]{0,40})?(?:\s*\([^)\n]{1,30}\))?)\s*[—–-]{1,2}\s/u;

/** The entities of a document with how often and how prominently each appears (prominence.ts). */
function documentEntities(index: EntityIndex, parts: { title: string; lead: string; body: string }): Map<string, DocumentEntity> {
  const found = new Map<string, DocumentEntity>();
  // Everyday-word entities ("mining") from parts that do not say crypto themselves, kept if another part does.
  const heldBack: [Map<string, number>, number][] = [];
  const put = (id: string, mentions: number, prominence: number) => {
    const entry = found.get(id);
    found.set(id, { mentions: (entry?.mentions ?? 0) + mentions, prominence: Math.max(entry?.prominence ?? 0, prominence) });
  };
  const add = (text: string, prominence: number) => {
    const held = new Map<string, number>();
    for (const [id, mentions] of findEntities(index, text, held)) put(id, mentions, prominence);
    if (held.size) heldBack.push([held, prominence]);
  };
  const split = (text: string) => {
    const match = dateline.exec(text);
    return match ? { dateline: match[1]!, rest: text.slice(match[0].length) } : { dateline: '', rest: text };
  };
  const lead = split(parts.lead);
  const body = split(parts.body);
  add(parts.title, inTitle);
  add(lead.rest, inLead);
  add(body.rest, inBody);
  add(`${lead.dateline}\n${body.dateline}`, inDateline);
  const crypto =
    heldBack.length > 0 &&
    ([...found.keys()].some((id) => {
      const entity = index.entities.get(id)!;
      return entity.type === 'asset' || ((entity.type === 'topic' || entity.type === 'event') && !entity.needsCryptoContext);
    }) ||
      saysCrypto(`${parts.title}\n${parts.lead}\n${parts.body}`));
  if (crypto) for (const [held, prominence] of heldBack) for (const [id, mentions] of held) put(id, mentions, prominence);
  // Names the dictionary does not know (names.ts), as prominent as the first part that mentions them.
  const titles = parts.title.split('\n');
  const names = findNames([...titles.filter((title) => !isTitleCase(title)), lead.rest, body.rest], index.words);
  if (names.size > 0) {
    // Each part's folded words, read once to count the names and to tell their kinds.
    const words = { title: foldedWords(parts.title), lead: foldedWords(lead.rest), body: foldedWords(body.rest) };
    // Only names of the title or lead: what a document is about, not everyone its background mentions.
    const inTitleNames = countNames(names, words.title);
    const inLeadNames = countNames(names, words.lead);
    const subjectNames = new Set([...inTitleNames.keys(), ...inLeadNames.keys()]);
    const inBodyNames = countNames(subjectNames, words.body);
    for (const [counts, prominence] of [
      [inTitleNames, inTitle],
      [inLeadNames, inLead],
      [inBodyNames, inBody],
    ] as const) {
      for (const [name, mentions] of counts) put(`${namePrefix}${name}`, mentions, prominence);
    }
    // A name the text says the kind of ("Deus Finance", "the DEI stablecoin") is also a subject of that kind (prominence.ts).
    for (const [name, kind] of nameKinds(subjectNames, [words.title, words.lead, words.body])) {
      const plain = found.get(`${namePrefix}${name}`)!;
      put(kindedName(name, kind), plain.mentions, plain.prominence);
    }
  }
  // The figures and the days each part states (story.ts), the dateline's left out.
  for (const [text, prominence] of [
    [parts.title, inTitle],
    [lead.rest, inLead],
    [body.rest, inBody],
  ] as const) {
    for (const digits of storyFigures(text)) put(`${numberPrefix}${digits}`, 1, prominence);
    for (const id of storyDays(text)) put(id, 1, prominence);
  }
  return found;
}

/** The ids of the named entities of a document (its figures left out). */
function namedEntities(entities: Map<string, DocumentEntity>): string[] {
  return [...entities.keys()].filter((id) => !id.startsWith(numberPrefix));
}

function prominence(entities: Map<string, DocumentEntity>): Map<string, number> {
  return new Map([...entities].map(([id, entity]) => [id, entity.prominence]));
}

/** What an entity or a name stands for when telling stories apart (prominence.ts). */
function subjectOfEntity(index: EntityIndex, id: string): Subject | undefined {
  return id.startsWith(namePrefix) ? subjectOfName(id) : subjectOf(index.entities.get(id));
}

function displayName(index: EntityIndex, id: string): string {
  if (id.startsWith(namePrefix)) return nameDisplay(id);
  const entity = index.entities.get(id);
  return entity?.names.en?.[0] ?? entity?.names.es?.[0] ?? id;
}
