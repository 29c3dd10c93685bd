// English and Spanish words too common to say what a story is about.
const stopWords = new Set(
  (
    'the and for are was were with that this from have has had not but its their they them his her you your our about after before over into than then ' +
    'will would could should can may might also more most much many some such only just what when where which while who whom how why all any each ' +
    'new news says said say report reports year years week weeks day days first last one two three here there been being does did done ' +
    'los las del una unos unas por para con sin sobre entre tras ante como pero sus mas más muy que qué este esta estos estas ese esa eso ' +
    'fue han hay ser son era eran sido está están dijo según desde hasta cuando donde también porque otro otra otros otras año años semana día días'
  ).split(' '),
);

/** Folds text the way the FTS5 tokenizer does (case, diacritics), into words. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The words that say what a text is about, in order of first appearance (put the title first), at most `max`. */
export function queryTerms(texts: string[], max = 20): string[] {
  const terms: string[] = [];
  for (const text of texts) {
    for (const word of words(text)) {
      if (word.length < 3 || /^\d+$/.test(word) || stopWords.has(word) || terms.includes(word)) continue;
      terms.push(word);
      if (terms.length === max) return terms;
    }
  }
  return terms;
}

/** An FTS5 query matching any of the terms (each quoted, so no word is read as an operator). */
export function ftsQuery(terms: string[]): string {
  return terms.map((term) => `"${term}"`).join(' OR ');
}
