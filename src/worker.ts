import entityDocument from '../data/entities.json';
import { createApp } from './app.ts';
import { refreshArticleFeeds } from './articles/article-service.ts';
import { parseConfig } from './config.ts';
import { buildEntityIndex, type Entity } from './crosslink/entities.ts';
import type { Deps } from './deps.ts';
import { type CacheLike, createCacheApiFeedCache } from './feeds/cache-api-feed-cache.ts';
import { createInlineRunner, refreshingFeeds } from './ingest/run.ts';
import { createArticleStore } from './store/article-store.ts';
import { createCrosslinkStore } from './store/crosslink-store.ts';
import { createD1Client, type D1Like } from './store/d1-client.ts';
import { createIngestStore } from './store/ingest-store.ts';

/** The Workers bindings: the D1 database and the string variables of wrangler.toml ([vars] and secrets). */
export interface Env {
  DB: D1Like;
  [variable: string]: unknown;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

declare const caches: { default: CacheLike };

/** The app and its dependencies, built once per isolate and binding set (the entity index takes a few ms to build). */
const built = new WeakMap<Env, { app: ReturnType<typeof createApp>; deps: Deps }>();

function build(env: Env) {
  let found = built.get(env);
  if (!found) {
    const strings = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
    const config = parseConfig(strings);
    const client = createD1Client(env.DB);
    const base = {
      config,
      store: createArticleStore(client),
      ingestStore: createIngestStore(client),
      crosslinkStore: createCrosslinkStore(client),
      entities: buildEntityIndex(entityDocument as { entities: Entity[] }),
      feedCache: createCacheApiFeedCache(caches.default, client),
      now: Date.now,
      random: Math.random,
      newId: () => crypto.randomUUID(),
      transport: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
      log: (line: string) => console.log(line),
      // Workers compress responses for each client themselves; a pre-compressed body would be compressed twice.
      runtimeCompresses: true,
    };
    // One scheduled run polls at most INGEST_RUN_LIMIT sources (Workers limit subrequests per invocation).
    const runner = createInlineRunner(base, config.ingest.runLimit);
    const deps: Deps = {
      ...base,
      ingestRunner: refreshingFeeds(runner, (ids) => refreshArticleFeeds({ ...base, ingestRunner: runner }, ids)),
    };
    found = { app: createApp(deps), deps };
    built.set(env, found);
  }
  return found;
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return build(env).app.fetch(request, env, ctx as never);
  },

  /** Cron Trigger: polls the most overdue sources that fit one invocation's limits; the rest wait for the next run. */
  async scheduled(_controller: unknown, env: Env, ctx: ExecutionContext): Promise<void> {
    const { deps } = build(env);
    if (!deps.config.ingest.schedule) return;
    // The runner re-renders the feeds of relinked articles itself (refreshingFeeds).
    const run = deps.ingestRunner.pollDue().then((reports) => deps.log(`scheduled ingest: ${reports.length} source(s) polled`));
    ctx.waitUntil(run);
    await run;
  },
};
