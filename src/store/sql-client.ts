/** A value SQLite and D1 both accept as a bound parameter. */
export type SqlValue = string | number | null;

export interface SqlStatement {
  sql: string;
  params?: SqlValue[];
}

/**
 * The small surface the stores need from a database. Async because D1 is;
 * `batch` runs its statements atomically (a transaction on SQLite, `batch()` on D1).
 * A write that breaks a constraint throws `ConstraintViolation`, whichever the database.
 */
export interface SqlClient {
  all<Row>(sql: string, params?: SqlValue[]): Promise<Row[]>;
  first<Row>(sql: string, params?: SqlValue[]): Promise<Row | undefined>;
  batch(statements: SqlStatement[]): Promise<void>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
}

export type ConstraintKind = 'unique' | 'foreign_key' | 'check' | 'not_null' | 'other';

/** A write refused by a UNIQUE, FOREIGN KEY, CHECK or NOT NULL constraint; nothing of its batch was written. */
export class ConstraintViolation extends Error {
  constructor(
    readonly kind: ConstraintKind,
    message: string,
  ) {
    super(message);
    this.name = 'ConstraintViolation';
  }
}

/** A write refused because the disk (or the database's size limit) is full; nothing of its batch was written. */
export class StorageFull extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageFull';
  }
}
