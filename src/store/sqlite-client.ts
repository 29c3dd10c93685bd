import type Database from 'better-sqlite3';
import type { SqlClient, SqlStatement, SqlValue } from './sql-client.ts';

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
      runAll(statements);
    },
    async exec(script) {
      db.exec(script);
    },
  };
}
