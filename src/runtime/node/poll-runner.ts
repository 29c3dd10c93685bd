import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Config } from '../../config.ts';
import type { PollReport, PollRunner } from '../../ingest/poller.ts';

type Reply = { id: number; reports?: PollReport[]; error?: string } | { log: string };

/** Niceness of the polling process: the lowest priority, so serving always runs first. */
const backgroundPriority = 19;

/**
 * A PollRunner in a child process with its own SQLite connection (WAL lets it write while the
 * server reads), at the lowest CPU priority: fetching, parsing, sanitizing and storing never delay
 * the thread serving requests, even for a scheduler time slice. Started on first use, again if it dies.
 */
export function createProcessPollRunner(config: Config, log: (line: string) => void): PollRunner {
  let child: ChildProcess | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (reports: PollReport[]) => void; reject: (error: Error) => void }>();

  const start = () => {
    const started = fork(new URL('./poll-process.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, POLL_PROCESS_CONFIG: JSON.stringify(config) },
      serialization: 'advanced',
    });
    try {
      setPriority(started.pid!, backgroundPriority);
    } catch (error) {
      log(`polling process runs at normal priority: ${(error as Error).message}`);
    }
    started.on('message', (reply: Reply) => {
      if ('log' in reply) return log(reply.log);
      const job = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.reports) job?.resolve(reply.reports);
      else job?.reject(new Error(reply.error));
    });
    started.on('exit', (code, signal) => {
      if (child === started) child = undefined;
      if (pending.size) log(`polling process exited (${signal ?? code}) with polls in progress`);
      for (const job of pending.values()) job.reject(new Error(`the polling process exited (${signal ?? code})`));
      pending.clear();
    });
    started.unref();
    started.channel?.unref();
    return started;
  };

  const ask = (request: { kind: 'due' } | { kind: 'sources'; sourceIds: number[] }) => {
    child ??= start();
    const id = nextId++;
    return new Promise<PollReport[]>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child!.channel?.ref();
      child!.send({ id, ...request });
    }).finally(() => {
      if (pending.size === 0) child?.channel?.unref();
    });
  };

  return {
    pollDue: () => ask({ kind: 'due' }),
    pollSources: (sourceIds) => ask({ kind: 'sources', sourceIds }),
    async close() {
      child?.kill('SIGTERM');
      child = undefined;
    },
  };
}
