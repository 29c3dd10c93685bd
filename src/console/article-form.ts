import type { Article, Translation } from '../articles/model.ts';

/** A translation's column of the editor form, as text the way the form holds it. */
export interface TranslationFields {
  /** `none`: the article has no translation in this language (saving removes one it had). */
  status: 'none' | 'draft' | 'published';
  title: string;
  slug: string;
  summary: string;
  content: string;
  /** One name per line. */
  authors: string;
  /** Comma-separated. */
  categories: string;
  tags: string;
  imageUrl: string;
  imageType: string;
  imageLength: string;
  /** `YYYY-MM-DDTHH:MM:SS`, UTC (an `<input type="datetime-local">`); empty for "now". */
  publishedAt: string;
}

/** The editor form: one column per configured language. */
export type ArticleForm = Record<string, TranslationFields>;

/** Messages by form field (`en.title`, `es.image.url`), and `form` for the article as a whole. */
export type FieldErrors = Record<string, string[]>;

const fieldNames = [
  'status',
  'title',
  'slug',
  'summary',
  'content',
  'authors',
  'categories',
  'tags',
  'imageUrl',
  'imageType',
  'imageLength',
  'publishedAt',
] as const satisfies readonly (keyof TranslationFields)[];

/** The name of a form control: `en.title`. */
export const controlName = (lang: string, field: keyof TranslationFields) => `${lang}.${field}`;

/** The key under which errors of a translation field are kept (`en.image.url` for imageUrl, as the API names the path). */
export const errorKey = (lang: string, field: keyof TranslationFields) => `${lang}.${apiFieldOf[field]}`;

const apiFieldOf: Record<keyof TranslationFields, string> = {
  status: 'status',
  title: 'title',
  slug: 'slug',
  summary: 'summary',
  content: 'content',
  authors: 'authors',
  categories: 'categories',
  tags: 'tags',
  imageUrl: 'image.url',
  imageType: 'image.type',
  imageLength: 'image.length',
  publishedAt: 'publishedAt',
};

const emptyFields = (status: TranslationFields['status']): TranslationFields => ({
  status,
  title: '',
  slug: '',
  summary: '',
  content: '',
  authors: '',
  categories: '',
  tags: '',
  imageUrl: '',
  imageType: '',
  imageLength: '',
  publishedAt: '',
});

/** The form of a new article: a draft in the first language, the others absent until given a status. */
export function newArticleForm(languages: string[]): ArticleForm {
  return Object.fromEntries(languages.map((lang, index) => [lang, emptyFields(index === 0 ? 'draft' : 'none')]));
}

/** The form showing a stored article. */
export function articleFormOf(article: Article, languages: string[]): ArticleForm {
  const form = newArticleForm(languages);
  for (const lang of languages) form[lang] = emptyFields('none');
  for (const t of article.translations) form[t.lang] = fieldsOf(t);
  return form;
}

function fieldsOf(t: Translation): TranslationFields {
  return {
    status: t.status,
    title: t.title,
    slug: t.slug,
    summary: t.summary,
    content: t.contentHtml,
    authors: t.authors.join('\n'),
    categories: t.categories.map((term) => term.name).join(', '),
    tags: t.tags.map((term) => term.name).join(', '),
    imageUrl: t.image?.url ?? '',
    imageType: t.image?.type ?? '',
    imageLength: t.image ? String(t.image.length) : '',
    publishedAt: toDateTimeLocal(t.publishedAt),
  };
}

/** The form as posted (missing controls read as empty). */
export function readArticleForm(posted: Record<string, unknown>, languages: string[]): ArticleForm {
  const form: ArticleForm = {};
  for (const lang of languages) {
    const fields = emptyFields('none');
    for (const name of fieldNames) {
      const value = posted[controlName(lang, name)];
      if (typeof value === 'string') (fields as unknown as Record<string, string>)[name] = value;
    }
    if (!['none', 'draft', 'published'].includes(fields.status)) fields.status = 'none';
    form[lang] = fields;
  }
  return form;
}

/**
 * The API body `{translations: [...]}` a form stands for, to be validated by the API's own schema, with `languages`
 * telling which language each entry is (validation paths name entries by index). A column marked `none` but filled in is
 * an error of its own: its text would be lost without a word.
 */
export function articleBodyOf(
  form: ArticleForm,
  existing?: Article,
): { body: { translations: Record<string, unknown>[] }; languages: string[]; errors: FieldErrors } {
  const translations: Record<string, unknown>[] = [];
  const languages: string[] = [];
  const errors: FieldErrors = {};
  for (const [lang, fields] of Object.entries(form)) {
    if (fields.status === 'none') {
      const filled = fieldNames.some((name) => name !== 'status' && fields[name].trim() !== '');
      if (filled) errors[errorKey(lang, 'status')] = ['choose draft or published to keep this translation, or clear its fields'];
      continue;
    }
    languages.push(lang);
    translations.push(
      translationBodyOf(
        lang,
        fields,
        existing?.translations.find((t) => t.lang === lang),
      ),
    );
  }
  return { body: { translations }, languages, errors };
}

function translationBodyOf(lang: string, fields: TranslationFields, existing: Translation | undefined): Record<string, unknown> {
  const list = (text: string, separator: RegExp) =>
    text
      .split(separator)
      .map((part) => part.trim())
      .filter(Boolean);
  const body: Record<string, unknown> = {
    lang,
    title: fields.title,
    summary: fields.summary,
    content: fields.content,
    authors: list(fields.authors, /\r?\n/),
    categories: list(fields.categories, /,/),
    tags: list(fields.tags, /,/),
    status: fields.status,
  };
  if (fields.slug.trim()) body.slug = fields.slug.trim();
  if (fields.imageUrl.trim() || fields.imageType.trim()) {
    const length = fields.imageLength.trim();
    body.image = {
      url: fields.imageUrl.trim(),
      type: fields.imageType.trim(),
      // A number the schema checks; text it refuses as such.
      ...(length ? { length: /^\d+$/.test(length) ? Number(length) : length } : {}),
    };
  }
  const publishedAt = fields.publishedAt.trim();
  if (publishedAt) {
    // The form shows times to the second: the stored time is kept exactly when it was left as shown.
    body.publishedAt =
      existing && toDateTimeLocal(existing.publishedAt) === publishedAt
        ? new Date(existing.publishedAt).toISOString()
        : fromDateTimeLocal(publishedAt);
  }
  return body;
}

/**
 * Validation messages by form field, from the API's `{path, message}` list: `translations.1.image.url` becomes
 * `es.image.url` (for the language of entry 1) and list entries (`authors.2`) count as the list's field.
 */
export function fieldErrorsOf(fields: { path: string; message: string }[], languages: string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { path, message } of fields) {
    const match = /^translations\.(\d+)\.(.+)$/.exec(path);
    const lang = match ? languages[Number(match[1])] : undefined;
    const field = match?.[2]?.replace(/^(authors|categories|tags)\.\d+$/, '$1');
    const key = lang && field ? `${lang}.${field}` : 'form';
    errors[key] = [...(errors[key] ?? []), message];
  }
  return errors;
}

/** A time as an `<input type="datetime-local" step="1">` shows it, in UTC: `2030-01-01T10:00:00`. */
export function toDateTimeLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** A `datetime-local` value read as UTC, as an ISO 8601 time with offset; anything else is left for the schema to refuse. */
export function fromDateTimeLocal(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)) return `${value}Z`;
  return value;
}
