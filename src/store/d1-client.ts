import { splitStatements } from './migrate.ts';
import type { SqlClient } from './sql-client.ts';

/** The part of Cloudflare's D1Database binding this client uses. */
export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): D1PreparedLike };
  batch(statements: D1PreparedLike[]): Promise<unknown>;
}
interface D1PreparedLike {
  all<T>(): Promise<{ results: T[] }>;
  first<T>(): Promise<T | null>;
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
      if (statements.length) await db.batch(statements.map((s) => statement(s.sql, s.params)));
    },
    async exec(script) {
      await db.batch(splitStatements(script).map((sql) => statement(sql)));
    },
  };
}
