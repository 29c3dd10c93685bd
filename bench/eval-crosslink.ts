import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedArticles } from '../src/articles/seed.ts';
import type { Services } from '../src/compose.ts';
import { parseConfig } from '../src/config.ts';
import { normalizeFeed } from '../src/ingest/normalize.ts';
import { type ParsedFeed, parseFeed } from '../src/ingest/parse.ts';
import { readSeedFiles } from '../src/runtime/node/files.ts';
import { openNodeServices } from '../src/runtime/node/node-services.ts';
import { cdata, el, serializeXml, type XmlElement } from '../src/shared/xml.ts';

/**
 * `npm run eval:crosslink`: precision, recall and precision@3 of cross-linking on the two labelled splits in data/eval/:
 * the tuning split (crosslink-tune.json) and the judging split (crosslink-judge.json), which is never tuned on
 * (data/eval/README.md). Each split is evaluated on its own fresh database: the seed articles are stored first, then
 * each external item arrives as ingestion would deliver it, in publication order, and is linked incrementally.
 *
 * `npm run eval:crosslink -- --split tune` (or `judge`) evaluates one split only; `-- --feeds` delivers every item as a
 * feed document instead (see `Delivery`).
 */
export interface EvalItem {
  id: string;
  source: string;
  lang: string;
  url: string;
  title: string;
  summary: string;
  content: string;
  publishedAt: string;
}

export interface EvalPair {
  /** `lang/slug` of a seed translation. */
  article: string;
  item: string;
  related: boolean;
  /** The failure class the pair probes, if any: offset, background, dateline, ... (data/eval/README.md) */
  class?: string;
  note?: string;
}

export interface EvalSet {
  items: EvalItem[];
  pairs: EvalPair[];
}

/**
 * How items arrive: `parsed`, as the parser hands an entry to normalization, with its language; `feeds`, each as a
 * document of its outlet's format (RSS 2.0, Atom 1.0 or JSON Feed 1.1, one per outlet) that states no language, read
 * as a poll reads it, so what the formats and the language of the text change is measured.
 */
export type Delivery = 'parsed' | 'feeds';

/** Stores items (one source per outlet) through the same path as ingestion; returns item ids by eval id. */
export async function ingestEvalItems(services: Services, items: EvalItem[], delivery: Delivery = 'parsed'): Promise<Map<string, number>> {
  const sources = new Map<string, number>();
  const ids = new Map<string, number>();
  for (const item of [...items].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt))) {
    const feedUrl = `https://${item.source.toLowerCase().replace(/\W+/g, '-')}.example/feed`;
    let sourceId = sources.get(item.source);
    if (sourceId === undefined) {
      [sourceId] = await services.ingest.store.addSources([{ url: feedUrl, title: item.source }], 0);
      sources.set(item.source, sourceId);
    }
    // Each outlet keeps one format: the order it first appeared in, round the three.
    const format = [...sources.keys()].indexOf(item.source) % 3;
    const parsed = delivery === 'feeds' ? await parseFeed(feedDocument(item, format)) : parsedEntry(item);
    const { items: normalized } = normalizeFeed(parsed, { feedUrl, now: Date.parse(item.publishedAt) });
    const { saved, relinked } = await services.ingest.items.storeItems(sourceId!, normalized, Date.parse(item.publishedAt));
    // As a poll does after storing: what shows the relinked articles is rendered anew.
    await services.refreshArticleFeeds(relinked);
    ids.set(item.id, saved.ids[0]!);
  }
  return ids;
}

function parsedEntry(item: EvalItem): ParsedFeed {
  return {
    format: 'json',
    authors: [],
    language: item.lang,
    items: [
      {
        id: item.id,
        title: { value: item.title, type: 'text' },
        links: [{ href: item.url, rel: 'alternate' }],
        summary: { value: item.summary, type: 'text' },
        content: { value: item.content, type: 'html' },
        authors: [],
        categories: [],
        published: item.publishedAt,
        enclosures: [],
        problems: [],
      },
    ],
    problems: [],
  };
}

/** One item as a feed document of the given format (0 RSS 2.0, 1 Atom 1.0, 2 JSON Feed 1.1), with no language. */
function feedDocument(item: EvalItem, format: number): string {
  const optional = (text: string, write: (text: string) => XmlElement) => (text ? write(text) : undefined);
  if (format === 2) {
    return JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: item.source,
      items: [
        {
          id: item.url,
          url: item.url,
          title: item.title,
          date_published: item.publishedAt,
          summary: item.summary || undefined,
          content_html: item.content || undefined,
        },
      ],
    });
  }
  const root =
    format === 0
      ? el(
          'rss',
          { version: '2.0', 'xmlns:content': 'http://purl.org/rss/1.0/modules/content/' },
          el(
            'channel',
            null,
            el('title', null, item.source),
            el('link', null, item.url),
            el('description', null, item.source),
            el(
              'item',
              null,
              el('title', null, item.title),
              el('link', null, item.url),
              el('guid', null, item.url),
              el('pubDate', null, new Date(item.publishedAt).toUTCString()),
              optional(item.summary, (text) => el('description', null, text)),
              optional(item.content, (html) => el('content:encoded', null, cdata(html))),
            ),
          ),
        )
      : el(
          'feed',
          { xmlns: 'http://www.w3.org/2005/Atom' },
          el('title', null, item.source),
          el('id', null, `urn:feed:${item.source}`),
          el('updated', null, item.publishedAt),
          el(
            'entry',
            null,
            el('title', null, item.title),
            el('id', null, item.url),
            el('link', { href: item.url }),
            el('published', null, item.publishedAt),
            el('updated', null, item.publishedAt),
            optional(item.summary, (text) => el('summary', null, text)),
            optional(item.content, (html) => el('content', { type: 'html' }, html)),
          ),
        );
  return serializeXml(root, { declaration: true });
}

/** The splits, in the order they are reported. Misses are listed for the tuning split only. */
const splits = [
  { name: 'tune', file: 'crosslink-tune.json', listMisses: true },
  { name: 'judge', file: 'crosslink-judge.json', listMisses: false },
];

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** precision@3: related items among each article's three best labelled links, and links shown. */
  hits: number;
  shown: number;
}

interface SplitResult extends Counts {
  articles: number;
  /** Story clusters of more than one item, the items in them, and pairs of items in one cluster that the labels set apart. */
  stories: { clusters: number; items: number; conflicts: string[] };
  misses: string[];
  /** Per class: positives linked and negatives left unlinked, out of how many. */
  byClass: Map<string, { positives: number; linked: number; negatives: number; unlinked: number }>;
}

/** Evaluates one split on a fresh database: seed articles first, then the split's items in publication order. */
async function evaluateSplit(evalSet: EvalSet, delivery: Delivery): Promise<SplitResult> {
  const dir = mkdtempSync(join(tmpdir(), 'crosslink-eval-'));
  const config = parseConfig({ DB_PATH: join(dir, 'eval.db'), INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
  const { services, close } = await openNodeServices(config);
  try {
    await seedArticles(services.articles, config.languages, readSeedFiles());
    const itemIds = await ingestEvalItems(services, evalSet.items, delivery);
    const articleOf = async (ref: string) => {
      const [lang, slug] = ref.split('/');
      const id = await services.articles.findSlugOwner(lang!, slug!);
      if (!id) throw new Error(`unknown article ${ref}`);
      return id;
    };
    const result: SplitResult = {
      tp: 0,
      fp: 0,
      fn: 0,
      tn: 0,
      hits: 0,
      shown: 0,
      articles: 0,
      stories: await storyClusters(services, evalSet, itemIds),
      misses: [],
      byClass: new Map(),
    };
    const byArticle = new Map<string, { item: number; related: boolean }[]>();
    for (const pair of evalSet.pairs) {
      const articleId = await articleOf(pair.article);
      const itemId = itemIds.get(pair.item);
      if (itemId === undefined) throw new Error(`unknown item ${pair.item}`);
      const linked = (await services.crosslink.linkedArticles(itemId)).some((link) => link.articleId === articleId);
      if (linked && pair.related) result.tp++;
      else if (linked) {
        result.fp++;
        result.misses.push(`false link    ${pair.article} ~ ${pair.item}: ${pair.note ?? ''}`);
      } else if (pair.related) {
        result.fn++;
        result.misses.push(`missed link   ${pair.article} ~ ${pair.item}: ${pair.note ?? ''}`);
      } else result.tn++;
      if (pair.class) {
        const counts = result.byClass.get(pair.class) ?? { positives: 0, linked: 0, negatives: 0, unlinked: 0 };
        if (pair.related) {
          counts.positives++;
          if (linked) counts.linked++;
        } else {
          counts.negatives++;
          if (!linked) counts.unlinked++;
        }
        result.byClass.set(pair.class, counts);
      }
      byArticle.set(articleId, [...(byArticle.get(articleId) ?? []), { item: itemId, related: pair.related }]);
    }
    result.articles = byArticle.size;
    // precision@3: of each article's three best links among its labelled items, the share that are related.
    for (const [articleId, labelled] of byArticle) {
      if (!labelled.some((pair) => pair.related)) continue;
      const related = (await services.crosslink.relatedItems([articleId])).get(articleId) ?? [];
      const top = related.filter((item) => labelled.some((pair) => pair.item === item.itemId)).slice(0, 3);
      result.shown += top.length;
      result.hits += top.filter((item) => labelled.find((pair) => pair.item === item.itemId)?.related).length;
    }
    return result;
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How items were put into story clusters: clusters of more than one item, and pairs of items in one cluster that the
 * labels set apart (for some article one is related and the other is not), which should be none.
 */
async function storyClusters(services: Services, evalSet: EvalSet, itemIds: Map<string, number>) {
  const headlines = await services.ingest.store.itemHeadlines([...itemIds.values()]);
  const clusters = new Map<number, string[]>();
  for (const [evalId, id] of itemIds) {
    const cluster = headlines.get(id)!.clusterId;
    clusters.set(cluster, [...(clusters.get(cluster) ?? []), evalId]);
  }
  const label = new Map(evalSet.pairs.map((pair) => [`${pair.article.split('/')[1]} ${pair.item}`, pair.related]));
  const articleOf = (ref: string) => ref.split('/')[1]!;
  const articles = [...new Set(evalSet.pairs.map((pair) => articleOf(pair.article)))];
  const conflicts: string[] = [];
  const shared = [...clusters.values()].filter((members) => members.length > 1);
  for (const members of shared) {
    for (const [index, a] of members.entries()) {
      for (const b of members.slice(index + 1)) {
        const apart = articles.some((article) => {
          const [la, lb] = [label.get(`${article} ${a}`), label.get(`${article} ${b}`)];
          return la !== undefined && lb !== undefined && la !== lb;
        });
        if (apart) conflicts.push(`${a} ~ ${b}`);
      }
    }
  }
  return { clusters: shared.length, items: shared.reduce((sum, members) => sum + members.length, 0), conflicts };
}

const ratio = (part: number, whole: number) => `${(part / Math.max(1, whole)).toFixed(3)} (${part}/${whole})`;

/** The value of `--split name` or `--split=name`, if given. */
function splitArgument(args: string[]): string | undefined {
  const index = args.findIndex((arg) => arg === '--split' || arg.startsWith('--split='));
  if (index < 0) return undefined;
  const value = args[index] === '--split' ? args[index + 1] : args[index]!.slice('--split='.length);
  if (!splits.some((split) => split.name === value)) {
    throw new Error(`--split takes one of: ${splits.map((split) => split.name).join(', ')}`);
  }
  return value;
}

async function main() {
  const only = splitArgument(process.argv.slice(2));
  const delivery: Delivery = process.argv.includes('--feeds') ? 'feeds' : 'parsed';
  const total: Counts & { items: number; pairs: number } = { tp: 0, fp: 0, fn: 0, tn: 0, hits: 0, shown: 0, items: 0, pairs: 0 };
  const chosen = splits.filter((split) => only === undefined || split.name === only);
  for (const split of chosen) {
    const evalSet = JSON.parse(readFileSync(join(import.meta.dirname, '../data/eval', split.file), 'utf8')) as EvalSet;
    const result = await evaluateSplit(evalSet, delivery);
    console.log(
      `\n## ${split.name} split (data/eval/${split.file}): ${evalSet.items.length} items, ${evalSet.pairs.length} labelled pairs, ${result.articles} articles` +
        (delivery === 'feeds' ? ', each item read from a feed document of its outlet’s format that states no language' : ''),
    );
    console.log('\n| measure | value | goal |\n| --- | ---: | --- |');
    console.log(`| precision | ${ratio(result.tp, result.tp + result.fp)} | ≥ 0.95 |`);
    console.log(`| recall | ${ratio(result.tp, result.tp + result.fn)} | ≥ 0.90 |`);
    console.log(`| precision@3 | ${ratio(result.hits, result.shown)} | ≥ 0.9 |`);
    console.log(`| true negatives | ${result.tn} | |`);
    console.log(
      `| story clusters (more than one item) | ${result.stories.clusters}, holding ${result.stories.items} items | |\n` +
        `| item pairs in one cluster that the labels set apart | ${result.stories.conflicts.length} | 0 |`,
    );
    if (result.byClass.size) {
      console.log('\n| class | positives linked | negatives left unlinked |\n| --- | ---: | ---: |');
      for (const [name, counts] of [...result.byClass].sort(([a], [b]) => a.localeCompare(b))) {
        const positives = counts.positives ? `${counts.linked}/${counts.positives}` : '';
        const negatives = counts.negatives ? `${counts.unlinked}/${counts.negatives}` : '';
        console.log(`| ${name} | ${positives} | ${negatives} |`);
      }
    }
    if (split.listMisses) {
      if (result.misses.length) console.log(`\n${result.misses.join('\n')}`);
      if (result.stories.conflicts.length) console.log(`\none cluster, set apart by the labels: ${result.stories.conflicts.join(', ')}`);
    } else {
      console.log('\nIts misses are not listed: this split is never tuned on (data/eval/README.md).');
    }
    for (const key of ['tp', 'fp', 'fn', 'tn', 'hits', 'shown'] as const) total[key] += result[key];
    total.items += evalSet.items.length;
    total.pairs += evalSet.pairs.length;
  }
  if (chosen.length > 1) {
    console.log(
      `\ncombined (${chosen.map((split) => split.name).join(' + ')}, ${total.items} items, ${total.pairs} pairs): ` +
        `precision ${ratio(total.tp, total.tp + total.fp)}, recall ${ratio(total.tp, total.tp + total.fn)}, ` +
        `precision@3 ${ratio(total.hits, total.shown)}`,
    );
  }
}

if (process.argv[1] === import.meta.filename) await main();
