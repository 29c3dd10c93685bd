/** A value SQLite and D1 both accept as a bound parameter. */
export type SqlValue = string | number | null;

export interface SqlStatement {
  sql: string;
  params?: SqlValue[];
}

/**
 * The small surface the store needs from a database. Async because D1 is;
 * `batch` runs its statements atomically (a transaction on SQLite, `batch()` on D1).
 */
export interface SqlClient {
  all<Row>(sql: string, params?: SqlValue[]): Promise<Row[]>;
  first<Row>(sql: string, params?: SqlValue[]): Promise<Row | undefined>;
  batch(statements: SqlStatement[]): Promise<void>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
}
