import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DecodedFeed, decodeFeedBytes } from '../src/ingest/decode.ts';
import { IngestError } from '../src/ingest/ingest-error.ts';
import { type NormalizedFeed, type NormalizedItem, normalizeFeed } from '../src/ingest/normalize.ts';
import { type ParsedFeed, parseFeed } from '../src/ingest/parse.ts';

/**
 * One fixture per real-world feed shape a crypto-news aggregator meets (tests/fixtures/feeds/README.md),
 * each run through decode → parse → normalize and checked against what a careful feed reader gets.
 * Tests marked `it.fails` state the correct behaviour of a known bug (see the `// BUG:` comments).
 */

const NOW = Date.UTC(2025, 5, 15);
const REL = 'noopener noreferrer nofollow ugc';
const fixtures = new URL('./fixtures/feeds/', import.meta.url);

interface Options {
  feedUrl: string;
  contentType?: string;
  sourceLanguage?: string;
  now?: number;
}

interface Ingested {
  decoded: DecodedFeed;
  parsed: ParsedFeed;
  feed: NormalizedFeed;
}

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, fixtures)));
}

async function ingest(name: string, options: Options): Promise<Ingested> {
  const decoded = decodeFeedBytes(bytesOf(name), options.contentType);
  const parsed = await parseFeed(decoded.text);
  const feed = normalizeFeed(parsed, { feedUrl: options.feedUrl, sourceLanguage: options.sourceLanguage, now: options.now ?? NOW });
  return { decoded, parsed, feed };
}

/** Runs the pipeline on a fixture that must be refused, returning what was thrown. */
async function refusal(name: string, options: Options): Promise<{ error: unknown }> {
  try {
    await ingest(name, options);
  } catch (error) {
    return { error };
  }
  throw new Error(`${name} was ingested, but should have been refused`);
}

function expectIngestError(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).code).toBe(code);
}

function item(feed: NormalizedFeed, key: string): NormalizedItem {
  const found = feed.items.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no item with key ${key}; keys are ${feed.items.map((i) => i.key).join(', ')}`);
  return found;
}

const codePoints = (text: string) => [...text].length;

/** What every stored item must satisfy, whatever the feed sent. */
function expectStorable(feed: NormalizedFeed): void {
  for (const entry of feed.items) {
    expect(entry.key, 'key').not.toBe('');
    if (entry.url !== undefined) {
      const url = new URL(entry.url);
      expect(['http:', 'https:'], entry.url).toContain(url.protocol);
      expect(url.hash, entry.url).toBe('');
      expect(
        [...url.searchParams.keys()].filter((name) => /^utm_/i.test(name)),
        entry.url,
      ).toEqual([]);
    }
    expect(entry.title, 'title is plain text').not.toMatch(/<[a-z/!]|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i);
    expect(codePoints(entry.summary)).toBeLessThanOrEqual(500);
    expect(entry.summary, 'summary is plain text').not.toMatch(/<[a-z/!]/i);
    expectSafeHtml(entry.contentHtml);
    expect(entry.publishedAt).toBeGreaterThanOrEqual(Date.UTC(1990, 0, 1));
    expect(entry.publishedAt).toBeLessThanOrEqual(NOW + 86_400_000);
    expect(entry.updatedAt).toBeGreaterThanOrEqual(entry.publishedAt);
  }
}

function expectSafeHtml(html: string): void {
  expect(html).not.toMatch(/<(script|style|iframe|form|input|button|svg|object|embed)\b/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/\sstyle\s*=/i);
  expect(html).not.toMatch(/javascript:|vbscript:|data:text\/html/i);
  for (const [tag] of html.matchAll(/<a\b[^>]*>/g)) {
    expect(tag).toMatch(/\shref="(?:https?:\/\/|mailto:)[^"]+"/);
    expect(tag).toContain(` rel="${REL}"`);
  }
  for (const [tag] of html.matchAll(/<img\b[^>]*>/g)) expect(tag).toMatch(/\ssrc="https?:\/\/[^"]+"/);
}

describe('rss2-wordpress.xml (WordPress RSS 2.0)', () => {
  const load = () => ingest('rss2-wordpress.xml', { feedUrl: 'https://chainwire.example.com/feed/', sourceLanguage: 'fr' });

  it('reads the channel: title with entities decoded, home URL, language, ttl and sy:update*', async () => {
    const { parsed, feed } = await load();
    expect(parsed.format).toBe('rss');
    expect(feed.title).toBe('Chainwire Daily – Crypto news, markets & analysis');
    expect(feed.homeUrl).toBe('https://chainwire.example.com/');
    expect(feed.language).toBe('en-US');
    expect(parsed.ttlMinutes).toBe(60);
    expect(parsed.updatePeriod).toEqual({ period: 'hourly', frequency: 1 });
  });

  it('keys items by their non-permalink guid and canonicalizes links (no utm_*, no #respond)', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.url])).toEqual([
      ['https://chainwire.example.com/?p=48213', 'https://chainwire.example.com/2025/06/10/bitcoin-etf-inflows-top-1-2b/'],
      ['https://chainwire.example.com/?p=48190', 'https://chainwire.example.com/2025/06/10/ethereum-pectra-stakers/'],
      ['https://chainwire.example.com/?p=48102', 'https://chainwire.example.com/2025/06/09/weekly-wrap-memecoins-defi-lending/'],
    ]);
    expectStorable(feed);
  });

  it('decodes numeric entities in titles to plain text', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.title)).toEqual([
      'Bitcoin ETF inflows top $1.2B as BTC reclaims $110K',
      'Ethereum’s Pectra upgrade: what changes for stakers & validators',
      'Weekly wrap: memecoins cool off while DeFi lending hits record',
    ]);
  });

  it('takes authors from dc:creator and deduplicated categories', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.authors)).toEqual([['Maya Lindqvist'], ['Tomás Herrera'], ['Maya Lindqvist']]);
    expect(feed.items.map((i) => i.categories)).toEqual([
      ['Markets', 'Bitcoin', 'ETFs'],
      ['Ethereum', 'Staking'],
      ['DeFi', 'Memecoins'],
    ]);
  });

  it('uses the channel language over the source language and reads each pubDate', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.language)).toEqual(['en-US', 'en-US', 'en-US']);
    expect(feed.items.map((i) => i.publishedAt)).toEqual([
      Date.UTC(2025, 5, 10, 8, 30),
      Date.UTC(2025, 5, 10, 6, 5, 12),
      Date.UTC(2025, 5, 9, 21, 0),
    ]);
    expect(feed.items.map((i) => i.updatedAt)).toEqual(feed.items.map((i) => i.publishedAt));
  });

  it('summarizes the description as plain text, without WordPress’s “The post … appeared first on …” signature', async () => {
    const { feed } = await load();
    expect(feed.items[0].summary).toBe('Spot bitcoin funds took in more than $1.2 billion in a single session, the most since January…');
    expect(feed.items[0].contentHtml).not.toMatch(/appeared first on/);
    expect(feed.items[0].contentHtml).toMatch(/<p>/);
    expect(feed.items[1].summary).toBe(
      'Raising the validator balance cap to 2,048 ETH lets large operators consolidate – here is what that means for solo stakers […]',
    );
  });

  it('cuts a summary taken from long content:encoded to 500 code points at a word boundary', async () => {
    const { feed } = await load();
    const { summary, contentHtml } = feed.items[2];
    const full = contentHtml
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    expect(codePoints(full)).toBeGreaterThan(500);
    expect(codePoints(summary)).toBeLessThanOrEqual(500);
    expect(codePoints(summary)).toBeGreaterThan(400);
    expect(summary.endsWith('…')).toBe(true);
    const head = summary.slice(0, -1);
    expect(full.startsWith(head)).toBe(true);
    expect(full.charAt(head.length)).toBe(' ');
    expect(summary.startsWith('It was a week of rotation. Memecoin volumes on Solana decentralized exchanges fell')).toBe(true);
  });

  it('sanitizes content:encoded: absolute links with rel, lazy images, h1 kept, WordPress attributes dropped', async () => {
    const { feed } = await load();
    const first = feed.items[0].contentHtml;
    expect(first).toContain(
      '<img width="1024" height="576" src="https://chainwire.example.com/wp-content/uploads/2025/06/btc-etf-flows-1024x576.jpg" alt="Chart of daily ETF flows" loading="lazy" />',
    );
    expect(first).toContain(`<a href="https://chainwire.example.com/data/etf-flows/" rel="${REL}">our ETF tracker</a>`);
    expect(first).toContain('<p>“Allocators who sat out the spring are coming back,” one desk head told us.</p>');
    expect(first).not.toMatch(/srcset|class=|decoding=/);
    expect(feed.items[1].contentHtml).toBe(
      '<h1>Consolidation, explained</h1>\n<p>Raising the validator balance cap to <em>2,048 ETH</em> lets large operators consolidate. ' +
        `See <a href="https://chainwire.example.com/guides/staking/?utm_source=rss" rel="${REL}">our staking guide</a>.</p>\n`,
    );
  });

  it('takes the image from media:content (no type) and from an image enclosure (typed)', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.image)).toEqual([
      { url: 'https://chainwire.example.com/wp-content/uploads/2025/06/btc-etf-flows.jpg', type: undefined, length: undefined },
      { url: 'https://chainwire.example.com/wp-content/uploads/2025/06/pectra-validators.png', type: 'image/png', length: 204811 },
      undefined,
    ]);
  });
});

describe('rss2-no-guid.xml (RSS 2.0 without guids)', () => {
  const options = { feedUrl: 'https://ledgerledger.test/altcoins/feed.xml', sourceLanguage: 'EN' };

  it('keys items by canonical link and drops the duplicate that differs only in tracking parameters', async () => {
    const { feed } = await ingest('rss2-no-guid.xml', options);
    expect(feed.items).toHaveLength(3);
    expect(feed.items.slice(0, 2).map((i) => [i.key, i.url])).toEqual([
      ['https://ledgerledger.test/altcoins/xrp-volumes-jump?ref=home', 'https://ledgerledger.test/altcoins/xrp-volumes-jump?ref=home'],
      ['https://ledgerledger.test/altcoins/cardano-chang-vote', 'https://ledgerledger.test/altcoins/cardano-chang-vote'],
    ]);
    expect(feed.items[0].summary).toBe('Spot volumes doubled on Korean venues within hours.');
    expectStorable(feed);
  });

  it('falls back to a hash key, stable across runs, for an item with neither guid nor link', async () => {
    const first = (await ingest('rss2-no-guid.xml', options)).feed.items[2];
    const second = (await ingest('rss2-no-guid.xml', { ...options, now: NOW + 3_600_000 })).feed.items[2];
    expect(first.key).toMatch(/^hash:[0-9a-f]{8,14}$/);
    expect(second.key).toBe(first.key);
    expect(first.url).toBeUndefined();
    expect(first.title).toBe('Markets closed early for the Juneteenth holiday');
    expect(first.summary).toBe('');
    expect(first.contentHtml).toBe('');
    expect(first.publishedAt).toBe(Date.UTC(2025, 5, 12, 16, 0));
  });

  it('strips markup from escaped titles and reads "email (Name)" authors', async () => {
    const { feed } = await ingest('rss2-no-guid.xml', options);
    expect(feed.items.map((i) => i.title)).toEqual([
      'XRP volumes jump after court filing',
      'Cardano Chang vote passes',
      'Markets closed early for the Juneteenth holiday',
    ]);
    expect(feed.items.map((i) => i.authors)).toEqual([['Hana Kim'], [], []]);
    expect(feed.items[1].contentHtml).toBe('<p>Delegated representatives approved the treasury withdrawal.</p>');
  });

  it('uses the source language when the feed states none', async () => {
    const { feed } = await ingest('rss2-no-guid.xml', options);
    expect(feed.title).toBe('Ledger Ledger — Altcoin Briefs');
    expect(feed.homeUrl).toBe('https://ledgerledger.test/altcoins/');
    expect(feed.language).toBe('en');
    expect(feed.items.map((i) => i.language)).toEqual(['en', 'en', 'en']);
    const without = await ingest('rss2-no-guid.xml', { feedUrl: options.feedUrl });
    expect(without.feed.language).toBeUndefined();
    expect(without.feed.items[0].language).toBeUndefined();
  });
});

describe('rss2-dates.xml (pubDate variants)', () => {
  const load = () => ingest('rss2-dates.xml', { feedUrl: 'https://blockclock.example.org/feed.rss' });
  const cases: [string, number][] = [
    ['gmt', Date.UTC(2025, 5, 10, 4, 0, 0)],
    ['offset', Date.UTC(2025, 5, 10, 2, 0, 0)],
    ['est', Date.UTC(2025, 5, 10, 9, 0, 0)],
    ['pdt', Date.UTC(2025, 5, 10, 11, 0, 0)],
    ['iso', Date.UTC(2025, 5, 10, 4, 0, 0)],
    ['missing', NOW],
    ['1900', NOW],
    ['2099', NOW],
  ];

  it('keeps all eight items, keyed by guid', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.key)).toEqual(cases.map(([slug]) => `https://blockclock.example.org/a/${slug}`));
    expectStorable(feed);
  });

  it.each(cases)('reads the %s date as %d', async (slug, expected) => {
    const { feed } = await load();
    const entry = item(feed, `https://blockclock.example.org/a/${slug}`);
    expect(entry.publishedAt).toBe(expected);
    expect(entry.updatedAt).toBe(expected);
  });

  it('dates the undated and implausible items with the time they were first seen', async () => {
    const later = NOW + 7 * 86_400_000;
    const { feed } = await ingest('rss2-dates.xml', { feedUrl: 'https://blockclock.example.org/feed.rss', now: later });
    expect(['missing', '1900'].map((slug) => item(feed, `https://blockclock.example.org/a/${slug}`).publishedAt)).toEqual([later, later]);
    expect(item(feed, 'https://blockclock.example.org/a/gmt').publishedAt).toBe(Date.UTC(2025, 5, 10, 4));
  });
});

describe('rss2-spanish.xml (Spanish outlet, HTML entities outside CDATA)', () => {
  const load = () => ingest('rss2-spanish.xml', { feedUrl: 'https://criptoibericas.example.com/feed/', sourceLanguage: 'en' });

  it('reads the channel with accents and &amp; intact', async () => {
    const { feed } = await load();
    expect(feed.title).toBe('CriptoNoticias Ibéricas · Mercados & Regulación');
    expect(feed.homeUrl).toBe('https://criptoibericas.example.com/');
    expect(feed.language).toBe('es-ES');
    expect(feed.items.map((i) => i.language)).toEqual(['es-ES', 'es-ES', 'es-ES']);
    expectStorable(feed);
  });

  it('keeps ¿¡ ñ and accents in titles and decodes &amp;', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.title])).toEqual([
      [
        'https://criptoibericas.example.com/regulacion/mica-exchanges-espanoles/',
        '¿Qué significa MiCA para los exchanges españoles? La CNMV responde',
      ],
      [
        'https://criptoibericas.example.com/mercados/record-volumen-latam/',
        '¡Récord! El volumen en pesos argentinos & bolívares se dispara',
      ],
      ['https://criptoibericas.example.com/mineria/halving-espana/', 'Año nuevo, señales viejas: el halving y la minería en España'],
    ]);
  });

  it('decodes &nbsp; &eacute; &mdash; &quot; and double-escaped entities in descriptions', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.summary)).toEqual([
      'La CNMV publicó una guía sobre el período transitorio: los proveedores también tendrán hasta julio de 2026 para obtener la licencia.',
      'Los analistas hablan de «refugio digital» frente a la inflación — y advierten: "no es una inversión sin riesgo".',
      'Las granjas de Aragón y Castilla y León ajustan costes tras la reducción de la recompensa por bloque.',
    ]);
    expect(feed.items[0].contentHtml).toBe(
      '<p>La CNMV publicó una guía sobre el período transitorio:\u00A0los proveedores también tendrán hasta julio de 2026 para obtener la licencia.</p>',
    );
  });

  it('reads authors, categories and +0200 dates', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.authors)).toEqual([['Begoña Muñoz'], ['Íñigo Peña'], ['Begoña Muñoz']]);
    expect(feed.items.map((i) => i.categories)).toEqual([['Regulación', 'Unión Europea'], ['Mercados'], ['Minería']]);
    expect(feed.items.map((i) => i.publishedAt)).toEqual([
      Date.UTC(2025, 5, 10, 5, 15),
      Date.UTC(2025, 5, 9, 16, 40),
      Date.UTC(2025, 5, 8, 8, 0),
    ]);
  });
});

describe('rss1-rdf.xml (RSS 1.0 / RDF)', () => {
  const load = () => ingest('rss1-rdf.xml', { feedUrl: 'https://hashrate.example.org/index.rdf' });

  it('reads the channel and dc:language', async () => {
    const { parsed, feed } = await load();
    expect(parsed.format).toBe('rdf');
    expect(feed.title).toBe('Hashrate Journal');
    expect(feed.homeUrl).toBe('https://hashrate.example.org/');
    expect(feed.language).toBe('en-GB');
  });

  it('keys items by rdf:about and canonicalizes links', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.url, i.title])).toEqual([
      [
        'https://hashrate.example.org/2025/06/difficulty-adjustment',
        'https://hashrate.example.org/2025/06/difficulty-adjustment',
        'Difficulty adjusts up 4.4% to a new all-time high',
      ],
      [
        'https://hashrate.example.org/2025/06/stratum-v2',
        'https://hashrate.example.org/2025/06/stratum-v2',
        'Stratum V2 adoption, one year on',
      ],
    ]);
    expectStorable(feed);
  });

  it('reads dc:creator, dc:subject and dc:date (with offset and date-only)', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.authors)).toEqual([['R. Okafor'], ['L. Brandt']]);
    expect(feed.items.map((i) => i.categories)).toEqual([['Mining'], ['Mining', 'Protocol']]);
    expect(feed.items.map((i) => i.publishedAt)).toEqual([Date.UTC(2025, 5, 10, 10, 20), Date.UTC(2025, 5, 9)]);
    expect(feed.items.map((i) => i.summary)).toEqual([
      'Miners face thinner margins as hashprice slides below $50/PH/day.',
      'Which pools let miners build their own block templates, and which still do not.',
    ]);
  });
});

describe('rss091-netscape.xml (RSS 0.91 with the Netscape DOCTYPE)', () => {
  const load = () => ingest('rss091-netscape.xml', { feedUrl: 'http://satoshistreet.example.com/rss/headlines.rss' });

  it('accepts the external DOCTYPE without fetching it and decodes the declared ISO-8859-1', async () => {
    const { decoded, parsed, feed } = await load();
    expect(decoded).toMatchObject({ encoding: 'windows-1252', source: 'declaration' });
    expect(parsed.format).toBe('rss');
    expect(feed.title).toBe('Satoshi Street Journal');
    expect(feed.homeUrl).toBe('http://satoshistreet.example.com/');
    expect(feed.language).toBe('en-US');
  });

  it('keys guid-less items by link and dates them with the first-seen time', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.url, i.title, i.summary, i.publishedAt, i.language])).toEqual([
      [
        'http://satoshistreet.example.com/stories/2025/06/litecoin-halving.html',
        'http://satoshistreet.example.com/stories/2025/06/litecoin-halving.html',
        'Litecoin halving countdown enters final month',
        'Block reward falls to 3.125 LTC in about 30 days.',
        NOW,
        'en-US',
      ],
      [
        'http://satoshistreet.example.com/stories/2025/06/doge-roadmap.html',
        'http://satoshistreet.example.com/stories/2025/06/doge-roadmap.html',
        'Dogecoin foundation publishes roadmap',
        'Libdogecoin and a new wallet headline the plan.',
        NOW,
        'en-US',
      ],
    ]);
    expectStorable(feed);
  });
});

describe('atom10-xmlbase.xml (Atom 1.0 with xml:base and xml:lang)', () => {
  const load = () => ingest('atom10-xmlbase.xml', { feedUrl: 'https://onchain.example.org/feeds/atom.xml', sourceLanguage: 'de' });
  const first = 'tag:onchain.example.org,2025:/news/genius-act-senate-vote';
  const second = 'urn:uuid:6f1c2a9e-3b7d-4e2a-9a51-0c4d8e7f1b22';
  const third = 'tag:onchain.example.org,2025:/news/l2-fees';

  it('resolves the feed xml:base against the feed URL for the home link', async () => {
    const { parsed, feed } = await load();
    expect(parsed.format).toBe('atom');
    expect(feed.title).toBe('Onchain Observer');
    expect(feed.homeUrl).toBe('https://onchain.example.org/news/');
    expect(feed.language).toBe('en');
  });

  it('keys entries by atom:id and resolves links through nested xml:base', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.url])).toEqual([
      [first, 'https://onchain.example.org/news/2025/06/genius-act-senate-vote?page=1'],
      [second, 'https://onchain.example.org/es/2025/06/mica-normas-tecnicas'],
      [third, 'https://onchain.example.org/news/research/l2-fees'],
    ]);
    expectStorable(feed);
  });

  it('reads html and text titles and a text summary as plain text', async () => {
    const { feed } = await load();
    expect(item(feed, first).title).toBe('Stablecoin bill clears Senate vote, 68–30');
    expect(item(feed, second).title).toBe('La UE aprueba normas técnicas de MiCA');
    expect(item(feed, first).summary).toBe('The bill now goes to the House. Issuers & banks get 18 months; fees < 1% are exempt.');
  });

  it('reads an xhtml title in document order', async () => {
    const { feed } = await load();
    expect(item(feed, third).title).toBe('Layer-2 fees fall after blob upgrade');
  });

  it('sanitizes html content and resolves its relative links and images against the entry base', async () => {
    const { feed } = await load();
    expect(item(feed, first).contentHtml).toBe(
      `<p>The Senate passed the bill late Tuesday. Read the <a href="https://onchain.example.org/news/markets/usdc-supply" rel="${REL}">USDC supply chart</a>.</p>` +
        '<p><img src="https://onchain.example.org/news/2025/06/img/vote-tally.png" alt="Vote tally" loading="lazy" /></p>',
    );
  });

  it('keeps xhtml content in document order, without the wrapping div', async () => {
    const { feed } = await load();
    const entry = item(feed, second);
    expect(entry.contentHtml).toBe(
      `<p>La <strong>Comisión</strong> publicó las normas el <a href="https://onchain.example.org/es/2025/06/mica-calendario" rel="${REL}">martes</a> por la tarde.</p>`,
    );
    expect(entry.summary).toBe('La Comisión publicó las normas el martes por la tarde.');
  });

  it('resolves relative links in content against the xml:base in scope, not the entry link', async () => {
    const { feed } = await load();
    expect(item(feed, third).contentHtml).toBe(
      `<p>Median fee on the largest rollups fell below <strong>$0.01</strong> (<a href="https://onchain.example.org/news/charts/rollup-fees" rel="${REL}">chart</a>).</p>`,
    );
  });

  it('reads both authors and categories by label, else term', async () => {
    const { feed } = await load();
    expect(item(feed, first).authors).toEqual(['Priya Raman', 'Jonah Feld']);
    expect(item(feed, second).authors).toEqual(['Lucía Ferrer']);
    expect(feed.items.map((i) => i.categories)).toEqual([['Policy', 'stablecoins'], ['Regulación'], []]);
  });

  // RFC 4287 §4.2.1: an entry without atom:author takes the feed's authors.
  it('gives an entry without authors the feed-level author', async () => {
    const { feed } = await load();
    expect(item(feed, third).authors).toEqual(['Onchain Observer desk']);
  });

  it("applies the entry's xml:lang over the feed's, and the feed's over the source language", async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.language)).toEqual(['en', 'es', 'en']);
  });

  it('reads published/updated with offsets, falling back to updated', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.publishedAt, i.updatedAt])).toEqual([
      [Date.UTC(2025, 5, 11, 5, 30), Date.UTC(2025, 5, 11, 9, 0)],
      [Date.UTC(2025, 5, 10, 13, 0), Date.UTC(2025, 5, 10, 13, 0)],
      [Date.UTC(2025, 5, 9, 8, 0), Date.UTC(2025, 5, 9, 8, 0)],
    ]);
  });

  it('takes the image from link rel="enclosure", resolved against xml:base', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.image)).toEqual([
      { url: 'https://onchain.example.org/news/2025/06/img/capitol-dome.jpg', type: 'image/jpeg', length: 48211 },
      undefined,
      undefined,
    ]);
  });
});

describe('atom03.xml (Atom 0.3)', () => {
  const load = () => ingest('atom03.xml', { feedUrl: 'https://mempoolnotes.example.com/atom.xml' });

  it('reads an escaped text/html feed title and the alternate link', async () => {
    const { parsed, feed } = await load();
    expect(parsed.format).toBe('atom');
    expect(feed.title).toBe('Mempool & Mining Notes');
    expect(feed.homeUrl).toBe('https://mempoolnotes.example.com/');
    expect(feed.language).toBe('en');
  });

  it('keys by id and dates by issued, with modified as the update time', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.url, i.title, i.publishedAt, i.updatedAt])).toEqual([
      [
        'tag:mempoolnotes.example.com,2005:post-2231',
        'https://mempoolnotes.example.com/2025/06/fee-spike.html',
        'Fee spike during the ordinals mint',
        Date.UTC(2025, 5, 10, 21, 0),
        Date.UTC(2025, 5, 10, 23, 30),
      ],
      [
        'tag:mempoolnotes.example.com,2005:post-2229',
        'https://mempoolnotes.example.com/2025/06/rbf-policy.html',
        'Why RBF policy still matters',
        Date.UTC(2025, 5, 8, 9, 15),
        Date.UTC(2025, 5, 8, 9, 15),
      ],
    ]);
    expectStorable(feed);
  });

  it('treats mode="escaped" content as HTML and text/plain summaries as text', async () => {
    const { feed } = await load();
    expect(feed.items[0].contentHtml).toBe(
      `<p>Next-block fees briefly touched <b>300 sat/vB</b>. <a href="https://mempoolnotes.example.com/charts/fees" rel="${REL}">Chart</a>.</p>`,
    );
    expect(feed.items[0].summary).toBe('Next-block fees briefly touched 300 sat/vB. Chart.');
    expect(feed.items[1].summary).toBe('Full-RBF is now the default in most node software.');
    expect(feed.items[1].contentHtml).toBe('<p>Full-RBF is now the default in most node software.</p>');
    expect(feed.items.map((i) => i.authors)).toEqual([['Quinn Abara'], ['Quinn Abara']]);
  });
});

describe('jsonfeed-11.json (JSON Feed 1.1)', () => {
  const load = () => ingest('jsonfeed-11.json', { feedUrl: 'https://tokenomics.example.com/feed.json', sourceLanguage: 'fr' });

  it('reads the top level, including language', async () => {
    const { parsed, feed } = await load();
    expect(parsed.format).toBe('json');
    expect(feed.title).toBe('Tokenomics Today');
    expect(feed.homeUrl).toBe('https://tokenomics.example.com/');
    expect(feed.language).toBe('en-GB');
  });

  it('keys by id and uses url, else external_url, canonicalized', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.url])).toEqual([
      ['https://tokenomics.example.com/p/9921', 'https://tokenomics.example.com/2025/06/11/solana-firedancer-mainnet/'],
      ['9918', 'https://www.example.org/research/restaking-risks.pdf'],
      ['https://tokenomics.example.com/p/9915', 'https://tokenomics.example.com/2025/06/09/market-open/'],
    ]);
    expectStorable(feed);
  });

  it('sanitizes content_html and turns content_text into escaped paragraphs', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.contentHtml)).toEqual([
      `<p>The independent client <strong>produced its first blocks</strong> on <a href="https://tokenomics.example.com/tags/solana" rel="${REL}">Solana</a> mainnet-beta.</p>`,
      '<p>Slashing-Bedingungen addieren sich.</p><p>Betreiber &amp; AVSs teilen sich die Verantwortung, wenn etwas schiefgeht.</p>',
      '<ul><li>BTC $109,870</li><li>ETH $2,710</li></ul>',
    ]);
    expect(feed.items.map((i) => i.summary)).toEqual([
      "Jump's validator client now produces blocks on mainnet-beta.",
      'Slashing-Bedingungen addieren sich. Betreiber & AVSs teilen sich die Verantwortung, wenn etwas schiefgeht.',
      'BTC $109,870 ETH $2,710',
    ]);
    expect(feed.items.map((i) => i.title)).toEqual([
      'Firedancer client goes live on Solana mainnet',
      'Restaking-Risiken, zusammengefasst',
      'Market open: BTC flat, ETH +3%',
    ]);
  });

  it('reads authors, tags, item language and dates', async () => {
    const { feed } = await load();
    expect(feed.items.slice(0, 2).map((i) => i.authors)).toEqual([['Ada Nwosu', 'Felix Wagner'], ['Ada Nwosu']]);
    expect(feed.items.map((i) => i.categories)).toEqual([
      ['Solana', 'Validators', 'Infrastructure'],
      ['Restaking', 'EigenLayer'],
      ['Markets'],
    ]);
    expect(feed.items.map((i) => i.language)).toEqual(['en-GB', 'de', 'en-GB']);
    expect(feed.items.map((i) => [i.publishedAt, i.updatedAt])).toEqual([
      [Date.UTC(2025, 5, 11, 14, 5), Date.UTC(2025, 5, 11, 15, 20)],
      [Date.UTC(2025, 5, 10, 9, 0), Date.UTC(2025, 5, 10, 9, 0)],
      [Date.UTC(2025, 5, 9, 13, 30), Date.UTC(2025, 5, 9, 13, 30)],
    ]);
  });

  // JSON Feed 1.1: an item without `authors` takes the top-level `authors`.
  it('gives an item without authors the top-level authors', async () => {
    const { feed } = await load();
    expect(feed.items[2].authors).toEqual(['Tokenomics Today newsroom']);
  });

  it('takes the image from `image`, else from an image attachment', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => i.image)).toEqual([
      { url: 'https://tokenomics.example.com/media/2025/06/firedancer.webp', type: undefined, length: undefined },
      { url: 'https://tokenomics.example.com/media/2025/06/restaking-chart.png', type: 'image/png', length: 88123 },
      undefined,
    ]);
  });
});

describe('jsonfeed-10.json (JSON Feed 1.0)', () => {
  const load = () => ingest('jsonfeed-10.json', { feedUrl: 'https://nftdesk.example.com/feed.json', sourceLanguage: 'en-us' });

  it('reads the top level and takes the source language, JSON Feed 1.0 having none', async () => {
    const { parsed, feed } = await load();
    expect(parsed.format).toBe('json');
    expect(feed.title).toBe('NFT Desk Weekly');
    expect(feed.homeUrl).toBe('https://nftdesk.example.com/');
    expect(feed.language).toBe('en-US');
    expect(feed.items.map((i) => i.language)).toEqual(['en-US', 'en-US', 'en-US']);
  });

  it('reads items: ids, canonical urls, titles, summaries, content and images', async () => {
    const { feed } = await load();
    expect(feed.items.map((i) => [i.key, i.url, i.title])).toEqual([
      ['nftdesk-2025-24', 'https://nftdesk.example.com/weekly/2025-24', 'Blue-chip floors slide as royalties debate returns'],
      ['nftdesk-2025-23', 'https://nftdesk.example.com/weekly/2025-23', 'Ordinals marketplace volumes double'],
      ['nftdesk-2025-22', 'https://nftdesk.example.com/weekly/2025-22', "Editor's note: the newsletter moves to Mondays"],
    ]);
    expect(feed.items[0].summary).toBe('Floors down 8%; royalties are back on the agenda.');
    expect(feed.items[0].contentHtml).toBe('<p>Floor prices for the largest collections fell 8% week over week.</p>');
    expect(feed.items[1].contentHtml).toBe('<p>Bitcoin-native collectibles had their best week since March.</p>');
    expect(feed.items.map((i) => i.image)).toEqual([
      { url: 'https://nftdesk.example.com/img/2025-24.jpg', type: undefined, length: undefined },
      undefined,
      undefined,
    ]);
    expectStorable(feed);
  });

  it('reads the 1.0 `author` object, tags and dates', async () => {
    const { feed } = await load();
    expect(feed.items.slice(0, 2).map((i) => i.authors)).toEqual([['Sam Ortega'], ['Sam Ortega']]);
    expect(feed.items.map((i) => i.categories)).toEqual([['NFTs', 'Royalties'], ['Ordinals'], []]);
    expect(feed.items.map((i) => i.publishedAt)).toEqual([Date.UTC(2025, 5, 9, 17), Date.UTC(2025, 5, 2, 17), Date.UTC(2025, 4, 30, 14)]);
  });

  // JSON Feed 1.0: an item without `author` takes the top-level `author`.
  it('gives an item without author the top-level author', async () => {
    const { feed } = await load();
    expect(feed.items[2].authors).toEqual(['NFT Desk']);
  });
});

describe('encodings', () => {
  it('the fixtures hold the bytes they stand for', () => {
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    const isUtf8 = (bytes: Uint8Array) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    expect(hex(bytesOf('utf16le-bom.xml').subarray(0, 4))).toBe('fffe3c00');
    expect(hex(bytesOf('utf8-bom.xml').subarray(0, 4))).toBe('efbbbf3c');
    const cp1252 = hex(bytesOf('windows-1252-quotes.xml'));
    expect(cp1252).toContain(hex(Uint8Array.of(0x93, 0x53, 0x6d, 0x61, 0x72, 0x74))); // “Smart
    expect(cp1252).toContain(hex(Uint8Array.of(0x79, 0x94, 0x20, 0x69, 0x73, 0x6e, 0x92, 0x74))); // y” isn’t
    expect(cp1252).toContain(hex(Uint8Array.of(0x61, 0x64, 0x64, 0x20, 0x80, 0x34, 0x30))); // add €40
    for (const name of [
      'latin1-declared.xml',
      'windows-1252-quotes.xml',
      'shift_jis.xml',
      'gb2312-header-only.xml',
      'header-overrides-declaration.xml',
    ])
      expect(isUtf8(bytesOf(name)), name).toBe(false);
    expect(new TextDecoder('latin1').decode(bytesOf('gb2312-header-only.xml').subarray(0, 5))).toBe('<rss ');
  });

  it('latin1-declared.xml: ISO-8859-1 bytes decoded by their declaration', async () => {
    const { decoded, feed } = await ingest('latin1-declared.xml', { feedUrl: 'https://criptogalego.example.com/feed/' });
    expect(decoded).toMatchObject({ encoding: 'windows-1252', source: 'declaration' });
    expect(feed.title).toBe('Diario Cripto Galego');
    expect(feed.language).toBe('es');
    expect(feed.items.map((i) => [i.title, i.summary])).toEqual([
      [
        'Año récord para la minería de bitcoin en Ourense',
        '¿Burbuja o tendencia? «Ni lo uno ni lo otro», dice el señor Núñez, técnico de la cooperativa.',
      ],
    ]);
    expect(feed.items[0].publishedAt).toBe(Date.UTC(2025, 5, 10, 8));
  });

  it('windows-1252-quotes.xml: decoded by its windows-1252 declaration', async () => {
    const { decoded, feed } = await ingest('windows-1252-quotes.xml', { feedUrl: 'https://dailysatoshi.example.com/rss' });
    expect(decoded).toMatchObject({ encoding: 'windows-1252', source: 'declaration' });
    expect(feed.items.map((i) => i.key)).toEqual(['https://dailysatoshi.example.com/funds/eth-inflows-40m']);
    expect(feed.items[0].publishedAt).toBe(Date.UTC(2025, 5, 11, 7));
  });

  // Some Node releases decode windows-1252 0x80–0x9F as C1 controls (nodejs/node#56542); ours must not.
  it('windows-1252-quotes.xml: smart quotes, € and … survive', async () => {
    const { feed } = await ingest('windows-1252-quotes.xml', { feedUrl: 'https://dailysatoshi.example.com/rss' });
    expect(feed.items.map((i) => [i.title, i.summary])).toEqual([
      ['“Smart money” isn’t selling: ETH funds add €40M', 'Analysts call it a “textbook” accumulation phase… – or a bull trap.'],
    ]);
  });

  it('utf16le-bom.xml: UTF-16LE chosen by its BOM, astral characters intact', async () => {
    const { decoded, feed } = await ingest('utf16le-bom.xml', { feedUrl: 'https://globalcoinwire.example.net/rss.xml' });
    expect(decoded).toMatchObject({ encoding: 'utf-16le', source: 'bom' });
    expect(feed.title).toBe('Global Coin Wire');
    expect(feed.items.map((i) => [i.key, i.title, i.summary])).toEqual([
      [
        'https://globalcoinwire.example.net/2025/06/multilingual-milestone',
        'Bitcoin · 比特币 · Биткоин hits ₿ milestone 🚀',
        'Searches for “比特币” and “Биткоин” rose 40% this week.',
      ],
    ]);
    expect(feed.items[0].publishedAt).toBe(Date.UTC(2025, 5, 11, 12));
  });

  it('utf8-bom.xml: UTF-8 with a BOM', async () => {
    const { decoded, feed } = await ingest('utf8-bom.xml', { feedUrl: 'https://ethertimes.example.org/feed.xml' });
    expect(decoded).toMatchObject({ encoding: 'utf-8', source: 'bom' });
    expect(decoded.text.startsWith('<?xml')).toBe(true);
    expect(feed.title).toBe('Ξther Times');
    expect(feed.items.map((i) => [i.title, i.summary, i.publishedAt])).toEqual([
      [
        'Ethereum’s “Pectra” ships — Ξ holders react 🎉',
        'Gas limit up, blobs doubled, naïve fee estimators confused.',
        Date.UTC(2025, 4, 7, 10, 5, 11),
      ],
    ]);
  });

  it('shift_jis.xml: Japanese decoded by its Shift_JIS declaration', async () => {
    const { decoded, feed } = await ingest('shift_jis.xml', { feedUrl: 'https://kasoutsuka.example.jp/rss' });
    expect(decoded).toMatchObject({ encoding: 'shift_jis', source: 'declaration' });
    expect(feed.title).toBe('仮想通貨ニュース速報');
    expect(feed.language).toBe('ja');
    expect(feed.items.map((i) => [i.title, i.summary, i.publishedAt])).toEqual([
      ['ビットコイン、過去最高値を更新', '円建て価格は一時１６００万円を突破した。', Date.UTC(2025, 5, 11, 0)],
    ]);
  });

  it('gb2312-header-only.xml: GB2312 chosen by the Content-Type charset alone', async () => {
    const feedUrl = 'https://lianshang.example.cn/rss.xml';
    const { decoded, feed } = await ingest('gb2312-header-only.xml', { feedUrl, contentType: 'text/xml; charset=gb2312' });
    expect(decoded).toMatchObject({ encoding: 'gbk', source: 'header' });
    expect(feed.title).toBe('链上快讯');
    expect(feed.language).toBe('zh-CN');
    expect(feed.items.map((i) => [i.key, i.title, i.summary, i.publishedAt])).toEqual([
      ['https://lianshang.example.cn/news/btc-100k', '比特币价格突破十万美元', '分析师认为，机构资金持续流入。', Date.UTC(2025, 5, 11, 12)],
    ]);
    // Without the header nothing says GB2312: the bytes are not UTF-8, so the last-resort decoding is used.
    const unlabeled = await ingest('gb2312-header-only.xml', { feedUrl });
    expect(unlabeled.decoded.source).toBe('fallback');
    expect(unlabeled.feed.title).not.toBe('链上快讯');
  });

  it('header-overrides-declaration.xml: the Content-Type charset wins over a wrong UTF-8 declaration', async () => {
    const { decoded, feed } = await ingest('header-overrides-declaration.xml', {
      feedUrl: 'https://cronicaeconomica.example.com/feed',
      contentType: 'application/rss+xml; charset=iso-8859-1',
    });
    expect(decoded).toMatchObject({ encoding: 'windows-1252', source: 'header' });
    expect(feed.title).toBe('Crónica Económica');
    expect(feed.items.map((i) => [i.title, i.summary, i.publishedAt])).toEqual([
      [
        'El euro digital y las stablecoins: ¿competencia o complemento?',
        'La opinión de Íñigo Ibáñez sobre el diseño del monedero europeo.',
        Date.UTC(2025, 5, 9, 4, 30),
      ],
    ]);
  });
});

describe('xss-content.xml (hostile HTML)', () => {
  const load = () => ingest('xss-content.xml', { feedUrl: 'https://airdrop-alerts.test/feed/' });

  it('drops scripts, handlers, javascript:/data: links, iframes, forms, styles and svg from content', async () => {
    const { feed } = await load();
    const html = item(feed, 'airdrop-alerts-7781').contentHtml;
    expectSafeHtml(html);
    expect(html).toBe(
      '<p>Eligible wallets can claim here or here.</p>\n\n' +
        '<img src="https://airdrop-alerts.test/img/zk-banner.png" alt="ZK banner" loading="lazy" />\n\n\n' +
        `<p>Details in the official announcement and on our <a href="https://airdrop-alerts.test/faq#zk" rel="${REL}">FAQ</a>.</p>\n\n`,
    );
    expect(html).not.toMatch(/Enter your 24 words|Verify wallet|does not support iframes|document\.cookie|display:none/);
  });

  it('keeps plain-text titles free of markup and injected script text', async () => {
    const { feed } = await load();
    expect(feed.title).toBe('Airdrop Alerts');
    expect(feed.items.map((i) => i.title)).toEqual(['Claim your ZK token airdrop', 'Phishing kit targets hardware wallet users']);
  });

  it('refuses a javascript: item link and unsafe URLs in the description', async () => {
    const { feed } = await load();
    const entry = item(feed, 'airdrop-alerts-7782');
    expect(entry.url).toBeUndefined();
    expect(entry.contentHtml).toBe('<p>Security researchers found a kit cloning wallet vendor sites. Report </p>');
    expect(entry.summary).toBe('Security researchers found a kit cloning wallet vendor sites. Report');
    expect(feed.items.map((i) => i.image)).toEqual([
      { url: 'https://airdrop-alerts.test/img/zk-banner.png', type: undefined, length: undefined },
      undefined,
    ]);
    expectStorable(feed);
  });
});

describe('hostile and broken documents', () => {
  it('billion-laughs.xml: refused as xml_entities_forbidden without expanding anything', async () => {
    const { error } = await refusal('billion-laughs.xml', { feedUrl: 'https://legit-crypto.test/feed' });
    expectIngestError(error, 'xml_entities_forbidden');
  });

  it('external-entity.xml: refused as xml_entities_forbidden, never reading the file', async () => {
    const { error } = await refusal('external-entity.xml', { feedUrl: 'https://walletsec.test/feed' });
    expectIngestError(error, 'xml_entities_forbidden');
    expect((error as Error).message).not.toMatch(/root:/);
  });

  it('not-a-feed.html: an HTML page is not_a_feed', async () => {
    const { error } = await refusal('not-a-feed.html', {
      feedUrl: 'https://coincourier.example.com/feed/',
      contentType: 'text/html; charset=utf-8',
    });
    expectIngestError(error, 'not_a_feed');
  });

  it('empty.xml: zero bytes are not_a_feed', async () => {
    const { error } = await refusal('empty.xml', { feedUrl: 'https://coincourier.example.com/feed/', contentType: 'application/rss+xml' });
    expectIngestError(error, 'not_a_feed');
  });

  it('truncated.xml: a document cut off mid-item keeps the entries before the damage and drops the cut one', async () => {
    const { feed } = await ingest('truncated.xml', { feedUrl: 'https://coincourier.example.com/feed/' });
    expect(feed.items.map((i) => i.title)).toEqual(['Bitcoin dominance climbs to 64%']);
    expect(feed.report).toMatchObject({ kept: 1, repaired: 0, dropped: 1, problems: { truncated_entry: 1 } });
    expect(feed.report.document.length).toBeGreaterThan(0);
  });
});
