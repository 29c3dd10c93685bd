import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx and 3xx, and connect, read, write and timeout errors. */
  errors: number;
}

const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? Number.NaN);

/**
 * One bounded wrk run against a loopback URL (one thread, `connections` keep-alive connections); `script` is a wrk Lua
 * script choosing each request. Errors are counted; unless `countErrors`, any error fails the run.
 */
export async function wrk(
  url: string,
  options: { seconds: number; connections: number; headers?: Record<string, string>; script?: string; countErrors?: boolean },
): Promise<WrkResult> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error('load tests target loopback only');
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const scriptArgs = options.script ? ['-s', options.script] : [];
  const { stdout } = await run(
    'wrk',
    ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', ...headerArgs, ...scriptArgs, url],
    { timeout: (options.seconds + 30) * 1000 },
  );
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const total = /(\d+) requests in/.exec(stdout);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  if (!rps || !total || !p50 || !p99) throw new Error(`could not read wrk output:\n${stdout}`);
  const errors = non2xx + socketErrors;
  if (errors && !options.countErrors) throw new Error(`${errors} errors from ${url}:\n${stdout}`);
  return {
    requests: Number(total[1]),
    requestsPerSecond: Number(rps[1]),
    p50Ms: toMs(p50[1], p50[2]),
    p99Ms: toMs(p99[1], p99[2]),
    errors,
  };
}
