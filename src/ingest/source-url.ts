import * as z from '../shared/zod.ts';

/** The URL of a feed to follow: absolute http(s), at most 2,000 characters (the API and `npm run ingest` alike). */
export const sourceUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).check(z.maxLength(2000));
