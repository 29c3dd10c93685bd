// The entity dictionary and matcher used to cross-link external items to our articles (pure: no I/O, runs on Node and Workers).
//
// Text is split into words (runs of letters and digits, after NFKD with diacritics removed; `<...>` tags count as space),
// so every match sits on word boundaries and punctuation, line breaks and repeated spaces between words do not matter.
//
// - Names match case-insensitively as whole word sequences, through a trie of folded words; at each position the longest
//   name wins and the scan continues after it ("Lazarus Group" is one mention; "Ether" is not found inside "Ethereum").
// - Tickers match only exactly as written (normally capitals), as a whole word, optionally after `$` ("$BTC").
// - Ambiguous tickers (ones that are also English or Spanish words or common acronyms: ONE, SAND, GAS, SOL, DOT…) match only
//   in crypto context. The rule, for a ticker written exactly as listed:
//     1. after `$` ("$SAND"), always; otherwise
//     2. never when its line has no lowercase letter (an all-caps headline: "ONE OF THE BIGGEST BITCOIN HACKS"); otherwise
//     3. when one of `contextWords` below is within 4 words on either side ("SAND rallied 12%", "el SOL cayó"), or
//     4. when an anchor is within 6 words on either side: the name of an asset, an unambiguous ticker, or a `$` ticker
//        ("BTC, ETH and ATOM"). Other ambiguous tickers are not anchors, so two of them never vouch for each other.
// - Entities marked `needsCryptoContext` (names that are everyday words: "mining", "sanctions", "ETF") count only in a
//   crypto text: one that names an asset, an unambiguous ticker or a `$` ticker, a topic not so marked, or a word of
//   `cryptoWords`. Otherwise they are left out, or handed to the caller's `heldBack` to decide for a whole document.

import { fold, stripMarks } from '../shared/text.ts';

/** `event`: a named event (a conference, a network upgrade, a law); `topic`: a kind of event or subject (a hack, a halving). */
export type EntityType = 'asset' | 'organization' | 'regulator' | 'group' | 'place' | 'person' | 'event' | 'topic';

export interface Entity {
  id: string;
  type: EntityType;
  /** Names by language ("en", "es"); the first English name is the display name. */
  names: Record<string, string[]>;
  tickers?: string[];
  /** Tickers (also listed in `tickers`) that only count in crypto context. */
  ambiguousTickers?: string[];
  /** Its names are everyday words outside crypto ("mining", "sanctions", "ETF"): they count only in a crypto text. */
  needsCryptoContext?: boolean;
  /**
   * What it is part of, an entity of the same type: a city's country ("Prague" and "Czechia" are one place when telling
   * stories apart), a chain's own stablecoin or gas token (TerraUSD and Terra are one subject).
   */
  within?: string;
  /** A place made of countries (the European Union, Latin America): not one country, so never another one. */
  region?: boolean;
}

export interface NameNode {
  next: Map<string, NameNode>;
  /** The entity whose name ends at this word. */
  id?: string;
}

export interface TickerEntry {
  id: string;
  ambiguous: boolean;
}

export interface EntityIndex {
  entities: Map<string, Entity>;
  /** Folded names as a trie of words. */
  names: NameNode;
  /** Tickers exactly as written. */
  tickers: Map<string, TickerEntry>;
  /** Every folded word of a name or ticker: words the dictionary covers (names.ts leaves them to it). */
  words: Set<string>;
}

const entityTypes = new Set<string>(['asset', 'organization', 'regulator', 'group', 'place', 'person', 'event', 'topic']);
const tickerPattern = /^(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]+$/;
const nonWord = /[^\p{L}\p{N}]+/gu;
const wordPattern = /[\p{L}\p{N}]+/gu;
const tagPattern = /<\/?[A-Za-z!][^<>]*>/g;
const lowercase = /\p{Ll}/u;
const contextDistance = 4;
// Folded words that make a whole text about crypto (for `needsCryptoContext` entities).
const cryptoWords = new Set(
  (
    'crypto cryptocurrency cryptocurrencies blockchain blockchains token tokens coin coins altcoin altcoins web3 onchain ' +
    'cripto criptomoneda criptomonedas criptoactivo criptoactivos'
  ).split(' '),
);
const anchorDistance = 6;

// Folded, so "cotización" is written "cotizacion".
const contextWords = new Set(
  (
    'token tokens coin coins crypto cryptocurrency price prices trading traded rally rallied rallies surged surges fell falls dropped drops ' +
    'jumped listing listed delisted airdrop staking precio precios moneda monedas criptomoneda criptomonedas cripto cotizacion cotiza subio cayo'
  ).split(' '),
);

/** Whether a text says it is about crypto in so many words (`cryptoWords`). */
export function saysCrypto(text: string): boolean {
  for (const match of stripMarks(text).matchAll(wordPattern)) if (cryptoWords.has(match[0].toLowerCase())) return true;
  return false;
}

/** Folds a name for matching: folded (shared/text.ts), anything but letters and digits to single spaces, trimmed. */
export function foldText(text: string): string {
  return fold(text).replace(nonWord, ' ').trim();
}

/**
 * Validates an entity dictionary and compiles it for `findEntities`. Throws an Error naming the bad entry on: a missing or
 * duplicate id, an unknown type, no names, a name with no letters or digits, a name or ticker that also belongs to another
 * entity, a malformed ticker, or an ambiguous ticker not listed in `tickers`.
 */
export function buildEntityIndex(document: { entities: Entity[] }): EntityIndex {
  if (!document || !Array.isArray(document.entities)) throw new Error('entity dictionary: "entities" must be an array');
  const index: EntityIndex = { entities: new Map(), names: { next: new Map() }, tickers: new Map(), words: new Set() };
  const nameOwners = new Map<string, string>();
  document.entities.forEach((entity: Entity, position) => {
    const where = `entities[${position}]${entity && typeof entity.id === 'string' ? ` ("${entity.id}")` : ''}`;
    const fail = (problem: string): never => {
      throw new Error(`entity dictionary: ${where}: ${problem}`);
    };
    if (!entity || typeof entity !== 'object') fail('not an object');
    if (typeof entity.id !== 'string' || entity.id.trim() === '') fail('missing id');
    if (index.entities.has(entity.id)) fail('duplicate id');
    if (!entityTypes.has(entity.type)) fail(`unknown type ${JSON.stringify(entity.type)}`);
    if (!entity.names || typeof entity.names !== 'object') fail('missing names');
    if (entity.needsCryptoContext !== undefined && typeof entity.needsCryptoContext !== 'boolean')
      fail('needsCryptoContext must be true or false');
    if (entity.within !== undefined && typeof entity.within !== 'string') fail('within must be an entity id');
    if (entity.region !== undefined && (entity.type !== 'place' || typeof entity.region !== 'boolean'))
      fail('region must be true or false, on a place');
    const names = Object.values(entity.names).flatMap((list) => (Array.isArray(list) ? list : fail('names must be lists of strings')));
    if (names.length === 0) fail('no names');
    for (const name of names) {
      if (typeof name !== 'string') fail('names must be lists of strings');
      const folded = foldText(name);
      if (folded === '') fail(`name ${JSON.stringify(name)} has no letters or digits`);
      const owner = nameOwners.get(folded);
      if (owner !== undefined && owner !== entity.id) fail(`name ${JSON.stringify(name)} also belongs to "${owner}"`);
      nameOwners.set(folded, entity.id);
      let node = index.names;
      for (const word of folded.split(' ')) {
        index.words.add(word);
        let next = node.next.get(word);
        if (!next) {
          next = { next: new Map() };
          node.next.set(word, next);
        }
        node = next;
      }
      node.id = entity.id;
    }
    const tickers = entity.tickers ?? [];
    const ambiguous = entity.ambiguousTickers ?? [];
    if (!Array.isArray(tickers) || !Array.isArray(ambiguous)) fail('tickers must be lists of strings');
    for (const ticker of tickers) {
      if (typeof ticker !== 'string' || !tickerPattern.test(ticker))
        fail(`ticker ${JSON.stringify(ticker)} must be one word with a capital`);
      const owner = index.tickers.get(ticker)?.id;
      if (owner !== undefined && owner !== entity.id) fail(`ticker ${JSON.stringify(ticker)} also belongs to "${owner}"`);
      index.tickers.set(ticker, { id: entity.id, ambiguous: ambiguous.includes(ticker) });
      index.words.add(ticker.toLowerCase());
    }
    for (const ticker of ambiguous) if (!tickers.includes(ticker)) fail(`ambiguous ticker ${JSON.stringify(ticker)} is not in tickers`);
    index.entities.set(entity.id, entity);
  });
  for (const entity of index.entities.values()) {
    if (entity.within !== undefined && index.entities.get(entity.within)?.type !== entity.type)
      throw new Error(
        `entity dictionary: "${entity.id}" is within "${entity.within}", which is not ${articleFor(entity.type)} ${entity.type}`,
      );
  }
  // A name of another entity spelled like a ticker would hide the ticker (names are tried first).
  for (const [ticker, entry] of index.tickers) {
    const owner = nameOwners.get(ticker.toLowerCase());
    if (owner !== undefined && owner !== entry.id)
      throw new Error(`entity dictionary: ticker "${ticker}" of "${entry.id}" is a name of "${owner}"`);
  }
  return index;
}

/**
 * Finds the entities mentioned in a text (plain text; stray HTML tags are ignored) and how many times each is mentioned,
 * in order of first mention. See the comment at the top of this file for the matching rules.
 */
export function findEntities(index: EntityIndex, text: string, heldBack?: Map<string, number>): Map<string, number> {
  const plain = stripMarks(text.replace(tagPattern, ' '));
  const raw: string[] = [];
  const offsets: number[] = [];
  for (const match of plain.matchAll(wordPattern)) {
    raw.push(match[0]);
    offsets.push(match.index);
  }
  const words = raw.map((word) => word.toLowerCase());
  const counts = new Map<string, number>();
  const count = (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
  // Word ranges [start, end) that vouch for nearby ambiguous tickers, and ambiguous tickers waiting for one.
  const anchors: number[] = [];
  const pending: { at: number; id: string }[] = [];
  let cryptoText = false;
  for (let at = 0; at < words.length; ) {
    if (!cryptoText && cryptoWords.has(words[at]!)) cryptoText = true;
    let node = index.names;
    let end = -1;
    let id: string | undefined;
    for (let next = at; next < words.length; next++) {
      const child = node.next.get(words[next]!);
      if (!child) break;
      node = child;
      if (node.id !== undefined) {
        end = next + 1;
        id = node.id;
      }
    }
    if (id !== undefined) {
      count(id);
      const entity = index.entities.get(id)!;
      if (entity.type === 'asset') anchors.push(at, end);
      if ((entity.type === 'topic' || entity.type === 'event') && !entity.needsCryptoContext) cryptoText = true;
      at = end;
      continue;
    }
    const ticker = index.tickers.get(raw[at]!);
    if (ticker) {
      const dollar = offsets[at]! > 0 && plain[offsets[at]! - 1] === '$';
      if (!ticker.ambiguous || dollar) {
        count(ticker.id);
        anchors.push(at, at + 1);
      } else {
        pending.push({ at, id: ticker.id });
      }
    }
    at++;
  }
  for (const { at, id } of pending) {
    if (inCryptoContext(plain, offsets, words, anchors, at)) count(id);
  }
  if (cryptoText || anchors.length > 0) return counts;
  for (const [id, mentions] of counts) {
    if (!index.entities.get(id)!.needsCryptoContext) continue;
    counts.delete(id);
    heldBack?.set(id, (heldBack.get(id) ?? 0) + mentions);
  }
  return counts;
}

function inCryptoContext(plain: string, offsets: number[], words: string[], anchors: number[], at: number): boolean {
  const offset = offsets[at]!;
  const lineEnd = plain.indexOf('\n', offset);
  const line = plain.slice(plain.lastIndexOf('\n', offset) + 1, lineEnd === -1 ? plain.length : lineEnd);
  if (!lowercase.test(line)) return false;
  const from = Math.max(0, at - contextDistance);
  const to = Math.min(words.length - 1, at + contextDistance);
  for (let near = from; near <= to; near++) if (near !== at && contextWords.has(words[near]!)) return true;
  for (let i = 0; i < anchors.length; i += 2) {
    if (anchors[i]! <= at + anchorDistance && anchors[i + 1]! - 1 >= at - anchorDistance) return true;
  }
  return false;
}

function articleFor(type: EntityType): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}
