import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalItem, ingestEvalItems } from '../bench/eval-crosslink.ts';
import { readMigrations } from '../src/runtime/node/files.ts';
import { createSqliteClient } from '../src/runtime/node/sqlite-client.ts';
import { migrate, splitStatements } from '../src/store/migrate.ts';
import { ConstraintViolation } from '../src/store/sql-client.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

describe('splitStatements', () => {
  it('splits on the semicolons that end statements, running a trigger on to its END', () => {
    const script = `-- a comment; with a semicolon
CREATE TABLE a (x INTEGER);
CREATE TRIGGER a_deleted AFTER DELETE ON a BEGIN
  DELETE FROM b WHERE x = old.x;
  UPDATE c SET n = n - 1;
END;
INSERT INTO a VALUES (1)`;
    expect(splitStatements(script)).toEqual([
      'CREATE TABLE a (x INTEGER)',
      'CREATE TRIGGER a_deleted AFTER DELETE ON a BEGIN\n  DELETE FROM b WHERE x = old.x;\n  UPDATE c SET n = n - 1;\nEND',
      'INSERT INTO a VALUES (1)',
    ]);
  });
});

describe('the SQLite client', () => {
  it('raises ConstraintViolation for a broken constraint, and writes nothing of the batch', async () => {
    const db = new Database(':memory:');
    const sql = createSqliteClient(db);
    await sql.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    await sql.batch([{ sql: 'INSERT INTO t VALUES (?, ?)', params: ['a', 'x'] }]);
    const attempt = sql.batch([
      { sql: 'INSERT INTO t VALUES (?, ?)', params: ['b', 'y'] },
      { sql: 'INSERT INTO t VALUES (?, ?)', params: ['c', 'x'] },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(ConstraintViolation);
    await expect(attempt).rejects.toMatchObject({ kind: 'unique' });
    await expect(sql.batch([{ sql: 'INSERT INTO t VALUES (?, NULL)', params: ['d'] }])).rejects.toMatchObject({ kind: 'not_null' });
    expect(await sql.all('SELECT k FROM t')).toEqual([{ k: 'a' }]);
    db.close();
  });

  it('applies every migration to an empty database once', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const sql = createSqliteClient(db);
    const applied = await migrate(sql, readMigrations());
    expect(applied.length).toBeGreaterThanOrEqual(7);
    expect(await migrate(sql, readMigrations())).toEqual([]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});

describe('deletions follow foreign keys', () => {
  let t: TestApp;
  let db: Database.Database;
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
  // Entity counts as the triggers keep them, against a recount from the entity rows.
  const countsDrift = () =>
    count(`SELECT count(*) AS n FROM entity_counts c WHERE c.entity NOT LIKE '#%' AND c.documents !=
             (SELECT count(*) FROM article_entities a WHERE a.entity = c.entity) + (SELECT count(*) FROM item_entities i WHERE i.entity = c.entity)`);

  beforeAll(async () => {
    t = await startTestApp();
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/crosslink/north-korea-items.json'), 'utf8')) as {
      items: EvalItem[];
    };
    await ingestEvalItems(t.services, fixture.items);
    db = new Database(t.dbPath);
  });
  afterAll(async () => {
    db.close();
    await t.close();
  });

  it('keeps the indexes and entity counts in step with the documents', () => {
    expect(count('SELECT count(*) AS n FROM article_fts')).toBe(count('SELECT count(*) AS n FROM article_documents'));
    expect(count('SELECT count(*) AS n FROM item_fts')).toBe(count('SELECT count(*) AS n FROM item_documents'));
    expect(count("SELECT documents AS n FROM entity_counts WHERE entity = '#articles'")).toBe(
      count('SELECT count(*) AS n FROM article_documents'),
    );
    expect(count("SELECT documents AS n FROM entity_counts WHERE entity = '#items'")).toBe(
      count('SELECT count(*) AS n FROM item_documents'),
    );
    expect(countsDrift()).toBe(0);
  });

  it('removes whatever belongs to a deleted article', async () => {
    const id = (db.prepare('SELECT article_id AS id FROM article_links LIMIT 1').get() as { id: string }).id;
    const documentsBefore = count('SELECT count(*) AS n FROM article_documents');
    expect((await t.admin('DELETE', `/api/admin/articles/${id}`)).status).toBe(204);
    for (const table of ['translations', 'translation_terms', 'article_links', 'article_documents', 'article_entities']) {
      expect(count(`SELECT count(*) AS n FROM ${table} WHERE article_id = ?`, id)).toBe(0);
    }
    expect(count('SELECT count(*) AS n FROM article_fts')).toBe(documentsBefore - 1);
    expect(count("SELECT documents AS n FROM entity_counts WHERE entity = '#articles'")).toBe(documentsBefore - 1);
    expect(countsDrift()).toBe(0);
  });

  it('removes whatever belongs to a pruned item, and keeps linked items', async () => {
    const linked = count('SELECT count(DISTINCT item_id) AS n FROM article_links');
    const pruned = await t.services.ingest.items.pruneItems(Date.now());
    expect(pruned).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM items')).toBe(linked);
    expect(count('SELECT count(*) AS n FROM item_fts')).toBe(linked);
    expect(count('SELECT count(*) AS n FROM item_sources WHERE item_id NOT IN (SELECT id FROM items)')).toBe(0);
    expect(count('SELECT count(*) AS n FROM item_title_words WHERE item_id NOT IN (SELECT id FROM items)')).toBe(0);
    expect(count("SELECT documents AS n FROM entity_counts WHERE entity = '#items'")).toBe(linked);
    expect(countsDrift()).toBe(0);
  });
});
