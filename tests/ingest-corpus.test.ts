import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../src/ingest/decode.ts';
import { IngestError } from '../src/ingest/ingest-error.ts';
import { type NormalizedFeed, normalizeFeed } from '../src/ingest/normalize.ts';
import { parseFeed } from '../src/ingest/parse.ts';
import { htmlToText } from '../src/ingest/sanitize.ts';
import { canonicalUrl } from '../src/ingest/url.ts';
import { sharedDir } from './helpers/tools.ts';

/**
 * Every feed of feedparser's test suite through decode, parse and normalize. Each file states
 * in a comment what a correct parser sees (`Expect:`, a Python expression); the common facts
 * (titles, links, ids, dates, languages) are translated into checks on our normalized items.
 */
const corpus = sharedDir('CORPUS_DIR', '../shared/corpus');
const root = corpus ? join(corpus, 'feedparser') : undefined;

interface Case {
  file: string;
  bytes: Uint8Array;
  contentType: string | undefined;
  /** The document's URL as feedparser's test server gives it, or its Content-Location. */
  feedUrl: string;
  contentLanguage: string | undefined;
  expect: string;
  wellFormed: boolean;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : /\.(xml|json)$/.test(name) ? [path] : [];
  });
}

function loadCases(): Case[] {
  if (!root) return [];
  return listFiles(root).map((path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const header = new TextDecoder('latin1').decode(bytes.subarray(0, 4000)).replace(/\0/g, '');
    const expect = /Expect:\s*(.*)/.exec(header)?.[1]?.trim() ?? '';
    const headerValue = (name: string) => new RegExp(`Header:\\s*${name}:\\s*(.*)`, 'i').exec(header)?.[1]?.trim();
    const file = relative(root, path);
    const documentUrl = `http://127.0.0.1:8097/${file}`;
    const location = headerValue('Content-Location');
    return {
      file,
      bytes,
      contentType: headerValue('Content-type'),
      feedUrl: location ? new URL(location, documentUrl).href : documentUrl,
      contentLanguage: headerValue('Content-Language'),
      expect,
      wellFormed: file.startsWith('wellformed/') && !/^bozo\b/.test(expect),
    };
  });
}

/** A Python string literal (u'..', '..', ".."), unescaped. */
function pythonString(literal: string): string | undefined {
  const m = /^u?(['"])(.*)\1$/s.exec(literal.trim());
  if (!m) return undefined;
  return m[2].replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|n|t|r|\\|'|")/g, (_, sequence: string) => {
    if (/^[uUx]/.test(sequence)) return String.fromCodePoint(Number.parseInt(sequence.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' }[sequence] ?? sequence;
  });
}

/** `raw`: feedparser's own value, where ours is the same fact in plain text (titles that are plain text already). */
type Check = { fact: string; actual: unknown; expected: unknown; raw?: string };

/** The clauses of an Expect line that we can state on our model; the rest are not our model's concern. */
function checksFor(expect: string, feed: NormalizedFeed): Check[] {
  const checks: Check[] = [];
  const item = feed.items[0];
  for (const clause of expect.split(/\s+and\s+/)) {
    let m = /^feed\['title'\]\s*==\s*(.+)$/.exec(clause);
    if (m && pythonString(m[1]) !== undefined)
      checks.push({ fact: 'feed title', actual: feed.title ?? '', expected: htmlToText(pythonString(m[1])!), raw: pythonString(m[1]) });
    m = /^entries\[0\]\['title'\]\s*==\s*(.+)$/.exec(clause);
    if (m && pythonString(m[1]) !== undefined)
      checks.push({ fact: 'entry title', actual: item?.title, expected: htmlToText(pythonString(m[1])!), raw: pythonString(m[1]) });
    m = /^entries\[0\]\['(link|id|guid)'\]\s*==\s*(.+)$/.exec(clause);
    if (m && pythonString(m[2]) !== undefined) {
      const expected = pythonString(m[2])!;
      if (m[1] === 'link') checks.push({ fact: 'entry link', actual: item?.url, expected: canonicalUrl(expected, undefined) ?? expected });
      else checks.push({ fact: 'entry id', actual: item?.key, expected });
    }
    m = /^feed\['language'\]\s*==\s*(.+)$/.exec(clause);
    if (m && pythonString(m[1]))
      checks.push({ fact: 'feed language', actual: feed.language?.toLowerCase(), expected: pythonString(m[1])!.toLowerCase() });
    m = /^entries\[0\]\['(?:title|summary|content)_detail'\]\['language'\]\s*==\s*(.+)$/.exec(clause);
    if (m && pythonString(m[1]))
      checks.push({ fact: 'entry language', actual: item?.language?.toLowerCase(), expected: pythonString(m[1])!.toLowerCase() });
    m = /^entries\[0\]\['(published|updated|created)_parsed'\]\s*==\s*\((\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)/.exec(clause);
    if (m && item) {
      const expected = Date.UTC(+m[2], +m[3] - 1, +m[4], +m[5], +m[6], +m[7]);
      const actual = m[1] === 'updated' ? item.updatedAt : item.publishedAt;
      checks.push({ fact: `entry ${m[1]} date`, actual, expected });
    }
  }
  return checks;
}

// Byte sequences of UTF-8 text decoded as Latin-1 or Windows-1252: the marks of mojibake.
const mojibake = /Ã[\u0080-\u00bf]|Ã[¡-¿]|â€[\u0098-\u009d™œ“”˜]|Â[\u00a0-\u00bf]|\uFFFD/;

describe.skipIf(!root)('feedparser corpus: decode, parse, normalize', () => {
  const cases = loadCases();
  const now = Date.UTC(2026, 0, 1);

  it(`handles all ${cases.length} feeds without an uncaught error, a hang or mojibake, and matches the stated facts`, async () => {
    const failures: string[] = [];
    const unexpected: string[] = [];
    const withoutItems: string[] = [];
    const garbled: string[] = [];
    const rejectedWithEntries: string[] = [];
    let yielded = 0;
    let entriesNamed = 0;
    let entriesRead = 0;
    let wellFormedWithEntries = 0;
    let checked = 0;
    let matched = 0;
    const errorCodes = new Map<string, number>();
    for (const c of cases) {
      // The entries the Expect line names: entries[N] means at least N + 1 (feedparser reads bozo documents too).
      const named = Math.max(0, ...[...c.expect.matchAll(/entries\[(\d+)\]/g)].map((m) => Number(m[1]) + 1));
      entriesNamed += named;
      let feed: NormalizedFeed | undefined;
      try {
        const { text } = decodeFeedBytes(c.bytes, c.contentType);
        feed = normalizeFeed(await parseFeed(text), { feedUrl: c.feedUrl, sourceLanguage: c.contentLanguage, now });
      } catch (error) {
        if (!(error instanceof IngestError)) {
          unexpected.push(`${c.file}: ${(error as Error).stack?.split('\n').slice(0, 3).join(' ')}`);
          continue;
        }
        errorCodes.set(error.code, (errorCodes.get(error.code) ?? 0) + 1);
        if (c.wellFormed) failures.push(`${c.file}: ${error.code} ${error.message}`);
        if (named > 0) rejectedWithEntries.push(`${c.file}: ${error.code}`);
        continue;
      }
      entriesRead += Math.min(named, feed.items.length);
      if (feed.items.length) yielded++;
      if (c.wellFormed && /entries\[0\]/.test(c.expect) && !/len\(entries\)\s*==\s*0|not entries/.test(c.expect)) {
        wellFormedWithEntries++;
        if (!feed.items.length) withoutItems.push(c.file);
      }
      for (const text of [feed.title ?? '', ...feed.items.flatMap((item) => [item.title, item.summary])]) {
        if (mojibake.test(text) && !/bozo|demoronize|linenoise/.test(c.file + c.expect)) garbled.push(`${c.file}: "${text.slice(0, 60)}"`);
      }
      for (const check of checksFor(c.expect, feed)) {
        checked++;
        if (check.actual === check.expected || (check.raw !== undefined && check.actual === check.raw)) matched++;
        else failures.push(`${c.file}: ${check.fact} ${JSON.stringify(check.actual)} != ${JSON.stringify(check.expected)}`);
      }
    }
    console.log(
      [
        `feedparser corpus: ${cases.length} feeds, ${cases.length - unexpected.length} without an uncaught error, ${yielded} yielded items`,
        `well-formed feeds whose Expect names an entry: ${wellFormedWithEntries}`,
        `entries the Expect lines name: ${entriesNamed}, read: ${entriesRead}`,
        `documents with entries rejected whole: ${rejectedWithEntries.join(', ') || 'none'}`,
        `stated facts checked: ${checked}, matched: ${matched} (${((100 * matched) / Math.max(1, checked)).toFixed(1)}%)`,
        `typed errors: ${[...errorCodes].map(([code, n]) => `${code} ${n}`).join(', ')}`,
        `well-formed feeds without items: ${withoutItems.join(', ') || 'none'}`,
        `mojibake: ${garbled.join(', ') || 'none'}`,
        `mismatches and failures (${failures.length}):`,
        ...failures.slice(0, 400).map((f) => `  ${f}`),
      ].join('\n'),
    );
    expect(unexpected).toEqual([]);
    expect(garbled).toEqual([]);
    expect(rejectedWithEntries).toEqual([]);
    expect(entriesRead / entriesNamed).toBeGreaterThan(0.98);
    expect(withoutItems.length / wellFormedWithEntries).toBeLessThan(0.02);
    expect(matched / checked).toBeGreaterThan(0.9);
  }, 120_000);
});
