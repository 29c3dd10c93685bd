import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { articleHtml, random, words } from '../bench/synthetic-feed.ts';
import { seedDir } from '../src/runtime/node/files.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'polyglot-crash-'));
const dbPath = join(dir, 'news.db');
const token = 'crash-test-admin-token';
const rounds = 10;
const feedCount = 20;
const itemsPerFeed = 25;
const writers = 3;
// Each round the feeds move on by this many items, so polls insert new items as well as update known ones.
const newItemsPerRound = 3;

// Seeded, so a run's kill delays and polled sources can be replayed (the moments still depend on the machine's speed).
const between = (next: () => number) => (from: number, to: number) => from + Math.floor(next() * (to - from + 1));
const killDelay = between(random(20240601));
const pickSource = between(random(7));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Process groups this file started; each is SIGKILLed whole, and none may be left at the end. */
const groups = new Set<number>();

/** Processes of these groups still running (zombies are dead: they wait only for init to reap them, which can take a second). */
const running = (among: Iterable<number>) => {
  const wanted = new Set(among);
  return execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, group, stat]) => pid && wanted.has(Number(group)) && !stat?.startsWith('Z'))
    .map(([pid, group, stat]) => `${pid} (group ${group}, ${stat})`);
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The loopback outlets: feed N carries a window of items that moves on with `generation`.
let generation = 0;
let feedRequests = 0;
const guid = (feed: number, item: number) => `outlet${feed}-item-${item}`;
const link = (feed: number, item: number) => `https://outlet${feed}.example.com/news/${feed}-${item}`;
const windowOf = (gen: number) => Array.from({ length: itemsPerFeed }, (_, k) => gen * newItemsPerRound + k);
function feedXml(feed: number): string {
  const now = Date.now();
  const entries = windowOf(generation).map((item) => {
    const words3 = random(feed * 100_000 + item);
    const title = `${words[Math.floor(words3() * words.length)]} ${words[Math.floor(words3() * words.length)]} report ${feed}-${item}`;
    return `<item><title>${title}</title><link>${link(feed, item)}</link><guid isPermaLink="false">${guid(feed, item)}</guid>
<pubDate>${new Date(now - item * 60_000).toUTCString()}</pubDate><description><![CDATA[${articleHtml(words3, 1500)}]]></description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Outlet ${feed}</title><link>https://outlet${feed}.example.com/</link><description>News</description>${entries.join('\n')}</channel></rss>`;
}
const feedServer = createHttpServer((request, response) => {
  const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
  const feed = match ? Number(match[1]) : 0;
  if (feed < 1 || feed > feedCount) return response.writeHead(404).end();
  feedRequests++;
  response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feedXml(feed));
});
const feedPort = new Promise<number>((resolve) =>
  feedServer.listen(0, '127.0.0.1', () => resolve((feedServer.address() as { port: number }).port)),
);

interface Server {
  child: ChildProcess;
  port: number;
  exited: Promise<unknown>;
  output: () => string;
}

/** The real entry point in its own process group, so one kill reaches the server and its polling process. */
async function startServer(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DB_PATH: dbPath,
      ADMIN_TOKEN: token,
      INGEST_DEFAULT_SOURCES: 'off',
      INGEST_SCHEDULE: 'on',
      INGEST_ALLOW_HOSTS: `127.0.0.1:${await feedPort}`,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  groups.add(child.pid!);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null || i === 300) throw new Error(`the server did not start:\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {}
    await sleep(50);
  }
  return { child, port, exited, output: () => output };
}

async function killGroup(server: Server): Promise<void> {
  const group = server.child.pid!;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {}
  await server.exited;
  // The polling process is not our child: wait until it has died too.
  for (let i = 0; running([group]).length > 0 && i < 250; i++) await sleep(20);
}

const admin = (port: number, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });

const articleBody = (slug: string) => ({
  translations: [
    {
      lang: 'en',
      slug,
      title: `Exchange regulator and bitcoin wallet audit ${slug}`,
      content: `<p>The regulator asked the exchange about the wallet audit (${slug}).</p>`,
      status: 'published',
    },
  ],
});

afterAll(async () => {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {}
  }
  await new Promise((resolve) => feedServer.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Asks for every acknowledged slug again, a few at a time; returns those not answered 200 with the same article. */
async function unreadable(port: number, acknowledged: Map<string, string>): Promise<string[]> {
  const queue = [...acknowledged];
  const missing: string[] = [];
  const reader = async () => {
    for (let entry = queue.pop(); entry; entry = queue.pop()) {
      const [slug, id] = entry;
      const response = await fetch(`http://127.0.0.1:${port}/api/articles/en/${slug}`);
      const body = (await response.json()) as { id?: string; slug?: string };
      if (response.status !== 200 || body.slug !== slug || (id && body.id !== id)) missing.push(`${slug}: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, reader));
  return missing;
}

const rows = <Row>(db: Database.Database, sql: string) => db.prepare(sql).all() as Row[];
const count = (db: Database.Database, sql: string) => db.prepare(sql).pluck().get() as number;

/** What any state of the file must satisfy, crashed or not. */
function checkFile(db: Database.Database): void {
  expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  expect(db.pragma('foreign_key_check')).toEqual([]);
  // No duplicates: one translation per language and slug, one item per story URL and per source's entry id.
  expect(rows(db, 'SELECT lang, slug FROM translations GROUP BY lang, slug HAVING count(*) > 1')).toEqual([]);
  expect(rows(db, 'SELECT url FROM items GROUP BY url HAVING count(*) > 1')).toEqual([]);
  expect(rows(db, 'SELECT source_id, source_key FROM item_sources GROUP BY source_id, source_key HAVING count(*) > 1')).toEqual([]);
  // A write is one transaction: no article without its translation, no item without the source that carried it.
  expect(count(db, 'SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM translations t WHERE t.article_id = a.id)')).toBe(0);
  expect(count(db, 'SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM item_sources s WHERE s.item_id = i.id)')).toBe(0);
  // Each outlet's stories have distinct URLs, so every item is one source's entry, and under the id that entry had.
  const entries = rows<{ url: string; key: string; item: string }>(
    db,
    'SELECT s.url, x.source_key AS key, i.url AS item FROM item_sources x JOIN sources s ON s.id = x.source_id JOIN items i ON i.id = x.item_id',
  );
  expect(entries.length).toBe(count(db, 'SELECT count(*) FROM items'));
  const mismatched = entries.filter(({ url, key, item }) => {
    const feed = Number(/\/feed\/(\d+)\.xml$/.exec(url)?.[1]);
    const entry = Number(/-item-(\d+)$/.exec(key)?.[1]);
    return key !== guid(feed, entry) || item !== link(feed, entry);
  });
  expect(mismatched).toEqual([]);
  // Counters kept by triggers move in the same transactions as the rows they count.
  expect(count(db, "SELECT documents FROM entity_counts WHERE entity = '#articles'")).toBe(
    count(db, 'SELECT count(*) FROM article_documents'),
  );
  expect(count(db, "SELECT documents FROM entity_counts WHERE entity = '#items'")).toBe(count(db, 'SELECT count(*) FROM item_documents'));
  expect(count(db, 'SELECT count(*) FROM article_fts')).toBe(count(db, 'SELECT count(*) FROM article_documents'));
  expect(count(db, 'SELECT count(*) FROM item_fts')).toBe(count(db, 'SELECT count(*) FROM item_documents'));
}

describe('crash safety', () => {
  it('keeps every acknowledged write, an intact file and no duplicates through kill -9 during writes and polls', {
    timeout: 120_000,
  }, async () => {
    const seedCount = readdirSync(seedDir).filter((name) => name.endsWith('.json')).length;
    const attempted = new Set<string>();
    /** Slug to article id (empty when the answer was cut off after its status). */
    const acknowledged = new Map<string, string>();
    const answeredOtherwise: string[] = [];
    const failedBeforeKill: string[] = [];
    const kills: { round: number; writesInFlight: number; pollsInFlight: number }[] = [];

    // Set-up, not killed at a random moment: the sources, and one complete poll.
    const setup = await startServer();
    const sourceIds: number[] = [];
    for (let feed = 1; feed <= feedCount; feed++) {
      const response = await admin(setup.port, '/api/admin/sources', { url: `http://127.0.0.1:${await feedPort}/feed/${feed}.xml` });
      expect(response.status).toBe(201);
      sourceIds.push(((await response.json()) as { id: number }).id);
    }
    const firstPoll = await admin(setup.port, '/api/admin/ingest', {});
    expect(firstPoll.status).toBe(200);
    const { reports } = (await firstPoll.json()) as { reports: { outcome: string }[] };
    expect(reports.map((report) => report.outcome)).toEqual(sourceIds.map(() => 'updated'));
    await killGroup(setup);

    for (let round = 1; round <= rounds; round++) {
      generation = round;
      const server = await startServer();
      const stop = { killed: false };
      const inFlight = { writes: 0, polls: 0 };

      const writeLoop = async (writer: number) => {
        for (let i = 0; !stop.killed; i++) {
          const slug = `crash-r${round}-w${writer}-${i}`;
          attempted.add(slug);
          inFlight.writes++;
          try {
            const response = await admin(server.port, '/api/admin/articles', articleBody(slug));
            // The answer is sent after the commit: its status alone acknowledges the write, even if the body is cut off.
            if (response.status === 201) acknowledged.set(slug, ((await response.json().catch(() => ({}))) as { id?: string }).id ?? '');
            else answeredOtherwise.push(`${slug}: ${response.status} ${await response.text().catch(() => '')}`);
          } catch (error) {
            // Refused or cut off by the kill: the write may or may not have committed.
            if (!stop.killed) failedBeforeKill.push(`${slug}: ${(error as Error).message}`);
            return;
          } finally {
            inFlight.writes--;
          }
        }
      };
      const pollLoop = async () => {
        while (!stop.killed) {
          inFlight.polls++;
          try {
            const response = await admin(server.port, '/api/admin/ingest', { source: sourceIds[pickSource(0, feedCount - 1)] });
            if (response.status === 200) await response.body?.cancel();
            else answeredOtherwise.push(`ingest: ${response.status} ${await response.text().catch(() => '')}`);
          } catch (error) {
            if (!stop.killed) failedBeforeKill.push(`ingest: ${(error as Error).message}`);
            return;
          } finally {
            inFlight.polls--;
          }
        }
      };

      const requestsBefore = feedRequests;
      const loops = [...Array.from({ length: writers }, (_, writer) => writeLoop(writer)), pollLoop()];
      // The polling process starts well after /healthz answers: the kill lands a random time after it began fetching.
      for (let i = 0; feedRequests === requestsBefore && i < 500; i++) await sleep(10);
      await sleep(killDelay(20, 400));
      stop.killed = true;
      kills.push({ round, writesInFlight: inFlight.writes, pollsInFlight: inFlight.polls });
      await killGroup(server);
      await Promise.all(loops);
    }

    expect(failedBeforeKill).toEqual([]);
    expect(answeredOtherwise).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(kills.filter((kill) => kill.writesInFlight > 0).length).toBeGreaterThan(0);
    expect(kills.filter((kill) => kill.pollsInFlight > 0).length).toBeGreaterThan(0);

    // The file as the last kill left it, before any process opens it again.
    const crashed = new Database(dbPath, { readonly: true });
    try {
      checkFile(crashed);
      const stored = new Map(
        rows<{ slug: string; article_id: string }>(
          crashed,
          "SELECT slug, article_id FROM translations WHERE lang = 'en' AND slug LIKE 'crash-%'",
        ).map((row) => [row.slug, row.article_id]),
      );
      expect([...acknowledged].filter(([slug, id]) => stored.get(slug) === undefined || (id && stored.get(slug) !== id))).toEqual([]);
      // A write whose answer never arrived may have committed; nothing that was never sent may exist.
      expect([...stored.keys()].filter((slug) => !attempted.has(slug))).toEqual([]);
      expect(count(crashed, 'SELECT count(*) FROM articles')).toBe(seedCount + stored.size);
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged.size);
      expect(stored.size).toBeLessThanOrEqual(attempted.size);
      expect(count(crashed, 'SELECT count(*) FROM items')).toBeGreaterThan(0);
    } finally {
      crashed.close();
    }

    // Restarted, the server answers every acknowledged write and polls every outlet's current items once more.
    const server = await startServer();
    try {
      expect(await unreadable(server.port, acknowledged)).toEqual([]);
      const poll = await admin(server.port, '/api/admin/ingest', {});
      expect(poll.status).toBe(200);
      const { reports } = (await poll.json()) as { reports: { outcome: string; itemsSeen: number }[] };
      expect(reports.map((report) => `${report.outcome} ${report.itemsSeen}`)).toEqual(sourceIds.map(() => `updated ${itemsPerFeed}`));
      const feed = await fetch(`http://127.0.0.1:${server.port}/en/feed.xml`);
      expect(feed.status).toBe(200);
      const guids = [...(await feed.text()).matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((match) => match[1]);
      expect(guids.length).toBeGreaterThan(0);
      expect(new Set(guids).size).toBe(guids.length);
    } finally {
      await killGroup(server);
    }

    const db = new Database(dbPath, { readonly: true });
    try {
      checkFile(db);
      // Every story in the feeds now is stored exactly once, under its source's entry id.
      const stories = rows<{ key: string; n: number }>(db, 'SELECT source_key AS key, count(*) AS n FROM item_sources GROUP BY source_key');
      const onceEach = new Map(stories.map((story) => [story.key, story.n]));
      const current = Array.from({ length: feedCount }, (_, n) => windowOf(generation).map((item) => guid(n + 1, item))).flat();
      expect(current.filter((key) => onceEach.get(key) !== 1)).toEqual([]);
      // A kill between a write and its cross-link indexing (a transaction of its own) is repaired at the next start.
      expect(count(db, 'SELECT count(*) FROM items WHERE id NOT IN (SELECT item_id FROM item_documents)')).toBe(0);
      expect(
        count(
          db,
          "SELECT count(DISTINCT article_id) FROM translations WHERE status = 'published' AND article_id NOT IN (SELECT article_id FROM article_documents)",
        ),
      ).toBe(0);
    } finally {
      db.close();
    }
    expect(running(groups)).toEqual([]);
  });
});
