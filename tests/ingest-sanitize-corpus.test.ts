import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { sanitizeContent } from '../src/ingest/sanitize.ts';
import { sharedDir } from './helpers/tools.ts';

/**
 * feedparser's `acceptable_*` sanitize cases: markup a feed reader's sanitizer should keep. Each file's Expect line names the
 * entry's description after sanitizing; we run the entry's HTML through sanitizeContent and compare.
 */
const corpus = sharedDir('CORPUS_DIR', '../shared/corpus');
const dir = corpus ? join(corpus, 'feedparser', 'wellformed', 'sanitize') : undefined;

// The cases whose markup we deliberately do not keep, and why.
const NOT_KEPT: Record<string, string> = {
  // Refused for safety.
  'acceptable_element_form.xml': 'forms are dropped: they could post what a reader types anywhere',
  'acceptable_element_input.xml':
    'form controls are dropped: inside a form of the page they would be submitted with it; outside, they fake its UI',
  'acceptable_element_button.xml': 'form controls are dropped: a button submits the form of the page around it',
  'acceptable_element_select.xml': 'form controls are dropped (see input)',
  'acceptable_element_textarea.xml': 'form controls are dropped (see input)',
  'acceptable_element_noscript.xml':
    'noscript is markup to the sanitizer but raw text to a browser that runs scripts: the classic mutation-XSS vector',
  'acceptable_attribute_id.xml': 'id clobbers the DOM of the page showing the content (window and document named properties)',
  'acceptable_attribute_name.xml': 'name clobbers the DOM of the page (document named properties, form members)',
  'acceptable_attribute_class.xml': "class would apply the page's own styles to the content",
  // Not a safety matter: we follow browsers where feedparser does not.
  'acceptable_element_br.xml': '`<br></br>` is two line breaks to a browser (WHATWG HTML: an end tag br is treated as `<br>`)',
  'acceptable_element_command.xml':
    'command is obsolete: void to htmlparser2 but not to browsers, so it cannot be written faithfully; unwrapped',
};

const VOID_ELEMENTS = new Set(
  'area base basefont bgsound br col command embed frame hr img input keygen link meta param source track wbr'.split(' '),
);

/**
 * The markup as a parser sees it, serialized one way: normalizes what feedparser itself normalizes (attribute quoting, entity
 * forms, `<br />` against `<br>`), and nothing else (element and attribute names, order and values, text).
 */
function canonical(html: string): string {
  const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  let out = '';
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        out += `<${name}${Object.entries(attribs)
          .map(([key, value]) => ` ${key}="${escapeHtml(value)}"`)
          .join('')}>`;
      },
      ontext(text) {
        out += escapeHtml(text);
      },
      onclosetag(name) {
        if (!VOID_ELEMENTS.has(name)) out += `</${name}>`;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return out;
}

/** A Python string literal (u'..', '..', ".."), unescaped. */
function pythonString(literal: string): string | undefined {
  const m = /^u?(['"])(.*)\1$/s.exec(literal.trim());
  if (!m) return undefined;
  return m[2]!.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|n|t|r|\\|'|")/g, (_, sequence: string) => {
    if (/^[uUx]/.test(sequence)) return String.fromCodePoint(Number.parseInt(sequence.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' }[sequence] ?? sequence;
  });
}

type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };

function xmlBase(node: XmlNode | undefined, base: string): string {
  const declared = node?.$?.['xml:base'];
  return declared === undefined ? base : new URL(declared, base).href;
}

/** The entry's HTML (the decoded text of its content, summary or description) and the base URL in scope for it. */
async function entryHtml(xml: string, documentUrl: string): Promise<{ html: string; baseUrl: string } | undefined> {
  const document = (await parseStringPromise(xml)) as Record<string, XmlNode>;
  const feed = Object.values(document)[0];
  const channel = (feed?.channel as XmlNode[] | undefined)?.[0];
  const entry = ((feed?.entry ?? channel?.item ?? feed?.item) as XmlNode[] | undefined)?.[0];
  const element = ['content', 'summary', 'description']
    .map((name) => (entry?.[name] as (XmlNode | string)[] | undefined)?.[0])
    .find(Boolean);
  if (element === undefined) return undefined;
  const baseUrl = [feed, entry, typeof element === 'string' ? undefined : element].reduce((base, node) => xmlBase(node, base), documentUrl);
  return { html: typeof element === 'string' ? element : (element._ ?? ''), baseUrl };
}

describe.skipIf(!dir)("feedparser's acceptable sanitize cases", () => {
  it('keeps the markup at least 95% of them name, and refuses only what is listed', async () => {
    const files = readdirSync(dir!)
      .filter((name) => name.startsWith('acceptable_') && name.endsWith('.xml'))
      .sort();
    const notKept: string[] = [];
    const report: string[] = [];
    for (const file of files) {
      const xml = readFileSync(join(dir!, file), 'utf8');
      const literal = /^Expect:.*?==\s*(.+?)\s*$/m.exec(xml)?.[1];
      const expected = literal === undefined ? undefined : pythonString(literal);
      const entry = await entryHtml(xml, `http://127.0.0.1:8097/wellformed/sanitize/${file}`);
      if (expected === undefined || entry === undefined) {
        notKept.push(file);
        report.push(`  ${file}: no Expect value or entry HTML found`);
        continue;
      }
      const actual = sanitizeContent(entry.html, { baseUrl: entry.baseUrl });
      if (canonical(actual) !== canonical(expected)) {
        notKept.push(file);
        const why = NOT_KEPT[file] ?? 'not listed as deliberate';
        report.push(`  ${file}: ${JSON.stringify(entry.html)} -> ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}: ${why}`);
      }
    }
    const kept = files.length - notKept.length;
    const share = `${kept} of ${files.length} (${((100 * kept) / files.length).toFixed(1)}%)`;
    console.log([`acceptable_* cases whose markup is kept: ${share}; not kept (${notKept.length}):`, ...report].join('\n'));
    expect(files.length).toBe(238);
    expect(kept / files.length).toBeGreaterThanOrEqual(0.95);
    expect(notKept).toEqual(Object.keys(NOT_KEPT).sort());
  });
});
