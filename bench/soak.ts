import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBenchDb } from './generate.ts';
import { connections, printTable, type Row, startProcess, stopAll, work } from './harness.ts';
import { type WrkResult, wrk } from './wrk.ts';

/**
 * `npm run soak`: the service under a steady mix of feeds, 304s, gzip, pages and the API for SOAK_SECONDS (default 60) at
 * 64 connections, with one admin write a second, once while 100 loopback feeds are polled (each publishing new stories)
 * and once with polling off. Loopback only, bounded in time; every process it starts is stopped at the end.
 */
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const token = 'soak-admin-token-0123456789';
const sampleSlugs = Array.from({ length: 20 }, (_, i) => `market-report-${i * 47}`);

interface Pass {
  load: WrkResult;
  rssStartMiB: number;
  rssEndMiB: number;
  pollingRssEndMiB: number;
  acknowledged: number;
  readBack: number;
  polls: number;
  itemsStored: number;
}

const memoryMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

/** A wrk script choosing each request from the mix; 304s use the ETags the service gave before the run. */
async function writeMix(app: string): Promise<string> {
  const etag = async (path: string) => (await fetch(`${app}${path}`)).headers.get('etag')!;
  const mix: { path: string; headers?: Record<string, string>; weight: number }[] = [
    { path: '/en/feed.xml', weight: 3 },
    { path: '/en/atom.xml', weight: 2 },
    { path: '/en/feed.json', weight: 1 },
    { path: '/en/category/markets/feed.xml', weight: 1 },
    { path: '/en/tag/lazarus/atom.xml', weight: 1 },
    { path: '/en/category/bitcoin/feed.xml', headers: { 'If-None-Match': await etag('/en/category/bitcoin/feed.xml') }, weight: 3 },
    { path: '/en/tag/mining/atom.xml', headers: { 'If-None-Match': await etag('/en/tag/mining/atom.xml') }, weight: 2 },
    { path: '/en/category/ethereum/feed.xml', headers: { 'Accept-Encoding': 'gzip' }, weight: 2 },
    { path: '/en/', weight: 2 },
    { path: '/en/category/regulation/', weight: 1 },
    ...sampleSlugs.map((slug) => ({ path: `/en/${slug}`, weight: 0.15 })),
    { path: '/api/articles?lang=en', weight: 2 },
    ...sampleSlugs.map((slug) => ({ path: `/api/articles/en/${slug}`, weight: 0.1 })),
  ];
  for (const { path } of mix) if (!(await fetch(`${app}${path}`)).ok) throw new Error(`${path} does not answer 200`);
  const lua = (value: string) => JSON.stringify(value);
  const entries = mix.flatMap(({ path, headers, weight }) => {
    const entry = `{${lua(path)}, {${Object.entries(headers ?? {})
      .map(([name, value]) => `[${lua(name)}] = ${lua(value)}`)
      .join(', ')}}}`;
    return Array.from({ length: Math.round(weight * 20) }, () => entry);
  });
  const script = join(work, 'soak-mix.lua');
  writeFileSync(
    script,
    `local mix = {\n${entries.join(',\n')}\n}\nrequest = function()\n  local pick = mix[math.random(#mix)]\n  return wrk.format("GET", pick[1], pick[2])\nend\n`,
  );
  return script;
}

async function soak(name: string, archive: string, feedServer: string, polling: boolean): Promise<Pass> {
  const db = join(work, `soak-${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  copyFileSync(archive, db);
  const app = await startProcess('src/node.ts', {
    DB_PATH: db,
    ADMIN_TOKEN: token,
    INGEST_ALLOW_HOSTS: new URL(feedServer).host,
    INGEST_SCHEDULE: 'off',
    INGEST_DEFAULT_SOURCES: 'off',
  });
  const auth = { authorization: `Bearer ${token}` };
  const opml = `<opml version="2.0"><body>${Array.from({ length: 100 }, (_, n) => `<outline text="Outlet ${n}" xmlUrl="${feedServer}/feed/${n}.xml"/>`).join('')}</body></opml>`;
  const imported = await fetch(`${app.url}/api/admin/sources.opml`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/x-opml' },
    body: opml,
  });
  if (!imported.ok) throw new Error(`OPML import failed: ${await imported.text()}`);
  const script = await writeMix(app.url);
  await wrk(app.url, { seconds: 3, connections, script }); // warm the JIT and the caches first

  let running = true;
  const acknowledged: string[] = [];
  const writer = (async () => {
    for (let i = 0; running; i++) {
      const slug = `soak-${name}-${i}`;
      const response = await fetch(`${app.url}/api/admin/articles`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          translations: [
            {
              lang: 'en',
              slug,
              title: `Soak write ${i}: exchange volumes and validator fees`,
              content: `<p>${'Exchange volumes rose while validator fees fell, analysts said. '.repeat(60)}</p>`,
              categories: ['Soak'],
              tags: ['Soak writes'],
              status: 'published',
            },
          ],
        }),
      }).catch(() => undefined);
      if (response?.status === 201) acknowledged.push(slug);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  let polls = 0;
  let itemsStored = 0;
  const poller = (async () => {
    while (polling && running) {
      const response = await fetch(`${app.url}/api/admin/ingest`, { method: 'POST', headers: auth });
      const { reports } = (await response.json()) as { reports: { itemsNew?: number }[] };
      polls += 1;
      itemsStored += reports.reduce((sum, report) => sum + (report.itemsNew ?? 0), 0);
    }
  })();

  const rssStartMiB = memoryMiB(app.pid);
  const load = await wrk(app.url, { seconds, connections, script, countErrors: true });
  const rssEndMiB = memoryMiB(app.pid);
  const pollingRssEndMiB = childrenOf(app.pid).reduce((sum, pid) => sum + memoryMiB(pid), 0);
  running = false;
  await Promise.all([writer, poller]);
  let readBack = 0;
  for (const slug of acknowledged) if ((await fetch(`${app.url}/api/articles/en/${slug}`)).status === 200) readBack += 1;
  process.kill(app.pid, 'SIGTERM');
  return { load, rssStartMiB, rssEndMiB, pollingRssEndMiB, acknowledged: acknowledged.length, readBack, polls, itemsStored };
}

const rows: Row[] = [];
try {
  mkdirSync(work, { recursive: true });
  const archive = join(work, 'archive-1k.db');
  await ensureBenchDb(archive, 1000);
  const feeds = await startProcess('bench/feed-server.ts', { ROTATE_SECONDS: '10' });
  console.log(`Soak: ${seconds} s at ${connections} connections, mixed requests, one admin write a second; polling off, then on...`);
  const quiet = await soak('quiet', archive, feeds.url, false);
  const busy = await soak('polling', archive, feeds.url, true);
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  rows.push(
    {
      measure: `requests in ${seconds} s (polling on)`,
      figure: String(busy.load.requests),
      reference: `polling off ${quiet.load.requests}`,
      ratio: busy.load.requests / quiet.load.requests,
      goal: 'report',
      pass: true,
    },
    {
      measure: 'errors (non-2xx/3xx and socket errors)',
      figure: String(busy.load.errors),
      reference: `polling off ${quiet.load.errors}`,
      ratio: busy.load.errors,
      goal: '0',
      pass: busy.load.errors === 0 && quiet.load.errors === 0,
    },
    {
      measure: 'p50 latency',
      figure: ms(busy.load.p50Ms),
      reference: `polling off ${ms(quiet.load.p50Ms)}`,
      ratio: busy.load.p50Ms / quiet.load.p50Ms,
      goal: 'report',
      pass: true,
    },
    {
      measure: 'p99 latency',
      figure: ms(busy.load.p99Ms),
      reference: `polling off ${ms(quiet.load.p99Ms)}`,
      ratio: busy.load.p99Ms / quiet.load.p99Ms,
      goal: '≤ 1.5×',
      pass: busy.load.p99Ms / quiet.load.p99Ms <= 1.5,
    },
    ...(
      [
        ['on', busy],
        ['off', quiet],
      ] as const
    ).map(([polling, pass]) => ({
      measure: `server RSS at the end (polling ${polling})`,
      figure: `${pass.rssEndMiB.toFixed(0)} MiB`,
      reference: `${pass.rssStartMiB.toFixed(0)} MiB at the start`,
      ratio: pass.rssEndMiB / pass.rssStartMiB,
      goal: '≤ 256 MiB',
      pass: pass.rssEndMiB <= 256,
    })),
    {
      measure: 'polling process RSS at the end',
      figure: `${busy.pollingRssEndMiB.toFixed(0)} MiB`,
      reference: `${busy.polls} polls of 100 feeds, ${busy.itemsStored} items stored`,
      ratio: busy.pollingRssEndMiB / 256,
      goal: 'report',
      pass: true,
    },
    {
      measure: 'acknowledged writes read back (polling on)',
      figure: `${busy.readBack} of ${busy.acknowledged}`,
      reference: `polling off ${quiet.readBack} of ${quiet.acknowledged}`,
      ratio: busy.readBack / busy.acknowledged,
      goal: 'all',
      pass: busy.readBack === busy.acknowledged && quiet.readBack === quiet.acknowledged && busy.acknowledged > 0,
    },
  );
  printTable(rows);
} finally {
  stopAll();
}
