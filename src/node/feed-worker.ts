import { Worker } from 'node:worker_threads';
import { IngestError } from '../ingest/ingest-error.ts';
import type { ProcessedFeed, ProcessFeedInput } from '../ingest/process-feed.ts';

export interface FeedProcessor {
  process(input: ProcessFeedInput): Promise<ProcessedFeed>;
  close(): Promise<void>;
}

type Pending = { resolve: (feed: ProcessedFeed) => void; reject: (error: Error) => void };

/**
 * processFeed on a worker thread (started on first use): the server's thread only stores the results.
 * Jobs run one at a time, and after each the worker rests as long as the job took, so ingestion uses
 * at most half a core and leaves the rest to serving. A crashed worker fails its job and is replaced.
 */
export function createFeedProcessor(): FeedProcessor {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  let queue: Promise<void> = Promise.resolve();

  const start = () => {
    // The service runs TypeScript through tsx; the worker registers tsx itself before loading its module.
    const thread = new URL('./feed-worker-thread.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(thread)}); })`;
    const started = new Worker(bootstrap, { eval: true });
    started.unref();
    started.on('message', ({ id, result, error }: { id: number; result?: ProcessedFeed; error?: { code?: string; message: string } }) => {
      const job = pending.get(id);
      pending.delete(id);
      if (!job) return;
      if (result) job.resolve(result);
      else job.reject(error?.code ? new IngestError(error.code, error.message) : new Error(error?.message));
    });
    started.on('error', (error) => {
      for (const job of pending.values()) job.reject(error);
      pending.clear();
      worker = undefined;
    });
    return started;
  };

  const send = (input: ProcessFeedInput) => {
    worker ??= start();
    const id = nextId++;
    return new Promise<ProcessedFeed>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker!.postMessage({ id, input });
    });
  };

  return {
    process(input) {
      const timed = queue.then(async () => {
        const started = performance.now();
        try {
          return { feed: await send(input), ms: performance.now() - started };
        } catch (error) {
          return { error, ms: performance.now() - started };
        }
      });
      queue = timed.then(({ ms }) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
      return timed.then(({ feed, error }) => {
        if (error) throw error;
        return feed!;
      });
    },
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}
