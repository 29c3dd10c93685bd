import { parseLanguageTag } from '../shared/language.ts';
import * as z from '../shared/zod.ts';

/** The URL of a feed to follow: absolute http(s), at most 2,000 characters (the API and `npm run ingest` alike). */
export const sourceUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).check(z.maxLength(2000));

// A source's fields as the admin API and the console take them (one set of rules, one set of messages).
const sourceFields = {
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
  language: z.nullable(
    z.pipe(
      z.string().check(z.refine((value) => parseLanguageTag(value) !== undefined, 'must be a language tag such as en or es-ES')),
      z.transform((value) => parseLanguageTag(value)!),
    ),
  ),
  enabled: z.boolean(),
  pollIntervalSeconds: z
    .number()
    .check(z.int('a whole number of seconds'), z.gte(60, 'at least 60 seconds'), z.lte(7 * 86400, 'at most 604800 seconds (a week)')),
};

/** A new source: its URL, and any of its other fields (the title defaults to the feed's, polling to every 30 minutes). */
export const createSourceSchema = z.partial(
  z.strictObject({ url: sourceUrl, ...sourceFields, title: z.optional(sourceFields.title), language: z.optional(sourceFields.language) }),
  { enabled: true, pollIntervalSeconds: true },
);

/** A change to a source: any of its fields. */
export const patchSourceSchema = z.partial(z.strictObject({ url: sourceUrl, ...sourceFields }));
