import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEntityIndex, type Entity, findEntities, foldText, saysCrypto } from '../src/crosslink/entities.ts';

const dictionary = JSON.parse(readFileSync(join(import.meta.dirname, '../data/entities.json'), 'utf8')) as { entities: Entity[] };
const index = buildEntityIndex(dictionary);
const found = (text: string) => Object.fromEntries(findEntities(index, text));

describe('foldText', () => {
  it.each([
    ['Japón', 'japon'],
    ['  Corea   del\nNorte ', 'corea del norte'],
    ['Mt. Gox', 'mt gox'],
    ["North Korea's", 'north korea s'],
    ['EE. UU.', 'ee uu'],
    ['Jap\u006f\u0301n', 'japon'],
    ['ESPAÑA, Turquía; Seúl!', 'espana turquia seul'],
  ])('%j -> %j', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });
});

describe('findEntities', () => {
  // [description, text, expected counts (exactly these entities, no others)]
  const cases: [string, string, Record<string, number>][] = [
    // Each type, in English and Spanish.
    ['asset en', 'Bitcoin hit a record as BTC traders cheered', { bitcoin: 2 }],
    ['asset es', 'El precio de Ethereum y de ETH', { ethereum: 2 }],
    ['organization en', 'Binance and Coinbase reported outflows', { binance: 1, coinbase: 1 }],
    ['organization es', 'La plataforma japonesa Coincheck sufrió un hackeo', { japan: 1, coincheck: 1, hack: 1 }],
    ['regulator en', 'The Securities and Exchange Commission (SEC) sued', { sec: 2 }],
    ['regulator es', 'La Comisión de Bolsa y Valores y el Departamento de Justicia', { sec: 1, doj: 1 }],
    // Regulators as news describes them, by their country.
    ['regulator described en', "Argentina's central bank barred banks; Spain's securities regulator agreed", { bcra: 1, cnmv: 1 }],
    ['regulator described es', 'El banco central argentino y el regulador bursátil español', { bcra: 1, cnmv: 1 }],
    ['group en', 'Lazarus Group hackers', { lazarus: 1, hack: 1 }],
    ['group es', 'el Grupo Lazarus, también llamado Lazarus', { lazarus: 2 }],
    ['place en', 'North Korea and South Korea', { 'north-korea': 1, 'south-korea': 1 }],
    ['place es', 'Corea del Norte y Corea del Sur', { 'north-korea': 1, 'south-korea': 1 }],
    ['person en', 'Vitalik Buterin said Buterin would attend', { 'vitalik-buterin': 2 }],
    ['person es', 'Nayib Bukele anunció', { 'nayib-bukele': 1 }],
    ['topic en', 'the halving and bitcoin mining', { halving: 1, bitcoin: 1, mining: 1 }],
    ['topic es', 'la minería y la moneda de curso legal', { mining: 1, 'legal-tender': 1 }],
    ['topic es, blockchain conference', 'una conferencia de blockchain en Pionyang', { 'blockchain-conference': 1, 'north-korea': 1 }],
    // Accents and case, both ways.
    ['accent missing in text', 'Japon y Turquia', { japan: 1, turkey: 1 }],
    ['accent present in text, absent in name', 'Unión Europea y Japón', { 'european-union': 1, japan: 1 }],
    ['combining accent', 'Jap\u006f\u0301n', { japan: 1 }],
    ['capitals', 'JAPÓN, SEÚL Y KAZAJISTÁN', { japan: 1, seoul: 1, kazakhstan: 1 }],
    ['lowercase name', 'north korea and binance', { 'north-korea': 1, binance: 1 }],
    // Word boundaries.
    ['ETH inside method', 'the method works', {}],
    ['SEC inside second', 'a second look', {}],
    ['Etherscan is not Ether', 'see Etherscan', {}],
    ['Ethereum is not also Ether', 'Ethereum', { ethereum: 1 }],
    ['Ether alone', 'priced in Ether', { ethereum: 1 }],
    ['tickers only in capitals', 'btc and Btc and eth', {}],
    ['ticker with dollar', 'buy $BTC and $ETH', { bitcoin: 1, ethereum: 1 }],
    ['ticker next to punctuation', 'BTC/USD and ETH-USD', { bitcoin: 1, ethereum: 1 }],
    ['possessive', "North Korea's hackers", { 'north-korea': 1, hack: 1 }],
    ['Mt. Gox', 'Mt. Gox creditors', { 'mt-gox': 1 }],
    ['Mt Gox', 'Mt Gox creditors', { 'mt-gox': 1 }],
    // Everyday words (needsCryptoContext) count only in a crypto text.
    ['copper mining is not crypto', 'Copper and gold mining in China rose', { china: 1 }],
    ['mining beside an asset', 'Bitcoin mining in China rose', { bitcoin: 1, mining: 1, china: 1 }],
    ['mining in a text that says crypto', 'Crypto miners in China', { mining: 1, china: 1 }],
    ['mining beside a crypto topic', 'stablecoin issuers and miners', { stablecoin: 1, mining: 1 }],
    ['sanctions on oil', 'New sanctions on Russian oil exports', { russia: 1 }],
    ['gold ETF', 'Gold ETF inflows', {}],
    ['spot bitcoin ETF', 'Spot bitcoin ETF inflows', { bitcoin: 1, etf: 1 }],
    ['minería del cobre', 'La minería del cobre en China', { china: 1 }],
    ['MtGox', 'MtGox creditors', { 'mt-gox': 1 }],
    ['EE. UU.', 'en EE. UU.', { 'united-states': 1 }],
    ['EE.UU.', 'en EE.UU.', { 'united-states': 1 }],
    ['U.S.', 'the U.S. government', { 'united-states': 1 }],
    ['line breaks and spaces', 'Corea   del\nNorte and North\r\n  Korea', { 'north-korea': 2 }],
    ['stray tags', '<p>North <b>Korea</b></p><a href="https://coinbase.com" title="Coinbase">link</a>', { 'north-korea': 1 }],
    // Longest match.
    ['Lazarus Group is one mention', 'Lazarus Group', { lazarus: 1 }],
    ['Bitcoin Cash is not Bitcoin', 'Bitcoin Cash', { 'bitcoin-cash': 1 }],
    ['Ethereum Foundation', 'the Ethereum Foundation', { 'ethereum-foundation': 1 }],
    ['Banco Central de la República Argentina', 'el Banco Central de la República Argentina', { bcra: 1 }],
    ['The Sandbox', 'The Sandbox metaverse', { sandbox: 1 }],
    ['Sandbox alone', 'a regulatory sandbox for Sandbox firms', {}],
    ['U.S. SEC', 'the U.S. SEC', { sec: 1 }],
    // Ambiguous tickers.
    ['ONE of the', 'ONE of the largest exchanges', {}],
    ['ONE token', 'the ONE token', { harmony: 1 }],
    ['Harmony ONE', 'Harmony ONE', { harmony: 1 }],
    ['$SAND', 'holders of $SAND', { sandbox: 1 }],
    ['SAND rallied', 'SAND rallied 12%', { sandbox: 1 }],
    ['sand and gravel', 'sand and gravel', {}],
    ['all-caps headline', 'SAND AND GRAVEL PRICES RISE\nbody text', {}],
    ['all-caps headline with an asset', 'ONE OF THE BIGGEST BITCOIN HACKS\nbody text', { bitcoin: 1, hack: 1 }],
    ['all-caps headline, dollar ticker', '$SAND SURGES', { sandbox: 1 }],
    ['near an unambiguous ticker', 'BTC, ETH and ATOM led', { bitcoin: 1, ethereum: 1, cosmos: 1 }],
    ['near an asset name', 'Bitcoin, SOL and XRP', { bitcoin: 1, solana: 1, xrp: 1 }],
    ['asset name too far', 'Bitcoin is one thing, but what people really want is SOL', { bitcoin: 1 }],
    ['Spanish context word', 'el SOL cayó un 5%', { solana: 1 }],
    ['Spanish, no context', 'el SOL brilla', {}],
    ['acronym without context', 'the DOT issued rules for trucks', {}],
    ['two ambiguous tickers do not vouch for each other', 'DOT and LINK', {}],
    ['APT38 is Lazarus, APT alone is not Aptos', 'APT38 and other APT groups', { lazarus: 1 }],
    ['GAS price', 'the GAS price spiked', { 'neo-gas': 1 }],
    // Counts, in order of first mention.
    ['counts', 'Bitcoin rose. bitcoin, BTC and $BTC; Binance', { bitcoin: 4, binance: 1 }],
  ];

  it.each(cases)('%s', (_, text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('lists entities in order of first mention', () => {
    expect([...findEntities(index, 'Coinbase, then Bitcoin, then Coinbase and Japan').keys()]).toEqual(['coinbase', 'bitcoin', 'japan']);
  });

  it('finds nothing in empty text', () => {
    expect(findEntities(index, '').size).toBe(0);
  });
});

describe('the shipped dictionary', () => {
  const minimums: Record<Entity['type'], number> = {
    asset: 60,
    organization: 40,
    regulator: 20,
    group: 3,
    place: 200,
    person: 20,
    event: 3,
    topic: 25,
  };

  it.each(Object.entries(minimums))('has at least the minimum number of %s entities', (type, minimum) => {
    expect(dictionary.entities.filter((entity) => entity.type === type).length).toBeGreaterThanOrEqual(minimum);
  });

  it('has unique ids', () => {
    const ids = dictionary.entities.map((entity) => entity.id);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('has no name shared by two entities', () => {
    const owners = new Map<string, string>();
    const shared: string[] = [];
    for (const entity of dictionary.entities) {
      for (const name of new Set(Object.values(entity.names).flat().map(foldText))) {
        const owner = owners.get(name);
        if (owner) shared.push(`${name}: ${owner}, ${entity.id}`);
        owners.set(name, entity.id);
      }
    }
    expect(shared).toEqual([]);
  });

  it('has no ticker shared by two entities, and every ambiguous ticker is a ticker', () => {
    const tickers = dictionary.entities.flatMap((entity) => entity.tickers ?? []);
    expect(tickers.length).toBe(new Set(tickers).size);
    for (const entity of dictionary.entities) {
      for (const ticker of entity.ambiguousTickers ?? []) expect(entity.tickers).toContain(ticker);
    }
  });

  it('names every entity in English and Spanish', () => {
    const missing = dictionary.entities.filter((entity) => !entity.names.en?.length || !entity.names.es?.length).map((entity) => entity.id);
    expect(missing).toEqual([]);
  });

  it('gives every asset a ticker, and marks word-like tickers ambiguous', () => {
    expect(dictionary.entities.filter((entity) => entity.type === 'asset' && !entity.tickers?.length).map((entity) => entity.id)).toEqual(
      [],
    );
    const ambiguous = new Set(dictionary.entities.flatMap((entity) => entity.ambiguousTickers ?? []));
    for (const ticker of ['ONE', 'SAND', 'GAS', 'NEAR', 'FLOW', 'OP', 'ARB', 'ATOM', 'DOT', 'LINK', 'UNI', 'APE', 'SOL', 'TON', 'ADA']) {
      expect(ambiguous, ticker).toContain(ticker);
    }
  });

  it('keeps common words out of names', () => {
    const words = [
      'one',
      'near',
      'flow',
      'sandbox',
      'strategy',
      'circle',
      'optimism',
      'treasury',
      'us',
      'usa',
      'mas',
      'un',
      'fed',
      'link',
      'sol',
    ];
    const names = new Set(dictionary.entities.flatMap((entity) => Object.values(entity.names).flat().map(foldText)));
    expect(words.filter((word) => names.has(word))).toEqual([]);
  });

  it('writes Spanish names with their accents', () => {
    const spanish = new Set(dictionary.entities.flatMap((entity) => entity.names.es ?? []));
    for (const name of [
      'Japón',
      'Corea del Sur',
      'España',
      'Unión Europea',
      'Turquía',
      'Kazajistán',
      'Seúl',
      'minería',
      'Comisión de Bolsa y Valores',
    ]) {
      expect(spanish, name).toContain(name);
    }
  });
});

describe('buildEntityIndex validation', () => {
  const asset = (id: string, name = id): Entity => ({ id, type: 'asset', names: { en: [name] } });
  it.each([
    ['duplicate id', [asset('alpha'), asset('alpha', 'Alpha Two')], /entities\[1\] \("alpha"\): duplicate id/],
    ['missing id', [{ type: 'asset', names: { en: ['X'] } }], /entities\[0\]: missing id/],
    ['empty names', [asset('alpha'), { id: 'beta', type: 'asset', names: { en: [], es: [] } }], /entities\[1\] \("beta"\): no names/],
    ['missing names', [{ id: 'beta', type: 'asset' }], /entities\[0\] \("beta"\): missing names/],
    ['name without letters', [asset('alpha', '...')], /"alpha".*no letters/],
    ['unknown type', [{ id: 'beta', type: 'planet', names: { en: ['Beta'] } }], /"beta".*unknown type "planet"/],
    [
      'name shared across entities',
      [asset('alpha', 'Alpha'), asset('beta', 'ALPHA')],
      /entities\[1\] \("beta"\): name "ALPHA" also belongs to "alpha"/,
    ],
    [
      'ticker shared',
      [
        { ...asset('alpha'), tickers: ['AL'] },
        { ...asset('beta'), tickers: ['AL'] },
      ],
      /"beta".*ticker "AL" also belongs to "alpha"/,
    ],
    ['lowercase ticker', [{ ...asset('alpha'), tickers: ['al'] }], /"alpha".*ticker "al"/],
    [
      'ambiguous ticker not a ticker',
      [{ ...asset('alpha'), tickers: ['AL'], ambiguousTickers: ['ALP'] }],
      /"alpha".*ambiguous ticker "ALP"/,
    ],
    [
      'ticker hidden by a name',
      [{ ...asset('alpha'), tickers: ['BETA'] }, asset('beta', 'Beta')],
      /ticker "BETA" of "alpha" is a name of "beta"/,
    ],
    ['part of an unknown entity', [{ ...asset('alpha'), within: 'gamma' }], /"alpha" is within "gamma", which is not an asset/],
    [
      'part of another type',
      [
        { ...asset('alpha'), within: 'spain' },
        { id: 'spain', type: 'place', names: { en: ['Spain'] } },
      ],
      /"alpha" is within "spain", which is not an asset/,
    ],
  ])('%s', (_, entities, message) => {
    expect(() => buildEntityIndex({ entities: entities as Entity[] })).toThrow(message);
  });

  it('rejects a document without an entities array', () => {
    expect(() => buildEntityIndex({} as { entities: Entity[] })).toThrow(/entities/);
  });

  it('hands everyday-word entities of a text without crypto to heldBack, for the caller to decide', () => {
    const heldBack = new Map<string, number>();
    expect(Object.fromEntries(findEntities(index, 'Miners and more miners in China', heldBack))).toEqual({ china: 1 });
    expect(Object.fromEntries(heldBack)).toEqual({ mining: 2 });
  });

  it('tells a text that says crypto in so many words, in English and Spanish', () => {
    expect(saysCrypto('Miners moved their rigs as the blockchain grew')).toBe(true);
    expect(saysCrypto('Los mineros de criptomonedas se mudan')).toBe(true);
    expect(saysCrypto('Copper miners moved their rigs to Chile')).toBe(false);
  });

  it('rejects a needsCryptoContext that is not a boolean', () => {
    expect(() => buildEntityIndex({ entities: [{ ...asset('alpha'), needsCryptoContext: 'yes' } as unknown as Entity] })).toThrow(
      /"alpha".*needsCryptoContext/,
    );
  });

  it('accepts the same name in two languages of one entity', () => {
    const built = buildEntityIndex({ entities: [{ id: 'alpha', type: 'place', names: { en: ['Alpha'], es: ['Alpha', 'Álfa'] } }] });
    expect(Object.fromEntries(findEntities(built, 'Alpha, alfa'))).toEqual({ alpha: 2 });
  });
});
