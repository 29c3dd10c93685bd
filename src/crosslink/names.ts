/**
 * Proper names the entity dictionary does not know (pure): the protocol, the summit, the prosecutor a report is about.
 * A dictionary is never complete, and the same kind of event elsewhere ("Beanstalk loses $182 million" against "Ronin
 * bridge drained") is told apart by the names it does not share. Names are written alike in every language, so they
 * also join a report to its translation.
 *
 * A word is read as a name when the document writes it capitalized where a sentence does not start, or where one does
 * when a capitalized word of its kind follows ("Revest Finance said"), or as an acronym, or with a capital inside
 * ("CNMV", "zkLend"); never in lowercase, and it is neither a common word nor a word of a
 * dictionary name (the dictionary's own matching covers those). Titles in title case ("Bitcoin Completes Its Third
 * Halving") say nothing by their capitals, so only sentence-case text proposes names; a title then counts the names
 * it contains.
 */
import { queryStopWords, stripMarks } from '../shared/text.ts';
import type { EntityType } from './entities.ts';
import type { Subject } from './prominence.ts';

/** Entity ids of names, beside the dictionary's entities and the figures (`#625`). */
export const namePrefix = '@';

/** The most names kept per document: enough for its actors, bounded for a page of them. */
const maxNames = 16;

const wordPattern = /[\p{L}\p{N}]+/gu;
// Between two words, what ends a sentence or opens a quote, an aside or a line: the next word may be capitalized as any.
const sentenceBreak = /[.!?:;¿¡"“”«»()[\]—–\n•|]|(?:^|\s)-(?:\s|$)/u;
const capitalized = /^\p{Lu}/u;
const acronym = /^\p{Lu}{2,6}$/u;
const innerCapital = /^\p{L}*\p{Ll}\p{Lu}/u;
const lowercaseWord = /^\p{Ll}+$/u;

// Capitalized words that are not names of anyone: months, days, titles and common abbreviations (English, Spanish).
const notNames = new Set(
  (
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday ' +
    'enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre ' +
    'lunes martes miercoles jueves viernes sabado domingo ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec ene abr ago dic ' +
    'europe europa asia africa america americas latin latina latinoamerica oceania ' +
    'mr mrs ms dr st jr sr sra ceo cto cfo coo ai ipo gdp pib nft nfts dao daos defi tvl api usd eur utc gmt am pm ' +
    'inc ltd llc corp co sa sl plc ag gmbh ok tv pdf faq i ii iii iv'
  ).split(' '),
);

// Offices and institutions every country has, capitalized by convention: they name no one in particular.
const offices = new Set(
  (
    'president presidente presidenta vice prime minister ministro ministra ministry ministerio secretary secretario secretaria ' +
    'chairman chair chairwoman governor gobernador director directora general attorney fiscal fiscalia judge juez jueza ' +
    'government gobierno state estado states estados congress congreso senate senado parliament parlamento assembly asamblea ' +
    'legislative legislativa legislativo national nacional federal republic republica court corte tribunal supreme supremo suprema ' +
    'central bank banco reserve reserva treasury tesoro hacienda department departamento commission comision council consejo ' +
    'agency agencia authority autoridad office oficina official oficial journal boletin diario gazette gaceta ' +
    'university universidad institute instituto foundation fundacion house casa white blanca city ciudad county condado ' +
    'north south east west norte sur este oeste street calle avenue avenida'
  ).split(' '),
);

/** Whether a title is written in title case: most of its words past the first, other than short function words, capitalized. */
export function isTitleCase(title: string): boolean {
  const words = [...stripMarks(title).matchAll(wordPattern)]
    .slice(1)
    .map((match) => match[0])
    .filter((word) => !queryStopWords.has(word.toLowerCase()));
  const letters = words.filter((word) => /^\p{L}/u.test(word));
  return letters.length >= 2 && letters.filter((word) => capitalized.test(word)).length / letters.length >= 0.6;
}

/**
 * The names a document states, folded, at most `maxNames`, as its texts written in sentence case (`proposing`) show them.
 * `known` holds the folded words of dictionary names and tickers.
 */
export function findNames(proposing: string[], known: ReadonlySet<string>): Set<string> {
  const candidates = new Set<string>();
  const lowercase = new Set<string>();
  for (const text of proposing) {
    const plain = stripMarks(text);
    let previousEnd = 0;
    for (const match of plain.matchAll(wordPattern)) {
      const word = match[0];
      const folded = word.toLowerCase();
      const startsSentence = previousEnd === 0 || sentenceBreak.test(plain.slice(previousEnd, match.index));
      previousEnd = match.index + word.length;
      if (lowercaseWord.test(word)) lowercase.add(folded);
      // A sentence may open with a name when a word of its kind follows it: "Revest Finance said ...".
      else if (
        acronym.test(word) ||
        innerCapital.test(word) ||
        (capitalized.test(word) && (!startsSentence || kindFollows(plain, previousEnd)))
      )
        candidates.add(folded);
    }
  }
  const names = new Set<string>();
  for (const name of candidates) {
    if (
      lowercase.has(name) ||
      known.has(name) ||
      notNames.has(name) ||
      offices.has(name) ||
      queryStopWords.has(name) ||
      !/\p{L}/u.test(name)
    )
      continue;
    names.add(name);
    if (names.size === maxNames) break;
  }
  return names;
}

/** How many times each name is mentioned in a text, given as its folded words (`foldedWords`). */
export function countNames(names: ReadonlySet<string>, words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) if (names.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** A name as shown in a link's reason: its folded word, capitalized. */
export function nameDisplay(id: string): string {
  const word = id.slice(namePrefix.length).split('/')[0]!;
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// Words that say what kind of subject the name next to them is: "the Revest Finance protocol", "DEI stablecoin",
// "Blockchain Week", "el exchange Lykke". A name read with two kinds is left without one.
const kindAfter: Record<string, EntityType> = Object.fromEntries([
  ...'stablecoin stablecoins token tokens coin coins protocol finance swap dao chain blockchain network mainnet ecosystem bridge memecoin'
    .split(' ')
    .map((word) => [word, 'asset' as const]),
  ...'exchange labs capital bank group holdings ventures markets securities investments wallet company fund partners technologies management research'
    .split(' ')
    .map((word) => [word, 'organization' as const]),
  ...'summit conference forum expo festival hackathon week'.split(' ').map((word) => [word, 'event' as const]),
]);
const kindBefore: Record<string, EntityType> = Object.fromEntries([
  ...'protocolo token stablecoin memecoin criptomoneda'.split(' ').map((word) => [word, 'asset' as const]),
  ...'exchange'.split(' ').map((word) => [word, 'organization' as const]),
  ...'cumbre conferencia foro feria'.split(' ').map((word) => [word, 'event' as const]),
]);

/** Whether the word after `end` is a capitalized word of kind ("Finance", "Labs", "Summit"). */
function kindFollows(text: string, end: number): boolean {
  const next = /^ (\p{Lu}\p{Ll}+)/u.exec(text.slice(end, end + 40))?.[1];
  return next !== undefined && kindAfter[next.toLowerCase()] !== undefined;
}

/** The kind of each name that the words beside it say, when they say one kind; texts given as their folded words. */
export function nameKinds(names: ReadonlySet<string>, texts: (readonly string[])[]): Map<string, EntityType> {
  const kinds = new Map<string, EntityType | null>();
  for (const words of texts) {
    words.forEach((word, index) => {
      if (!names.has(word)) return;
      const kind = kindAfter[words[index + 1] ?? ''] ?? kindBefore[words[index - 1] ?? ''];
      if (!kind) return;
      const known = kinds.get(word);
      kinds.set(word, known === undefined || known === kind ? kind : null);
    });
  }
  return new Map([...kinds].filter((entry): entry is [string, EntityType] => entry[1] !== null));
}

/**
 * A name read as a subject of a kind is stored twice: as its plain id (`@dei`), which two documents share whatever they
 * say about it, and as a kinded id (`@dei/asset`), which tells stories apart like a dictionary entity of that kind.
 */
export const kindedName = (name: string, kind: EntityType) => `${namePrefix}${name}/${kind}`;
export const isKindedName = (id: string) => id.startsWith(namePrefix) && id.includes('/');

/** The subject a name id stands for: the name, of its kind when the id is kinded. */
export function subjectOfName(id: string): Subject {
  const [name, kind] = id.split('/');
  return kind ? { key: name!, kind: kind as EntityType } : { key: name! };
}
