import type { Config } from '../config.ts';
import { createNodeDeps } from '../node.ts';

/** The ingestion process: its own database connection and an inline runner; logs go to the server's output. */
const send = (message: unknown) => process.send?.(message);
const deps = await createNodeDeps(JSON.parse(process.env.INGEST_WORKER_CONFIG ?? '{}') as Config, {
  log: (line) => send({ log: line }),
});

process.on('message', async (request: { id: number; kind: 'due' } | { id: number; kind: 'sources'; sourceIds: number[] }) => {
  try {
    const reports = request.kind === 'due' ? await deps.ingestRunner.pollDue() : await deps.ingestRunner.pollSources(request.sourceIds);
    send({ id: request.id, reports });
  } catch (error) {
    send({ id: request.id, error: String((error as Error).stack ?? error) });
  }
});
// The server going away (even without a signal) ends this process too.
process.on('disconnect', () => {
  deps.close();
  process.exit(0);
});
