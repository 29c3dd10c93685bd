import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const work = join(import.meta.dirname, '.work');
export const seconds = Number(process.env.BENCH_SECONDS ?? 5);
export const connections = 64;

/** One line of the printed table: the figure, the reference measured in the same run, their ratio, the goal. */
export interface Row {
  measure: string;
  figure: string;
  reference: string;
  ratio: number;
  goal: string;
  pass: boolean;
}

const children: ChildProcess[] = [];

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a TypeScript entry in its own Node process (no wrapper process, so `pid` is the server) and waits until it answers. */
export async function startProcess(script: string, env: Record<string, string>): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`${url}/`);
      return { url, pid: child.pid! };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${script} did not start`);
}

export function stopAll(): void {
  for (const child of children) child.kill('SIGTERM');
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)];

export function printTable(rows: Row[]): void {
  const header = ['measure', 'figure', 'reference (same run)', 'ratio', 'goal', ''];
  const lines = rows.map((r) => [r.measure, r.figure, r.reference, r.ratio.toFixed(2), r.goal, r.pass ? 'ok' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${format(header)}\n${format(widths.map((w) => '-'.repeat(w)))}`);
  for (const line of lines) console.log(format(line));
}
