import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { seedArticles } from './articles/seed.ts';
import { type Config, ConfigError, parseConfig } from './config.ts';
import { startScheduler } from './ingest/scheduler.ts';
import { parseSourcesOpml } from './ingest/sources-opml.ts';
import { defaultSourcesFile, readSeedFiles, seedDir } from './runtime/node/files.ts';
import { openNodeServices } from './runtime/node/node-services.ts';
import { createProcessPollRunner } from './runtime/node/poll-runner.ts';

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
const { services, close } = await openNodeServices(config, { pollRunner: createProcessPollRunner(config, log) });

const seeded = await seedArticles(services.articles, config.languages, readSeedFiles());
if (seeded) console.log(`Seeded ${seeded} articles from ${seedDir}`);
if (!config.adminToken) console.log('Admin API disabled: set ADMIN_TOKEN to enable it.');
const sources = services.ingest.store;
if (config.ingest.defaultSources && (await sources.markOnce('default_sources_imported', Date.now()))) {
  const added = await sources.addSources(await parseSourcesOpml(readFileSync(defaultSourcesFile, 'utf8')), Date.now());
  console.log(`Imported ${added.length} default sources from ${defaultSourcesFile}`);
}
const scheduler = config.ingest.schedule ? startScheduler(services.polls, 30_000, log) : undefined;
if (!scheduler) console.log('Ingestion scheduler off (INGEST_SCHEDULE=off).');

const server = serve({ fetch: createApp(services).fetch, port: config.port, hostname: config.host }, () => {
  console.log(`Serving ${config.siteUrl} on http://${config.host}:${config.port} (database ${config.dbPath})`);
});
const stop = () => {
  server.close(async () => {
    await scheduler?.stop();
    await close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
