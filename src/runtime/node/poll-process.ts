import type { Config } from '../../config.ts';
import { createInlinePollRunner } from '../../ingest/poller.ts';
import { openNodeServices } from './node-services.ts';

/** The polling process: its own database connection, polls run inline; logs go to the server's output. */
const send = (message: unknown) => process.send?.(message);
const { services, close } = await openNodeServices(JSON.parse(process.env.POLL_PROCESS_CONFIG ?? '{}') as Config, {
  log: (line) => send({ log: line }),
});
// The server refreshes the feeds of relinked articles itself (its feed cache is the one readers hit).
const runner = createInlinePollRunner(services.ingest.pollerPorts);

process.on('message', async (request: { id: number; kind: 'due' } | { id: number; kind: 'sources'; sourceIds: number[] }) => {
  try {
    const reports = request.kind === 'due' ? await runner.pollDue() : await runner.pollSources(request.sourceIds);
    send({ id: request.id, reports });
  } catch (error) {
    send({ id: request.id, error: String((error as Error).stack ?? error) });
  }
});
// The server going away (even without a signal) ends this process too.
process.on('disconnect', async () => {
  await close();
  process.exit(0);
});
