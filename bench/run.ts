import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchCrosslink } from './crosslink.ts';
import { ensureBenchDb } from './generate.ts';
import { printTable, type Row, stopAll, work } from './harness.ts';
import { benchIngest } from './ingest.ts';
import { benchServing } from './serving.ts';
import { benchWorkers } from './workers.ts';

/** `npm run bench [serving|ingest|crosslink|workers]`: every figure next to a reference measured in the same run. */
const only = process.argv[2];
const rows: Row[] = [];
try {
  mkdirSync(work, { recursive: true });
  console.log('Preparing archives of 1,000 and 100,000 articles (built once, kept in bench/.work)...');
  const small = join(work, 'archive-1k.db');
  const large = join(work, 'archive-100k.db');
  await ensureBenchDb(small, 1000);
  await ensureBenchDb(large, 100_000);
  if (!only || only === 'serving') await benchServing(rows, small, large);
  if (!only || only === 'ingest') await benchIngest(rows, small);
  if (!only || only === 'crosslink') await benchCrosslink(rows);
  if (!only || only === 'workers') await benchWorkers(rows);
  printTable(rows);
} finally {
  stopAll();
}
