import type { PollRunner } from './poller.ts';

export interface Scheduler {
  /** Stops ticking and waits for a poll in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Polls due sources every `tickMs` in the background (the Node server's in-process scheduler).
 * A tick that finds the previous one still running is skipped, so polls never pile up.
 */
export function startScheduler(runner: PollRunner, tickMs: number, log: (line: string) => void): Scheduler {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = runner
      .pollDue()
      .then(() => undefined)
      .catch((error: unknown) => log(`ingest: a polling round failed: ${(error as Error).stack ?? error}`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, tickMs);
  timer.unref?.();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
