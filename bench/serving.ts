import { statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { type Scope, scopeKey } from '../src/articles/model.ts';
import { parseConfig } from '../src/config.ts';
import { openNodeServices } from '../src/runtime/node/node-services.ts';
import { connections, median, p99, type Row, seconds, startProcess, work } from './harness.ts';
import { wrk } from './wrk.ts';

type Format = 'rss' | 'atom' | 'json';

/**
 * Cache-miss cost in process: query and render a feed of `limit` items, the cache emptied before each render, next
 * to the query alone. The formats take turns within each round, so a noisy moment of the machine hits them alike.
 */
async function measureMiss(dbPath: string, formats: Format[], scope: Scope, limit: number) {
  const { services, close } = await openNodeServices(parseConfig({ DB_PATH: dbPath }));
  const { articles, feeds, rendering } = services;
  const times = new Map<Format, number[]>(formats.map((format) => [format, []]));
  const queryTimes: number[] = [];
  for (let round = 0; round < 450; round++) {
    for (const format of formats) {
      await rendering.invalidate([scopeKey(scope)]);
      const start = performance.now();
      const result = await feeds.loadFeed(scope, format, limit);
      const end = performance.now();
      if (!result || result.fromCache) throw new Error('expected a cache miss');
      if (round >= 50) times.get(format)!.push(end - start);
    }
    const queryStart = performance.now();
    const items = await articles.listPublished({ scope, limit });
    await articles.publishedSiblings(items.map((t) => t.articleId));
    if (round >= 50) queryTimes.push(performance.now() - queryStart);
  }
  await close();
  const queryMedian = median(queryTimes);
  return new Map(formats.map((format) => [format, { median: median(times.get(format)!), p99: p99(times.get(format)!), queryMedian }]));
}

/** Serving: cache-miss render cost, warm and 304 throughput against bare node:http, and archive-size independence. */
export async function benchServing(rows: Row[], small: string, large: string): Promise<void> {
  console.log('Cache miss: query and render of a 50-item feed with 4 KB contents...');
  const misses = await measureMiss(small, ['rss', 'atom', 'json'], { lang: 'en' }, 50);
  for (const [format, miss] of misses) {
    rows.push({
      measure: `cache miss, 50 items, ${format} (median; p99 ${miss.p99.toFixed(2)} ms)`,
      figure: `${miss.median.toFixed(2)} ms`,
      reference: `query alone ${miss.queryMedian.toFixed(2)} ms`,
      ratio: miss.median / miss.queryMedian,
      goal: '≤ 1.5 ms',
      pass: miss.median <= 1.5,
    });
  }
  for (const scope of [{ lang: 'en' }, { lang: 'en', term: { kind: 'tag' as const, slug: 'lazarus' } }]) {
    const atSmall = (await measureMiss(small, ['rss'], scope, 20)).get('rss')!;
    const atLarge = (await measureMiss(large, ['rss'], scope, 20)).get('rss')!;
    const name = scope.term ? 'tag feed' : 'site feed';
    rows.push({
      measure: `cache miss, ${name} (20 items), 100k vs 1k articles`,
      figure: `${atLarge.median.toFixed(2)} ms`,
      reference: `${atSmall.median.toFixed(2)} ms`,
      ratio: atLarge.median / atSmall.median,
      goal: '≤ 1.2×',
      pass: atLarge.median / atSmall.median <= 1.2,
    });
  }

  console.log(`HTTP: wrk, ${connections} connections, ${seconds} s per run, loopback...`);
  const { url: app } = await startProcess('src/node.ts', { DB_PATH: small, INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
  const { url: appLarge } = await startProcess('src/node.ts', { DB_PATH: large, INGEST_SCHEDULE: 'off', INGEST_DEFAULT_SOURCES: 'off' });
  const answers = await captureAnswers(`${app}/en/feed.xml`);
  const { url: bare } = await startProcess('bench/bare-server.ts', { ANSWERS: JSON.stringify(answers) });
  await fetch(`${appLarge}/en/feed.xml`);

  const best = async (url: string, extra: Record<string, string> = {}) => {
    const first = await wrk(url, { seconds, connections, headers: extra });
    const second = await wrk(url, { seconds, connections, headers: extra });
    return first.requestsPerSecond >= second.requestsPerSecond ? first : second;
  };
  const identityKb = (statSync(answers.identity.bodyFile!).size / 1024).toFixed(0);
  const gzipKb = (statSync(answers.gzip.bodyFile!).size / 1024).toFixed(0);
  const cases: { measure: string; headers: Record<string, string> }[] = [
    { measure: `warm feed (${identityKb} KB), requests/s`, headers: {} },
    { measure: `warm feed, gzip (${gzipKb} KB), requests/s`, headers: { 'Accept-Encoding': 'gzip' } },
    { measure: '304 Not Modified, requests/s', headers: { 'If-None-Match': answers.identity.headers.etag } },
  ];
  for (const { measure, headers } of cases) {
    const ours = await best(`${app}/en/feed.xml`, headers);
    const reference = await best(`${bare}/en/feed.xml`, headers);
    const ratio = ours.requestsPerSecond / reference.requestsPerSecond;
    rows.push({
      measure,
      figure: ours.requestsPerSecond.toFixed(0),
      reference: `bare node:http ${reference.requestsPerSecond.toFixed(0)}`,
      ratio,
      goal: '≥ 0.85',
      pass: ratio >= 0.85,
    });
  }
  // Interleaved, best of two each, so drift on a shared machine does not favour either archive.
  const latencies = { small: [] as number[], large: [] as number[] };
  for (let round = 0; round < 2; round++) {
    latencies.small.push((await wrk(`${app}/en/feed.xml`, { seconds, connections })).p50Ms);
    latencies.large.push((await wrk(`${appLarge}/en/feed.xml`, { seconds, connections })).p50Ms);
  }
  const warmSmall = { p50Ms: Math.min(...latencies.small) };
  const warmLarge = { p50Ms: Math.min(...latencies.large) };
  rows.push({
    measure: 'warm feed p50 latency, 100k vs 1k articles',
    figure: `${warmLarge.p50Ms.toFixed(2)} ms`,
    reference: `${warmSmall.p50Ms.toFixed(2)} ms`,
    ratio: warmLarge.p50Ms / warmSmall.p50Ms,
    goal: '≤ 1.2×',
    pass: warmLarge.p50Ms / warmSmall.p50Ms <= 1.2,
  });
}

/** One answer as sent, without the fields node:http writes itself. */
function get(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const kept = Object.entries(response.headers).filter(
          ([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name),
        );
        resolve({ headers: Object.fromEntries(kept) as Record<string, string>, body: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

/** The service's identity, gzip and 304 answers for a feed, saved for the reference server to send. */
async function captureAnswers(url: string) {
  const identity = await get(url, {});
  const gzipped = await get(url, { 'accept-encoding': 'gzip' });
  const notModified = await get(url, { 'if-none-match': identity.headers.etag });
  const notModifiedGzip = await get(url, { 'if-none-match': gzipped.headers.etag, 'accept-encoding': 'gzip' });
  const save = (name: string, body: Buffer) => {
    const file = join(work, name);
    writeFileSync(file, body);
    return file;
  };
  return {
    identity: { headers: identity.headers, bodyFile: save('feed-body.xml', identity.body) },
    gzip: { headers: gzipped.headers, bodyFile: save('feed-body.xml.gz', gzipped.body) },
    notModified: { headers: notModified.headers },
    notModifiedGzip: { headers: notModifiedGzip.headers },
  };
}
