import entityDocument from '../data/entities.json';
import { createApp } from './app.ts';
import { composeServices, type Services } from './compose.ts';
import { parseConfig } from './config.ts';
import { buildEntityIndex, type Entity } from './crosslink/entities.ts';
import { type CacheLike, createCacheApiRenderCache } from './render-cache/cache-api-render-cache.ts';
import { createRenderVersionStore } from './render-cache/render-version-store.ts';
import { createD1Client, type D1Like } from './store/d1-client.ts';

/**
 * The Workers bindings: the D1 database, the queues when configured (polls, WebSub deliveries), and the string variables
 * of wrangler.toml.
 */
export interface Env {
  DB: D1Like;
  POLL_QUEUE?: QueueLike<PollMessage>;
  WEBSUB_QUEUE?: QueueLike<DeliveryMessage>;
  [variable: string]: unknown;
}

/** One source to poll, as a queue message. */
export interface PollMessage {
  sourceId: number;
}

/** One WebSub delivery owed to a subscriber, as a queue message (the subscription is read afresh when it is delivered). */
export interface DeliveryMessage {
  topic: string;
  callback: string;
}

/** The parts of the Queues API used here (a producer binding, a consumer's batch). */
interface QueueLike<Body> {
  sendBatch(messages: { body: Body }[]): Promise<void>;
}
interface MessageBatch<Body> {
  messages: readonly { body: Body }[];
  ackAll(): void;
  retryAll(): void;
}

// sendBatch takes 100 messages at most.
const queueBatch = 100;

/** Claims every due source for half an hour and puts one message each on the queue. */
async function enqueueDuePolls(services: Services, queue: QueueLike<PollMessage>): Promise<number> {
  const ids = await services.ingest.store.claimDueSources(Date.now(), 5000, Date.now() + 30 * 60_000);
  for (let start = 0; start < ids.length; start += queueBatch) {
    await queue.sendBatch(ids.slice(start, start + queueBatch).map((sourceId) => ({ body: { sourceId } })));
  }
  return ids.length;
}

/** Claims every WebSub delivery owed now and puts one message each on the queue; pings the external hub. */
async function enqueueDueDeliveries(services: Services, queue: QueueLike<DeliveryMessage>): Promise<void> {
  await services.hub.pingExternalHub();
  for (let due = await services.hub.claimDue(queueBatch); due.length > 0; due = await services.hub.claimDue(queueBatch)) {
    await queue.sendBatch(due.map(({ topic, callback }) => ({ body: { topic, callback } })));
  }
}

/** WebSub deliveries owed now: through the queue when there is one, else within this invocation. */
function deliverDue(services: Services, env: Env): Promise<void> {
  return (env.WEBSUB_QUEUE ? enqueueDueDeliveries(services, env.WEBSUB_QUEUE) : services.hub.deliverDue()).catch((error: unknown) =>
    console.log(`websub: ${(error as Error).message}`),
  );
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

declare const caches: { default: CacheLike };

/** An isolate writes its reader statistics at most this often, and counts wait at most this long (see README). */
const readerStatsFlushMs = 10_000;

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
    // A write may owe WebSub subscribers the feeds it changed: queued, or delivered after the answer within this invocation.
    if (request.method !== 'GET' && request.method !== 'HEAD') ctx.waitUntil(deliverDue(services, env));
    // Reader statistics counted in this isolate are written after the answer, within the same invocation.
    const statsFlush = services.readerStats.scheduleFlush(readerStatsFlushMs);
    if (statsFlush) ctx.waitUntil(statsFlush);
    return response;
  },

  /**
   * Cron Trigger. With a POLL_QUEUE binding, every due source goes on the queue (one message each) and queue consumers
   * poll them in parallel batches; without one, this run polls the most overdue sources that fit one invocation's
   * limits and the rest wait for the next run. Either way, WebSub deliveries due for a retry go out (queued likewise).
   */
  async scheduled(_controller: unknown, env: Env, ctx: ExecutionContext): Promise<void> {
    const { services } = build(env);
    if (!services.config.ingest.schedule) return;
    const run = env.POLL_QUEUE ? enqueueDuePolls(services, env.POLL_QUEUE) : services.polls.pollDue().then((reports) => reports.length);
    const done = run
      .then((count) => console.log(`scheduled ingest: ${count} source(s) ${env.POLL_QUEUE ? 'queued' : 'polled'}`))
      .then(() => deliverDue(services, env));
    ctx.waitUntil(done);
    await done;
  },

  /**
   * Queue consumer of both queues. Polls: the sources of one batch, the batch retried by the queue if it fails, then
   * dead-lettered. Deliveries: each claimed subscription's feed; a failed delivery is retried on the hub's own schedule
   * (30 s doubling, over more than a day), which outlasts a queue's retries, so the batch is acknowledged.
   */
  async queue(batch: MessageBatch<PollMessage | DeliveryMessage>, env: Env): Promise<void> {
    const { services } = build(env);
    const deliveries = batch.messages.map((message) => message.body).filter((body): body is DeliveryMessage => 'callback' in body);
    const sources = batch.messages.map((message) => message.body).filter((body): body is PollMessage => 'sourceId' in body);
    try {
      await Promise.all(deliveries.map(({ topic, callback }) => services.hub.deliverClaimed(topic, callback)));
      if (sources.length) await services.polls.pollSources([...new Set(sources.map((body) => body.sourceId))]);
      batch.ackAll();
    } catch (error) {
      console.log(`queue batch failed: ${(error as Error).message}`);
      batch.retryAll();
    }
  },
};
