/**
 * The one language-tag rule: a BCP 47 tag (RFC 5646) with a 2- or 3-letter primary language, in canonical case
 * (`es-es` -> `es-ES`, `en_US` -> `en-US`); undefined when `value` is not one.
 */
export function parseLanguageTag(value: string | undefined): string | undefined {
  const tag = value?.trim().replace(/_/g, '-');
  if (!tag || !/^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    // Subtags Intl refuses (e.g. `en-x`): keep the primary language.
    return primaryLanguage(tag);
  }
}

/** The language a feed states, read as its first tag (feeds write `en-us, fr` or `en-US; q=1`). */
export function languageTag(value: string | undefined): string | undefined {
  return parseLanguageTag(value?.trim().split(/[\s,;]+/)[0]);
}

/** A language tag's primary subtag, lowercased (`es-ES` -> `es`): what two tags are compared by. */
export function primaryLanguage(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** Whether `value` is a language tag written exactly as `parseLanguageTag` writes it. */
export function isLanguageTag(value: string): boolean {
  return parseLanguageTag(value) === value;
}

// Function words only one of these languages writes (lowercase): the language of running text shows in them. A list of
// words, not a statistical model, keeps the Workers bundle small; it tells these six apart and says nothing of others.
const wordsByLanguage: Record<string, string> = {
  en: 'the and of to is that for with was by from it its has have this are be which said will were been not but an at',
  es: 'el los las del y una es su al pero sus fue ha también lo ya muy según hasta cuando',
  pt: 'os da não em um uma foi são pelo pela ao seu sua já até tem também',
  fr: 'les des du et est dans pour qui sur pas au aux avec ce cette sont ont elle leur été',
  de: 'der die und ist nicht ein eine zu den von mit sich auf für im dem auch wird bei nach wurde',
  it: 'gli di che della dei delle nel nella sono anche più ma non questo degli alla stato',
};
const languageOfWord = (() => {
  const seen = new Map<string, string | null>();
  for (const [language, words] of Object.entries(wordsByLanguage)) {
    for (const word of words.split(' ')) seen.set(word, seen.has(word) ? null : language);
  }
  return new Map([...seen].filter((entry): entry is [string, string] => entry[1] !== null));
})();

/**
 * The language running text is written in (`en`, `es`, `pt`, `fr`, `de` or `it`), by the function words only that
 * language writes; undefined when the text is too short to tell or is in another language: at least four such words,
 * three times as many as any other language's.
 */
export function textLanguage(text: string): string | undefined {
  const counts = new Map<string, number>();
  // Six hundred characters (a title and a summary) hold enough function words to tell. The six write in Latin letters,
  // which a plain character class splits several times faster than a Unicode property.
  for (const word of text
    .slice(0, 600)
    .toLowerCase()
    .split(/[^a-zà-öø-ÿ]+/)) {
    const language = languageOfWord.get(word);
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const [first, second] = [...counts].sort((a, b) => b[1] - a[1]);
  return first && first[1] >= 4 && first[1] >= 3 * (second?.[1] ?? 0) ? first[0] : undefined;
}

/**
 * The language an entry is written in: what it (or its feed) declares, unless its text plainly says another. Feeds
 * leave the language out, and a site's default is often left at `en-US` above text in Spanish. `texts` are tried in
 * turn (the title and summary first, the content's opening only when they are too short to tell).
 */
export function writtenLanguage(declared: string | undefined, texts: (() => string)[]): string | undefined {
  for (const text of texts) {
    const found = textLanguage(text());
    if (found) return declared && primaryLanguage(declared) === found ? declared : found;
  }
  return declared;
}
