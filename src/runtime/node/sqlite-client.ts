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
    async all<Row>(sql: string, params: SqlValue[] = []) {
      return prepare(sql).all(...params) as Row[];
    },
    async first<Row>(sql: string, params: SqlValue[] = []) {
      return prepare(sql).get(...params) as Row | undefined;
    },
    async batch(statements) {
      try {
        runAll(statements);
      } catch (error) {
        throw asConstraintViolation(error);
      }
    },
    async exec(script) {
      db.exec(script);
    },
  };
}
