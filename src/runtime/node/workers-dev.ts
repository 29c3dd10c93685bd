import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseConfig } from '../../config.ts';
import { loadEntities } from './files.ts';
import { stopWhenOrphaned } from './orphan.ts';
import { seedSql } from './seed-sql.ts';

/**
 * `npm run dev:worker`: local D1 migrated and seeded from data/seed, then `wrangler dev` on 127.0.0.1 (PORT, default 8788).
 * `--prepare-only` stops after seeding; WRANGLER_PERSIST chooses where the local state lives (default .wrangler/state).
 */
const port = process.env.PORT ?? '8788';
const persist = process.env.WRANGLER_PERSIST ? ['--persist-to', process.env.WRANGLER_PERSIST] : [];
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };
const wrangler = (args: string[]) => execFileSync('npx', ['wrangler', ...args], { env, encoding: 'utf8' });

wrangler(['d1', 'migrations', 'apply', 'polyglot-feeds', '--local', ...persist]);
const count = JSON.parse(
  wrangler(['d1', 'execute', 'polyglot-feeds', '--local', ...persist, '--json', '--command', 'SELECT count(*) AS n FROM articles']),
);
if (count[0].results[0].n === 0) {
  const siteUrl = `http://127.0.0.1:${port}`;
  const sql = await seedSql(parseConfig({ ...process.env, SITE_URL: siteUrl }), loadEntities());
  mkdirSync('.wrangler', { recursive: true });
  writeFileSync('.wrangler/seed.sql', sql);
  wrangler(['d1', 'execute', 'polyglot-feeds', '--local', ...persist, '--file', '.wrangler/seed.sql']);
  console.log('Seeded local D1 from data/seed');
}
if (process.argv.includes('--prepare-only')) process.exit(0);
// wrangler runs workerd as its own child: both go in a process group of their own, stopped together.
const dev = spawn(
  process.execPath,
  [
    createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js'),
    'dev',
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    port,
    '--var',
    `SITE_URL:http://127.0.0.1:${port}`,
  ],
  { env, stdio: 'inherit', detached: true },
);
const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
  try {
    process.kill(-dev.pid!, signal);
  } catch {
    // The group is already gone.
  }
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
stopWhenOrphaned(stop);
dev.on('exit', (code) => process.exit(code ?? 0));
