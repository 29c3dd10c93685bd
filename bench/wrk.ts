import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? Number.NaN);

/** One bounded wrk run against a loopback URL (one thread, `connections` keep-alive connections). */
export async function wrk(
  url: string,
  options: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<WrkResult> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error('load tests target loopback only');
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const { stdout } = await run('wrk', ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', ...headerArgs, url], {
    timeout: (options.seconds + 30) * 1000,
  });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  if (!rps || !p50 || !p99) throw new Error(`could not read wrk output:\n${stdout}`);
  if (non2xx) throw new Error(`${non2xx[1]} error responses from ${url}`);
  return { requestsPerSecond: Number(rps[1]), p50Ms: toMs(p50[1], p50[2]), p99Ms: toMs(p99[1], p99[2]) };
}
