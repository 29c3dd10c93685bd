import { scopeKey, type Translation } from '../articles/model.ts';

/*
 * Render-cache scopes. A list scope (`en`, `en/category/bitcoin`) holds its feeds, its list pages and its API lists;
 * an article scope (`en/article/some-slug`) holds one translation's page and API answer; `site` holds what any write may
 * change (the OPML list of feeds, the coverage of external items).
 */

export const siteScope = 'site';

/** Whether a scope is a list scope (`en`, `en/category/bitcoin`): the scopes of feeds. */
export function isListScope(scope: string): boolean {
  return /^[^/]+$|^[^/]+\/(category|tag)\/[^/]+$/.test(scope);
}

export function articleScopeKey(lang: string, slug: string): string {
  return `${lang}/article/${slug}`;
}

/** Every scope an article write changes: the list scopes whose contents changed, all its translations' own, and `site`. */
export function changedScopes(before: Translation[], after: Translation[]): Set<string> {
  const scopes = changedFeedScopes(before, after);
  for (const t of [...before, ...after]) scopes.add(articleScopeKey(t.lang, t.slug));
  scopes.add(siteScope);
  return scopes;
}

/** Every scope showing an article whose related coverage changed: its published lists, its translations' own, and `site`. */
export function scopesShowingArticle(translations: Translation[]): Set<string> {
  const scopes = new Set(translations.filter((t) => t.status === 'published').flatMap(feedScopesOf));
  for (const t of translations) scopes.add(articleScopeKey(t.lang, t.slug));
  scopes.add(siteScope);
  return scopes;
}

/** Scopes whose feeds carry a published translation: its language, and each of its categories and tags. */
export function feedScopesOf(t: Translation): string[] {
  return [
    scopeKey({ lang: t.lang }),
    ...t.categories.map((term) => scopeKey({ lang: t.lang, term: { kind: 'category', slug: term.slug } })),
    ...t.tags.map((term) => scopeKey({ lang: t.lang, term: { kind: 'tag', slug: term.slug } })),
  ];
}

/**
 * Feed scopes whose bytes an article write changes, given its translations before and after.
 * Only published translations appear in feeds; a translation's entry also lists its published
 * siblings' URLs, so publishing, unpublishing or moving one language touches the others' feeds.
 */
export function changedFeedScopes(before: Translation[], after: Translation[]): Set<string> {
  const published = (list: Translation[]) => new Map(list.filter((t) => t.status === 'published').map((t) => [t.lang, t]));
  const old = published(before);
  const now = published(after);
  const siblingUrlsChanged = siblingSignature(old) !== siblingSignature(now);
  const scopes = new Set<string>();
  for (const lang of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(lang);
    const is = now.get(lang);
    if (!siblingUrlsChanged && was && is && feedFingerprint(was) === feedFingerprint(is)) continue;
    for (const t of [was, is]) if (t) for (const scope of feedScopesOf(t)) scopes.add(scope);
  }
  return scopes;
}

function siblingSignature(published: Map<string, Translation>): string {
  return [...published.values()]
    .map((t) => `${t.lang}:${t.slug}`)
    .sort()
    .join(' ');
}

/** Everything of a translation that a feed shows, in a fixed order. */
function feedFingerprint(t: Translation): string {
  return JSON.stringify([
    t.slug,
    t.guid,
    t.title,
    t.summary,
    t.contentHtml,
    t.authors,
    t.categories,
    t.tags,
    t.image,
    t.publishedAt,
    t.updatedAt,
  ]);
}
