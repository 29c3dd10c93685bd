import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedDocument } from '../src/render-cache/document.ts';
import { createMemoryRenderCache } from '../src/render-cache/render-cache.ts';
import { readMigrations } from '../src/runtime/node/files.ts';
import { createInvalidationLog } from '../src/runtime/node/invalidation-log.ts';
import { createSqliteClient } from '../src/runtime/node/sqlite-client.ts';
import { migrate } from '../src/store/migrate.ts';

const doc = (body: string) => ({ body: new TextEncoder().encode(body) }) as unknown as RenderedDocument;

// Two server processes on one file, as two connections each with its own cache and log.
const dir = mkdtempSync(join(tmpdir(), 'polyglot-render-cache-'));
const file = join(dir, 'news.db');
const connections: Database.Database[] = [];
beforeAll(async () => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  await migrate(createSqliteClient(db), readMigrations());
  db.close();
});
afterAll(() => {
  for (const db of connections) db.close();
  rmSync(dir, { recursive: true, force: true });
});
function sharing(now?: () => number) {
  const db = new Database(file);
  connections.push(db);
  return { db, cache: createMemoryRenderCache({ log: createInvalidationLog(db, now) }) };
}
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the in-process render cache', () => {
  it('keeps a render until its scope is invalidated, and drops one begun before', async () => {
    const cache = createMemoryRenderCache();
    const { version } = await cache.lookup('en', 'atom');
    await cache.put('en', version, 'atom', doc('one'));
    expect((await cache.lookup('en', 'atom')).document).toEqual(doc('one'));
    const begun = (await cache.lookup('en', 'rss')).version;
    await cache.invalidate(['en']);
    await cache.put('en', begun, 'rss', doc('stale'));
    expect((await cache.lookup('en', 'rss')).document).toBeUndefined();
    expect((await cache.lookup('en', 'atom')).document).toBeUndefined();
  });

  it('drops what another process invalidated, and nothing else, from the next event-loop turn on', async () => {
    const [a, b] = [sharing(), sharing()];
    for (const scope of ['en', 'es']) await b.cache.put(scope, (await b.cache.lookup(scope, 'atom')).version, 'atom', doc(scope));
    const begun = (await b.cache.lookup('en', 'rss')).version;
    await a.cache.invalidate(['en']);
    await nextTurn();
    expect((await b.cache.lookup('en', 'atom')).document).toBeUndefined();
    expect((await b.cache.lookup('es', 'atom')).document).toEqual(doc('es'));
    // A render of that scope begun before is not stored.
    await b.cache.put('en', begun, 'rss', doc('stale'));
    expect((await b.cache.lookup('en', 'rss')).document).toBeUndefined();
    // A process's own invalidations are not applied to it twice.
    await a.cache.put('es', (await a.cache.lookup('es', 'atom')).version, 'atom', doc('es'));
    await nextTurn();
    expect((await a.cache.lookup('es', 'atom')).document).toEqual(doc('es'));
  });

  it('drops everything when it fell so far behind that the log was pruned before it looked', async () => {
    let now = 0;
    const a = sharing(() => now);
    const b = sharing();
    await b.cache.put('es', (await b.cache.lookup('es', 'atom')).version, 'atom', doc('es'));
    await a.cache.invalidate(['en']);
    now = 60 * 60_000;
    await a.cache.invalidate(['fr']);
    await nextTurn();
    expect((await b.cache.lookup('es', 'atom')).document).toBeUndefined();
  });

  it('tells the others what a write changed once there is room again, when the disk was full as it wrote', async () => {
    const [a, b] = [sharing(), sharing()];
    const full = Array.from({ length: 3000 }, (_, i) => `en/article/a-long-slug-for-filling-the-last-free-pages-${i}`);
    for (const scope of [full[0]!, 'es']) await b.cache.put(scope, (await b.cache.lookup(scope, 'atom')).version, 'atom', doc(scope));
    const pages = a.db.pragma('page_count', { simple: true }) as number;
    a.db.pragma(`max_page_count = ${pages}`);
    await a.cache.invalidate(full); // the write is committed; telling the others fails: SQLITE_FULL
    await nextTurn();
    expect((await b.cache.lookup(full[0]!, 'atom')).document).toEqual(doc(full[0]!));
    a.db.pragma('max_page_count = 1073741823');
    await a.cache.invalidate(['fr']);
    await nextTurn();
    expect((await b.cache.lookup(full[0]!, 'atom')).document).toBeUndefined();
    expect((await b.cache.lookup('es', 'atom')).document).toEqual(doc('es'));
  });

  it('stays within its byte budget, dropping the least recently used first', async () => {
    // Each 100-byte body counts 130 bytes (its gzip form is counted in advance): three fit in 400.
    const cache = createMemoryRenderCache({ maxBytes: 400 });
    const body = (name: string) => doc(name.padEnd(100, '.'));
    for (const name of ['a', 'b', 'c']) await cache.put('en', 0, name, body(name));
    expect((await cache.lookup('en', 'a')).document).toBeDefined(); // a is now the most recent
    await cache.put('en', 0, 'd', body('d'));
    expect((await cache.lookup('en', 'b')).document).toBeUndefined();
    for (const name of ['a', 'c', 'd']) expect((await cache.lookup('en', name)).document).toEqual(body(name));
    // A document larger than the whole budget is not kept, and evicts nothing.
    await cache.put('en', 0, 'huge', doc('x'.repeat(1000)));
    expect((await cache.lookup('en', 'huge')).document).toBeUndefined();
    expect((await cache.lookup('en', 'd')).document).toBeDefined();
  });
});
