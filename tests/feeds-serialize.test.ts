import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Feed } from 'feed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import type { Translation } from '../src/articles/model.ts';
import type { RelatedItem } from '../src/crosslink/model.ts';
import { renderAtom } from '../src/feeds/atom.ts';
import { type FeedChannel, type FeedEntry, relatedHtml } from '../src/feeds/feed-model.ts';
import { renderJsonFeed } from '../src/feeds/json-feed.ts';
import { renderRss } from '../src/feeds/rss.ts';
import { cdata, el, escapeXml, serializeXml } from '../src/shared/xml.ts';
import { hasTool, sharedDir } from './helpers/tools.ts';
import { writeTemp, xmllint } from './helpers/xml.ts';

const canLint = hasTool('xmllint');
const schemasDir = sharedDir('SCHEMAS_DIR', '../shared/schemas');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyglot-serialize-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const save = (xml: string) => writeTemp(dir, `doc-${files++}.xml`, xml);

/** XML 1.0 §2.2 Char, written out by code point, independently of the serializer's regular expressions. */
const isXmlChar = (c: number) =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
const withoutForbidden = (text: string) => [...text].filter((char) => isXmlChar(char.codePointAt(0)!)).join('');

/** Deterministic pseudo-random strings (mulberry32), built from pieces that tend to break XML. */
function randomStrings(count: number, seed: number): string[] {
  const pieces = [
    ...'aZ0 <>&"\'\t\n\r;#/=é·—',
    '\r\n',
    ']]>',
    ']]',
    '&amp;',
    '&lt;',
    '<![CDATA[',
    '\u0000',
    '\u0001',
    '\u0008',
    '\u000B',
    '\u000C',
    '\u001F',
    '\u007F',
    '\u0085',
    '\u2028',
    '\uD800',
    '\uDBFF',
    '\uDC00',
    '\uDFFF',
    '\uFFFD',
    '\uFFFE',
    '\uFFFF',
    '😀',
    '𝄞',
  ];
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(random() * 24) }, () => pieces[Math.floor(random() * pieces.length)]).join(''),
  );
}

interface Parsed {
  $?: Record<string, string>;
  _?: string;
}

// xml2js drops whitespace-only text, so text is written between two bars that are cut off again when read.
const document = (inputs: string[]) =>
  serializeXml(el('root', null, ...inputs.map((s) => el('v', { a: s }, `|${s}|`)), ...inputs.map((s) => el('c', null, cdata(`|${s}|`)))), {
    declaration: true,
  });

/** What a parser reads back from each `<v a="…">|…|</v>` and `<c><![CDATA[|…|]]></c>` of a document. */
async function readBack(xml: string): Promise<{ attributes: string[]; texts: string[]; cdatas: string[] }> {
  const { root } = (await parseStringPromise(xml, { explicitCharkey: true })) as { root: { v: Parsed[]; c: Parsed[] } };
  return {
    attributes: root.v.map((v) => v.$!.a),
    texts: root.v.map((v) => v._!.slice(1, -1)),
    cdatas: root.c.map((c) => c._!.slice(1, -1)),
  };
}

describe('serializeXml escaping', () => {
  const inputs = randomStrings(400, 20240611);
  const xml = document(inputs);
  const expected = inputs.map(withoutForbidden);

  it('covers the awkward cases', () => {
    expect(inputs.some((s) => /[\uD800-\uDFFF]/u.test(s))).toBe(true);
    expect(inputs.some((s) => s.includes('\u0001') && s.includes('😀') && s.includes('<'))).toBe(true);
    expect(inputs.filter((s) => s.split(']]>').length > 2).length).toBeGreaterThan(0);
  });

  it('writes text, attribute values and CDATA that a JavaScript XML parser reads back as given, less forbidden characters', async () => {
    const parsed = await readBack(xml);
    expect(parsed.attributes).toEqual(expected);
    expect(parsed.texts).toEqual(expected);
    expect(parsed.cdatas).toEqual(expected);
  });

  // libxml2 applies the rules that change unescaped input: line ends read as LF, whitespace in attribute values as spaces.
  // Its canonical form (C14N) writes what it read with those characters as references, which xml2js then reads exactly.
  it.runIf(canLint)('is well-formed for libxml2, which reads back the same values', async () => {
    const file = save(xml);
    expect(xmllint(file).output).toBe('');
    const canonical = execFileSync('xmllint', ['--c14n', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const parsed = await readBack(canonical);
    expect(parsed.attributes).toEqual(expected);
    expect(parsed.texts).toEqual(expected);
    expect(parsed.cdatas).toEqual(expected);
  });

  it('writes a declaration, empty elements and indentation only between elements', () => {
    expect(serializeXml(el('a', { x: '1', skipped: undefined }, el('b', null, 't'), el('c'), undefined), { declaration: true })).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<a x="1">\n  <b>t</b>\n  <c/>\n</a>\n',
    );
    expect(serializeXml(el('p', null, 'a', el('b', null, 'c'), 'd'))).toBe('<p>a<b>c</b>d</p>\n');
  });
});

const channel: FeedChannel = {
  lang: 'en',
  title: 'Markets & "Money" <weekly>',
  description: 'News on <markets> & more',
  homeUrl: 'https://news.example.org/en/',
  feedUrls: {
    rss: 'https://news.example.org/en/feed.xml',
    atom: 'https://news.example.org/en/atom.xml',
    json: 'https://news.example.org/en/feed.json',
  },
  siteTitle: 'Polyglot & Co',
  siteUrl: 'https://news.example.org',
  updated: Date.parse('2024-03-02T10:00:00Z'),
  pollSeconds: 300,
};

function translation(overrides: Partial<Translation>): Translation {
  return {
    articleId: 'a1',
    lang: 'en',
    slug: 'first',
    guid: 'urn:uuid:0b6f3a52-2d51-4f4e-9d0e-6f1c1f8f6a01',
    title: 'Bitcoin & Ether: <b>bold</b> "quoted" 🚀',
    summary: 'Fish & chips < 5',
    contentHtml: '<p>Contains ]]> once &amp; <em>more</em></p>',
    authors: ['Ada Writer', "Ben O'Reporter"],
    categories: [{ name: 'Policy & Law', slug: 'policy-law' }],
    tags: [{ name: 'North Korea', slug: 'north-korea' }],
    image: { url: 'https://cdn.example.org/img/photo.jpg?size=large&v=2', type: 'image/jpeg', length: 12345 },
    status: 'published',
    publishedAt: Date.parse('2024-03-01T08:00:00Z'),
    updatedAt: Date.parse('2024-03-02T10:00:00Z'),
    ...overrides,
  };
}

function related(overrides: Partial<RelatedItem>): RelatedItem {
  return {
    itemId: 1,
    url: 'https://outlet.example.com/story?id=1&lang=en',
    title: 'The "same" story & more',
    language: 'en',
    publishedAt: Date.parse('2024-03-01T09:00:00Z'),
    source: 'Outlet',
    score: 1,
    reason: 'test',
    state: 'auto',
    coverage: { outlets: 1, languages: 1 },
    ...overrides,
  };
}

/** Three entries: one with every optional part, one with none, one in between. */
const entries: FeedEntry[] = [
  {
    translation: translation({}),
    url: 'https://news.example.org/en/first',
    alternates: [
      { lang: 'es', url: 'https://news.example.org/es/primero' },
      { lang: 'de', url: 'https://news.example.org/de/erste' },
    ],
    related: [related({}), related({ itemId: 2, url: 'https://other.example.net/b', language: null, source: 'Other & Co' })],
  },
  {
    translation: translation({
      articleId: 'a2',
      slug: 'second',
      guid: 'urn:uuid:0b6f3a52-2d51-4f4e-9d0e-6f1c1f8f6a02',
      title: 'Plain',
      summary: '',
      contentHtml: '<p>Plain.</p>',
      authors: [],
      categories: [],
      tags: [],
      image: null,
      publishedAt: Date.parse('2024-02-01T08:00:00Z'),
      updatedAt: Date.parse('2024-02-01T08:00:00Z'),
    }),
    url: 'https://news.example.org/en/second',
    alternates: [],
    related: [],
  },
  {
    translation: translation({
      articleId: 'a3',
      slug: 'third',
      guid: 'urn:uuid:0b6f3a52-2d51-4f4e-9d0e-6f1c1f8f6a03',
      categories: [],
      image: { url: 'https://cdn.example.org/x.png', type: 'image/png', length: 0 },
    }),
    url: 'https://news.example.org/en/third',
    alternates: [{ lang: 'es', url: 'https://news.example.org/es/tercero' }],
    related: [related({ itemId: 3, language: 'es' })],
  },
];

interface Tree {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Tree[];
}

/** The element tree with children in document order; whitespace between elements is not content. */
async function tree(xml: string): Promise<Tree> {
  const parsed = (await parseStringPromise(xml, { explicitChildren: true, preserveChildrenOrder: true, explicitCharkey: true })) as Record<
    string,
    unknown
  >;
  type Raw = { '#name': string; $?: Record<string, string>; _?: string; $$?: Raw[] };
  const convert = (raw: Raw, name = raw['#name']): Tree => ({
    name,
    attrs: raw.$ ?? {},
    text: raw._ ?? '',
    children: (raw.$$ ?? []).map((child) => convert(child)),
  });
  const [name] = Object.keys(parsed);
  return convert(parsed[name] as Raw, name);
}

const find = (node: Tree, name: string): Tree[] => [
  ...node.children.filter((child) => child.name === name),
  ...node.children.flatMap((child) => find(child, name)),
];

describe('feeds with markup and quotes in titles and labels', () => {
  const tricky: FeedEntry = {
    ...entries[0],
    translation: translation({
      title: 'A < B & "C" ]]> D',
      categories: [{ name: 'R&D <labs> "beta"', slug: 'r-d-labs-beta' }],
      tags: [{ name: 'AT&amp;T <x>', slug: 'at-amp-t-x' }],
      authors: ['Q&A <desk>'],
      contentHtml: '<p>a ]]> b ]]> c\r\nd</p>',
    }),
  };

  it.runIf(canLint)('Atom is well-formed (and valid when the RELAX NG grammar is at hand), and the label reads back', async () => {
    const xml = renderAtom(channel, [tricky]);
    const file = save(xml);
    expect(xmllint(file).output).toBe('');
    if (schemasDir) expect(xmllint(file, ['--relaxng', join(schemasDir, 'atom.rng')]).output).toBe('');
    const feed = await tree(xml);
    expect(find(feed, 'category').map((c) => c.attrs)).toEqual([{ term: 'r-d-labs-beta', label: 'R&D <labs> "beta"' }]);
    // Titles are plain text (type="text"): they read back exactly as written
    expect(find(feed, 'title').map((t) => [t.attrs.type, t.text])).toEqual([
      [undefined, channel.title],
      ['text', 'A < B & "C" ]]> D'],
    ]);
    expect(find(feed, 'content')[0].text).toBe('<p>a ]]> b ]]> c\r\nd</p>');
    expect(find(feed, 'link').find((l) => l.attrs.rel === 'related')!.attrs.title).toBe('The "same" story & more (Outlet)');
  });

  it.runIf(canLint)('RSS is well-formed, and category names, creators and content read back', async () => {
    const xml = renderRss(channel, [tricky]);
    expect(xmllint(save(xml)).output).toBe('');
    const feed = await tree(xml);
    expect(find(feed, 'category').map((c) => c.text)).toEqual(['R&D <labs> "beta"', 'AT&amp;T <x>']);
    expect(
      find(feed, 'item')
        .flatMap((item) => find(item, 'title'))
        .map((t) => t.text),
    ).toEqual(['A < B & "C" ]]> D']);
    expect(find(feed, 'dc:creator').map((c) => c.text)).toEqual(['Q&A <desk>']);
    expect(find(feed, 'content:encoded')[0].text).toBe(`<p>a ]]> b ]]> c\r\nd</p>${relatedHtml('en', tricky.related)}`);
  });
});

describe('same feeds as the `feed`-package renderers they replace', () => {
  it('JSON Feed: the same bytes', () => {
    expect(renderJsonFeed(channel, entries)).toBe(legacyJsonFeed(channel, entries));
    expect(renderJsonFeed(channel, [])).toBe(legacyJsonFeed(channel, []));
  });

  it('Atom: the same elements, attributes and text in the same order, the feed links now typed', async () => {
    const before = await tree(legacyAtom(channel, entries));
    for (const link of before.children.filter((child) => child.name === 'link')) {
      link.attrs.type = link.attrs.rel === 'self' ? 'application/atom+xml' : 'text/html';
    }
    // Entry titles and summaries are plain text now (the `feed` package could only write type="html")
    for (const text of find(before, 'entry').flatMap((entry) => entry.children.filter((c) => c.name === 'title' || c.name === 'summary'))) {
      text.attrs.type = 'text';
    }
    const after = await tree(renderAtom(channel, entries));
    expect(after).toEqual(before);
    expect(
      find(after, 'entry')[0].children.map((child) => `${child.name} ${child.attrs.rel ?? ''} ${child.attrs.hreflang ?? ''}`.trim()),
    ).toEqual([
      'title',
      'id',
      'link alternate en',
      'link https://schema.org/workTranslation es',
      'link https://schema.org/workTranslation de',
      'link enclosure',
      'link related en',
      'link related',
      'updated',
      'summary',
      'content',
      'author',
      'author',
      'category',
      'published',
    ]);
  });

  it('RSS: the same elements, attributes and text in the same order', async () => {
    // New since: the Syndication module's poll hint beside <ttl> (the `feed` package wrote none).
    const ours = await tree(renderRss(channel, entries));
    const channelNode = ours.children[0]!;
    expect(channelNode.children.filter((child) => child.name.startsWith('sy:')).map((child) => `${child.name} ${child.text}`)).toEqual([
      'sy:updatePeriod hourly',
      'sy:updateFrequency 12',
    ]);
    channelNode.children = channelNode.children.filter((child) => !child.name.startsWith('sy:'));
    delete ours.attrs['xmlns:sy'];
    expect(ours).toEqual(await tree(legacyRss(channel, entries)));
    const empty = { ...channel, pollSeconds: 0 };
    const before = await tree(legacyRss(empty, []));
    // `feed` declared these only when an item used them
    Object.assign(before.attrs, {
      'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
    });
    expect(await tree(renderRss(empty, []))).toEqual(before);
  });
});

// The renderers as they were before the feeds were serialized with shared/xml.ts, kept as the reference (entry titles
// and summaries given as plain text, as the feeds now write them).

function legacyAtom(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    id: channel.feedUrls.atom,
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    updated: new Date(channel.updated),
    generator: 'polyglot-feeds',
    author: { name: channel.siteTitle, link: channel.siteUrl },
    feedLinks: { atom: channel.feedUrls.atom },
  });
  const placeholder = (index: number) => `https://entry-links.invalid/${index}`;
  entries.forEach(({ translation: t }, index) => {
    feed.addItem({
      title: t.title,
      id: t.guid,
      link: placeholder(index),
      date: new Date(t.updatedAt),
      published: new Date(t.publishedAt),
      description: t.summary,
      content: t.contentHtml,
      author: t.authors.map((name) => ({ name })),
      category: t.categories.map((term) => ({ term: term.slug, name: term.name })),
    });
  });
  let xml = feed.atom1();
  xml = xml.replace(
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(channel.lang)}">`,
  );
  return xml.replace(/<link href="https:\/\/entry-links\.invalid\/(\d+)"\/>/g, (_, index: string) =>
    legacyEntryLinks(entries[Number(index)]),
  );
}

// The entry's own page first and as its only alternate, its translations as schema.org workTranslation links (so no
// reader takes a translation for the entry's link), then the enclosure and the related coverage.
function legacyEntryLinks({ translation: t, url, alternates, related }: FeedEntry): string {
  const link = (rel: string, lang: string, href: string) =>
    `<link rel="${rel}" type="text/html" hreflang="${escapeXml(lang)}" href="${escapeXml(href)}"/>`;
  const links: string[] = [link('alternate', t.lang, url)];
  for (const other of alternates) links.push(link('https://schema.org/workTranslation', other.lang, other.url));
  if (t.image) {
    links.push(`<link rel="enclosure" type="${escapeXml(t.image.type)}" length="${t.image.length}" href="${escapeXml(t.image.url)}"/>`);
  }
  for (const item of related) {
    const hreflang = item.language ? ` hreflang="${escapeXml(item.language)}"` : '';
    links.push(
      `<link rel="related" type="text/html" href="${escapeXml(item.url!)}" title="${escapeXml(`${item.title} (${item.source})`)}"${hreflang}/>`,
    );
  }
  return links.join('\n        ');
}

function legacyJsonFeed(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    feedLinks: { json: channel.feedUrls.json },
  });
  for (const { translation: t, url } of entries) {
    feed.addItem({
      title: t.title,
      id: t.guid,
      link: url,
      date: new Date(t.updatedAt),
      published: new Date(t.publishedAt),
      description: t.summary || undefined,
      content: t.contentHtml,
      category: [...t.categories, ...t.tags].map((term) => ({ name: term.name })),
    });
  }
  const { version: _, items, ...top } = JSON.parse(feed.json1()) as { version: string; items: Record<string, unknown>[] };
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    ...top,
    language: channel.lang,
    authors: [{ name: channel.siteTitle, url: channel.siteUrl }],
    items: items.map((item, index) => {
      const { translation: t, alternates, related } = entries[index];
      return {
        ...item,
        language: t.lang,
        ...(t.authors.length ? { authors: t.authors.map((name) => ({ name })) } : {}),
        ...(t.image
          ? {
              image: t.image.url,
              attachments: [{ url: t.image.url, mime_type: t.image.type, ...(t.image.length ? { size_in_bytes: t.image.length } : {}) }],
            }
          : {}),
        ...(alternates.length ? { _translations: { alternates: alternates.map((a) => ({ language: a.lang, url: a.url })) } } : {}),
        ...(related.length
          ? {
              _related: {
                items: related.map((item) => ({
                  url: item.url,
                  title: item.title,
                  source: item.source,
                  language: item.language ?? undefined,
                })),
              },
            }
          : {}),
      };
    }),
  });
}

function legacyRss(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    language: channel.lang,
    updated: new Date(channel.updated),
    ttl: channel.pollSeconds ? Math.ceil(channel.pollSeconds / 60) : undefined,
    generator: 'polyglot-feeds',
    feedLinks: { rss: channel.feedUrls.rss },
  });
  for (const { translation: t, url, related } of entries) {
    feed.addItem({
      title: t.title,
      link: url,
      guid: t.guid,
      date: new Date(t.updatedAt),
      published: new Date(t.publishedAt),
      description: t.summary,
      content: t.contentHtml + relatedHtml(t.lang, related),
      category: [...t.categories, ...t.tags].map((term) => ({ name: term.name })),
      enclosure: t.image ? { url: t.image.url, type: t.image.type, length: t.image.length } : undefined,
      extensions: [{ name: 'dc:creator', objects: t.authors.map((name) => ({ _text: name })) as unknown as Record<string, unknown> }],
    });
  }
  return feed.rss2();
}
