import { seedArticles } from '../../articles/seed.ts';
import { composeServices } from '../../compose.ts';
import type { Config } from '../../config.ts';
import type { EntityIndex } from '../../crosslink/entities.ts';
import type { SqlClient, SqlValue } from '../../store/sql-client.ts';
import { readSeedFiles } from './files.ts';

/**
 * The SQL that seeding an empty database writes, for databases this process cannot open (local D1):
 * the seed runs through the real services over a client that records writes and reads nothing.
 */
export async function seedSql(config: Config, entities: EntityIndex): Promise<string> {
  const lines: string[] = [];
  const recorder: SqlClient = {
    all: async () => [],
    first: async () => undefined,
    async batch(statements) {
      for (const { sql, params = [] } of statements) lines.push(`${inline(sql, params)};`);
    },
    async exec(script) {
      lines.push(script);
    },
  };
  const noop = async () => undefined;
  const services = composeServices({
    config,
    sql: recorder,
    renderCache: { lookup: () => ({ version: 0 }), put: noop, invalidate: noop },
    entities,
    fetch,
    now: Date.now,
    random: Math.random,
    newId: () => crypto.randomUUID(),
    log: () => undefined,
  });
  await seedArticles(services.articles, config.languages, readSeedFiles());
  return `${lines.join('\n')}\n`;
}

/** Replaces each `?` outside string literals with the SQL literal of its parameter. */
function inline(sql: string, params: SqlValue[]): string {
  let index = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (token) => {
    if (token !== '?') return token;
    const value = params[index++];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number') return String(value);
    return `'${String(value).replace(/'/g, "''")}'`;
  });
}
