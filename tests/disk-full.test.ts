// A full disk: first as SQLite reports it (SQLITE_FULL), produced by capping the database's pages (PRAGMA max_page_count);
// then for real, with the server's database on a small tmpfs that fills up.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteClient } from '../src/runtime/node/sqlite-client.ts';
import { adminToken, startTestApp, type TestApp, translation } from './helpers/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'polyglot-full-'));
let t: TestApp;
let db: Database.Database;
beforeAll(async () => {
  // The app runs on this connection, so the test can cap it.
  db = new Database(join(dir, 'news.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  t = await startTestApp({ env: { DB_PATH: join(dir, 'news.db') }, parts: { sql: createSqliteClient(db) } });
});
afterAll(async () => {
  await t.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a full disk', () => {
  it('answers writes 507 insufficient_storage, writes nothing, and keeps reads working', async () => {
    const before = await (await t.request('/en/atom.xml')).text();
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    const big = `<p>${'Lorem ipsum dolor sit amet. '.repeat(4000)}</p>`;
    const refused = await t.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'no-room', content: big })] });
    expect(refused.status).toBe(507);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('insufficient_storage');
    expect((await t.request('/api/articles/en/no-room')).status).toBe(404);
    const feed = await t.request('/en/atom.xml');
    expect(feed.status).toBe(200);
    expect(await feed.text()).toBe(before);
    expect((await t.request('/en/')).status).toBe(200);

    db.pragma('max_page_count = 1073741823');
    const stored = await t.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'room-again', content: big })] });
    expect(stored.status).toBe(201);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

/**
 * Whether this machine lets the test mount a small file system of its own (a tmpfs in a private mount namespace, as root
 * or through a user namespace). In CI that is required, not a reason to skip.
 */
function canMountTmpfs(): boolean {
  try {
    execFileSync('unshare', ['--mount', '--map-root-user', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs "${tmpdir()}"`], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    if (process.env.CI) throw new Error('CI needs to mount a tmpfs (unshare --mount --map-root-user) for the disk-full tests');
    console.warn('skipping the small-file-system tests: this machine does not allow mounting a tmpfs in a user namespace');
    return false;
  }
}

/**
 * The real server (what `npm start` runs) with its database on a fresh tmpfs of `sizeKb`, of which all but `freeKb` is taken
 * by a filler file first. The tmpfs exists only in the server's private mount namespace and vanishes with it.
 */
function startOnSmallDisk(port: number, sizeKb: number, freeKb = sizeKb) {
  const mount = mkdtempSync(join(tmpdir(), 'polyglot-tmpfs-'));
  const fill = sizeKb - freeKb > 0 ? `dd if=/dev/zero of="${mount}/filler" bs=1k count=${sizeKb - freeKb} 2>/dev/null;` : '';
  const script = `mount -t tmpfs -o size=${sizeKb}k tmpfs "${mount}" && ${fill} exec "${process.execPath}" --import tsx src/node.ts`;
  const child = spawn('unshare', ['--mount', '--map-root-user', 'sh', '-c', script], {
    env: {
      ...process.env,
      PORT: String(port),
      DB_PATH: join(mount, 'news.db'),
      ADMIN_TOKEN: adminToken,
      INGEST_SCHEDULE: 'off',
      INGEST_DEFAULT_SOURCES: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    rmSync(mount, { recursive: true, force: true });
  };
  return { child, exited, output: () => output, stop };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const mountable = canMountTmpfs();

describe.runIf(mountable)('a full file system (a small tmpfs)', () => {
  it('refuses writes with 507 once the disk fills, keeps every acknowledged write and keeps serving reads', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const server = startOnSmallDisk(port, 12 * 1024);
    const base = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; i < 150 && !server.output().includes('Serving'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.output()).toContain('Serving');
      const admin = (body: unknown) =>
        fetch(`${base}/api/admin/articles`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      // Distinct words, so the search index grows with the text as it would with real articles.
      const content = (n: number) => `<p>${Array.from({ length: 12_000 }, (_, i) => `word${n}x${i}`).join(' ')}</p>`;
      const acknowledged: string[] = [];
      let refused: Response | undefined;
      for (let n = 0; n < 200 && !refused; n++) {
        const response = await admin({ translations: [translation({ slug: `filler-${n}`, content: content(n) })] });
        if (response.status === 201) acknowledged.push(`filler-${n}`);
        else refused = response;
      }
      expect(refused?.status).toBe(507);
      expect(((await refused!.json()) as { error: { code: string } }).error.code).toBe('insufficient_storage');
      expect(acknowledged.length).toBeGreaterThan(0);

      for (const path of ['/en/feed.xml', '/en/atom.xml', '/en/', '/api/articles?lang=en', '/healthz']) {
        expect((await fetch(`${base}${path}`)).status, path).toBe(200);
      }
      for (const slug of acknowledged) expect((await fetch(`${base}/api/articles/en/${slug}`)).status, slug).toBe(200);
      // A small write may still find room in pages freed or left over; whatever is answered, it is 201 or 507, never 500.
      const small = await admin({ translations: [translation({ slug: 'small-one' })] });
      expect([201, 507]).toContain(small.status);
      expect(server.output()).not.toMatch(/\n\s+at /);
    } finally {
      await server.stop();
    }
  });

  it('does not start on a disk too full to create the database: one line naming DB_PATH, exit 1', { timeout: 60_000 }, async () => {
    for (const freeKb of [8, 1500]) {
      const server = startOnSmallDisk(await freePort(), 4096, freeKb);
      try {
        expect(await server.exited).toBe(1);
        const lines = server.output().trim().split('\n');
        expect(lines.at(-1)).toMatch(/^Cannot start: DB_PATH: the disk holding .* is full/);
        expect(server.output()).not.toMatch(/\n\s+at /);
      } finally {
        await server.stop();
      }
    }
  });
});
