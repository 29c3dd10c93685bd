import type { Source, SourceInput } from '../ingest/model.ts';
import { sourceUrl } from '../ingest/source-url.ts';
import { parseLanguageTag } from '../shared/language.ts';
import * as z from '../shared/zod.ts';
import type { FieldErrors } from './article-form.ts';

/** A source's form as text. */
export interface SourceFormValues {
  url: string;
  title: string;
  language: string;
  pollIntervalSeconds: string;
  enabled: boolean;
}

// The admin API's rules for these fields (src/routes/admin-sources.ts), with the form's empty fields read as "not given".
const formSchema = z.object({
  url: sourceUrl,
  title: z.optional(z.string().check(z.maxLength(300))),
  language: z.optional(
    z.pipe(
      z.string().check(z.refine((value) => parseLanguageTag(value) !== undefined, 'must be a language tag such as en or es-ES')),
      z.transform((value) => parseLanguageTag(value)!),
    ),
  ),
  pollIntervalSeconds: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,9}$/, 'a whole number of seconds')),
      z.pipe(z.transform(Number), z.number().check(z.gte(60, 'at least 60 seconds'), z.lte(7 * 86400, 'at most 604800 seconds (a week)'))),
    ),
  ),
  enabled: z.boolean(),
});

export const emptySourceForm: SourceFormValues = { url: '', title: '', language: '', pollIntervalSeconds: '', enabled: true };

export function sourceFormOf(source: Source): SourceFormValues {
  return {
    url: source.url,
    title: source.title,
    language: source.language ?? '',
    pollIntervalSeconds: String(source.pollIntervalSeconds),
    enabled: source.enabled,
  };
}

/** The form as posted; a form without the checkbox (adding a source) means enabled. */
export function readSourceForm(posted: Record<string, unknown>, hasCheckbox: boolean): SourceFormValues {
  const text = (name: string) => (typeof posted[name] === 'string' ? (posted[name] as string).trim() : '');
  return {
    url: text('url'),
    title: text('title'),
    language: text('language'),
    pollIntervalSeconds: text('pollIntervalSeconds'),
    enabled: hasCheckbox ? posted.enabled === 'on' : true,
  };
}

/** The source a form describes, or the messages of its bad fields. */
export function parseSourceForm(values: SourceFormValues): { input: SourceInput } | { errors: FieldErrors } {
  const given = (value: string) => (value === '' ? undefined : value);
  const result = formSchema.safeParse({
    url: values.url,
    title: given(values.title),
    language: given(values.language),
    pollIntervalSeconds: given(values.pollIntervalSeconds),
    enabled: values.enabled,
  });
  if (!result.success) {
    const errors: FieldErrors = {};
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return { errors };
  }
  const { url, title, language, pollIntervalSeconds, enabled } = result.data;
  return { input: { url, title: title || new URL(url).host, language: language ?? null, pollIntervalSeconds, enabled } };
}
