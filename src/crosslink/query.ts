import { foldedWords, queryStopWords } from '../shared/text.ts';

/** The words that say what a text is about, in order of first appearance (put the title first), at most `max`. */
export function queryTerms(texts: string[], max = 20): string[] {
  const terms: string[] = [];
  for (const text of texts) {
    for (const word of foldedWords(text)) {
      if (word.length < 3 || /^\d+$/.test(word) || queryStopWords.has(word) || terms.includes(word)) continue;
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
