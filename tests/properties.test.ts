// Property-based tests: for any text, what we write stays well-formed and reads back as written, and no input is a 500.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import sax from 'sax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeXml, stripInvalidXmlChars } from '../src/shared/xml.ts';
import { adminToken, startTestApp, type TestApp, translation } from './helpers/test-app.ts';

/** Parses strictly (sax, as an XML 1.0 parser must), returning the first error or the root's attribute `t` and text. */
function readStrict(xml: string): { error?: string; attribute?: string; text: string } {
  const parser = sax.parser(true);
  let error: string | undefined;
  let attribute: string | undefined;
  let text = '';
  parser.onerror = (e) => {
    error ??= e.message;
    parser.resume();
  };
  parser.onopentag = (tag) => {
    if (attribute === undefined) attribute = tag.attributes.t as string;
  };
  parser.ontext = (chunk) => {
    text += chunk;
  };
  parser.write(xml).close();
  return { error, attribute, text };
}

/** libxml2's verdict on a document (sax alone lets a `<` in an attribute pass): '' when well-formed, else its messages. */
function wellFormedness(xml: string): string {
  try {
    execFileSync('xmllint', ['--noout', '-'], { input: xml, stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr: Buffer }).stderr);
  }
}

// Any code points (lone surrogates and the characters XML forbids included), rich in what XML and HTML treat specially.
const piece = fc.oneof(
  fc.constantFrom(
    '<',
    '>',
    '&',
    '&amp;',
    '"',
    "'",
    ']]>',
    '<![CDATA[',
    '\r\n',
    '\t',
    '\u0000',
    '\u000B',
    '\uFFFE',
    '\uD800',
    '<b>x</b>',
    '--',
  ),
  fc.string({ unit: 'binary', maxLength: 5 }),
  fc.stringMatching(/^[a-zA-Z0-9 ]{1,6}$/),
);
const anyText = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

describe('escapeXml', () => {
  it('writes any text as an attribute and as element text that a strict parser reads back exactly (less forbidden characters)', () => {
    const written: string[] = [];
    fc.assert(
      fc.property(anyText, (value) => {
        const element = `<a t="${escapeXml(value, true)}">${escapeXml(value)}</a>`;
        written.push(element);
        const read = readStrict(element);
        const expected = stripInvalidXmlChars(value);
        expect(read.error).toBeUndefined();
        expect(read.attribute).toBe(expected);
        expect(read.text).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(wellFormedness(`<r>${written.join('\n')}</r>`)).toBe('');
  });
});

describe('feeds carrying any stored text', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('stay well-formed in every format, and the admin API never answers 500', async () => {
    const field = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => `x${parts.join('')}`);
    let stored = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(field, field, field, field, field, async (title, summary, category, tag, author) => {
        const response = await t.admin('POST', '/api/admin/articles', {
          translations: [
            translation({ slug: `property-${runs++}`, title, summary, categories: [category], tags: [tag], authors: [author] }),
          ],
        });
        expect([201, 400]).toContain(response.status);
        if (response.status !== 201) return;
        stored++;
        for (const path of ['/en/atom.xml', '/en/feed.xml']) {
          const feed = await t.request(path);
          expect(feed.status).toBe(200);
          expect(wellFormedness(await feed.text())).toBe('');
        }
        const json = await t.request('/en/feed.json');
        expect(json.status).toBe(200);
        expect(Array.isArray(((await json.json()) as { items: unknown[] }).items)).toBe(true);
      }),
      { numRuns: 60 },
    );
    // Most generated texts are valid input: the property is about feeds, not only about refusals.
    expect(stored).toBeGreaterThan(40);
  });

  it('answer any query string and any path segment with a 2xx, 3xx or 4xx, never a 500', async () => {
    const name = fc.constantFrom('lang', 'limit', 'cursor', 'q', 'source', 'tag', 'category', 'page', 'x');
    const value = fc.oneof(anyText, fc.integer().map(String), fc.constantFrom('', '-1', '0', '1e9', '%', '%00', '..', 'null'));
    const path = fc.constantFrom('/api/articles', '/api/admin/items', '/en/atom.xml', '/en/feed.json', '/en/', '/en/tag/bitcoin/feed.xml');
    await fc.assert(
      fc.asyncProperty(path, fc.array(fc.tuple(name, value), { maxLength: 4 }), anyText, async (base, query, segment) => {
        const search = new URLSearchParams(query.map(([key, text]) => [key, stripLoneSurrogates(text)])).toString();
        for (const target of [`${base}?${search}`, `/api/articles/en/${encodeURIComponent(stripLoneSurrogates(segment))}`]) {
          const response = await t.request(target, { headers: { authorization: `Bearer ${adminToken}` } });
          expect(response.status, target).toBeLessThan(500);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** URLs carry UTF-8, which has no lone surrogates. */
function stripLoneSurrogates(text: string): string {
  return text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
}
