import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedArticles } from '../src/articles/seed.ts';
import { parseConfig } from '../src/config.ts';
import { readSeedFiles, seedDir } from '../src/runtime/node/files.ts';
import { openNodeServices } from '../src/runtime/node/node-services.ts';

const dir = mkdtempSync(join(tmpdir(), 'polyglot-node-'));
const dbPath = join(dir, 'nested', 'news.db');
writeFileSync(join(dir, 'a-file'), '');
const busy = { port: 0, server: createServer() };
beforeAll(
  () =>
    new Promise<void>((resolve) =>
      busy.server.listen(0, '127.0.0.1', () => {
        busy.port = (busy.server.address() as { port: number }).port;
        resolve();
      }),
    ),
);
afterAll(() => {
  busy.server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the real entry point (what `npm start` runs) and collects its output. */
function start(env: Record<string, string>) {
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/node.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

// ps exits 1 when a process has no children.
const childrenOf = (pid: number) => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};
const tree = (root: number): number[] => childrenOf(root).flatMap((child) => [child, ...tree(child)]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** One request as sent and answered on the wire (no decoding), without the fields that differ between any two answers. */
function raw(port: number, method: string, target: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, method, path: target, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const { date, connection, 'keep-alive': keepAlive, ...kept } = response.headers as Record<string, string>;
        resolve({ status: response.statusCode!, headers: kept, body: Buffer.concat(chunks).toString('base64') });
      });
    })
      .on('error', reject)
      .end();
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<Response> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer from ${url}`);
}

describe('the Node entry point', () => {
  it('creates, migrates and seeds the SQLite file (WAL) once, serves it, and stops on SIGTERM', async () => {
    const seedCount = readdirSync(seedDir).filter((name) => name.endsWith('.json')).length;
    for (const round of [1, 2]) {
      const port = await freePort();
      const server = start({ PORT: String(port), DB_PATH: dbPath, ADMIN_TOKEN: '', INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, server.child);
      expect(health.status).toBe(200);
      const feed = await fetch(`http://127.0.0.1:${port}/en/feed.xml`);
      expect(await feed.text()).toContain(`<atom:link href="http://127.0.0.1:${port}/en/feed.xml" rel="self"`);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      if (round === 1) expect(server.output()).toContain(`Seeded ${seedCount} articles`);
      else expect(server.output()).not.toContain('Seeded');
      expect(server.output()).toContain('Admin API disabled: set ADMIN_TOKEN');
    }
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT count(*) AS n FROM articles').get()).toEqual({ n: seedCount });
    } finally {
      db.close();
    }
  });

  it('finishes a seed a stop interrupted, and never seeds again once it is done', async () => {
    const file = join(dir, 'interrupted-seed.db');
    const config = parseConfig({ DB_PATH: file, INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
    const files = readSeedFiles();
    // As a stop after the first seed article leaves it: seeding begun, one article there.
    const opened = await openNodeServices(config);
    await opened.services.ingest.store.markOnce('seed_started', Date.now());
    await seedArticles(opened.services.articles, config.languages, files.slice(0, 1));
    await opened.close();
    const articles = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    const run = async () => {
      const port = await freePort();
      const server = start({ PORT: String(port), DB_PATH: file, INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
      expect((await waitFor(`http://127.0.0.1:${port}/healthz`, server.child)).status).toBe(200);
      server.child.kill('SIGTERM');
      await server.exited;
      return server.output();
    };
    expect(await run()).toContain(`Seeded ${files.length - 1} articles`);
    expect(articles()).toBe(files.length);
    // Emptied by its editors, the store stays empty.
    const db = new Database(file);
    db.exec('DELETE FROM articles');
    db.close();
    expect(await run()).not.toContain('Seeded');
    expect(articles()).toBe(0);
  });

  it('seeds only the configured languages on a fresh database, saying what it left out', async () => {
    const port = await freePort();
    const server = start({
      PORT: String(port),
      DB_PATH: join(dir, 'english.db'),
      LANGUAGES: 'en',
      INGEST_SCHEDULE: 'off',
      INGEST_DEFAULT_SOURCES: 'off',
    });
    try {
      expect((await waitFor(`http://127.0.0.1:${port}/en/feed.xml`, server.child)).status).toBe(200);
      expect(server.output()).toMatch(/Seeded \d+ articles \(left out \d+ translations in es: not in LANGUAGES\)/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it.each([
    [
      'a port in use',
      async () => ({ PORT: String(busy.port), DB_PATH: join(dir, 'busy.db') }),
      /^Cannot start: PORT: \d+ is already in use/,
    ],
    [
      'an unresolvable HOST',
      async () => ({ HOST: 'no-such-host.invalid', PORT: String(await freePort()), DB_PATH: join(dir, 'host.db') }),
      /^Cannot start: HOST: no-such-host\.invalid/,
    ],
    [
      'a DB_PATH that cannot be a file',
      async () => ({ PORT: String(await freePort()), DB_PATH: join(dir, 'a-file', 'news.db') }),
      /^Cannot start: DB_PATH: /,
    ],
  ])('with %s, exits 1 with one line naming the setting', async (_, env, line) => {
    const server = start({ INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off', ...(await env()) });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines.at(-1)).toMatch(line);
    expect(server.output()).not.toMatch(/\n\s+at /);
  });

  it('stops, polling process included, when `npm start` itself gets SIGTERM', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      env: { ...process.env, PORT: String(port), DB_PATH: join(dir, 'npm.db'), INGEST_DEFAULT_SOURCES: 'off' },
      stdio: 'ignore',
    });
    expect((await waitFor(`http://127.0.0.1:${port}/healthz`, npm)).status).toBe(200);
    const descendants = tree(npm.pid!);
    expect(descendants.length).toBeGreaterThanOrEqual(3); // sh, the server, its polling process
    npm.kill('SIGTERM');
    for (let i = 0; i < 100 && descendants.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(descendants.filter(alive)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('`npm run dev:worker` stops wrangler and workerd when it gets SIGTERM', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const npm = spawn('npm', ['run', 'dev:worker'], {
      env: { ...process.env, PORT: String(port), WRANGLER_PERSIST: join(dir, 'wrangler-state') },
      stdio: 'ignore',
    });
    for (let i = 0; i < 1200; i++) {
      if (npm.exitCode !== null) throw new Error('dev:worker exited');
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const descendants = tree(npm.pid!);
    expect(descendants.length).toBeGreaterThanOrEqual(3); // sh, the script, wrangler, workerd
    npm.kill('SIGTERM');
    for (let i = 0; i < 200 && descendants.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(descendants.filter(alive)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('two server processes on one file: a write through one shows in the other’s cached feeds at once', async () => {
    const file = join(dir, 'shared.db');
    const env = { DB_PATH: file, ADMIN_TOKEN: 'two-process-token-0123456789', INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' };
    const [portA, portB] = [await freePort(), await freePort()];
    const a = start({ ...env, PORT: String(portA) });
    await waitFor(`http://127.0.0.1:${portA}/healthz`, a.child);
    const b = start({ ...env, PORT: String(portB) });
    try {
      await waitFor(`http://127.0.0.1:${portB}/healthz`, b.child);
      const feedB = `http://127.0.0.1:${portB}/en/atom.xml`;
      await fetch(feedB);
      const warm = await fetch(feedB);
      expect(warm.headers.get('x-cache')).toBe('HIT');
      const before = warm.headers.get('etag');
      const created = await fetch(`http://127.0.0.1:${portA}/api/admin/articles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          translations: [
            { lang: 'en', slug: 'written-by-a', title: 'Written through server A', content: '<p>Body.</p>', status: 'published' },
          ],
        }),
      });
      expect(created.status).toBe(201);
      const after = await fetch(feedB);
      expect(after.headers.get('etag')).not.toBe(before);
      expect(await after.text()).toContain('Written through server A');
    } finally {
      for (const server of [a, b]) server.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
    }
  });

  it('answers repeated requests for cached documents before routing, exactly as the app answers them', async () => {
    const port = await freePort();
    const server = start({ DB_PATH: join(dir, 'shortcut.db'), PORT: String(port), INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
    try {
      await waitFor(`http://127.0.0.1:${port}/healthz`, server.child);
      let probe = 0;
      for (const target of [
        '/en/atom.xml',
        '/es/feed.json?limit=5',
        '/en/',
        '/api/articles?lang=en',
        '/en/bitcoin-completes-its-third-halving',
      ]) {
        const first = await raw(port, 'GET', target, {});
        expect(first.status).toBe(200);
        await raw(port, 'GET', target, { 'accept-encoding': 'gzip' });
        const gzipEtag = `${first.headers.etag.slice(0, -1)}.gz"`;
        const cases: [string, Record<string, string>][] = [
          ['GET', {}],
          ['GET', { 'accept-encoding': 'gzip, deflate' }],
          ['GET', { 'if-none-match': first.headers.etag }],
          ['GET', { 'if-none-match': gzipEtag, 'accept-encoding': 'gzip' }],
          ['GET', { 'if-none-match': '"something-else"' }],
          ['HEAD', {}],
        ];
        if (first.headers['last-modified']) cases.push(['GET', { 'if-modified-since': first.headers['last-modified'] }]);
        for (const [method, headers] of cases) {
          // A target never asked before goes through the app (it is answered from the cache there too); the plain target
          // has been answered before, so the server answers it before routing.
          probe += 1;
          const viaApp = await raw(port, method, `${target}${target.includes('?') ? '&' : '?'}probe=${probe}`, headers);
          const direct = await raw(port, method, target, headers);
          expect(direct, `${method} ${target} ${JSON.stringify(headers)}`).toEqual(viaApp);
        }
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses to start with a bad variable, naming it', async () => {
    const server = start({ PORT: 'eighty', DB_PATH: join(dir, 'bad.db') });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/Invalid configuration: PORT: /);
  });
});

describe('npm run ingest', () => {
  it('polls one source given by URL, printing a progress line and a summary table', async () => {
    const { startPublisher, rss } = await import('./helpers/publisher.ts');
    const publisher = await startPublisher();
    publisher.route('/feed.xml', (_, response) =>
      response.writeHead(200).end(rss([{ title: 'Spot ETF flows turn positive', link: 'https://outlet.example.com/etf', guid: 'etf-1' }])),
    );
    try {
      const env = { ...process.env, DB_PATH: join(dir, 'cli.db'), INGEST_ALLOW_HOSTS: publisher.host, INGEST_DEFAULT_SOURCES: 'off' };
      const { execFile } = await import('node:child_process');
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          join('node_modules', '.bin', 'tsx'),
          ['src/runtime/node/ingest-cli.ts', '--source', `${publisher.url}/feed.xml`],
          { env, timeout: 60_000 },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        ),
      );
      expect(output).toMatch(new RegExp(`^updated\\s+200\\s+\\d+ ms\\s+${publisher.url}/feed.xml\\s+1 new of 1$`, 'm'));
      expect(output).toContain('| items new | 1 |');
      const db = new Database(join(dir, 'cli.db'), { readonly: true });
      try {
        expect(db.prepare('SELECT title FROM items').all()).toEqual([{ title: 'Spot ETF flows turn positive' }]);
      } finally {
        db.close();
      }
    } finally {
      await publisher.close();
    }
  });
});

describe('npm run ingest, its command line', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env, DB_PATH: join(dir, 'cli-args.db'), INGEST_DEFAULT_SOURCES: 'off' };
      const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/runtime/node/ingest-cli.ts', ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('prints its usage for --help and touches nothing', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run ingest/);
    expect(existsSync(join(dir, 'cli-args.db'))).toBe(false);
  });

  it.each([
    [['--source', 'ftp://x'], /--source must be an absolute http\(s\) URL/],
    [['--source'], /--source/],
    [['--sauce', 'https://a.example/feed'], /Unknown option '--sauce'/],
    [['https://a.example/feed'], /argument/],
  ])('%j is refused in one line and the usage, exit 2', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(message);
    expect(stderr).toContain('Usage: npm run ingest');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'cli-args.db'))).toBe(false);
  });
});

describe('ingestion in the server', () => {
  it('polls in its polling process and stores what the server then lists', async () => {
    const { startPublisher, rss } = await import('./helpers/publisher.ts');
    const publisher = await startPublisher();
    publisher.route('/feed.xml', (_, response) =>
      response
        .writeHead(200)
        .end(rss([{ title: 'Miners sell after the halving', link: 'https://outlet.example.com/miners', guid: 'm-1' }])),
    );
    const port = await freePort();
    const token = 'server-test-token-0123456789';
    const server = start({
      PORT: String(port),
      DB_PATH: join(dir, 'polling.db'),
      ADMIN_TOKEN: token,
      INGEST_SCHEDULE: 'off',
      INGEST_DEFAULT_SOURCES: 'off',
      INGEST_ALLOW_HOSTS: publisher.host,
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(`${base}/healthz`, server.child);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const created = await fetch(`${base}/api/admin/sources`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: `${publisher.url}/feed.xml` }),
      });
      expect(created.status).toBe(201);
      const ingest = await fetch(`${base}/api/admin/ingest`, { method: 'POST', headers: { authorization: headers.authorization } });
      const { reports } = (await ingest.json()) as { reports: { outcome: string; itemsNew: number }[] };
      expect(reports).toMatchObject([{ outcome: 'updated', itemsNew: 1 }]);
      const items = (await (await fetch(`${base}/api/admin/items`, { headers })).json()) as { items: { title: string }[] };
      expect(items.items.map((item) => item.title)).toEqual(['Miners sell after the halving']);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await publisher.close();
    }
  });
});
