import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.ts';
import { describeSeed, seedArticles } from './articles/seed.ts';
import { type Config, ConfigError, parseConfig } from './config.ts';
import { startScheduler } from './ingest/scheduler.ts';
import { parseSourcesOpml } from './ingest/sources-opml.ts';
import { defaultSourcesFile, readSeedFiles, seedDir } from './runtime/node/files.ts';
import { openNodeServices } from './runtime/node/node-services.ts';
import { stopWhenOrphaned } from './runtime/node/orphan.ts';
import { createProcessPollRunner } from './runtime/node/poll-runner.ts';
import { StorageFull } from './store/sql-client.ts';

/** Node entry: configuration, the SQLite file, the seed, polling in a child process, the HTTP server. */
let config: Config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const log = (line: string) => console.log(line);
/** A start-up problem is one line naming the setting behind it, not a stack trace. */
const cannotStart = (setting: string, problem: string): never => {
  console.error(`Cannot start: ${setting}: ${problem}`);
  process.exit(1);
};
const diskFull = (error: unknown) =>
  error instanceof StorageFull || /^SQLITE_(FULL|IOERR_SHMSIZE)/.test((error as { code?: string }).code ?? '');
const { services, shortcut, close } = await openNodeServices(config, { pollRunner: createProcessPollRunner(config, log) }).catch(
  (error: Error) =>
    diskFull(error)
      ? cannotStart('DB_PATH', `the disk holding ${config.dbPath} is full; free some space (${error.message})`)
      : cannotStart('DB_PATH', `${config.dbPath} cannot be opened (${error.message})`),
);

// Filling a new database needs room; on an old one nothing is written here, so a full disk still serves reads.
try {
  const sources = services.ingest.store;
  // Seeding is marked begun before its first article and done after its last: a stop in between is finished next time.
  const begun = !(await sources.markOnce('seed_started', Date.now()));
  if (!(await sources.hasMark('seed_done'))) {
    const seeded = await seedArticles(services.articles, config.languages, readSeedFiles(), { onlyMissing: begun });
    if (seeded.created) console.log(`Seeded ${describeSeed(seeded)} from ${seedDir}`);
    await sources.markOnce('seed_done', Date.now());
  }
  if (config.ingest.defaultSources && (await sources.markOnce('default_sources_imported', Date.now()))) {
    const added = await sources.addSources(await parseSourcesOpml(readFileSync(defaultSourcesFile, 'utf8')), Date.now());
    console.log(`Imported ${added.length} default sources from ${defaultSourcesFile}`);
  }
  const repaired = await services.repairCrosslinkIndex();
  if (repaired.items + repaired.articles > 0)
    console.log(`Indexed ${repaired.items} items and ${repaired.articles} articles for related coverage (an earlier stop interrupted it)`);
} catch (error) {
  if (!diskFull(error)) throw error;
  await close();
  cannotStart('DB_PATH', `the disk holding ${config.dbPath} is full; free some space (${(error as Error).message})`);
}
if (!config.adminToken) console.log('Admin API disabled: set ADMIN_TOKEN to enable it.');
const scheduler = config.ingest.schedule ? startScheduler(services.polls, 30_000, log) : undefined;
if (!scheduler) console.log('Ingestion scheduler off (INGEST_SCHEDULE=off).');

// Reader statistics are counted in memory as feeds are answered, and written every 15 s and once more when stopping.
const readerStatsTimer = setInterval(() => services.readerStats.flush(), 15_000).unref();

const app = getRequestListener(createApp(services).fetch);
const server = createServer((request, response) => {
  if (!shortcut.answer(request, response)) app(request, response);
}).listen(config.port, config.host, () => {
  console.log(`Serving ${config.siteUrl} on http://${config.host}:${config.port} (database ${config.dbPath})`);
});
server.once('error', async (error: NodeJS.ErrnoException) => {
  await scheduler?.stop();
  await close();
  if (error.code === 'EADDRINUSE') cannotStart('PORT', `${config.port} is already in use on ${config.host}`);
  if (error.code === 'EACCES') cannotStart('PORT', `${config.port} needs privileges this process does not have`);
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.code === 'EADDRNOTAVAIL')
    cannotStart('HOST', `${config.host} is not an address of this machine (${error.code})`);
  cannotStart('HOST/PORT', `${config.host}:${config.port}: ${error.message}`);
});
const stop = () => {
  server.close(async () => {
    clearInterval(readerStatsTimer);
    await scheduler?.stop();
    await close(); // flushes the reader statistics last counted
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
stopWhenOrphaned(stop);
