import { parseArgs } from 'node:util';
import { parseConfig } from '../../config.ts';
import { type PollReport, pollSources } from '../../ingest/poller.ts';
import { sourceUrl } from '../../ingest/source-input.ts';
import { openNodeServices } from './node-services.ts';

const usage = `Usage: npm run ingest [-- --source URL]

Polls every enabled source once, or only the feed at URL (adding it as a source if it is new),
and prints a line per source and a summary. Exits 1 when a poll failed.

  --source URL   an absolute http(s) feed URL
  --help         this text`;

/** `npm run ingest [-- --source URL]`: polls every enabled source (or one) once and prints a summary. */
async function main() {
  const only = readArguments(process.argv.slice(2));
  if (only === null) return;

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
/** The `--source` URL, undefined for every source, or null after printing the usage; exits 2 on a bad command line. */
function readArguments(args: string[]): string | undefined | null {
  let values: { source?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { source: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    console.log(usage);
    return null;
  }
  const source = values.source;
  if (source === undefined) return undefined;
  const checked = sourceUrl.safeParse(source);
  if (!checked.success) return fail(`--source ${checked.error.issues[0]!.message}: ${source.slice(0, 200)}`);
  return checked.data;
}

function fail(message: string): never {
  console.error(`npm run ingest: ${message}\n\n${usage}`);
  process.exit(2);
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
