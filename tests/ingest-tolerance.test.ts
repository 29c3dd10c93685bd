import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { random } from '../bench/synthetic-feed.ts';
import { decodeFeedBytes } from '../src/ingest/decode.ts';
import { IngestError } from '../src/ingest/ingest-error.ts';
import { type NormalizedFeed, normalizeFeed } from '../src/ingest/normalize.ts';
import { parseFeed } from '../src/ingest/parse.ts';

/** One bad entry costs only its bad fields; a damaged document keeps the entries before the damage. */
const NOW = Date.UTC(2026, 0, 1);
const feedUrl = 'https://outlet.example.com/feed';

async function read(text: string): Promise<NormalizedFeed> {
  return normalizeFeed(await parseFeed(text), { feedUrl, now: NOW });
}

const rss = (items: string, close = '</channel></rss>') =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title><link>https://outlet.example.com/</link><description>d</description>${items}${close}`;
const atom = (entries: string, close = '</feed>') =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Outlet</title><id>urn:x</id><updated>2025-06-01T00:00:00Z</updated>${entries}${close}`;
const item = (n: number, extra = '') =>
  `<item><title>Story ${n}</title><link>https://outlet.example.com/${n}</link><pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate>${extra}</item>`;
const entry = (n: number, extra = '') =>
  `<entry><title>Story ${n}</title><id>urn:story:${n}</id><link href="https://outlet.example.com/${n}"/><updated>2025-06-02T10:00:00Z</updated>${extra}</entry>`;

describe('per-entry tolerance', () => {
  it('keeps an entry whose date cannot be read, dated when first seen', async () => {
    const feed = await read(rss(item(1) + item(2).replace('Mon, 02 Jun 2025 10:00:00 GMT', 'sometime last week') + item(3)));
    expect(feed.items.map((i) => i.title)).toEqual(['Story 1', 'Story 2', 'Story 3']);
    expect(feed.items[1]!.publishedAt).toBe(NOW);
    expect(feed.report).toMatchObject({ kept: 2, repaired: 1, dropped: 0, problems: { unparseable_date: 1 } });
  });

  it('keeps an Atom entry with a link without href, using its other link', async () => {
    const feed = await read(atom(entry(1, '<link rel="alternate"/>') + entry(2)));
    expect(feed.items.map((i) => i.url)).toEqual(['https://outlet.example.com/1', 'https://outlet.example.com/2']);
    expect(feed.report).toMatchObject({ kept: 1, repaired: 1, problems: { link_without_href: 1 } });
  });

  it('drops an empty entry and keeps the others', async () => {
    const feed = await read(atom(`${entry(1)}<entry></entry>${entry(2)}<entry>  </entry>`));
    expect(feed.items.map((i) => i.title)).toEqual(['Story 1', 'Story 2']);
    expect(feed.report).toMatchObject({ kept: 2, dropped: 2, problems: { empty_entry: 2 } });
  });

  it('reads RDF items with attributes and elements it does not know', async () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:x="http://x.example/">
      <channel rdf:about="https://outlet.example.com/"><title>Outlet</title><link>https://outlet.example.com/</link></channel>
      <item rdf:about="https://outlet.example.com/1" x:weight="3" rdf:parseType="Resource"><title>One</title><link>https://outlet.example.com/1</link><x:rating><x:stars>4</x:stars></x:rating></item>
      <item rdf:about="https://outlet.example.com/2"><title>Two</title><link>https://outlet.example.com/2</link><x:unknown/></item>
    </rdf:RDF>`;
    const feed = await read(rdf);
    expect(feed.items.map((i) => [i.key, i.title])).toEqual([
      ['https://outlet.example.com/1', 'One'],
      ['https://outlet.example.com/2', 'Two'],
    ]);
  });

  it('reads Atom written with a prefix, or in no namespace', async () => {
    const prefixed = `<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>Outlet</atom:title>
      <atom:entry><atom:title>Prefixed</atom:title><atom:id>urn:p</atom:id><atom:link href="https://outlet.example.com/p"/></atom:entry></atom:feed>`;
    expect((await read(prefixed)).items.map((i) => [i.title, i.url])).toEqual([['Prefixed', 'https://outlet.example.com/p']]);
    const bare = '<feed><title>Outlet</title><entry><title>Bare</title><id>urn:b</id></entry></feed>';
    expect((await read(bare)).items.map((i) => i.title)).toEqual(['Bare']);
  });

  it('keeps every entry when only the last end tag is cut short', async () => {
    for (const text of [rss(item(1) + item(2), '</channel></rss'), atom(entry(1) + entry(2), '</feed'), rss(item(1) + item(2), '</chan')]) {
      const feed = await read(text);
      expect(feed.items.map((i) => i.title)).toEqual(['Story 1', 'Story 2']);
      expect(feed.report.dropped).toBe(0);
      expect(feed.report.document.length).toBeGreaterThan(0);
    }
  });

  it('keeps the entries before damage in the middle of a document', async () => {
    const feed = await read(
      rss(`${item(1)}<item><title>Broken <b>bold</i></title><link>https://outlet.example.com/2</link></item>${item(3)}`),
    );
    expect(feed.items.map((i) => i.url)).toContain('https://outlet.example.com/1');
    expect(feed.items.length).toBeGreaterThanOrEqual(2);
    expect(feed.report.document.length).toBeGreaterThan(0);
  });

  it('keeps title-less entries that have an id, a link or content, with a title derived from their text', async () => {
    const feed = await read(
      rss(
        '<item><guid isPermaLink="false">toot-1</guid><description>&lt;p&gt;Just shipped the new wallet release, with hardware key support and a faster sync.&lt;/p&gt;</description></item>' +
          '<item><link>https://outlet.example.com/photo</link></item>',
      ),
    );
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({ key: 'toot-1', titleDerived: true });
    expect(feed.items[0]!.title).toMatch(/^Just shipped the new wallet release/);
    expect(feed.items[1]).toMatchObject({ url: 'https://outlet.example.com/photo', titleDerived: true });
    expect(feed.items.every((i) => i.title.length > 0)).toBe(true);
  });

  it('reads content from body, xhtml:body and fullitem', async () => {
    const feed = await read(
      rss(
        item(1, '<body><p>Body <em>one</em> text.</p></body>') +
          item(
            2,
            '<xhtml:body xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>Second <xhtml:b>bold</xhtml:b> body.</xhtml:p></xhtml:body>',
          ) +
          item(3, '<fullitem>&lt;p&gt;Full item three.&lt;/p&gt;</fullitem>'),
      ),
    );
    expect(feed.items.map((i) => i.contentHtml)).toEqual([
      '<p>Body <em>one</em> text.</p>',
      '<p>Second <b>bold</b> body.</p>',
      '<p>Full item three.</p>',
    ]);
  });

  it('keeps inline markup in a description in document order', async () => {
    const feed = await read(rss(item(1, '<description>Rates <b>rose</b> 2% on <i>Monday</i>.</description>')));
    expect(feed.items[0]!.summary).toBe('Rates rose 2% on Monday.');
  });
});

describe('the language of each entry', () => {
  const spanish = (n: number) =>
    item(
      n,
      '<description>El exchange dijo que había congelado los fondos robados y que trabaja con la policía para rastrear el resto.</description>',
    );
  const english = (n: number) =>
    item(n, '<description>The exchange said it had frozen the stolen funds and was working with the police.</description>');
  const withLanguage = (language: string, items: string) =>
    rss(items).replace('<description>d</description>', `<description>d</description><language>${language}</language>`);

  it('is the one its text is written in when the feed states none', async () => {
    const feed = await read(rss(spanish(1) + english(2) + item(3)));
    expect(feed.items.map((i) => i.language)).toEqual(['es', 'en', undefined]);
  });
  it('is the declared one when the text agrees or is too short to tell, and the text’s when it plainly says another', async () => {
    const feed = await read(withLanguage('es-AR', spanish(1) + item(2) + english(3)));
    expect(feed.items.map((i) => i.language)).toEqual(['es-AR', 'es-AR', 'en']);
    // A Spanish site whose feed was left at its platform's default.
    expect((await read(withLanguage('en-US', spanish(1)))).items[0]!.language).toBe('es');
  });
});

describe('relative URLs in content', () => {
  const content = '<content:encoded><![CDATA[<p><img src="img/chart.png" alt="chart"> <a href="../more">more</a></p>]]></content:encoded>';
  const withContent = (extra: string, link: string) =>
    `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"${extra}><channel><title>T</title>` +
    `<item><title>One</title>${link}${content}</item></channel></rss>`;

  it('resolve against xml:base when the document gives one', async () => {
    const feed = await read(
      withContent(' xml:base="https://static.example.net/blog/2025/"', '<link>https://outlet.example.com/news/one</link>'),
    );
    expect(feed.items[0]!.contentHtml).toContain('src="https://static.example.net/blog/2025/img/chart.png"');
    expect(feed.items[0]!.contentHtml).toContain('href="https://static.example.net/blog/more"');
  });

  it("else against the entry's own link (a feed served from elsewhere keeps its images)", async () => {
    const feed = await read(withContent('', '<link>https://outlet.example.com/news/2025/one</link>'));
    expect(feed.items[0]!.contentHtml).toContain('src="https://outlet.example.com/news/2025/img/chart.png"');
    expect(feed.items[0]!.contentHtml).toContain('href="https://outlet.example.com/news/more"');
  });

  it('else against the feed URL', async () => {
    const feed = await read(withContent('', ''));
    expect(feed.items[0]!.contentHtml).toContain('src="https://outlet.example.com/img/chart.png"');
  });
});

describe('entities a DOCTYPE declares', () => {
  const withDoctype = (subset: string, body: string) => `<?xml version="1.0"?><!DOCTYPE rss [${subset}]>${rss(body)}`;

  it('expands plain-text internal entities', async () => {
    const feed = await read(
      withDoctype(
        '<!ENTITY site "tag:outlet.example.com,"><!ENTITY co \'AT&#38;T\'>',
        item(1, '<guid isPermaLink="false">&site;2006:/1</guid>'),
      ),
    );
    expect(feed.items[0]!.key).toBe('tag:outlet.example.com,2006:/1');
  });

  it('refuses parameter and external entities, references between entities, and expansion past the limit', async () => {
    const refusals = [
      '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
      '<!ENTITY % dtd PUBLIC "-//X//EN" "http://x.example/x.dtd"> %dtd;',
      '<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">',
      '<!ENTITY tag "<b>bold</b>">',
    ];
    for (const subset of refusals) {
      await expect(parseFeed(withDoctype(subset, item(1)))).rejects.toMatchObject({ code: 'xml_entities_forbidden' });
    }
    const big = 'x'.repeat(1000);
    await expect(
      parseFeed(withDoctype(`<!ENTITY big "${big}">`, item(1, `<description>${'&big;'.repeat(1100)}</description>`))),
    ).rejects.toMatchObject({
      code: 'xml_entities_forbidden',
    });
  });
});

describe('what is still refused', () => {
  it('answers not_a_feed for HTML and malformed_feed for broken JSON, with a typed error', async () => {
    await expect(parseFeed('<html><body>Not found</body></html>')).rejects.toMatchObject({ code: 'not_a_feed' });
    await expect(parseFeed('{"version": "https://jsonfeed.org/version/1.1", "items": [')).rejects.toMatchObject({ code: 'malformed_feed' });
    await expect(parseFeed('')).rejects.toBeInstanceOf(IngestError);
  });
});

describe('damaged documents', () => {
  const fixtures = new URL('./fixtures/feeds/', import.meta.url);
  const documents = readdirSync(fixtures)
    .filter((name) => /\.(xml|json)$/.test(name) && !/laughs|external-entity/.test(name))
    .map((name) => new Uint8Array(readFileSync(new URL(name, fixtures))));

  it('gives items or a typed error for 2,000 cut, spliced and byte-flipped fixtures, never anything else', async () => {
    const next = random(20260101);
    let cutAfterAnEntry = 0;
    for (let round = 0; round < 2000; round++) {
      const bytes = documents[round % documents.length]!.slice();
      const damage = round % 3;
      let damaged: Uint8Array = bytes;
      if (damage === 0) damaged = bytes.subarray(0, Math.floor(next() * bytes.length));
      if (damage === 1) for (let i = 0; i < 8; i++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      if (damage === 2) {
        const at = Math.floor(next() * bytes.length);
        damaged = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(Math.floor(next() * bytes.length))]);
      }
      const text = decodeFeedBytes(damaged).text;
      let feed: NormalizedFeed | undefined;
      try {
        feed = normalizeFeed(await parseFeed(text), { feedUrl, now: NOW });
      } catch (error) {
        if (!(error instanceof IngestError)) throw new Error(`round ${round}: ${(error as Error).stack}`);
      }
      for (const i of feed?.items ?? []) expect(typeof i.title).toBe('string');
      // A document cut after a complete entry still gives that entry.
      if (damage === 0 && /<\/(item|entry)>/.test(text)) {
        cutAfterAnEntry++;
        expect(feed?.items.length, `round ${round}`).toBeGreaterThan(0);
      }
    }
    expect(cutAfterAnEntry).toBeGreaterThan(100);
  });
});
