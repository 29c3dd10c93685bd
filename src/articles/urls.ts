import type { Scope } from './model.ts';

/** Path of the HTML page listing a scope, e.g. `/en/`, `/es/category/regulacion/`. */
export function scopePath(scope: Scope): string {
  return scope.term ? `/${scope.lang}/${scope.term.kind}/${scope.term.slug}/` : `/${scope.lang}/`;
}

export function articlePath(lang: string, slug: string): string {
  return `/${lang}/${slug}`;
}

export function articleApiPath(lang: string, slug: string): string {
  return `/api/articles/${lang}/${slug}`;
}
