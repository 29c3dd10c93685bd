import type { Scope } from './articles/model.ts';
import type { FeedFormat } from './feeds/feed-model.ts';

export const feedFileNames: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

/** Path of the HTML page listing a scope, e.g. `/en/`, `/es/category/regulacion/`. */
export function scopePath(scope: Scope): string {
  return scope.term ? `/${scope.lang}/${scope.term.kind}/${scope.term.slug}/` : `/${scope.lang}/`;
}

export function feedPath(scope: Scope, format: FeedFormat): string {
  return `${scopePath(scope)}${feedFileNames[format]}`;
}

export function articlePath(lang: string, slug: string): string {
  return `/${lang}/${slug}`;
}

export function articleApiPath(lang: string, slug: string): string {
  return `/api/articles/${lang}/${slug}`;
}
