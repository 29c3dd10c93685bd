import { splitStatements } from './migrate.ts';
import { type ConstraintKind, ConstraintViolation, type SqlClient, StorageFull } from './sql-client.ts';

/** The part of Cloudflare's D1Database binding this client uses. */
export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): D1PreparedLike };
  batch(statements: D1PreparedLike[]): Promise<unknown>;
}
interface D1PreparedLike {
  all<T>(): Promise<{ results: T[] }>;
  first<T>(): Promise<T | null>;
}

// D1 reports SQLite's error only as text ("D1_ERROR: UNIQUE constraint failed: …"); this is the one place it is read.
const constraintMessages: [RegExp, ConstraintKind][] = [
  [/UNIQUE constraint failed/, 'unique'],
  [/FOREIGN KEY constraint failed/, 'foreign_key'],
  [/CHECK constraint failed/, 'check'],
  [/NOT NULL constraint failed/, 'not_null'],
];

function asConstraintViolation(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (/SQLITE_FULL|database or disk is full/.test(message)) return new StorageFull(message);
  const found = constraintMessages.find(([pattern]) => pattern.test(message));
  return found ? new ConstraintViolation(found[1], message) : error;
}

/** SqlClient over D1. `batch` is D1's batch: its statements run in one transaction (D1 has no interactive ones). */
export function createD1Client(db: D1Like): SqlClient {
  const statement = (sql: string, params: unknown[] = []) => db.prepare(sql).bind(...params);
  return {
    async all<Row>(sql: string, params: unknown[] = []) {
      return (await statement(sql, params).all<Row>()).results;
    },
    async first<Row>(sql: string, params: unknown[] = []) {
      return (await statement(sql, params).first<Row>()) ?? undefined;
    },
    async batch(statements) {
      if (statements.length === 0) return;
      try {
        await db.batch(statements.map((s) => statement(s.sql, s.params)));
      } catch (error) {
        throw asConstraintViolation(error);
      }
    },
    async exec(script) {
      await db.batch(splitStatements(script).map((sql) => statement(sql)));
    },
  };
}
