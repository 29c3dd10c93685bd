import { describe, expect, it } from 'vitest';
import type { Translation } from '../src/articles/model.ts';
import { slugify } from '../src/articles/slug.ts';
import type { Entity, EntityType } from '../src/crosslink/entities.ts';
import { kindedName, subjectOfName } from '../src/crosslink/names.ts';
import { inBody, inLead, inTitle, namesAnotherSubject, storySubjects, subjectOf, titleContrasts } from '../src/crosslink/prominence.ts';
import { ftsQuery, queryTerms } from '../src/crosslink/query.ts';
import { scoreCandidate, selectLinks, timeFactor } from '../src/crosslink/score.ts';
import { dayId, isOneStory, type StoryEvidence, storyDays, storyFigures } from '../src/crosslink/story.ts';
import { pollSeconds, updateHint } from '../src/feeds/cadence.ts';
import { isNotModified } from '../src/http/conditional.ts';
import { isSameStory, prefixWords, titleKey } from '../src/ingest/cluster.ts';
import { parseLinkHeader } from '../src/ingest/link-header.ts';
import { encodeUtf8 } from '../src/render-cache/document.ts';
import { changedFeedScopes } from '../src/render-cache/scopes.ts';
import { decodeCursor, encodeCursor } from '../src/shared/cursor.ts';
import { textLanguage, writtenLanguage } from '../src/shared/language.ts';

describe('slugify', () => {
  it.each([
    ['North Korea', 'north-korea'],
    ['Regulación', 'regulacion'],
    ['  Año «difícil» & más!  ', 'ano-dificil-mas'],
    ['ÉTH/BTC 2.0', 'eth-btc-2-0'],
    ['!!!', ''],
  ])('%s -> %s', (name, slug) => expect(slugify(name)).toBe(slug));
});

describe('cursor', () => {
  it('round-trips and rejects tampering', () => {
    const cursor = { publishedAt: 1537437600000, id: '4d57d0ac-0ab6-4175-a096-787dc00bbb90' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(() => decodeCursor(encodeCursor(cursor).slice(3))).toThrow(/cursor/);
  });
});

describe('isNotModified (RFC 9110 §13.1.2, §13.1.3, §13.2.2)', () => {
  const etag = '"abc"';
  const lastModified = Date.parse('2024-01-01T10:00:00Z');
  it.each([
    ['"abc"', undefined, true],
    ['W/"abc"', undefined, true],
    ['"x", "abc"', undefined, true],
    ['*', undefined, true],
    ['"x"', undefined, false],
    ['"x"', 'Mon, 01 Jan 2024 10:00:00 GMT', false],
    [undefined, 'Mon, 01 Jan 2024 10:00:00 GMT', true],
    [undefined, 'Mon, 01 Jan 2024 09:59:59 GMT', false],
    [undefined, 'garbage', false],
    [undefined, undefined, false],
  ])('If-None-Match %s, If-Modified-Since %s -> %s', (inm, ims, expected) => {
    expect(isNotModified(inm, ims, [etag], lastModified)).toBe(expected);
  });
  it('compares Last-Modified at one-second precision', () => {
    expect(isNotModified(undefined, 'Mon, 01 Jan 2024 10:00:00 GMT', [etag], lastModified + 999)).toBe(true);
  });
});

describe('changedFeedScopes', () => {
  const base: Translation = {
    articleId: 'a',
    lang: 'en',
    slug: 'one',
    guid: 'urn:uuid:1',
    title: 'One',
    summary: '',
    contentHtml: '<p>x</p>',
    authors: [],
    categories: [{ name: 'Bitcoin', slug: 'bitcoin' }],
    tags: [{ name: 'Mining', slug: 'mining' }],
    image: null,
    status: 'published',
    publishedAt: 1,
    updatedAt: 1,
  };
  const es: Translation = { ...base, lang: 'es', slug: 'uno', guid: 'urn:uuid:2', categories: [], tags: [] };
  const sorted = (set: Set<string>) => [...set].sort();

  it('touches a new published translation’s language, categories and tags', () => {
    expect(sorted(changedFeedScopes([], [base]))).toEqual(['en', 'en/category/bitcoin', 'en/tag/mining']);
  });
  it('touches nothing for drafts', () => {
    expect(changedFeedScopes([], [{ ...base, status: 'draft' }]).size).toBe(0);
    expect(changedFeedScopes([{ ...base, status: 'draft' }], [{ ...base, status: 'draft', title: 'x' }]).size).toBe(0);
  });
  it('touches nothing when nothing a feed shows changed', () => {
    expect(changedFeedScopes([base, es], [{ ...base }, { ...es }]).size).toBe(0);
  });
  it('touches old and new terms when they move', () => {
    const moved = { ...base, categories: [{ name: 'Ethereum', slug: 'ethereum' }], tags: [] };
    expect(sorted(changedFeedScopes([base], [moved]))).toEqual(['en', 'en/category/bitcoin', 'en/category/ethereum', 'en/tag/mining']);
  });
  it('leaves other languages alone for a content edit', () => {
    expect(sorted(changedFeedScopes([base, es], [base, { ...es, title: 'Otro' }]))).toEqual(['es']);
  });
  it('touches siblings when a translation appears, disappears or moves', () => {
    expect(sorted(changedFeedScopes([base], [base, es]))).toEqual(['en', 'en/category/bitcoin', 'en/tag/mining', 'es']);
    expect(sorted(changedFeedScopes([base, es], [base, { ...es, status: 'draft' }]))).toEqual([
      'en',
      'en/category/bitcoin',
      'en/tag/mining',
      'es',
    ]);
    expect(sorted(changedFeedScopes([base, es], [base, { ...es, slug: 'dos' }]))).toEqual([
      'en',
      'en/category/bitcoin',
      'en/tag/mining',
      'es',
    ]);
  });
});

describe('story clustering by title', () => {
  it('folds accents, case, punctuation and stop words into a sorted key', () => {
    expect(titleKey('La SEC aprueba los ETF de Bitcoin: ¿y ahora qué?')).toBe('ahora aprueba bitcoin etf sec');
  });

  it('prefix words find every pair at or above the threshold (prefix filtering principle)', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const vocabulary = Array.from({ length: 40 }, (_, i) => `w${i}`);
    let similarPairs = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const a = titleKey(Array.from({ length: 3 + Math.floor(next() * 10) }, () => vocabulary[Math.floor(next() * 12)]).join(' '));
      const b = titleKey(
        a
          .split(' ')
          .map((word) => (next() < 0.15 ? vocabulary[Math.floor(next() * 40)] : word))
          .join(' '),
      );
      if (!isSameStory(a, b)) continue;
      similarPairs++;
      const shared = prefixWords(a).filter((word) => prefixWords(b).includes(word));
      expect(shared.length, `${a} | ${b}`).toBeGreaterThan(0);
    }
    expect(similarPairs).toBeGreaterThan(500);
  });
});

describe('parseLinkHeader (RFC 8288)', () => {
  const base = 'https://outlet.example/news/feed.xml';
  it('reads each link, its relations lowercased, relative targets resolved against the response URL', () => {
    expect(parseLinkHeader('<https://hub.example/>; rel="hub", </news/feed.xml>; rel=self', base)).toEqual([
      { href: 'https://hub.example/', rels: ['hub'] },
      { href: 'https://outlet.example/news/feed.xml', rels: ['self'] },
    ]);
    expect(parseLinkHeader('<https://a.example/x,y>; title="one, two"; rel="Hub Alternate"', base)).toEqual([
      { href: 'https://a.example/x,y', rels: ['hub', 'alternate'] },
    ]);
  });
  it('leaves out links without a relation and bad targets, and reads nothing from nothing', () => {
    expect(parseLinkHeader('<https://a.example/>; title="x", <http://[bad>; rel=hub', base)).toEqual([]);
    expect(parseLinkHeader(undefined, base)).toEqual([]);
    expect(parseLinkHeader('garbage', base)).toEqual([]);
  });
});

describe('namesAnotherSubject', () => {
  const entities: Record<string, Entity> = Object.fromEntries(
    (
      [
        ['bybit', 'organization'],
        ['zklend', 'organization'],
        ['hack', 'topic'],
        ['ethereum', 'asset'],
        ['bitcoin', 'asset'],
        ['czechia', 'place'],
        ['malta', 'place'],
        ['north-korea', 'place'],
        ['european-union', 'place', { region: true }],
        ['prague', 'place', { within: 'czechia' }],
        ['ronin', 'asset'],
        ['binance', 'organization'],
        ['sky-mavis', 'organization'],
        ['gnosis', 'asset'],
        ['dencun', 'event'],
      ] as [string, EntityType, Partial<Entity>?][]
    ).map(([id, type, more]) => [id, { id, type, names: { en: [id] }, ...more }]),
  );
  const subjectOfId = (id: string) => subjectOf(entities[id]);
  const doc = (entries: [string, number][]) => new Map(entries);
  const article = doc([
    ['bybit', inTitle],
    ['hack', inTitle],
    ['ethereum', inLead],
  ]);
  it('is true when a title names subjects of a kind the other names too, none in common', () => {
    const item = doc([
      ['zklend', inTitle],
      ['hack', inTitle],
    ]);
    expect(namesAnotherSubject(storySubjects(item, subjectOfId), storySubjects(article, subjectOfId))).toBe(true);
    // Either way round: the article's title against the item's title and lead.
    expect(
      namesAnotherSubject(
        storySubjects(article, subjectOfId),
        storySubjects(
          doc([
            ['zklend', inLead],
            ['hack', inTitle],
          ]),
          subjectOfId,
        ),
      ),
    ).toBe(true);
  });
  it('is true for a title about another subject that names the article’s in passing', () => {
    const item = doc([
      ['zklend', inTitle],
      ['bybit', inLead],
    ]);
    expect(namesAnotherSubject(storySubjects(item, subjectOfId), storySubjects(article, subjectOfId))).toBe(true);
  });
  it('is false when they share one of that kind, when the other does not name that kind, or only in the body', () => {
    const both = doc([
      ['zklend', inTitle],
      ['bybit', inTitle],
    ]);
    const noOrganization = doc([
      ['hack', inTitle],
      ['bitcoin', inBody],
    ]);
    const inBodies = [
      doc([
        ['zklend', inBody],
        ['hack', inTitle],
      ]),
      doc([['bybit', inBody]]),
    ] as const;
    expect(namesAnotherSubject(storySubjects(both, subjectOfId), storySubjects(article, subjectOfId))).toBe(false);
    expect(namesAnotherSubject(storySubjects(noOrganization, subjectOfId), storySubjects(article, subjectOfId))).toBe(false);
    expect(namesAnotherSubject(storySubjects(inBodies[0], subjectOfId), storySubjects(inBodies[1], subjectOfId))).toBe(false);
  });
  it('tells a name the dictionary lacks apart only when its text says its kind', () => {
    const subjectOrName = (id: string) => (id.startsWith('@') ? subjectOfName(id) : subjectOf(entities[id]));
    const terra = storySubjects(doc([['ethereum', inTitle]]), subjectOrName);
    const kinded = doc([
      ['@dei', inTitle],
      [kindedName('dei', 'asset'), inTitle],
    ]);
    expect(namesAnotherSubject(storySubjects(kinded, subjectOrName), terra)).toBe(true);
    expect(namesAnotherSubject(storySubjects(doc([['@dei', inTitle]]), subjectOrName), terra)).toBe(false);
    // The other names it too, kind or not: the same subject.
    const alsoEthereum = doc([...kinded, ['ethereum', inLead]]);
    const namesDei = doc([
      ['ethereum', inTitle],
      ['@dei', inLead],
    ]);
    expect(namesAnotherSubject(storySubjects(alsoEthereum, subjectOrName), storySubjects(namesDei, subjectOrName))).toBe(false);
  });
  it('reads a new actor beside a distinctive subject both titles name as the same story, unless the other’s title names its kind', () => {
    const ronin = doc([
      ['ronin', inTitle],
      ['hack', inTitle],
      ['sky-mavis', inLead],
    ]);
    const followUp = doc([
      ['binance', inTitle],
      ['ronin', inTitle],
    ]);
    const distinctive = (key: string) => key !== 'bitcoin';
    expect(namesAnotherSubject(storySubjects(followUp, subjectOfId), storySubjects(ronin, subjectOfId), distinctive)).toBe(false);
    expect(namesAnotherSubject(storySubjects(followUp, subjectOfId), storySubjects(ronin, subjectOfId))).toBe(true);
    const dencun = doc([
      ['dencun', inTitle],
      ['ethereum', inTitle],
    ]);
    const otherChain = doc([
      ['gnosis', inTitle],
      ['dencun', inTitle],
    ]);
    expect(namesAnotherSubject(storySubjects(otherChain, subjectOfId), storySubjects(dencun, subjectOfId), distinctive)).toBe(true);
  });
  it('tells countries apart, a city counting as its country and a region as none', () => {
    const conference = doc([['north-korea', inTitle]]);
    expect(namesAnotherSubject(storySubjects(doc([['malta', inTitle]]), subjectOfId), storySubjects(conference, subjectOfId))).toBe(true);
    expect(
      namesAnotherSubject(storySubjects(doc([['prague', inTitle]]), subjectOfId), storySubjects(doc([['czechia', inLead]]), subjectOfId)),
    ).toBe(false);
    expect(
      namesAnotherSubject(
        storySubjects(doc([['european-union', inTitle]]), subjectOfId),
        storySubjects(doc([['malta', inLead]]), subjectOfId),
      ),
    ).toBe(false);
  });
  it('counts a part as its whole (a chain’s own stablecoin) and leaves people out', () => {
    const parts: Record<string, Entity> = {
      terra: { id: 'terra', type: 'asset', names: { en: ['Terra'] } },
      terrausd: { id: 'terrausd', type: 'asset', names: { en: ['TerraUSD'] }, within: 'terra' },
      kwon: { id: 'kwon', type: 'person', names: { en: ['Do Kwon'] } },
      teng: { id: 'teng', type: 'person', names: { en: ['Richard Teng'] } },
    };
    const partOf = (id: string) => subjectOf(parts[id]);
    expect(namesAnotherSubject(storySubjects(doc([['terra', inTitle]]), partOf), storySubjects(doc([['terrausd', inLead]]), partOf))).toBe(
      false,
    );
    expect(namesAnotherSubject(storySubjects(doc([['teng', inTitle]]), partOf), storySubjects(doc([['kwon', inLead]]), partOf))).toBe(
      false,
    );
  });
  it('does not count a place the other mentions anywhere as another place', () => {
    const bankruptcy = doc([
      ['bybit', inTitle],
      ['north-korea', inLead],
      ['malta', inBody],
    ]);
    expect(namesAnotherSubject(storySubjects(doc([['malta', inTitle]]), subjectOfId), storySubjects(bankruptcy, subjectOfId))).toBe(false);
    expect(namesAnotherSubject(storySubjects(doc([['czechia', inTitle]]), subjectOfId), storySubjects(bankruptcy, subjectOfId))).toBe(true);
  });
});

describe('titleContrasts', () => {
  const entities: Record<string, Entity> = Object.fromEntries(
    (
      [
        ['binance', 'organization'],
        ['kraken', 'organization'],
        ['mt-gox', 'organization'],
        ['sec', 'regulator'],
        ['settlement', 'topic'],
        ['seoul', 'place', { within: 'south-korea' }],
        ['south-korea', 'place'],
        ['north-korea', 'place'],
      ] as [string, EntityType, Partial<Entity>?][]
    ).map(([id, type, more]) => [id, { id, type, names: { en: [id] }, ...more }]),
  );
  const subjectOfId = (id: string) => subjectOf(entities[id]);
  const doc = (entries: [string, number][]) => new Map(entries);
  const settlement = doc([
    ['binance', inTitle],
    ['settlement', inTitle],
    ['sec', inBody],
  ]);
  it('is true when a title sets the other’s subject against another of its kind that the other never names', () => {
    // "Kraken vows to fight the SEC as Binance settles"
    const kraken = doc([
      ['kraken', inTitle],
      ['sec', inTitle],
      ['binance', inTitle],
    ]);
    expect(titleContrasts(storySubjects(kraken, subjectOfId), storySubjects(settlement, subjectOfId))).toBe(true);
    expect(titleContrasts(storySubjects(settlement, subjectOfId), storySubjects(kraken, subjectOfId))).toBe(true);
    // "Blockchain Seoul closes as Pyongyang advertises its own conference": a city counts as its country.
    expect(
      titleContrasts(
        storySubjects(
          doc([
            ['seoul', inTitle],
            ['north-korea', inTitle],
          ]),
          subjectOfId,
        ),
        storySubjects(doc([['north-korea', inTitle]]), subjectOfId),
      ),
    ).toBe(true);
  });
  it('is false when the other names both, when they differ in kind, or when ours is not in the other’s title or lead', () => {
    const both = doc([
      ['binance', inTitle],
      ['kraken', inBody],
    ]);
    const kraken = doc([
      ['kraken', inTitle],
      ['binance', inTitle],
    ]);
    expect(titleContrasts(storySubjects(kraken, subjectOfId), storySubjects(both, subjectOfId))).toBe(false);
    // A regulator named beside our exchange is another kind of subject.
    expect(
      titleContrasts(
        storySubjects(
          doc([
            ['sec', inTitle],
            ['binance', inTitle],
          ]),
          subjectOfId,
        ),
        storySubjects(doc([['binance', inTitle]]), subjectOfId),
      ),
    ).toBe(false);
    expect(
      titleContrasts(
        storySubjects(kraken, subjectOfId),
        storySubjects(
          doc([
            ['binance', inBody],
            ['mt-gox', inTitle],
          ]),
          subjectOfId,
        ),
      ),
    ).toBe(false);
  });
});

describe('story figures', () => {
  it('reduces figures to their significant digits, so languages and scales agree', () => {
    expect([...storyFigures('Bybit loses $1.5 billion; 401,000 ETH')]).toEqual(['15', '401']);
    expect([...storyFigures('Bybit pierde 1.500 millones de dólares; 401.000 ETH')]).toEqual(['15', '401']);
    expect([...storyFigures('reward falls to 3.125 BTC')]).toEqual([...storyFigures('la recompensa baja a 3,125 BTC')]);
  });
  it('leaves out years and small whole numbers (days, counts)', () => {
    expect(storyFigures('On March 23, 2022, 11 funds opened').size).toBe(0);
  });
  it('reads figures standing alone, not digits inside words, and at most a dozen per text', () => {
    expect([...storyFigures('word5x1234 and Web3 near $625M')]).toEqual(['625']);
    expect(storyFigures(Array.from({ length: 100 }, (_, i) => `${1000 + i * 7}`).join(' ')).size).toBe(12);
  });
});

describe('story days', () => {
  it('reads the days a text names in English and Spanish, and the day of a time', () => {
    expect([...storyDays('Since the January 11 debut and the Jan. 10 approval (or 9 January), prices may 10x.')].sort()).toEqual([
      '#d0109',
      '#d0110',
      '#d0111',
    ]);
    expect([...storyDays('Desde el 11 de enero y el 1 de setiembre; in May 2024; march 5 km')].sort()).toEqual(['#d0111', '#d0901']);
    expect(dayId(Date.UTC(2024, 0, 11, 22))).toBe('#d0111');
  });
});

describe('isOneStory', () => {
  const evidence: StoryEvidence = { text: 0, sharedSubjects: 3, subjects: [3, 3], sharedFigures: 1, hoursApart: 10 };
  it('takes the subjects of both mostly shared, with a shared figure or the same wording', () => {
    expect(isOneStory(evidence)).toBe(true);
    expect(isOneStory({ ...evidence, sharedFigures: 0, text: 0.7 })).toBe(true);
    expect(isOneStory({ ...evidence, subjects: [3, 5] })).toBe(true);
  });
  it('needs a shared subject, most subjects of each, closeness in time, and more than subjects alone', () => {
    expect(isOneStory({ ...evidence, sharedSubjects: 0 })).toBe(false);
    expect(isOneStory({ ...evidence, sharedSubjects: 2 })).toBe(false);
    expect(isOneStory({ ...evidence, subjects: [3, 8] })).toBe(false);
    expect(isOneStory({ ...evidence, hoursApart: 40 })).toBe(false);
    expect(isOneStory({ ...evidence, sharedFigures: 0 })).toBe(false);
  });
});

describe('cross-link scoring', () => {
  const shared = [{ id: 'north-korea', name: 'North Korea', weight: 2 }];
  it('combines saturated text relevance and shared entity weight, faded by the days apart as strong as it is', () => {
    const sameDay = scoreCandidate({ textRank: 8, shared, sharedFigures: 0, queryEntityWeight: 2, itemDaysAfter: 0 }).score;
    const weekLater = scoreCandidate({ textRank: 8, shared, sharedFigures: 0, queryEntityWeight: 2, itemDaysAfter: 7 }).score;
    expect(sameDay).toBe(0.75);
    expect(weekLater).toBe(Math.round(0.75 * timeFactor(0.75, 7) * 1000) / 1000);
    // Weak evidence (text only, half of it) still halves in five days.
    expect(scoreCandidate({ textRank: 8, shared: [], sharedFigures: 0, queryEntityWeight: 2, itemDaysAfter: 5 }).score).toBe(0.125);
    expect(scoreCandidate({ textRank: 0, shared: [], sharedFigures: 0, queryEntityWeight: 2, itemDaysAfter: 0 }).score).toBe(0);
  });
  it('fades an item that came before the article faster: a day before counts 1.3 days', () => {
    const at = (itemDaysAfter: number) =>
      scoreCandidate({ textRank: 8, shared, sharedFigures: 0, queryEntityWeight: 2, itemDaysAfter }).score;
    expect(at(-10)).toBe(at(13));
    expect(at(-10)).toBeLessThan(at(10));
  });
  it('adds a bonus to the entity signal when both state a figure of their title or lead', () => {
    const half = { textRank: 0, shared: [{ id: 'bybit', name: 'Bybit', weight: 1 }], queryEntityWeight: 2, itemDaysAfter: 0 };
    expect(scoreCandidate({ ...half, sharedFigures: 0 }).score).toBe(0.25);
    expect(scoreCandidate({ ...half, sharedFigures: 1 }).score).toBe(0.35);
  });
  it('judges documents in different languages by their entities alone, as no wording can be shared', () => {
    const entitiesOnly = {
      textRank: 0,
      shared: [{ id: 'bybit', name: 'Bybit', weight: 2 }],
      sharedFigures: 0,
      queryEntityWeight: 2,
      itemDaysAfter: 0,
    };
    expect(scoreCandidate(entitiesOnly).score).toBe(0.5);
    expect(scoreCandidate({ ...entitiesOnly, otherLanguage: true }).score).toBe(1);
    // Wording shared across languages (names, figures) still counts when it says more.
    expect(scoreCandidate({ ...entitiesOnly, shared: [], textRank: 8, otherLanguage: true }).score).toBe(0.25);
  });
  it('names the rarest shared entities in the reason', () => {
    const reason = scoreCandidate({
      textRank: 0,
      shared: [
        { id: 'bitcoin', name: 'Bitcoin', weight: 0.2 },
        { id: 'lazarus', name: 'Lazarus', weight: 3 },
      ],
      sharedFigures: 0,
      queryEntityWeight: 4,
      itemDaysAfter: 0,
    }).reason;
    expect(reason).toBe('shared: Lazarus, Bitcoin');
  });
  it('keeps the links above the threshold, best first, at most maxLinks', () => {
    const scored = [0.9, 0.1, 0.5, 0.8, 0.7, 0.6, 0.4, 0.2].map((score) => ({ score }));
    expect(selectLinks(scored).map((link) => link.score)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
    const many = Array.from({ length: 40 }, (_, i) => ({ score: 0.31 + i / 100 }));
    expect(selectLinks(many)).toHaveLength(30);
    expect(selectLinks(many)[29]!.score).toBeCloseTo(0.41);
  });
  it('builds an FTS5 query from the telling words, accents folded', () => {
    expect(ftsQuery(queryTerms(['Corea del Norte abre sus puertas al criptoverso']))).toBe(
      '"corea" OR "norte" OR "abre" OR "puertas" OR "criptoverso"',
    );
  });
});

describe('encodeUtf8', () => {
  it('gives the same bytes as TextEncoder, whatever share of the text is multi-byte', () => {
    const samples = [
      '',
      'plain ascii',
      'Regulación en España',
      '日本の暗号資産取引所',
      `${'a'.repeat(100)}€😀`,
      '😀'.repeat(50),
      '\uD800 lone',
    ];
    for (const text of samples) expect([...encodeUtf8(text)]).toEqual([...new TextEncoder().encode(text)]);
  });
});

describe('timeFactor', () => {
  it('keeps strong same-event evidence for three weeks and lets weak evidence halve every five days', () => {
    expect(timeFactor(0.9, 0)).toBe(1);
    expect(timeFactor(0.4, 5)).toBeCloseTo(0.5);
    expect(timeFactor(0.5, 10)).toBeCloseTo(0.25);
    expect(timeFactor(0.9, 21)).toBeGreaterThan(0.6);
    // Strong evidence 0.7 three weeks apart still reaches the 0.3 threshold; weak 0.45 two weeks apart does not.
    expect(0.7 * timeFactor(0.7, 21)).toBeGreaterThan(0.3);
    expect(0.45 * timeFactor(0.45, 14)).toBeLessThan(0.3);
  });

  it('fades fast past three weeks, and never grows with the days or shrinks with the evidence', () => {
    expect(timeFactor(0.9, 24)).toBeLessThan(timeFactor(0.9, 21) / 2);
    for (let days = 0; days < 40; days++) {
      for (let evidence = 0; evidence <= 1; evidence += 0.05) {
        expect(timeFactor(evidence, days + 1)).toBeLessThan(timeFactor(evidence, days));
        expect(timeFactor(evidence + 0.05, days)).toBeGreaterThanOrEqual(timeFactor(evidence, days));
      }
    }
  });
});

describe('pollSeconds', () => {
  const hour = 3_600_000;
  it('asks a quarter of the median gap between entries, within the bounds', () => {
    const bounds = { min: 300, max: 86_400 };
    expect(pollSeconds([0, 4 * hour, 8 * hour, 12 * hour], bounds)).toBe(3600);
    expect(pollSeconds([0, 60_000, 120_000], bounds)).toBe(300);
    expect(pollSeconds([0, 365 * 24 * hour], bounds)).toBe(86_400);
    // One story long ago among a burst does not slow the feed down: the median, not the mean.
    expect(pollSeconds([0, 100 * 24 * hour, 100 * 24 * hour + 4 * hour, 100 * 24 * hour + 8 * hour], bounds)).toBe(3600);
    expect(pollSeconds([], bounds)).toBe(300);
    expect(pollSeconds([5], bounds)).toBe(300);
  });

  it('gives the Syndication module hint of an interval', () => {
    expect(updateHint(300)).toEqual({ period: 'hourly', frequency: 12 });
    expect(updateHint(7200)).toEqual({ period: 'daily', frequency: 12 });
    expect(updateHint(86_400)).toEqual({ period: 'daily', frequency: 1 });
    expect(updateHint(200_000)).toEqual({ period: 'weekly', frequency: 3 });
  });
});

describe('the language a text is written in', () => {
  const samples: Record<string, string> = {
    en: 'The exchange said it had frozen the stolen funds and that it was working with the police to trace the rest of them.',
    es: 'El exchange dijo que había congelado los fondos robados y que trabaja con la policía para rastrear el resto de ellos.',
    pt: 'A corretora disse que já congelou os fundos roubados e que está a trabalhar com a polícia para rastrear o resto até ao fim do mês, pela manhã.',
    fr: 'La plateforme a déclaré qu’elle avait gelé les fonds volés et qu’elle travaille avec la police pour retrouver le reste des fonds dans les jours qui viennent.',
    de: 'Die Börse sagte, sie habe die gestohlenen Mittel eingefroren und arbeite mit der Polizei zusammen, um den Rest nach und nach auf der Kette zu verfolgen.',
    it: 'La piattaforma ha detto che gli fondi rubati sono stati congelati e che collabora con la polizia per rintracciare il resto della somma nel giro di giorni, anche più.',
  };
  it('tells six languages apart by the function words only each writes', () => {
    for (const [language, text] of Object.entries(samples)) expect(textLanguage(text), language).toBe(language);
  });
  it('says nothing of a text too short to tell, or in another language', () => {
    expect(textLanguage('Bitcoin ETF inflows top $1 billion')).toBeUndefined();
    expect(textLanguage('取引所は盗まれた資金を凍結したと発表し、警察と協力して残りを追跡している。')).toBeUndefined();
  });
  it('keeps the declared tag when the text agrees or cannot tell, and the text’s language when it plainly says another', () => {
    expect(writtenLanguage('es-AR', [() => samples.es!])).toBe('es-AR');
    expect(writtenLanguage('en-US', [() => samples.es!])).toBe('es');
    expect(writtenLanguage(undefined, [() => 'Breve', () => samples.es!])).toBe('es');
    expect(writtenLanguage('en-US', [() => 'Breve'])).toBe('en-US');
    expect(writtenLanguage(undefined, [() => 'Breve'])).toBeUndefined();
  });
});
