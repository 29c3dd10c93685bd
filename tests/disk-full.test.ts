// A full disk, as SQLite reports it (SQLITE_FULL): here produced by capping the database's pages (PRAGMA max_page_count),
// which fails a write exactly as a full file system does, on any machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteClient } from '../src/runtime/node/sqlite-client.ts';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';

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
    const big = '<p>' + 'Lorem ipsum dolor sit amet. '.repeat(4000) + '</p>';
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
