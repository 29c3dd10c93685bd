import { parseConfig } from '../../config.ts';
import { type PollReport, pollSources } from '../../ingest/poller.ts';
import { openNodeServices } from './node-services.ts';

/** `npm run ingest [-- --source URL]`: polls every enabled source (or one) once and prints a summary. */
async function main() {
  const args = process.argv.slice(2);
  const sourceIndex = args.indexOf('--source');
  const only = sourceIndex >= 0 ? args[sourceIndex + 1] : undefined;
  if (sourceIndex >= 0 && !only) throw new Error('--source needs a feed URL');

  const { services, close } = await openNodeServices(parseConfig(process.env));
  const { store, pollerPorts } = services.ingest;
  try {
    const all = await store.listSources();
    const sources = only ? all.filter((source) => source.url === only) : all.filter((source) => source.enabled);
    if (only && sources.length === 0) {
      const [id] = await store.addSources([{ url: only, title: new URL(only).host }], Date.now());
      sources.push((await store.getSource(id!))!);
      console.log(`Added ${only} as a new source (${id}).`);
    }
    console.log(`Polling ${sources.length} source(s), ${services.config.ingest.concurrency} at a time...`);
    const reports = await pollSources(pollerPorts, sources, (report) => console.log(progressLine(report)));
    printSummary(reports);
    process.exitCode = reports.some((report) => report.outcome === 'failed' || report.outcome === 'gone') ? 1 : 0;
  } finally {
    await close();
  }
}
function progressLine(report: PollReport): string {
  const result = report.outcome === 'failed' ? `${report.errorCode}: ${report.message}` : `${report.itemsNew} new of ${report.itemsSeen}`;
  return `${report.outcome.padEnd(12)} ${String(report.status ?? '-').padStart(3)} ${String(report.durationMs).padStart(6)} ms  ${report.url}  ${result}`;
}

function printSummary(reports: PollReport[]) {
  const count = (outcome: PollReport['outcome']) => reports.filter((report) => report.outcome === outcome).length;
  const rows = [
    ['sources polled', reports.length],
    ['updated', count('updated')],
    ['not modified (304)', count('not-modified')],
    ['failed', count('failed')],
    ['gone (disabled)', count('gone')],
    ['items seen', reports.reduce((sum, report) => sum + report.itemsSeen, 0)],
    ['items new', reports.reduce((sum, report) => sum + report.itemsNew, 0)],
  ];
  console.log('\n| measure | count |\n| --- | ---: |');
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
}

await main();
