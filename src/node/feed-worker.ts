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
 * Jobs queue on the one worker; a crashed worker fails its jobs and is replaced on the next one.
 */
export function createFeedProcessor(): FeedProcessor {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();

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
      if (result) job.resolve({ ...result, items: result.items });
      else job.reject(error?.code ? new IngestError(error.code, error.message) : new Error(error?.message));
    });
    started.on('error', (error) => {
      for (const job of pending.values()) job.reject(error);
      pending.clear();
      worker = undefined;
    });
    return started;
  };

  return {
    process(input) {
      worker ??= start();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage({ id, input });
      });
    },
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}
