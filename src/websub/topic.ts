import { type Scope, scopeKey } from '../articles/model.ts';
import { type FeedFormat, feedFileNames } from '../feeds/feed-model.ts';

export interface Topic {
  url: string;
  scope: Scope;
  format: FeedFormat;
  /** The render-cache scope whose changes change this feed. */
  scopeKey: string;
}

const formatOf = new Map(Object.entries(feedFileNames).map(([format, file]) => [file, format as FeedFormat]));

/** One of our feeds, named by its URL (a language's, a category's or a tag's, in any format), or undefined. */
export function parseTopic(url: string, siteUrl: string, languages: string[]): Topic | undefined {
  if (!url.startsWith(`${siteUrl}/`)) return undefined;
  const match = /^\/([^/?#]+)\/(?:(category|tag)\/([a-z0-9-]+)\/)?(feed\.xml|atom\.xml|feed\.json)$/.exec(url.slice(siteUrl.length));
  if (!match || !languages.includes(match[1]!)) return undefined;
  const [, lang, kind, slug, file] = match;
  const scope: Scope = kind ? { lang: lang!, term: { kind: kind as 'category' | 'tag', slug: slug! } } : { lang: lang! };
  return { url, scope, format: formatOf.get(file!)!, scopeKey: scopeKey(scope) };
}
