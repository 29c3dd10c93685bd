import { z } from 'zod';
import { AppError } from '../errors.ts';
import { validateBody } from '../http/validate.ts';
import { stripInvalidXmlChars } from '../shared/xml.ts';
import type { Term, Translation } from './model.ts';
import { slugify, slugPattern } from './slug.ts';

/** A translation as an editor sends it, validated and normalized; times still optional. */
export type TranslationInput = Omit<Translation, 'articleId' | 'guid' | 'publishedAt' | 'updatedAt'> & {
  publishedAt?: number;
  updatedAt?: number;
};

// Characters XML forbids would make every feed carrying them unreadable.
const cleanText = stripInvalidXmlChars;
const plainText = (max: number) => z.string().transform(cleanText).pipe(z.string().trim().max(max));
const time = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value));

const termNames = (what: string) =>
  z
    .array(plainText(100).pipe(z.string().min(1)))
    .max(20)
    .default([])
    .superRefine((names, ctx) => {
      names.forEach((name, index) => {
        if (!slugify(name))
          ctx.addIssue({ code: 'custom', path: [index], message: `${what} "${name}" needs at least one letter or digit` });
      });
    })
    .transform((names): Term[] => {
      const seen = new Map<string, Term>();
      for (const name of names) {
        const slug = slugify(name);
        if (!seen.has(slug)) seen.set(slug, { name, slug });
      }
      return [...seen.values()];
    });

const translationFields = {
  slug: z.string().regex(slugPattern, 'lowercase letters, digits and single hyphens, e.g. "north-korea-opens-up"').max(120).optional(),
  title: plainText(300).pipe(z.string().min(1, 'a title is required')),
  summary: plainText(2000).default(''),
  content: z.string().transform(cleanText).pipe(z.string().min(1, 'content is required')),
  authors: z
    .array(plainText(200).pipe(z.string().min(1)))
    .max(20)
    .default([]),
  categories: termNames('category'),
  tags: termNames('tag'),
  image: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      type: z.string().regex(/^image\/[a-z0-9.+-]+$/, 'an image media type such as image/jpeg'),
      length: z.number().int().min(0).default(0),
    })
    .nullable()
    .default(null),
  status: z.enum(['draft', 'published']).default('draft'),
  publishedAt: time.optional(),
  updatedAt: time.optional(),
};

const language = (languages: string[]) =>
  z.string().refine((lang) => languages.includes(lang), `must be one of the configured languages: ${languages.join(', ')}`);

function normalize<T extends { content: string; slug?: string; title: string }>({ content, slug, ...rest }: T) {
  return { ...rest, contentHtml: content, slug: slug ?? slugify(rest.title) };
}

/** The body of a create or replace: `{translations: [...]}`, one translation per language. */
export function articleBody(languages: string[]) {
  return z
    .strictObject({
      translations: z
        .array(z.strictObject({ lang: language(languages), ...translationFields }))
        .min(1, 'an article needs at least one translation')
        .superRefine((translations, ctx) => {
          const seen = new Set<string>();
          translations.forEach((translation, index) => {
            if (seen.has(translation.lang))
              ctx.addIssue({ code: 'custom', path: [index, 'lang'], message: `language "${translation.lang}" appears twice` });
            seen.add(translation.lang);
          });
        }),
    })
    .transform(({ translations }): TranslationInput[] => translations.map(normalize));
}

/** The body of `PUT .../translations/{lang}`: one translation, whose `lang` may be left to the URL (see `inLanguage`). */
export function translationBody(languages: string[]) {
  return z.strictObject({ lang: language(languages).optional(), ...translationFields }).transform(normalize);
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
