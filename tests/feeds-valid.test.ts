import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';
import { hasTool, sharedDir } from './helpers/tools.ts';
import { writeTemp, xmllint, xpath } from './helpers/xml.ts';

const require = createRequire(import.meta.url);
const schemasDir = sharedDir('SCHEMAS_DIR', '../shared/schemas');
const canLint = hasTool('xmllint');
const canJing = hasTool('jing');

const rfc822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const languageTag = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

let t: TestApp;
let dir: string;
const scopes = [
  '/en/',
  '/es/',
  '/en/category/security/',
  '/es/category/seguridad/',
  '/en/tag/north-korea/',
  '/es/tag/corea-del-norte/',
  '/en/tag/tricky/',
  // RFC 5005 archived feeds (months of the seed)
  '/en/archive/2022/03/',
  '/es/archive/2024/01/',
];

beforeAll(async () => {
  t = await startTestApp();
  dir = mkdtempSync(join(tmpdir(), 'polyglot-valid-'));
  // An article with everything that tends to break feeds: markup in titles, CDATA terminators, non-BMP text, an image.
  const created = await t.admin('POST', '/api/admin/articles', {
    translations: [
      translation({
        slug: 'tricky',
        title: 'Bitcoin & Ether: <b>bold</b> "quoted" — 100% ✓ 🚀',
        summary: 'Fish & chips < 5 > 3; ]]> ends CDATA',
        content: '<p>Contains ]]&gt; and ]]> and &amp; &lt;script&gt;</p><p>Ünïcödé 😀</p>',
        tags: ['Tricky'],
        image: { url: 'https://cdn.example.org/img/photo.jpg?size=large&v=2', type: 'image/jpeg', length: 12345 },
      }),
      translation({ lang: 'es', slug: 'complicado', title: 'Año «difícil» & más', tags: ['Tricky'] }),
    ],
  });
  expect(created.status).toBe(201);
});
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fetchTo(path: string): Promise<{ file: string; text: string }> {
  const response = await t.request(path);
  expect(response.status, path).toBe(200);
  const text = await response.text();
  return { file: writeTemp(dir, path.replace(/\W+/g, '_'), text), text };
}

describe.skipIf(!canLint || !schemasDir)('Atom 1.0 validity (RFC 4287 RELAX NG grammar and validator rules)', () => {
  it.each(scopes)('%satom.xml is valid', async (scope) => {
    const { file } = await fetchTo(`${scope}atom.xml`);
    expect(xmllint(file, ['--relaxng', join(schemasDir!, 'atom.rng')]).output).toBe('');
    // W3C validator rules beyond the grammar
    expect(xpath(file, 'string(/*/@xml:lang)')).toMatch(languageTag);
    expect(xpath(file, "string(/*/*[local-name()='link'][@rel='self']/@href)")).toBe(`https://news.example.org${scope}atom.xml`);
    expect(xpath(file, "count(//*[local-name()='entry'][not(*[local-name()='author'])])")).toBe('0');
    // each entry has one rel="alternate", its own page in the feed's language (readers take an alternate as the entry's
    // link); every rel is registered or an IRI (RFC 4287 §4.2.7.2; the W3C validator warns on others)
    const lang = xpath(file, 'string(/*/@xml:lang)');
    const alternates = "*[local-name()='link'][not(@rel) or @rel='alternate']";
    expect(xpath(file, `count(//*[local-name()='entry'][count(${alternates}) != 1 or ${alternates}[not(@hreflang='${lang}')]])`)).toBe('0');
    // prev-archive, next-archive, first, next, previous, last (RFC 5005) and hub (WebSub): in the IANA registry
    const registered = [
      'alternate',
      'self',
      'enclosure',
      'related',
      'prev-archive',
      'next-archive',
      'first',
      'next',
      'previous',
      'last',
      'hub',
    ]
      .map((rel) => `@rel='${rel}'`)
      .join(' or ');
    expect(xpath(file, `count(//*[local-name()='link'][not(${registered} or contains(@rel, ':'))])`)).toBe('0');
    const ids = xpath(file, "//*[local-name()='entry']/*[local-name()='id']/text()").split('\n');
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    for (const date of xpath(file, "//*[local-name()='updated' or local-name()='published']/text()").split('\n'))
      expect(date).toMatch(rfc3339);
  });

  it.runIf(canJing)('passes jing with the compact grammar too', async () => {
    const { file } = await fetchTo('/en/atom.xml');
    expect(execFileSync('jing', ['-c', join(schemasDir!, 'atom.rnc'), file], { encoding: 'utf8' })).toBe('');
  });
});

describe.skipIf(!canLint)('RSS 2.0 validity (well-formed, W3C validator rules)', () => {
  it.each(scopes)('%sfeed.xml is valid', async (scope) => {
    const { file } = await fetchTo(`${scope}feed.xml`);
    expect(xmllint(file).output).toBe('');
    expect(xpath(file, 'string(/rss/@version)')).toBe('2.0');
    for (const element of ['title', 'link', 'description'])
      expect(xpath(file, `string(/rss/channel/${element})`).length, element).toBeGreaterThan(0);
    expect(xpath(file, 'string(/rss/channel/language)')).toMatch(languageTag);
    expect(xpath(file, "string(/rss/channel/*[local-name()='link'][@rel='self']/@href)")).toBe(`https://news.example.org${scope}feed.xml`);
    expect(xpath(file, 'string(/rss/channel/lastBuildDate)')).toMatch(rfc822);
    expect(xpath(file, 'count(/rss/channel/item[not(title) or not(link) or not(guid) or not(pubDate)])')).toBe('0');
    for (const date of xpath(file, '/rss/channel/item/pubDate/text()').split('\n')) expect(date).toMatch(rfc822);
    // RSS <author> must be an e-mail address; names go in dc:creator
    expect(xpath(file, 'count(//item/author)')).toBe('0');
    expect(xpath(file, 'count(//enclosure[not(@url) or not(@length) or not(@type)])')).toBe('0');
  });

  it('puts the image in an enclosure with its media type and length', async () => {
    const { file } = await fetchTo('/en/tag/tricky/feed.xml');
    expect(xpath(file, 'string(//item/enclosure/@url)')).toBe('https://cdn.example.org/img/photo.jpg?size=large&v=2');
    expect(xpath(file, 'string(//item/enclosure/@type)')).toBe('image/jpeg');
    expect(xpath(file, 'string(//item/enclosure/@length)')).toBe('12345');
  });
});

describe('JSON Feed 1.1 validity (jsonfeed-schema)', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(require('jsonfeed-schema/schema-v1.1.json'));

  it.each(scopes)('%sfeed.json is valid', async (scope) => {
    const response = await t.request(`${scope}feed.json`);
    const feed = (await response.json()) as { version: string; feed_url: string; items: { id: string; date_published: string }[] };
    const valid = validate(feed);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe(`https://news.example.org${scope}feed.json`);
    for (const item of feed.items) expect(item.date_published).toMatch(rfc3339);
  });
});
