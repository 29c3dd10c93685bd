import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { composeServices, type RuntimeParts, type Services } from '../../compose.ts';
import type { Config } from '../../config.ts';
import { createMemoryRenderCache } from '../../render-cache/render-cache.ts';
import { migrate } from '../../store/migrate.ts';
import type { SqlClient } from '../../store/sql-client.ts';
import { type AnswerShortcut, createAnswerShortcut } from './answer-shortcut.ts';
import { loadEntities, readMigrations } from './files.ts';
import { createGuardedFetch } from './guarded-fetch.ts';
import { createInvalidationLog } from './invalidation-log.ts';
import { createSqliteClient } from './sqlite-client.ts';

export interface NodeServices {
  services: Services;
  /** Answers repeated requests for cached documents before routing (the server puts it in front of the app). */
  shortcut: AnswerShortcut;
  /** The database itself, for tools that fill it directly (benchmarks). */
  sql: SqlClient;
  close(): Promise<void>;
}

/**
 * Opens (creating and migrating) the SQLite file and composes the services over it with Node's parts:
 * the server, the polling process, the CLI and the tests all start here. `parts` replaces any part (a poll runner, a clock).
 */
export async function openNodeServices(config: Config, parts: Partial<RuntimeParts> = {}): Promise<NodeServices> {
  if (config.dbPath !== ':memory:') mkdirSync(dirname(config.dbPath), { recursive: true });
  const db = new Database(config.dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const sql = createSqliteClient(db);
  // Waits for another connection's lock happen in `whenUnlocked`, off this thread, not in SQLite's busy handler.
  db.pragma('busy_timeout = 0');
  await migrate(sql, readMigrations());
  const renderCache = createMemoryRenderCache({ log: createInvalidationLog(db) });
  const shortcut = createAnswerShortcut(renderCache);
  const services = composeServices({
    config,
    sql,
    renderCache,
    rememberAnswer: shortcut.remember,
    entities: loadEntities(),
    fetch: createGuardedFetch({ allowHosts: config.ingest.allowHosts }),
    now: Date.now,
    random: Math.random,
    newId: () => crypto.randomUUID(),
    log: (line) => console.log(line),
    sha256: (bytes) => createHash('sha256').update(bytes).digest(),
    ...parts,
  });
  return {
    services,
    shortcut,
    sql,
    async close() {
      await services.polls.close();
      // Feed answers counted since the last flush are written before the database closes.
      await services.readerStats.flush();
      db.close();
    },
  };
}
