import type { Source, SourceInput } from '../ingest/model.ts';
import { createSourceSchema } from '../ingest/source-input.ts';
import type { FieldErrors } from './article-form.ts';

/** A source's form as text. */
export interface SourceFormValues {
  url: string;
  title: string;
  language: string;
  pollIntervalSeconds: string;
  enabled: boolean;
}

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

/** The source a form describes, or the messages of its bad fields: the admin API's own rules, empty fields not given. */
export function parseSourceForm(values: SourceFormValues): { input: SourceInput } | { errors: FieldErrors } {
  const given = (value: string) => (value === '' ? undefined : value);
  const interval = values.pollIntervalSeconds;
  const result = createSourceSchema.safeParse({
    url: values.url,
    title: given(values.title),
    language: given(values.language),
    // Digits become a number for the schema to bound; anything else is left for it to refuse as not a number.
    pollIntervalSeconds: interval === '' ? undefined : /^\d{1,9}$/.test(interval) ? Number(interval) : Number.NaN,
    enabled: values.enabled,
  });
  if (!result.success) {
    const errors: FieldErrors = {};
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      const message = key === 'pollIntervalSeconds' && issue.code === 'invalid_type' ? 'a whole number of seconds' : issue.message;
      errors[key] = [...(errors[key] ?? []), message];
    }
    return { errors };
  }
  const { url, title, language, pollIntervalSeconds, enabled } = result.data;
  return { input: { url, title: title || new URL(url).host, language: language ?? null, pollIntervalSeconds, enabled } };
}
