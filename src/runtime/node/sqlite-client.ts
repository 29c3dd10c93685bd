import type Database from 'better-sqlite3';
import {
  type ConstraintKind,
  ConstraintViolation,
  type SqlClient,
  type SqlStatement,
  type SqlValue,
  StorageFull,
} from '../../store/sql-client.ts';

// better-sqlite3 gives SQLite's extended result code (https://sqlite.org/rescode.html) as `code`.
const constraintKinds: Record<string, ConstraintKind> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
};

function asConstraintViolation(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_FULL') return new StorageFull((error as Error).message);
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return error;
  return new ConstraintViolation(constraintKinds[code] ?? 'other', (error as Error).message);
}

const isBusy = (error: unknown) => /^SQLITE_BUSY/.test(String((error as { code?: unknown }).code));

/**
 * Runs `work` on the connection, retrying while another connection (the polling process, a second server) holds the lock.
 * SQLite's own busy handler would sleep in this thread, stopping every request for up to 100 ms at a time; waiting here
 * lets the server go on answering. The connections are opened with busy_timeout 0 for this reason.
 */
export async function whenUnlocked<T>(work: () => T, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (let delay = 1; ; delay = Math.min(delay * 2, 16)) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error) || Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** SqlClient over a better-sqlite3 connection; prepared statements are cached by their SQL text. */
export function createSqliteClient(db: Database.Database): SqlClient {
  const prepared = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
  const runAll = db.transaction((statements: SqlStatement[]) => {
    for (const { sql, params = [] } of statements) prepare(sql).run(...params);
  });

  return {
    all: <Row>(sql: string, params: SqlValue[] = []) => whenUnlocked(() => prepare(sql).all(...params) as Row[]),
    first: <Row>(sql: string, params: SqlValue[] = []) => whenUnlocked(() => prepare(sql).get(...params) as Row | undefined),
    async batch(statements) {
      try {
        await whenUnlocked(() => runAll(statements));
      } catch (error) {
        throw asConstraintViolation(error);
      }
    },
    async exec(script) {
      await whenUnlocked(() => db.exec(script));
    },
  };
}
