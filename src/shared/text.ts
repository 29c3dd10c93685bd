/** The one way text is folded for comparing, searching and slugs: compatibility-decomposed (NFKD), combining marks removed. */
export function stripMarks(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/** Text folded for comparison: marks removed and lowercase (`Japón` -> `japon`), as the FTS5 tokenizer folds it. */
export function fold(text: string): string {
  return stripMarks(text).toLowerCase();
}

/** The words of folded text: runs of letters and digits (and of `extra` characters, e.g. `$%`). */
export function foldedWords(text: string, extra = ''): string[] {
  const separator = new RegExp(`[^\\p{L}\\p{N}${extra.replace(/[\\\]^-]/g, '\\$&')}]+`, 'u');
  return fold(text).split(separator).filter(Boolean);
}

// English and Spanish function words: they carry no story.
export const functionWords: ReadonlySet<string> = new Set(
  (
    'a an and are as at be by for from has have in is it its of on or that the this to was were will with ' +
    'al como con de del el en es la las lo los para por que se su sus un una y o ante tras sobre entre'
  ).split(' '),
);

// Words that say how news is told, not what it is about; with the function words, left out of search queries.
const reportingWords = (
  'not but their they them his her you your our about after before over into than then ' +
  'would could should can may might also more most much many some such only just what when where which while who whom how why all any each ' +
  'new news says said say report reports year years week weeks day days first last one two three here there been being does did done ' +
  'unos unas sin mas más muy qué este esta estos estas ese esa eso ' +
  'fue han hay ser son era eran sido está están dijo según desde hasta cuando donde también porque otro otra otros otras año años semana día días'
).split(' ');

export const queryStopWords: ReadonlySet<string> = new Set([...functionWords, ...reportingWords]);
