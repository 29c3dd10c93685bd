import { type Scope, scopeKey, type Translation } from '../articles/model.ts';
import type { Deps } from '../deps.ts';
import { messagesFor } from '../i18n.ts';
import { articlePath, feedPath, scopePath } from '../urls.ts';
import type { FeedChannel, FeedEntry, FeedFormat } from './feed-model.ts';
import { type RenderedFeed, renderFeed } from './render.ts';

export interface FeedResult {
  feed: RenderedFeed;
  fromCache: boolean;
}

/** The feed of a scope in a format: from the cache, or queried, rendered and cached. Undefined for an unknown term. */
export async function loadFeed(deps: Deps, scope: Scope, format: FeedFormat, limit: number): Promise<FeedResult | undefined> {
  const key = scopeKey(scope);
  const variant = `${format}:${limit}`;
  const { version, feed } = await deps.feedCache.lookup(key, variant);
  if (feed) return { feed, fromCache: true };

  const translations = await deps.store.listPublished({ scope, limit });
  if (scope.term && translations.length === 0) return undefined;
  const entries = await toFeedEntries(deps, translations);
  const rendered = await renderFeed(format, describeChannel(deps, scope, translations), entries);
  await deps.feedCache.put(key, version, variant, rendered);
  return { feed: rendered, fromCache: false };
}

/** Feed entries with absolute URLs and their published siblings as alternates. */
export async function toFeedEntries(deps: Deps, translations: Translation[]): Promise<FeedEntry[]> {
  const { siteUrl } = deps.config;
  const ids = translations.map((t) => t.articleId);
  const [siblings, related] = await Promise.all([deps.store.publishedSiblings(ids), deps.crosslinkStore.relatedItems(ids)]);
  return translations.map((t) => ({
    translation: t,
    url: siteUrl + articlePath(t.lang, t.slug),
    alternates: (siblings.get(t.articleId) ?? [])
      .filter((sibling) => sibling.lang !== t.lang)
      .map((sibling) => ({ lang: sibling.lang, url: siteUrl + articlePath(sibling.lang, sibling.slug) })),
    related: (related.get(t.articleId) ?? []).filter((item) => item.url),
  }));
}

/** Display name of a term, as written in the newest translation that carries it. */
export function termName(scope: Scope, translations: Translation[]): string | undefined {
  if (!scope.term) return undefined;
  const { kind, slug } = scope.term;
  const terms = translations[0]?.[kind === 'category' ? 'categories' : 'tags'] ?? [];
  return terms.find((term) => term.slug === slug)?.name ?? slug;
}

function describeChannel(deps: Deps, scope: Scope, translations: Translation[]): FeedChannel {
  const { siteUrl, siteTitle, feedTtlSeconds } = deps.config;
  const name = termName(scope, translations);
  return {
    lang: scope.lang,
    title: name ? `${name} · ${siteTitle}` : siteTitle,
    description: messagesFor(scope.lang).feedDescription(name ?? ''),
    homeUrl: siteUrl + scopePath(scope),
    feedUrls: {
      rss: siteUrl + feedPath(scope, 'rss'),
      atom: siteUrl + feedPath(scope, 'atom'),
      json: siteUrl + feedPath(scope, 'json'),
    },
    siteTitle,
    siteUrl,
    updated: Math.max(0, ...translations.map((t) => t.updatedAt)),
    ttlMinutes: Math.ceil(feedTtlSeconds / 60),
  };
}
