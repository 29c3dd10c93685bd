import { existsSync, renameSync, rmSync } from 'node:fs';
import { createArticleStore } from '../src/articles/article-store.ts';
import type { Translation } from '../src/articles/model.ts';
import { parseConfig } from '../src/config.ts';
import { openNodeServices } from '../src/runtime/node/node-services.ts';
import { random } from './synthetic-feed.ts';

const words =
  'bitcoin ether exchange regulator wallet mining halving stablecoin ledger validator token market custody bridge protocol liquidity audit sanctions conference blockchain network fee block reward treasury investor developer upgrade layer governance'.split(
    ' ',
  );
const categories = ['Bitcoin', 'Ethereum', 'Regulation', 'Security', 'Exchanges', 'Markets', 'DeFi', 'Events'];
const tags = ['Mining', 'Lazarus', 'MiCA', 'SEC', 'Stablecoins', 'ETFs', 'Hacks', 'Halving', 'Binance', 'Layer 2', 'El Salvador', 'Japan'];

/** About `bytes` of paragraph HTML. */
function content(next: () => number, bytes: number): string {
  let html = '';
  while (html.length < bytes) {
    const sentence = Array.from({ length: 12 }, () => words[Math.floor(next() * words.length)]).join(' ');
    html += `<p>${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}, analysts said on <strong>Monday</strong>.</p>`;
  }
  return html;
}

/** Builds (once) a SQLite archive of `count` published English articles with ~4 KB of content each. */
export async function ensureBenchDb(path: string, count: number): Promise<void> {
  if (existsSync(path)) return;
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const { sql, close } = await openNodeServices(parseConfig({ DB_PATH: building }));
  const store = createArticleStore(sql);
  const next = random(count);
  const start = Date.parse('2015-01-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const id = `bench-${String(i).padStart(7, '0')}`;
    const publishedAt = start + i * 3_600_000;
    const translation: Translation = {
      articleId: id,
      lang: 'en',
      slug: `market-report-${i}`,
      guid: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      title: `Market report ${i}: ${words[i % words.length]} and ${words[(i * 7) % words.length]}`,
      summary: 'A synthetic article for benchmarks.',
      contentHtml: content(next, 4096),
      authors: ['Bench Writer'],
      categories: [{ name: categories[i % categories.length], slug: categories[i % categories.length].toLowerCase() }],
      tags: [tags[i % tags.length], tags[(i + 5) % tags.length]].map((name) => ({ name, slug: name.toLowerCase().replace(/\W+/g, '-') })),
      image: null,
      status: 'published',
      publishedAt,
      updatedAt: publishedAt,
    };
    await store.saveArticle({ id, translations: [translation] });
  }
  await close();
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  renameSync(building, path);
}
