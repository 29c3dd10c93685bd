import { parentPort } from 'node:worker_threads';
import { IngestError } from '../ingest/ingest-error.ts';
import { type ProcessFeedInput, processFeed } from '../ingest/process-feed.ts';

/** Runs processFeed for the main thread, so parsing and sanitizing never block the server's event loop. */
parentPort!.on('message', async ({ id, input }: { id: number; input: ProcessFeedInput }) => {
  try {
    parentPort!.postMessage({ id, result: await processFeed(input) });
  } catch (error) {
    const failure =
      error instanceof IngestError ? { code: error.code, message: error.message } : { message: String((error as Error).stack ?? error) };
    parentPort!.postMessage({ id, error: failure });
  }
});
