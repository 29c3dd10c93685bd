import { seedArticles } from '../articles/seed.ts';
import type { Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import { readSeedFiles, seedDir } from '../node.ts';
import { createArticleStore } from '../store/article-store.ts';
import { createCrosslinkStore } from '../store/crosslink-store.ts';
import { createIngestStore } from '../store/ingest-store.ts';
import type { SqlClient, SqlValue } from '../store/sql-client.ts';

/**
 * The SQL that seeding an empty database writes, for databases this process cannot open (local D1):
 * the seed runs through the real article code over a client that records writes and reads nothing.
 */
export async function seedSql(config: Config, entities: Deps['entities']): Promise<string> {
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
  const deps = {
    config,
    store: createArticleStore(recorder),
    ingestStore: createIngestStore(recorder),
    crosslinkStore: createCrosslinkStore(recorder),
    entities,
    feedCache: { lookup: async () => ({ version: 0 }), put: noop, invalidate: noop },
    now: Date.now,
    random: Math.random,
    newId: () => crypto.randomUUID(),
    transport: fetch,
    log: () => undefined,
    ingestRunner: { pollDue: async () => [], pollSources: async () => [], close: noop },
  } as Deps;
  await seedArticles(deps, readSeedFiles(seedDir));
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
