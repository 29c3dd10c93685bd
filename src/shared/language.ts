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
    return tag.split('-')[0]!.toLowerCase();
  }
}

/** The language a feed states, read as its first tag (feeds write `en-us, fr` or `en-US; q=1`). */
export function languageTag(value: string | undefined): string | undefined {
  return parseLanguageTag(value?.trim().split(/[\s,;]+/)[0]);
}

/** Whether `value` is a language tag written exactly as `parseLanguageTag` writes it. */
export function isLanguageTag(value: string): boolean {
  return parseLanguageTag(value) === value;
}
