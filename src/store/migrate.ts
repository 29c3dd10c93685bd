import type { SqlClient, SqlStatement } from './sql-client.ts';

export interface Migration {
  /** File name, e.g. `0001_articles.sql`; migrations apply in name order. */
  name: string;
  sql: string;
}

/**
 * Applies the migrations not yet recorded, each in one batch with its record.
 * Uses the same `d1_migrations` table wrangler uses, so a database migrated by
 * `wrangler d1 migrations apply` and one migrated here agree.
 */
export async function migrate(client: SqlClient, migrations: Migration[]): Promise<string[]> {
  await client.exec(
    'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)',
  );
  const done = new Set((await client.all<{ name: string }>('SELECT name FROM d1_migrations')).map((row) => row.name));
  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    if (done.has(migration.name)) continue;
    const statements: SqlStatement[] = splitStatements(migration.sql).map((sql) => ({ sql }));
    statements.push({ sql: 'INSERT INTO d1_migrations (name) VALUES (?)', params: [migration.name] });
    await client.batch(statements);
    applied.push(migration.name);
  }
  return applied;
}

/**
 * Splits a migration script into statements on the semicolons that end them (our migrations keep `;` out of
 * literals); a trigger's body holds statements of its own, so a CREATE TRIGGER runs on to its END.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let pending = '';
  for (const part of script.replace(/--[^\n]*/g, '').split(';')) {
    pending = pending ? `${pending};${part}` : part;
    if (/^\s*CREATE\s+(?:TEMP\w*\s+)?TRIGGER\b/i.test(pending) && !/\bEND\s*$/i.test(pending)) continue;
    if (pending.trim()) statements.push(pending.trim());
    pending = '';
  }
  if (pending.trim()) statements.push(pending.trim());
  return statements;
}
