import { AppError } from '../errors.ts';
import { validateBody } from '../http/validate.ts';
import { stripInvalidXmlChars } from '../shared/xml.ts';
import * as z from '../shared/zod.ts';
import type { Term, Translation } from './model.ts';
import { slugify, slugPattern } from './slug.ts';

/** A translation as an editor sends it, validated and normalized; times still optional. */
export type TranslationInput = Omit<Translation, 'articleId' | 'guid' | 'publishedAt' | 'updatedAt'> & {
  publishedAt?: number;
  updatedAt?: number;
};

// Characters XML forbids would make every feed carrying them unreadable.
const cleanText = z.overwrite(stripInvalidXmlChars);
// The checks of a text field sit behind a bare `z.string()`: zod runs a length check even on a value of the wrong type
// that has a length (an array), which would add a second issue to "expected string".
const text = (...checks: z.core.$ZodCheck<string>[]) => z.pipe(z.string(), z.string().check(cleanText, ...checks));
/** Text cleaned of what XML forbids, trimmed, at most `max` characters, and whatever `checks` add. */
const plainText = (max: number, ...checks: z.core.$ZodCheck<string>[]) => text(z.trim(), z.maxLength(max), ...checks);
const time = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((value) => Date.parse(value)),
);

const termNames = (what: string) =>
  z.pipe(
    z._default(z.array(plainText(100, z.minLength(1))).check(z.maxLength(20)), []).check(
      z.superRefine((names, ctx) => {
        names.forEach((name, index) => {
          if (!slugify(name))
            ctx.addIssue({ code: 'custom', path: [index], message: `${what} "${name}" needs at least one letter or digit` });
        });
      }),
    ),
    z.transform((names): Term[] => {
      const seen = new Map<string, Term>();
      for (const name of names) {
        const slug = slugify(name);
        if (!seen.has(slug)) seen.set(slug, { name, slug });
      }
      return [...seen.values()];
    }),
  );

const translationFields = {
  slug: z.optional(
    z.string().check(z.regex(slugPattern, 'lowercase letters, digits and single hyphens, e.g. "north-korea-opens-up"'), z.maxLength(120)),
  ),
  title: plainText(300, z.minLength(1, 'a title is required')),
  summary: z._default(plainText(2000), ''),
  content: text(z.minLength(1, 'content is required')),
  authors: z._default(z.array(plainText(200, z.minLength(1))).check(z.maxLength(20)), []),
  categories: termNames('category'),
  tags: termNames('tag'),
  image: z._default(
    z.nullable(
      z.strictObject({
        url: z.url({ protocol: /^https?$/ }),
        type: z.string().check(z.regex(/^image\/[a-z0-9.+-]+$/, 'an image media type such as image/jpeg')),
        length: z._default(z.number().check(z.int(), z.gte(0)), 0),
      }),
    ),
    null,
  ),
  status: z._default(z.enum(['draft', 'published']), 'draft'),
  publishedAt: z.optional(time),
  updatedAt: z.optional(time),
};

const language = (languages: string[]) =>
  z.string().check(z.refine((lang) => languages.includes(lang), `must be one of the configured languages: ${languages.join(', ')}`));

function normalize<T extends { content: string; slug?: string; title: string }>({ content, slug, ...rest }: T) {
  return { ...rest, contentHtml: content, slug: slug ?? slugify(rest.title) };
}

/** The body of a create or replace: `{translations: [...]}`, one translation per language. */
export function articleBody(languages: string[]) {
  return z.pipe(
    z.strictObject({
      translations: z.array(z.strictObject({ lang: language(languages), ...translationFields })).check(
        z.minLength(1, 'an article needs at least one translation'),
        z.superRefine((translations, ctx) => {
          const seen = new Set<string>();
          translations.forEach((translation, index) => {
            if (seen.has(translation.lang))
              ctx.addIssue({ code: 'custom', path: [index, 'lang'], message: `language "${translation.lang}" appears twice` });
            seen.add(translation.lang);
          });
        }),
      ),
    }),
    z.transform(({ translations }): TranslationInput[] => translations.map(normalize)),
  );
}

/** The body of `PUT .../translations/{lang}`: one translation, whose `lang` may be left to the URL (see `inLanguage`). */
export function translationBody(languages: string[]) {
  return z.pipe(z.strictObject({ lang: z.optional(language(languages)), ...translationFields }), z.transform(normalize));
}

/** A translation body for the URL's language: 400 when the body names another. */
export function inLanguage(input: z.output<ReturnType<typeof translationBody>>, lang: string): TranslationInput {
  if (input.lang !== undefined && input.lang !== lang) {
    throw new AppError('validation_failed', `The body's lang "${input.lang}" differs from the URL's "${lang}".`, {
      fields: [{ path: 'lang', message: `must be "${lang}" as in the URL` }],
    });
  }
  return { ...input, lang };
}

/** Validates `{translations: [...]}` outside a request (the seed files). */
export function parseArticleInput(body: unknown, languages: string[]): TranslationInput[] {
  return validateBody(articleBody(languages), body);
}

/**
 * The stored translation for an input: keeps the entry id of the translation it replaces,
 * and its publication time when the editor sent none.
 */
export function toTranslation(
  input: TranslationInput,
  articleId: string,
  existing: Translation | undefined,
  now: number,
  mintGuid: () => string,
): Translation {
  const { publishedAt, updatedAt, ...fields } = input;
  const keptPublishedAt = existing?.status === 'published' ? existing.publishedAt : undefined;
  return {
    ...fields,
    articleId,
    guid: existing?.guid ?? mintGuid(),
    publishedAt: publishedAt ?? keptPublishedAt ?? now,
    updatedAt: updatedAt ?? now,
  };
}
