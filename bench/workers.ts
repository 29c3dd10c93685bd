import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connections, freePort, type Row, seconds, startProcess } from './harness.ts';
import { wrk } from './wrk.ts';

const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };

/** Workers: a warm feed under `wrangler dev --local` (local workerd, not the edge) next to the Node server, and the bundle size. */
export async function benchWorkers(rows: Row[]): Promise<void> {
  console.log('Workers: bundle size, and a warm feed under wrangler dev --local next to Node...');
  const build = execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', 'dist'], { env: wranglerEnv, encoding: 'utf8' });
  const gzip = /gzip: ([\d.]+) KiB/.exec(build)?.[1];
  rows.push({
    measure: 'Workers bundle (gzip)',
    figure: `${gzip} KiB`,
    reference: 'budget 250 KiB',
    ratio: Number(gzip) / 250,
    goal: '≤ 250 KiB',
    pass: Number(gzip) <= 250,
  });

  const port = await freePort();
  const persist = join(import.meta.dirname, '.work', 'wrangler-state');
  // A fresh local D1 seeded the way `npm run dev:worker` seeds it.
  execFileSync('npx', ['tsx', 'src/runtime/node/workers-dev.ts', '--prepare-only'], {
    env: { ...wranglerEnv, PORT: String(port), WRANGLER_PERSIST: persist },
    stdio: 'ignore',
  });
  const dev: ChildProcess = spawn(
    'npx',
    ['wrangler', 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist],
    {
      env: wranglerEnv,
      stdio: 'ignore',
      detached: true,
    },
  );
  try {
    const workerUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${workerUrl}/en/feed.xml`)).ok) break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    // The Node server on the same seed, so both serve the same feed.
    const seeded = join(import.meta.dirname, '.work', 'workers-compare.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(seeded + suffix, { force: true });
    const node = await startProcess('src/node.ts', {
      DB_PATH: seeded,
      SITE_URL: workerUrl,
      INGEST_SCHEDULE: 'off',
      INGEST_DEFAULT_SOURCES: 'off',
    });
    await fetch(`${node.url}/en/feed.xml`);
    const onWorkers = await wrk(`${workerUrl}/en/feed.xml`, { seconds, connections });
    const onNode = await wrk(`${node.url}/en/feed.xml`, { seconds, connections });
    rows.push({
      measure: 'warm feed requests/s, wrangler dev --local (informative)',
      figure: onWorkers.requestsPerSecond.toFixed(0),
      reference: `Node ${onNode.requestsPerSecond.toFixed(0)}`,
      ratio: onWorkers.requestsPerSecond / onNode.requestsPerSecond,
      goal: 'report',
      pass: true,
    });
  } finally {
    // wrangler runs workerd as a child: the whole process group is stopped.
    if (dev.pid) process.kill(-dev.pid, 'SIGKILL');
  }
}
