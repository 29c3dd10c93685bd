import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { decodeFeedBytes } from '../src/ingest/decode.ts';
import { normalizeFeed } from '../src/ingest/normalize.ts';
import { parseFeed } from '../src/ingest/parse.ts';
import { connections, median, type Row, startProcess, work } from './harness.ts';
import { syntheticRss } from './synthetic-feed.ts';
import { wrk } from './wrk.ts';

const token = 'bench-admin-token-0123456789';

/** Ingestion: pipeline throughput against bare rss-parser, a full poll of 100 feeds, its effect on serving, and memory. */
export async function benchIngest(rows: Row[], archive: string): Promise<void> {
  console.log('Ingest pipeline: decode, parse, normalize and sanitize a 50-item feed...');
  const now = Date.now();
  const bytes = new TextEncoder().encode(syntheticRss(1, 50, now));
  const parser = new Parser();
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 105; i++) {
    let start = performance.now();
    const { text } = decodeFeedBytes(bytes, 'application/rss+xml; charset=utf-8');
    const feed = normalizeFeed(await parseFeed(text), { feedUrl: 'https://outlet1.example.com/feed', now });
    if (feed.items.length !== 50) throw new Error('expected 50 items');
    if (i >= 5) ours.push(performance.now() - start);
    start = performance.now();
    await parser.parseString(new TextDecoder().decode(bytes));
    if (i >= 5) bare.push(performance.now() - start);
  }
  const mb = bytes.byteLength / 1e6;
  const [oursMs, bareMs] = [median(ours), median(bare)];
  rows.push({
    measure: `ingest pipeline, ${Math.round(bytes.byteLength / 1024)} KB / 50 items, MB/s`,
    figure: (mb / (oursMs / 1000)).toFixed(1),
    reference: `bare rss-parser ${(mb / (bareMs / 1000)).toFixed(1)}`,
    ratio: bareMs / oursMs,
    goal: '≥ 0.5',
    pass: bareMs / oursMs >= 0.5,
  });
  rows.push({
    measure: 'ingest pipeline, items/s',
    figure: (50 / (oursMs / 1000)).toFixed(0),
    reference: `bare rss-parser ${(50 / (bareMs / 1000)).toFixed(0)}`,
    ratio: bareMs / oursMs,
    goal: '≥ 0.5',
    pass: bareMs / oursMs >= 0.5,
  });

  console.log('Full poll of 100 loopback feeds, with and without feed traffic...');
  const feedServer = await startProcess('bench/feed-server.ts', { NOW: String(now) });
  const feedHost = new URL(feedServer.url).host;
  const opml = `<opml version="2.0"><body>${Array.from({ length: 100 }, (_, n) => `<outline text="Outlet ${n}" xmlUrl="${feedServer.url}/feed/${n}.xml"/>`).join('')}</body></opml>`;

  const startApp = async (name: string) => {
    const db = join(work, `${name}.db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
    copyFileSync(archive, db);
    const app = await startProcess('src/node.ts', {
      DB_PATH: db,
      ADMIN_TOKEN: token,
      INGEST_ALLOW_HOSTS: feedHost,
      INGEST_SCHEDULE: 'off',
      INGEST_DEFAULT_SOURCES: 'off',
    });
    const headers = { authorization: `Bearer ${token}` };
    const imported = await fetch(`${app.url}/api/admin/sources.opml`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/x-opml' },
      body: opml,
    });
    if (!imported.ok) throw new Error(`OPML import failed: ${await imported.text()}`);
    await fetch(`${app.url}/en/feed.xml`);
    const ingest = async () => {
      const start = performance.now();
      const response = await fetch(`${app.url}/api/admin/ingest`, { method: 'POST', headers });
      const { reports } = (await response.json()) as { reports: { outcome: string; itemsNew: number }[] };
      if (reports.length !== 100 || reports.some((r) => r.outcome !== 'updated')) throw new Error('the poll did not update all 100 feeds');
      return { ms: performance.now() - start, items: reports.reduce((sum, r) => sum + r.itemsNew, 0) };
    };
    return { ...app, ingest };
  };
  const memory = (pid: number, field: 'VmRSS' | 'VmHWM') =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  // The server and the ingestion process it starts (its child), together.
  const family = (pid: number) => [
    pid,
    ...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  ];
  const familyMemory = (pid: number, field: 'VmRSS' | 'VmHWM') => family(pid).reduce((sum, member) => sum + memory(member, field), 0);

  // Pass 1: the poll alone (time and memory).
  const quiet = await startApp('ingest-quiet');
  const rssBefore = familyMemory(quiet.pid, 'VmRSS');
  const alone = await quiet.ingest();
  const peak = familyMemory(quiet.pid, 'VmHWM');
  rows.push({
    measure: `full poll, 100 feeds (${alone.items} items), total time`,
    figure: `${(alone.ms / 1000).toFixed(2)} s`,
    reference: `${(alone.ms / 100) | 0} ms per feed`,
    ratio: alone.ms / 1000,
    goal: 'report',
    pass: true,
  });
  rows.push({
    measure: 'peak memory (RSS, server + polling process) polling 100 feeds',
    figure: `${peak.toFixed(0)} MiB`,
    reference: `${rssBefore.toFixed(0)} MiB before`,
    ratio: peak / rssBefore,
    goal: 'report',
    pass: true,
  });

  // Pass 2: feed requests during the same poll, against the same requests without it.
  const busy = await startApp('ingest-busy');
  const window = Math.max(2, Math.ceil(alone.ms / 1000));
  await wrk(`${busy.url}/en/feed.xml`, { seconds: 2, connections }); // warm the JIT first: a cold baseline flatters the ratio
  const baseline = await wrk(`${busy.url}/en/feed.xml`, { seconds: window, connections });
  const [during] = await Promise.all([wrk(`${busy.url}/en/feed.xml`, { seconds: window, connections }), busy.ingest()]);
  rows.push({
    measure: 'feed p99 latency while polling 100 feeds',
    figure: `${during.p99Ms.toFixed(2)} ms`,
    reference: `${baseline.p99Ms.toFixed(2)} ms idle`,
    ratio: during.p99Ms / baseline.p99Ms,
    goal: '≤ 1.5×',
    pass: during.p99Ms / baseline.p99Ms <= 1.5,
  });
}
