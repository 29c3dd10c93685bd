import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { seedArticles } from '../src/articles/seed.ts';
import { parseConfig } from '../src/config.ts';
import { readSeedFiles } from '../src/runtime/node/files.ts';
import { type NodeServices, openNodeServices } from '../src/runtime/node/node-services.ts';
import { type LoopbackServer, serveOnLoopback } from './helpers/loopback-server.ts';
import { hasTool } from './helpers/tools.ts';

// The server runs in this process: clients must run asynchronously, or they would wait on a blocked event loop.
const run = promisify(execFile);
const python = '/usr/bin/python3';
const canFeedparser = (() => {
  try {
    execFileSync(python, ['-c', 'import feedparser'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('python3-feedparser is required in CI (see .ci/run)');
    console.warn('skipping: python3-feedparser is not installed');
    return false;
  }
})();
const canNewsboat = hasTool('newsboat');

interface Expected {
  title: string;
  url: string;
  publishedAt: string;
  updatedAt: string;
}

let server: LoopbackServer;
let node: NodeServices;
let dir: string;
const expected = new Map<string, Expected[]>();
const feedPaths = [
  '/en/feed.xml',
  '/en/atom.xml',
  '/es/feed.xml',
  '/es/atom.xml',
  '/en/tag/north-korea/feed.xml',
  '/es/category/seguridad/atom.xml',
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyglot-readers-'));
  let app: ReturnType<typeof createApp> | undefined;
  server = await serveOnLoopback((request) => app!.fetch(request));
  const config = parseConfig({ DB_PATH: join(dir, 'news.db'), SITE_URL: server.url });
  node = await openNodeServices(config);
  await seedArticles(node.services.articles, config.languages, readSeedFiles());
  app = createApp(node.services);
  // What each feed must show, from the JSON API (limit 100 covers every seeded article).
  for (const path of feedPaths) {
    const [, lang, kind, slug] = /^\/(\w+)\/(?:(category|tag)\/([\w-]+)\/)?/.exec(path)!;
    const query = kind ? `&${kind}=${slug}` : '';
    const list = (await (await fetch(`${server.url}/api/articles?lang=${lang}&limit=20${query}`)).json()) as { items: Expected[] };
    expected.set(path, list.items);
  }
});
afterAll(async () => {
  await server.close();
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(canFeedparser)('python feedparser reads every feed', () => {
  it.each(feedPaths)('%s: not bozo, every item with its title, link and dates', async (path) => {
    const { stdout: output } = await run(python, [join(import.meta.dirname, 'helpers/feedparser-read.py'), server.url + path], {
      timeout: 30_000,
    });
    const [parsed] = JSON.parse(output) as {
      bozo: boolean;
      bozo_exception: string;
      feed: { language: string | null };
      entries: { title: string; link: string; published: number; updated: number; id: string }[];
    }[];
    expect(parsed.bozo_exception).toBe('');
    expect(parsed.bozo).toBe(false);
    const want = expected.get(path)!;
    expect(want.length).toBeGreaterThan(0);
    expect(parsed.entries.map((e) => e.title)).toEqual(want.map((w) => w.title));
    expect(parsed.entries.map((e) => e.link)).toEqual(want.map((w) => w.url));
    expect(parsed.entries.map((e) => e.published * 1000)).toEqual(want.map((w) => Date.parse(w.publishedAt)));
    if (path.endsWith('atom.xml')) expect(parsed.entries.map((e) => e.updated * 1000)).toEqual(want.map((w) => Date.parse(w.updatedAt)));
    expect(parsed.feed.language).toBe(path.slice(1, 3));
  });
});

describe.runIf(canNewsboat)('newsboat reads every feed', () => {
  // newsboat keys items by guid across all feeds, so each feed is read into a cache of its own.
  it.each(feedPaths)('%s: every item with the right title, link and date', async (path) => {
    const home = mkdtempSync(join(dir, 'newsboat-'));
    const urls = join(home, 'urls');
    writeFileSync(urls, `${server.url}${path}\n`);
    const config = join(home, 'config');
    writeFileSync(config, '');
    const cache = join(home, 'cache.db');
    await run('newsboat', ['-C', config, '-u', urls, '-c', cache, '-x', 'reload'], {
      env: { ...process.env, HOME: home },
      timeout: 60_000,
    });
    const db = new Database(cache, { readonly: true });
    try {
      const rows = db.prepare('SELECT title, url, pubDate FROM rss_item WHERE feedurl = ?').all(server.url + path) as {
        title: string;
        url: string;
        pubDate: number;
      }[];
      const want = expected.get(path)!;
      expect(rows.map((r) => r.title).sort()).toEqual(want.map((w) => w.title).sort());
      expect(rows.map((r) => r.url).sort()).toEqual(want.map((w) => w.url).sort());
      const dates = new Map(rows.map((r) => [r.url, r.pubDate * 1000]));
      for (const w of want) expect(dates.get(w.url), w.url).toBe(Date.parse(w.publishedAt));
    } finally {
      db.close();
    }
  });
});
