import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../src/ingest/ingest-error.ts';
import { parseSourcesOpml, renderSourcesOpml } from '../src/ingest/sources-opml.ts';

const opml = (body: string, version = '2.0') =>
  `<?xml version="1.0" encoding="utf-8"?>\n<opml version="${version}">\n  <head><title>Test</title></head>\n  <body>\n${body}\n  </body>\n</opml>\n`;

async function refusal(text: string): Promise<IngestError> {
  const error = await parseSourcesOpml(text).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).code).toBe('invalid_opml');
  return error as IngestError;
}

describe('parseSourcesOpml', () => {
  it('reads subscriptions in document order with every attribute', async () => {
    const sources = await parseSourcesOpml(
      opml(`
    <outline type="rss" text="Text A" title="Title A" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/" language="en"/>
    <outline type="rss" text="Text B" xmlUrl="http://b.example/rss.xml"/>`),
    );
    expect(sources).toEqual([
      { url: 'https://a.example/feed', title: 'Title A', language: 'en', htmlUrl: 'https://a.example/' },
      { url: 'http://b.example/rss.xml', title: 'Text B' },
    ]);
  });

  it('accepts OPML 1.0', async () => {
    const sources = await parseSourcesOpml(opml('<outline text="Old" type="rss" xmlUrl="https://old.example/rss"/>', '1.0'));
    expect(sources).toEqual([{ url: 'https://old.example/rss', title: 'Old' }]);
  });

  it('takes the category from the innermost named folder, through nesting', async () => {
    const sources = await parseSourcesOpml(
      opml(`
    <outline type="rss" text="Top" xmlUrl="https://top.example/feed"/>
    <outline text="News">
      <outline type="rss" text="One" xmlUrl="https://one.example/feed"/>
      <outline title="Crypto">
        <outline type="rss" text="Two" xmlUrl="https://two.example/feed"/>
        <outline text="  ">
          <outline type="rss" text="Three" xmlUrl="https://three.example/feed"/>
        </outline>
      </outline>
      <outline type="rss" text="Four" xmlUrl="https://four.example/feed"/>
    </outline>
    <outline type="rss" text="Five" xmlUrl="https://five.example/feed"/>`),
    );
    expect(sources.map((s) => [s.title, s.category])).toEqual([
      ['Top', undefined],
      ['One', 'News'],
      ['Two', 'Crypto'],
      ['Three', 'Crypto'],
      ['Four', 'News'],
      ['Five', undefined],
    ]);
  });

  it('prefers text over title for a folder name', async () => {
    const [source] = await parseSourcesOpml(
      opml('<outline text="Folder text" title="Folder title"><outline xmlUrl="https://x.example/f"/></outline>'),
    );
    expect(source.category).toBe('Folder text');
  });

  it('reads deeply nested folders without overflowing the stack', async () => {
    const depth = 20_000;
    const body = `${'<outline text="f">'.repeat(depth)}<outline text="Deep" xmlUrl="https://deep.example/feed"/>${'</outline>'.repeat(depth)}`;
    expect(await parseSourcesOpml(opml(body))).toEqual([{ url: 'https://deep.example/feed', title: 'Deep', category: 'f' }]);
  });

  it.each([
    ['xmlUrl', 'htmlUrl'],
    ['xmlurl', 'htmlurl'],
    ['XMLURL', 'HTMLURL'],
    ['XmlUrl', 'HtmlUrl'],
  ])('accepts the attribute spelling %s', async (xmlName, htmlName) => {
    const sources = await parseSourcesOpml(
      opml(
        `<outline TEXT="Cased" Title="Title" ${xmlName}="https://cased.example/feed" ${htmlName}="https://cased.example/" LANGUAGE="es"/>`,
      ),
    );
    expect(sources).toEqual([{ url: 'https://cased.example/feed', title: 'Title', htmlUrl: 'https://cased.example/', language: 'es' }]);
  });

  it.each([
    ['title="T" text="X"', 'T'],
    ['title="" text="X"', 'X'],
    ['title="   " text="  X  "', 'X'],
    ['text=""', 'feeds.example:8080'],
    ['', 'feeds.example:8080'],
  ])('takes the title from %s', async (attributes, title) => {
    const [source] = await parseSourcesOpml(opml(`<outline ${attributes} xmlUrl="https://feeds.example:8080/rss"/>`));
    expect(source.title).toBe(title);
  });

  it('decodes entities and character references in titles', async () => {
    const [source] = await parseSourcesOpml(
      opml(
        `<outline text="Tom &amp; Jerry&apos;s &lt;News&gt; &quot;daily&quot; &#233;&#x00F1; caf&#xe9;" xmlUrl="https://e.example/?a=1&amp;b=2"/>`,
      ),
    );
    expect(source.title).toBe(`Tom & Jerry's <News> "daily" éñ café`);
    expect(source.url).toBe('https://e.example/?a=1&b=2');
  });

  it('keeps the first of duplicate URLs, comparing them serialised', async () => {
    const sources = await parseSourcesOpml(
      opml(`
    <outline text="First" xmlUrl="https://dup.example/feed"/>
    <outline text="Other" xmlUrl="https://other.example/feed"/>
    <outline text="Folder"><outline text="Second" xmlUrl="https://DUP.example/feed"/></outline>
    <outline text="Third" xmlUrl="  https://dup.example/feed  "/>`),
    );
    expect(sources.map((s) => s.title)).toEqual(['First', 'Other']);
  });

  it.each([
    ['es', 'es'],
    ['es-ES', 'es-ES'],
    ['es-es', 'es-ES'],
    ['en_US', 'en-US'],
    ['es-419', 'es-419'],
    ['zh-Hant-TW', 'zh-Hant-TW'],
    [' en ', 'en'],
    ['English', undefined],
    ['e', undefined],
    ['en-', undefined],
    ['123', undefined],
    ['x-private', undefined],
    ['', undefined],
  ])('reads language %j as %j', async (language, expected) => {
    const [source] = await parseSourcesOpml(opml(`<outline text="L" xmlUrl="https://l.example/feed" language="${language}"/>`));
    expect(source.language).toBe(expected);
  });

  it('drops an htmlUrl that is not an absolute http(s) URL', async () => {
    const [source] = await parseSourcesOpml(opml('<outline text="H" xmlUrl="https://h.example/feed" htmlUrl="/relative"/>'));
    expect(source).toEqual({ url: 'https://h.example/feed', title: 'H' });
  });

  it('ignores a DOCTYPE without entities and keeps error positions', async () => {
    const doctype = '<?xml version="1.0"?>\n<!DOCTYPE opml [\n  <!ELEMENT opml ANY>\n]>\n';
    const good = `${doctype}<opml version="2.0"><body><outline text="D" xmlUrl="https://d.example/feed"/></body></opml>`;
    expect(await parseSourcesOpml(good)).toEqual([{ url: 'https://d.example/feed', title: 'D' }]);
    const simple = '<!DOCTYPE opml SYSTEM "opml.dtd">\n<opml><body><outline text="S" xmlUrl="https://s.example/"/></body></opml>';
    expect(await parseSourcesOpml(simple)).toHaveLength(1);
    const broken = `${doctype}<opml version="2.0"><body>\n<outline text="D" xmlUrl="https://d.example/feed">\n</body></opml>`;
    expect((await refusal(broken)).message).toMatch(/line 7, column 7/);
  });

  it('ignores a byte order mark', async () => {
    expect(await parseSourcesOpml(`\uFEFF${opml('<outline text="B" xmlUrl="https://b.example/"/>')}`)).toHaveLength(1);
  });

  it('ignores unknown attributes and comments, and reads our isDisabled', async () => {
    const sources = await parseSourcesOpml(
      opml(
        '<!-- a comment --><outline text="C" xmlUrl="https://c.example/" isDisabled="true" category="/x/y" created="Mon, 01 Jan 2024"/>',
      ),
    );
    expect(sources).toEqual([{ url: 'https://c.example/', title: 'C', enabled: false }]);
  });

  describe('refuses', () => {
    it.each([
      [
        'an unclosed element',
        opml('<outline text="A" xmlUrl="https://a.example/">'),
        /not well-formed XML: unexpected close tag at line 6, column 9/,
      ],
      ['a bare ampersand', opml('<outline text="A & B" xmlUrl="https://a.example/"/>'), /not well-formed XML: .* at line 5, column \d+/],
      ['text before the root', 'hello <opml/>', /not well-formed XML: non-whitespace before first tag at line 1, column 1/],
      ['an unclosed root', '<opml version="2.0"><body>', /not well-formed XML: unclosed root tag at line 1/],
      [
        'an undeclared entity',
        opml('<outline text="&bogus;" xmlUrl="https://a.example/"/>'),
        /not well-formed XML: invalid character entity at line 5/,
      ],
    ])('a document with %s', async (_name, text, message) => {
      expect((await refusal(text)).message).toMatch(message);
    });

    it.each([
      ['an empty document', ''],
      ['a blank document', '  \n  '],
    ])('%s', async (_name, text) => {
      expect((await refusal(text)).message).toMatch(/empty|not well-formed/);
    });

    it.each([
      ['<!DOCTYPE opml [<!ENTITY a "b">]>\n<opml><body><outline text="&a;" xmlUrl="https://a.example/"/></body></opml>'],
      [
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;">\n]>\n<opml><body><outline text="&lol2;" xmlUrl="https://a.example/"/></body></opml>',
      ],
      [
        '<!DOCTYPE opml [<!entity x SYSTEM "file:///etc/passwd">]><opml><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>',
      ],
    ])('a DOCTYPE declaring entities: %s', async (text) => {
      expect((await refusal(text)).message).toMatch(/declares entities .*DOCTYPE/);
    });

    it.each([
      ['<rss version="2.0"><channel/></rss>', /root element is <rss>/],
      ['<feed xmlns="http://www.w3.org/2005/Atom"/>', /root element is <feed>/],
      ['<OPML><body><outline xmlUrl="https://a.example/"/></body></OPML>', /root element is <OPML>/],
    ])('a root other than <opml>: %s', async (text, message) => {
      expect((await refusal(text)).message).toMatch(message);
    });

    it.each([
      ['<opml version="2.0"/>'],
      ['<opml version="2.0"><head><title>No body</title></head></opml>'],
      ['<opml version="2.0"><head><outline text="A" xmlUrl="https://a.example/"/></head></opml>'],
    ])('an OPML without <body>: %s', async (text) => {
      expect((await refusal(text)).message).toMatch(/has no <body>/);
    });

    it.each([
      ['an empty body', opml('')],
      ['only folders', opml('<outline text="Empty folder"/><outline text="Another"><outline text="Inner"/></outline>')],
      ['links but no feeds', opml('<outline type="link" text="A site" url="https://a.example/"/>')],
    ])('%s: no subscription', async (_name, text) => {
      expect((await refusal(text)).message).toMatch(/holds no subscription/);
    });

    it.each([
      ['relative', 'feeds/news.xml'],
      ['scheme-relative', '//cdn.example/feed'],
      ['ftp', 'ftp://files.example/feed.xml'],
      ['javascript', 'javascript:alert(1)'],
      ['feed scheme', 'feed://news.example/rss'],
      ['empty', ''],
      ['not a URL', 'not a url'],
    ])('a subscription whose xmlUrl is %s', async (_name, value) => {
      const text = opml(`
    <outline text="Fine" xmlUrl="https://fine.example/feed"/>
    <outline text="Folder">
      <outline text="Also fine" xmlUrl="https://fine.example/other"/>
      <outline text="Broken &amp; bad" xmlUrl="${value}"/>
    </outline>`);
      const { message } = await refusal(text);
      expect(message).toContain('Subscription 3');
      expect(message).toContain('"Broken & bad"');
      expect(message).toContain(`xmlUrl "${value}"`);
      expect(message).toContain('not an absolute http:// or https:// URL');
    });

    it('a bad xmlUrl on an untitled outline', async () => {
      expect((await refusal(opml('<outline xmlUrl="news.xml"/>'))).message).toBe(
        'Subscription 1 (untitled) has xmlUrl "news.xml", which is not an absolute http:// or https:// URL.',
      );
    });

    it('counts duplicates in the position of a bad xmlUrl', async () => {
      const text = opml(
        '<outline text="A" xmlUrl="https://a.example/"/><outline text="A again" xmlUrl="https://a.example/"/><outline text="Bad" xmlUrl="x"/>',
      );
      expect((await refusal(text)).message).toMatch(/^Subscription 3 \("Bad"\)/);
    });

    it('more than 5,000 subscriptions', async () => {
      const outlines = (count: number) =>
        Array.from({ length: count }, (_, i) => `<outline text="F${i}" xmlUrl="https://f${i}.example/feed"/>`).join('');
      expect(await parseSourcesOpml(opml(outlines(5000)))).toHaveLength(5000);
      expect((await refusal(opml(outlines(5001)))).message).toMatch(/more than 5,000 subscriptions/);
    });
  });
});

describe('data/sources.opml', () => {
  it('parses into at least 12 sources in English and Spanish, grouped by language', async () => {
    const sources = await parseSourcesOpml(await readFile(new URL('../data/sources.opml', import.meta.url), 'utf8'));
    expect(sources.length).toBeGreaterThanOrEqual(12);
    expect(new Set(sources.map((s) => s.language))).toEqual(new Set(['en', 'es']));
    for (const source of sources) {
      expect(source.url).toMatch(/^https:\/\//);
      expect(source.htmlUrl).toMatch(/^https:\/\//);
      expect(source.title).not.toBe('');
      expect(source.category).toBe(source.language === 'en' ? 'English' : 'Español');
    }
    expect(sources.filter((s) => s.language === 'es').length).toBeGreaterThanOrEqual(4);
  });
});

describe('renderSourcesOpml', () => {
  const sources = [
    { url: 'https://a.example/feed', title: 'Tom & Jerry\'s <News> "daily"', language: 'en' },
    { url: 'https://b.example/rss?x=1&y=2', title: 'Noticias en español', language: 'es-ES', enabled: true },
    { url: 'https://c.example/feed', title: 'No language', language: null },
    { url: 'https://d.example/feed', title: 'Disabled', enabled: false },
  ];

  it('writes OPML 2.0 with escaped attributes and marks disabled sources', () => {
    const text = renderSourcesOpml('My <sources> & more', sources);
    expect(text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<opml version="2.0">/);
    expect(text).toContain('<title>My &lt;sources&gt; &amp; more</title>');
    expect(text).toContain(
      '<outline type="rss" text="Tom &amp; Jerry\'s &lt;News&gt; &quot;daily&quot;" title="Tom &amp; Jerry\'s &lt;News&gt; &quot;daily&quot;" xmlUrl="https://a.example/feed" language="en"/>',
    );
    expect(text).toContain('xmlUrl="https://b.example/rss?x=1&amp;y=2" language="es-ES"/>');
    expect(text).toContain('<outline type="rss" text="No language" title="No language" xmlUrl="https://c.example/feed"/>');
    expect(text).toContain('xmlUrl="https://d.example/feed" isDisabled="true"/>');
    expect(text.match(/isDisabled/g)).toHaveLength(1);
  });

  it('round-trips urls, titles and languages through parseSourcesOpml', async () => {
    const parsed = await parseSourcesOpml(renderSourcesOpml('Round trip', sources));
    expect(parsed.map(({ url, title, language }) => ({ url, title, language: language ?? null }))).toEqual(
      sources.map(({ url, title, language }) => ({ url, title, language: language ?? null })),
    );
  });

  it('round-trips the shipped default list', async () => {
    const original = await parseSourcesOpml(await readFile(new URL('../data/sources.opml', import.meta.url), 'utf8'));
    const again = await parseSourcesOpml(renderSourcesOpml('Again', original));
    expect(again.map(({ url, title, language }) => ({ url, title, language }))).toEqual(
      original.map(({ url, title, language }) => ({ url, title, language })),
    );
  });

  it('drops characters XML cannot hold so the output always parses', async () => {
    const [source] = await parseSourcesOpml(
      renderSourcesOpml('T\u0000', [{ url: 'https://x.example/', title: 'Bell\u0007 ok \u{1F680}' }]),
    );
    expect(source.title).toBe('Bell ok \u{1F680}');
  });

  it('renders an empty list as a well-formed document', () => {
    expect(renderSourcesOpml('Empty', [])).toContain('<body>\n  </body>');
  });
});

describe('disabled sources', () => {
  it('round-trip through export and import as disabled', async () => {
    const opml = renderSourcesOpml('Sources', [
      { url: 'https://on.example.com/rss', title: 'On', enabled: true },
      { url: 'https://off.example.com/rss', title: 'Off', enabled: false },
    ]);
    const parsed = await parseSourcesOpml(opml);
    expect(parsed.map((source) => [source.url, source.enabled])).toEqual([
      ['https://on.example.com/rss', undefined],
      ['https://off.example.com/rss', false],
    ]);
  });
});
