import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createArticleStore } from '../src/articles/article-store.ts';
import type { Translation } from '../src/articles/model.ts';
import type { Services } from '../src/compose.ts';
import { parseConfig } from '../src/config.ts';
import { createCrosslinkStore } from '../src/crosslink/crosslink-store.ts';
import { findEntities } from '../src/crosslink/entities.ts';
import { prefixWords, titleKey } from '../src/ingest/cluster.ts';
import { createIngestStore } from '../src/ingest/ingest-store.ts';
import type { NormalizedItem } from '../src/ingest/normalize.ts';
import { loadEntities } from '../src/runtime/node/files.ts';
import { openNodeServices } from '../src/runtime/node/node-services.ts';
import { median, p99, type Row, work } from './harness.ts';
import { random } from './synthetic-feed.ts';

// Headline parts: subjects the entity dictionary knows, and the verbs and objects of crypto news.
const subjects = [
  'Bitcoin',
  'Ethereum',
  'Binance',
  'Coinbase',
  'the SEC',
  'North Korea',
  'Lazarus',
  'El Salvador',
  'Tether',
  'Solana',
  'Ripple',
  'Japan',
  'the ECB',
  'Kraken',
  'BlackRock',
  'MiCA',
];
const verbs = [
  'rallies after',
  'falls on',
  'faces questions over',
  'announces',
  'delays',
  'wins approval for',
  'is fined over',
  'reports',
  'expands',
  'pauses',
];
const objects = [
  'ETF inflows',
  'a bridge hack',
  'stablecoin rules',
  'mining difficulty',
  'a blockchain conference',
  'exchange outflows',
  'a court ruling',
  'staking rewards',
  'the halving',
  'sanctions',
];

function headline(next: () => number): string {
  const pick = (list: string[]) => list[Math.floor(next() * list.length)];
  return `${pick(subjects)} ${pick(verbs)} ${pick(objects)} as ${pick(subjects)} ${pick(verbs)} ${pick(objects)}`;
}

/** A database with `size` documents: 90% external items and 10% articles, indexed for cross-linking, over two years. */
async function ensureCrosslinkDb(path: string, size: number): Promise<void> {
  if (existsSync(path)) return;
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const { sql, close } = await openNodeServices(parseConfig({ DB_PATH: building, INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' }));
  const articles = createArticleStore(sql);
  const ingest = createIngestStore(sql);
  const crosslink = createCrosslinkStore(sql);
  const entities = loadEntities();
  const next = random(size);
  const start = Date.UTC(2024, 0, 1);
  const span = 2 * 365 * 86_400_000;
  const [sourceId] = await ingest.addSources([{ url: 'https://bench.example/feed', title: 'Bench' }], start);
  for (let i = 0; i < size; i++) {
    const publishedAt = start + Math.floor(next() * span);
    const title = headline(next);
    const body = `${headline(next)}. ${headline(next)}. ${headline(next)}.`;
    if (i % 10 === 0) {
      const id = `bench-${i}`;
      await articles.saveArticle({ id, translations: [benchTranslation(id, i, title, body, publishedAt)] });
      await crosslink.indexArticle(id, { title, body }, prominent(findEntities(entities, `${title} ${body}`)), publishedAt, ['en']);
    } else {
      const item = benchItem(`b-${i}`, `https://bench.example/${i}`, title, body, publishedAt);
      const key = titleKey(item.title);
      const id = await ingest.insertItem(sourceId!, { item, titleKey: key, prefixWords: prefixWords(key) }, undefined, publishedAt);
      await crosslink.indexItem(id, { title, body }, prominent(findEntities(entities, `${title} ${body}`)), publishedAt, ['en']);
    }
  }
  await close();
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  renameSync(building, path);
}

/** Synthetic documents are short: every entity in them is prominent. */
function prominent(found: Map<string, number>) {
  return new Map([...found].map(([id, mentions]) => [id, { mentions, prominence: 1 }]));
}

function benchItem(key: string, url: string | undefined, title: string, summary: string, publishedAt: number): NormalizedItem {
  return {
    key,
    url,
    title,
    summary,
    contentHtml: `<p>${summary}</p>`,
    authors: [],
    categories: [],
    language: 'en',
    publishedAt,
    updatedAt: publishedAt,
    image: undefined,
    titleDerived: false,
  };
}

function benchTranslation(id: string, i: number, title: string, body: string, publishedAt: number): Translation {
  return {
    articleId: id,
    lang: 'en',
    slug: `bench-${i}`,
    guid: `urn:uuid:00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    title,
    summary: body,
    contentHtml: `<p>${body}</p>`,
    authors: [],
    categories: [],
    tags: [],
    image: null,
    status: 'published',
    publishedAt,
    updatedAt: publishedAt,
  };
}

async function timeMatching(services: Services, size: number) {
  const next = random(7);
  const items: number[] = [];
  const [sourceId] = await services.ingest.store.addSources(
    [{ url: `https://bench-new-${Date.now()}.example/feed`, title: 'New' }],
    Date.now(),
  );
  for (let i = 0; i < 230; i++) {
    const publishedAt = Date.UTC(2024, 0, 1) + Math.floor(next() * 2 * 365 * 86_400_000);
    const title = headline(next);
    const item = benchItem(`n-${size}-${i}-${Date.now()}`, undefined, title, `${headline(next)}.`, publishedAt);
    const key = titleKey(item.title);
    const id = await services.ingest.store.insertItem(
      sourceId!,
      { item, titleKey: key, prefixWords: prefixWords(key) },
      undefined,
      publishedAt,
    );
    const started = performance.now();
    await services.crosslink.matchItem({ ...item, id });
    if (i >= 30) items.push(performance.now() - started);
  }
  const article = (await services.articles.listPublished({ scope: { lang: 'en' }, limit: 1 }))[0]!;
  const rematch: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    await services.crosslink.matchArticle(article.articleId, [article]);
    if (i >= 10) rematch.push(performance.now() - started);
  }
  return { itemMedian: median(items), itemP99: p99(items), rematchMedian: median(rematch) };
}

/** Cross-linking cost: one new item against 10,000 and 100,000 stored documents, and re-matching an edited article. */
export async function benchCrosslink(rows: Row[]): Promise<void> {
  console.log('Cross-linking: preparing indexes of 10,000 and 100,000 documents (built once, kept in bench/.work)...');
  const results = [];
  for (const size of [10_000, 100_000]) {
    const path = join(work, `crosslink-${size / 1000}k.db`);
    await ensureCrosslinkDb(path, size);
    const copy = join(work, `crosslink-${size / 1000}k-run.db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    copyFileSync(path, copy);
    const { services, close } = await openNodeServices(
      parseConfig({ DB_PATH: copy, INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' }),
    );
    results.push({ size, ...(await timeMatching(services, size)) });
    await close();
  }
  const [small, large] = results;
  rows.push({
    measure: `match one new item, 100k documents (median; p99 ${large.itemP99.toFixed(2)} ms)`,
    figure: `${large.itemMedian.toFixed(2)} ms`,
    reference: `10k: ${small.itemMedian.toFixed(2)} ms (p99 ${small.itemP99.toFixed(2)})`,
    ratio: large.itemMedian / small.itemMedian,
    goal: '< 5 ms',
    pass: large.itemMedian < 5,
  });
  rows.push({
    measure: 're-match one edited article, 100k documents (median)',
    figure: `${large.rematchMedian.toFixed(2)} ms`,
    reference: `10k: ${small.rematchMedian.toFixed(2)} ms`,
    ratio: large.rematchMedian / small.rematchMedian,
    goal: '≤ 20 ms',
    pass: large.rematchMedian <= 20,
  });
}
