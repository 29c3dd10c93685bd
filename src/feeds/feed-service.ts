import { type Scope, scopeKey, type Translation, termName } from '../articles/model.ts';
import { articlePath, scopePath } from '../articles/urls.ts';
import type { RelatedItem } from '../crosslink/model.ts';
import type { LoadedDocument, Rendering } from '../render-cache/rendering.ts';
import { messagesFor } from '../shared/i18n.ts';
import type { MaybePromise } from '../shared/maybe-promise.ts';
import { type FeedChannel, type FeedEntry, type FeedFormat, feedPath } from './feed-model.ts';
import { renderFeed } from './render.ts';

export interface FeedServicePorts {
  site: { siteUrl: string; siteTitle: string; feedTtlSeconds: number };
  rendering: Rendering;
  /** Published translations of a scope, newest first, and their published siblings (the articles feature's reads). */
  listPublished: (query: { scope: Scope; limit: number }) => Promise<Translation[]>;
  publishedSiblings: (articleIds: string[]) => Promise<Map<string, { lang: string; slug: string }[]>>;
  /** Other outlets' coverage of each article (cross-linking's). */
  relatedItems: (articleIds: string[]) => Promise<Map<string, RelatedItem[]>>;
}

export type FeedService = ReturnType<typeof createFeedService>;

/** Feeds of every scope and format, rendered once and served from the render cache until a write invalidates their scope. */
export function createFeedService(ports: FeedServicePorts) {
  const { site } = ports;

  /** Feed entries with absolute URLs, their published siblings as alternates and their related coverage. */
  async function toFeedEntries(translations: Translation[]): Promise<FeedEntry[]> {
    const ids = translations.map((t) => t.articleId);
    const [siblings, related] = await Promise.all([ports.publishedSiblings(ids), ports.relatedItems(ids)]);
    return translations.map((t) => ({
      translation: t,
      url: site.siteUrl + articlePath(t.lang, t.slug),
      alternates: (siblings.get(t.articleId) ?? [])
        .filter((sibling) => sibling.lang !== t.lang)
        .map((sibling) => ({ lang: sibling.lang, url: site.siteUrl + articlePath(sibling.lang, sibling.slug) })),
      related: (related.get(t.articleId) ?? []).filter((item) => item.url),
    }));
  }

  function describeChannel(scope: Scope, translations: Translation[]): FeedChannel {
    const name = termName(scope, translations);
    return {
      lang: scope.lang,
      title: name ? `${name} · ${site.siteTitle}` : site.siteTitle,
      description: messagesFor(scope.lang).feedDescription(name ?? ''),
      homeUrl: site.siteUrl + scopePath(scope),
      feedUrls: {
        rss: site.siteUrl + feedPath(scope, 'rss'),
        atom: site.siteUrl + feedPath(scope, 'atom'),
        json: site.siteUrl + feedPath(scope, 'json'),
      },
      siteTitle: site.siteTitle,
      siteUrl: site.siteUrl,
      updated: Math.max(0, ...translations.map((t) => t.updatedAt)),
      ttlMinutes: Math.ceil(site.feedTtlSeconds / 60),
    };
  }

  return {
    /** The feed of a scope in a format: from the cache, or queried, rendered and cached. Undefined for an unknown term. */
    loadFeed(scope: Scope, format: FeedFormat, limit: number): MaybePromise<LoadedDocument | undefined> {
      return ports.rendering.load(scopeKey(scope), `${format}:${limit}`, async () => {
        const translations = await ports.listPublished({ scope, limit });
        if (scope.term && translations.length === 0) return undefined;
        return renderFeed(format, describeChannel(scope, translations), await toFeedEntries(translations));
      });
    },
  };
}
