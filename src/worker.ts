import entityDocument from '../data/entities.json';
import { createApp } from './app.ts';
import { composeServices, type Services } from './compose.ts';
import { parseConfig } from './config.ts';
import { buildEntityIndex, type Entity } from './crosslink/entities.ts';
import { type CacheLike, createCacheApiRenderCache } from './render-cache/cache-api-render-cache.ts';
import { createRenderVersionStore } from './render-cache/render-version-store.ts';
import { createD1Client, type D1Like } from './store/d1-client.ts';

/** The Workers bindings: the D1 database and the string variables of wrangler.toml ([vars] and secrets). */
export interface Env {
  DB: D1Like;
  [variable: string]: unknown;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

declare const caches: { default: CacheLike };

/** The services and the app, built once per isolate and binding set (the entity index takes a few ms to build). */
const built = new WeakMap<Env, { app: ReturnType<typeof createApp>; services: Services }>();

function build(env: Env) {
  let found = built.get(env);
  if (!found) {
    const strings = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
    const config = parseConfig(strings);
    const sql = createD1Client(env.DB);
    const services = composeServices({
      config,
      sql,
      renderCache: createCacheApiRenderCache(caches.default, createRenderVersionStore(sql)),
      entities: buildEntityIndex(entityDocument as { entities: Entity[] }),
      fetch: (input, init) => fetch(input, init),
      now: Date.now,
      random: Math.random,
      newId: () => crypto.randomUUID(),
      log: (line) => console.log(line),
      // One scheduled run polls at most INGEST_RUN_LIMIT sources (Workers limit subrequests per invocation).
      dueLimit: config.ingest.runLimit,
      // Workers compress responses for each client themselves; a pre-compressed body would be compressed twice.
      runtimeCompresses: true,
      // Work left running after an answer may be cut off: deliveries run under waitUntil (below).
      deliverInBackground: false,
    });
    found = { app: createApp(services), services };
    built.set(env, found);
  }
  return found;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { app, services } = build(env);
    const response = await app.fetch(request, env, ctx as never);
    // A write may owe WebSub subscribers the feeds it changed: delivered after the answer, within this invocation.
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      ctx.waitUntil(services.hub.deliverDue().catch((error: unknown) => console.log(`websub: ${(error as Error).message}`)));
    }
    return response;
  },

  /** Cron Trigger: polls the most overdue sources that fit one invocation's limits; the rest wait for the next run. */
  async scheduled(_controller: unknown, env: Env, ctx: ExecutionContext): Promise<void> {
    const { services } = build(env);
    if (!services.config.ingest.schedule) return;
    const run = services.polls.pollDue().then((reports) => console.log(`scheduled ingest: ${reports.length} source(s) polled`));
    ctx.waitUntil(run);
    await run;
  },
};
