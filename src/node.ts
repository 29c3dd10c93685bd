import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { createApp } from './app.ts';
import { refreshArticleFeeds } from './articles/article-service.ts';
import { type SeedFile, seedArticles } from './articles/seed.ts';
import { type Config, ConfigError, parseConfig } from './config.ts';
import { buildEntityIndex, type EntityIndex } from './crosslink/entities.ts';
import type { Deps } from './deps.ts';
import { createMemoryFeedCache } from './feeds/feed-cache.ts';
import { createInlineRunner, refreshingFeeds } from './ingest/run.ts';
import { startScheduler } from './ingest/scheduler.ts';
import { parseSourcesOpml } from './ingest/sources-opml.ts';
import { createGuardedFetch } from './node/guarded-fetch.ts';
import { createWorkerRunner } from './node/ingest-worker.ts';
import { createArticleStore } from './store/article-store.ts';
import { createCrosslinkStore } from './store/crosslink-store.ts';
import { createIngestStore } from './store/ingest-store.ts';
import { type Migration, migrate } from './store/migrate.ts';
import { createSqliteClient } from './store/sqlite-client.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const migrationsDir = join(root, 'src/store/migrations');
export const seedDir = join(root, 'data/seed/articles');
export const defaultSourcesFile = join(root, 'data/sources.opml');

export interface NodeDeps extends Deps {
  close(): void;
}

/**
 * Opens (creating and migrating) the SQLite file and builds the app's dependencies on it.
 * Polls run in the calling thread unless `ingestInWorker` (the server's choice) moves them to a worker thread.
 */
export async function createNodeDeps(
  config: Config,
  overrides: Partial<Deps> = {},
  options: { ingestInWorker?: boolean } = {},
): Promise<NodeDeps> {
  if (config.dbPath !== ':memory:') mkdirSync(dirname(config.dbPath), { recursive: true });
  const db = new Database(config.dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const client = createSqliteClient(db);
  await migrate(client, readMigrations(migrationsDir));
  const deps: Omit<Deps, 'ingestRunner'> = {
    config,
    store: createArticleStore(client),
    ingestStore: createIngestStore(client),
    crosslinkStore: createCrosslinkStore(client),
    entities: loadEntities(),
    feedCache: createMemoryFeedCache(),
    now: Date.now,
    random: Math.random,
    newId: () => crypto.randomUUID(),
    transport: createGuardedFetch({ allowHosts: config.ingest.allowHosts }),
    log: (line) => console.log(line),
    ...overrides,
  };
  const runner = options.ingestInWorker ? createWorkerRunner(config, deps.log) : createInlineRunner(deps);
  // Polls change related coverage; the feeds carrying those articles are re-rendered here, where their cache lives.
  const ingestRunner =
    overrides.ingestRunner ?? refreshingFeeds(runner, (articleIds) => refreshArticleFeeds({ ...deps, ingestRunner: runner }, articleIds));
  return {
    ...deps,
    ingestRunner,
    close: () => {
      void ingestRunner.close();
      db.close();
    },
  };
}

let entityIndex: EntityIndex | undefined;

/** The entity dictionary, read and compiled once per process. */
function loadEntities(): EntityIndex {
  entityIndex ??= buildEntityIndex(JSON.parse(readFileSync(join(root, 'data/entities.json'), 'utf8')));
  return entityIndex;
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

export function readSeedFiles(dir: string): SeedFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, body: JSON.parse(readFileSync(join(dir, name), 'utf8')) }));
}

async function main() {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const deps = await createNodeDeps(config, {}, { ingestInWorker: true });
  const seeded = await seedArticles(deps, readSeedFiles(seedDir));
  if (seeded) console.log(`Seeded ${seeded} articles from ${seedDir}`);
  if (!config.adminToken) console.log('Admin API disabled: set ADMIN_TOKEN to enable it.');
  if (config.ingest.defaultSources && (await deps.ingestStore.markOnce('default_sources_imported', deps.now()))) {
    const sources = await parseSourcesOpml(readFileSync(defaultSourcesFile, 'utf8'));
    const added = await deps.ingestStore.addSources(sources, deps.now());
    console.log(`Imported ${added.length} default sources from ${defaultSourcesFile}`);
  }
  const scheduler = config.ingest.schedule ? startScheduler(deps.ingestRunner, 30_000, deps.log) : undefined;
  if (!scheduler) console.log('Ingestion scheduler off (INGEST_SCHEDULE=off).');

  const server = serve({ fetch: createApp(deps).fetch, port: config.port, hostname: config.host }, () => {
    console.log(`Serving ${config.siteUrl} on http://${config.host}:${config.port} (database ${config.dbPath})`);
  });
  const stop = () => {
    server.close(async () => {
      await scheduler?.stop();
      deps.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
