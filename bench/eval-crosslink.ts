import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedArticles } from '../src/articles/seed.ts';
import type { Services } from '../src/compose.ts';
import { parseConfig } from '../src/config.ts';
import { normalizeFeed } from '../src/ingest/normalize.ts';
import { readSeedFiles } from '../src/runtime/node/files.ts';
import { openNodeServices } from '../src/runtime/node/node-services.ts';

/**
 * `npm run eval:crosslink`: precision, recall and precision@3 of cross-linking on the labelled set in
 * data/eval/crosslink.json. The seed articles are stored first; each external item then arrives as
 * ingestion would deliver it and is linked incrementally.
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

export interface EvalSet {
  items: EvalItem[];
  pairs: { article: string; item: string; related: boolean; note?: string }[];
}

/** Stores items (one source per outlet) through the same path as ingestion; returns item ids by eval id. */
export async function ingestEvalItems(services: Services, items: EvalItem[]): Promise<Map<string, number>> {
  const sources = new Map<string, number>();
  const ids = new Map<string, number>();
  for (const item of [...items].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt))) {
    let sourceId = sources.get(item.source);
    if (sourceId === undefined) {
      [sourceId] = await services.ingest.store.addSources(
        [{ url: `https://${item.source.toLowerCase().replace(/\W+/g, '-')}.example/feed`, title: item.source }],
        0,
      );
      sources.set(item.source, sourceId);
    }
    const { items: normalized } = normalizeFeed(
      {
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
      },
      { feedUrl: item.url, now: Date.parse(item.publishedAt) },
    );
    const { saved } = await services.ingest.items.storeItems(sourceId!, normalized, Date.parse(item.publishedAt));
    ids.set(item.id, saved.ids[0]!);
  }
  return ids;
}

async function main() {
  const evalSet = JSON.parse(readFileSync(join(import.meta.dirname, '../data/eval/crosslink.json'), 'utf8')) as EvalSet;
  const dir = mkdtempSync(join(tmpdir(), 'crosslink-eval-'));
  const config = parseConfig({ DB_PATH: join(dir, 'eval.db'), INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
  const { services, close } = await openNodeServices(config);
  try {
    await seedArticles(services.articles, config.languages, readSeedFiles());
    const itemIds = await ingestEvalItems(services, evalSet.items);
    const articleOf = async (ref: string) => {
      const [lang, slug] = ref.split('/');
      const id = await services.articles.findSlugOwner(lang!, slug!);
      if (!id) throw new Error(`unknown article ${ref}`);
      return id;
    };
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    const misses: string[] = [];
    const byArticle = new Map<string, { item: number; related: boolean }[]>();
    for (const pair of evalSet.pairs) {
      const articleId = await articleOf(pair.article);
      const itemId = itemIds.get(pair.item)!;
      const linked = (await services.crosslink.linkedArticles(itemId)).some((link) => link.articleId === articleId);
      if (linked && pair.related) tp++;
      else if (linked) {
        fp++;
        misses.push(`false link    ${pair.article} ~ ${pair.item}: ${pair.note ?? ''}`);
      } else if (pair.related) {
        fn++;
        misses.push(`missed link   ${pair.article} ~ ${pair.item}: ${pair.note ?? ''}`);
      } else tn++;
      byArticle.set(articleId, [...(byArticle.get(articleId) ?? []), { item: itemId, related: pair.related }]);
    }
    // precision@3: of each article's three best links among its labelled items, the share that are related.
    let hits = 0;
    let shown = 0;
    for (const [articleId, labelled] of byArticle) {
      if (!labelled.some((pair) => pair.related)) continue;
      const related = (await services.crosslink.relatedItems([articleId])).get(articleId) ?? [];
      const top = related.filter((item) => labelled.some((pair) => pair.item === item.itemId)).slice(0, 3);
      shown += top.length;
      hits += top.filter((item) => labelled.find((pair) => pair.item === item.itemId)?.related).length;
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    console.log(`cross-link evaluation: ${evalSet.items.length} items, ${evalSet.pairs.length} labelled pairs, ${byArticle.size} articles`);
    console.log('\n| measure | value | goal |\n| --- | ---: | --- |');
    console.log(`| precision | ${precision.toFixed(3)} (${tp}/${tp + fp}) | |`);
    console.log(`| recall | ${recall.toFixed(3)} (${tp}/${tp + fn}) | ≥ 0.8 |`);
    console.log(`| precision@3 | ${(hits / Math.max(1, shown)).toFixed(3)} (${hits}/${shown}) | ≥ 0.9 |`);
    console.log(`| true negatives | ${tn} | |`);
    if (misses.length) console.log(`\n${misses.join('\n')}`);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await main();
