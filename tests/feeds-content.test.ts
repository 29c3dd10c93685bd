import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';
import { hasTool } from './helpers/tools.ts';
import { writeTemp, xpath } from './helpers/xml.ts';

const canLint = hasTool('xmllint');
let t: TestApp;
let dir: string;
let articleId: string;

beforeAll(async () => {
  t = await startTestApp({ seed: false });
  dir = mkdtempSync(join(tmpdir(), 'polyglot-content-'));
  const created = await t.admin('POST', '/api/admin/articles', {
    translations: [
      translation({
        slug: 'pyongyang-conference',
        title: 'Pyongyang hosts a blockchain conference',
        summary: 'Two days in October.',
        content: '<p>Full <strong>HTML</strong> body.</p>',
        authors: ['Ada Writer', 'Ben Reporter'],
        categories: ['Events'],
        tags: ['North Korea', 'Blockchain'],
        image: { url: 'https://cdn.example.org/pyongyang.png', type: 'image/png', length: 2048 },
        publishedAt: '2018-09-20T10:00:00Z',
        updatedAt: '2018-09-21T08:30:00Z',
      }),
      translation({
        lang: 'es',
        slug: 'conferencia-en-pionyang',
        title: 'Pionyang acoge una conferencia',
        publishedAt: '2018-09-21T09:00:00Z',
        categories: ['Eventos'],
      }),
    ],
  });
  articleId = ((await created.json()) as { id: string }).id;
});
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function save(path: string) {
  return writeTemp(dir, `${path.replace(/\W+/g, '_')}-${Date.now()}`, await (await t.request(path)).text());
}

describe.runIf(canLint)('RSS content', () => {
  it('carries the full HTML, summary, language, authors, categories, enclosure and RFC 822 dates', async () => {
    const file = await save('/en/feed.xml');
    expect(xpath(file, 'string(/rss/channel/language)')).toBe('en');
    expect(xpath(file, "string(//item/*[local-name()='encoded'])")).toBe('<p>Full <strong>HTML</strong> body.</p>');
    expect(xpath(file, 'string(//item/description)')).toBe('Two days in October.');
    expect(xpath(file, "//item/*[local-name()='creator']/text()").split('\n')).toEqual(['Ada Writer', 'Ben Reporter']);
    expect(xpath(file, '//item/category/text()').split('\n')).toEqual(['Events', 'North Korea', 'Blockchain']);
    expect(xpath(file, 'string(//item/pubDate)')).toBe('Thu, 20 Sep 2018 10:00:00 GMT');
    expect(xpath(file, 'string(//item/enclosure/@type)')).toBe('image/png');
  });

  it('writes English day and month names in the Spanish feed', async () => {
    const file = await save('/es/feed.xml');
    expect(xpath(file, 'string(/rss/channel/language)')).toBe('es');
    expect(xpath(file, 'string(//item/pubDate)')).toBe('Fri, 21 Sep 2018 09:00:00 GMT');
  });
});

describe.runIf(canLint)('Atom content', () => {
  it('states xml:lang, links each entry to its translations with hreflang, and keeps RFC 3339 dates', async () => {
    const file = await save('/en/atom.xml');
    expect(xpath(file, 'string(/*/@xml:lang)')).toBe('en');
    expect(
      xpath(
        file,
        "string(//*[local-name()='entry']/*[local-name()='link'][@rel='https://schema.org/workTranslation'][@hreflang='es']/@href)",
      ),
    ).toBe('https://news.example.org/es/conferencia-en-pionyang');
    expect(xpath(file, "string(//*[local-name()='entry']/*[local-name()='link'][@rel='alternate'][@hreflang='en']/@href)")).toBe(
      'https://news.example.org/en/pyongyang-conference',
    );
    expect(xpath(file, "string(//*[local-name()='entry']/*[local-name()='content']/@type)")).toBe('html');
    expect(xpath(file, "string(//*[local-name()='entry']/*[local-name()='published'])")).toBe('2018-09-20T10:00:00.000Z');
    expect(xpath(file, "string(//*[local-name()='entry']/*[local-name()='updated'])")).toBe('2018-09-21T08:30:00.000Z');
    expect(xpath(file, "string(//*[local-name()='link'][@rel='enclosure']/@length)")).toBe('2048');
    expect(xpath(file, "//*[local-name()='entry']/*[local-name()='author']/*[local-name()='name']/text()").split('\n')).toEqual([
      'Ada Writer',
      'Ben Reporter',
    ]);
  });
});

describe('JSON Feed content', () => {
  it('states the language and lists translations in an extension object', async () => {
    const feed = (await (await t.request('/es/feed.json')).json()) as {
      language: string;
      items: { language: string; _translations: { alternates: { language: string; url: string }[] }; date_published: string }[];
    };
    expect(feed.language).toBe('es');
    expect(feed.items[0].language).toBe('es');
    expect(feed.items[0]._translations.alternates).toEqual([{ language: 'en', url: 'https://news.example.org/en/pyongyang-conference' }]);
    expect(feed.items[0].date_published).toBe('2018-09-21T09:00:00.000Z');
  });

  it('describes the image as the item image and an attachment', async () => {
    const feed = (await (await t.request('/en/feed.json')).json()) as {
      items: { image: string; attachments: unknown[]; authors: unknown[]; content_html: string; summary: string }[];
    };
    expect(feed.items[0]).toMatchObject({
      image: 'https://cdn.example.org/pyongyang.png',
      attachments: [{ url: 'https://cdn.example.org/pyongyang.png', mime_type: 'image/png', size_in_bytes: 2048 }],
      authors: [{ name: 'Ada Writer' }, { name: 'Ben Reporter' }],
      content_html: '<p>Full <strong>HTML</strong> body.</p>',
      summary: 'Two days in October.',
    });
  });
});

describe('stable entry ids', () => {
  it('keeps every format’s id when the article is edited, re-slugged or replaced', async () => {
    const ids = async () => {
      const json = (await (await t.request('/en/feed.json')).json()) as { items: { id: string }[] };
      const rss = await (await t.request('/en/feed.xml')).text();
      const atom = await (await t.request('/en/atom.xml')).text();
      return {
        json: json.items[0].id,
        rss: /<guid[^>]*>([^<]+)<\/guid>/.exec(rss)![1],
        atom: /<entry>[\s\S]*?<id>([^<]+)<\/id>/.exec(atom)![1],
      };
    };
    const before = await ids();
    expect(before.json).toBe(before.rss);
    expect(before.json).toBe(before.atom);
    await t.admin(
      'PUT',
      `/api/admin/articles/${articleId}/translations/en`,
      translation({ slug: 'renamed', title: 'New title', content: '<p>New.</p>' }),
    );
    expect(await ids()).toEqual(before);
    const replaced = await t.admin('PUT', `/api/admin/articles/${articleId}`, {
      translations: [translation({ slug: 'renamed-again' }), translation({ lang: 'es', slug: 'otra-vez' })],
    });
    expect(replaced.status).toBe(200);
    expect(await ids()).toEqual(before);
  });
});
