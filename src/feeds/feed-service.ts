import { type Scope, scopeKey, type Translation, termName } from '../articles/model.ts';
import { articlePath, scopePath } from '../articles/urls.ts';
import type { RelatedItem } from '../crosslink/model.ts';
import type { LoadedDocument, Rendering } from '../render-cache/rendering.ts';
import { messagesFor } from '../shared/i18n.ts';
import type { MaybePromise } from '../shared/maybe-promise.ts';
import { pollSeconds } from './cadence.ts';
import {
  archivePath,
  type FeedChannel,
  type FeedEntry,
  type FeedFormat,
  feedPath,
  inEveryFormat,
  type Month,
  monthOf,
  monthRange,
} from './feed-model.ts';
import { renderFeed } from './render.ts';

export interface FeedServicePorts {
  site: { siteUrl: string; siteTitle: string; feedTtlSeconds: number; feedMaxTtlSeconds: number; hubs?: string[] };
  rendering: Rendering;
  /** Published translations of a scope, newest first, and their published siblings (the articles feature's reads). */
  listPublished: (query: { scope: Scope; limit: number; offset?: number }) => Promise<Translation[]>;
  /** How many published translations a category or tag holds (for a paged feed's last page). */
  countPublishedInTerm: (lang: string, term: { kind: 'category' | 'tag'; slug: string }) => Promise<number>;
  /** A language's published translations in [from, to), newest first, and the nearest publication times outside. */
  listPublishedBetween: (lang: string, from: number, to: number, limit: number) => Promise<Translation[]>;
  publishedAround: (lang: string, from: number, to: number) => Promise<{ before?: number; after?: number }>;
  publishedSiblings: (articleIds: string[]) => Promise<Map<string, { lang: string; slug: string }[]>>;
  /** Other outlets' coverage of each article (cross-linking's). */
  relatedItems: (articleIds: string[]) => Promise<Map<string, RelatedItem[]>>;
}

export type FeedService = ReturnType<typeof createFeedService>;

/** Entries of a feed (and of each page of a paged feed) unless `?limit=` says otherwise. */
export const defaultLimit = 20;

/** Entries one month's archive holds at most (a month of a busy newsroom is a few hundred). */
const archiveLimit = 5000;

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
      feedUrls: inEveryFormat((format) => site.siteUrl + feedPath(scope, format)),
      siteTitle: site.siteTitle,
      siteUrl: site.siteUrl,
      updated: Math.max(0, ...translations.map((t) => t.updatedAt)),
      pollSeconds: pollSeconds(
        translations.map((t) => t.publishedAt),
        { min: site.feedTtlSeconds, max: site.feedMaxTtlSeconds },
      ),
    };
  }

  /** Absolute URLs of one page of a paged feed in every format; the first page is the feed's own URL. */
  const pageUrls = (scope: Scope, limit: number, page: number): Record<FeedFormat, string> => {
    const query = new URLSearchParams();
    if (limit !== defaultLimit) query.set('limit', String(limit));
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    const suffix = text ? `?${text}` : '';
    return inEveryFormat((format) => site.siteUrl + feedPath(scope, format) + suffix);
  };

  /** Absolute URLs of a month's archive in every format. */
  const archiveUrls = (lang: string, month: Month) => inEveryFormat((format) => site.siteUrl + archivePath(lang, month, format));

  return {
    /**
     * The feed of a scope in a format: from the cache, or queried, rendered and cached. Undefined for an unknown term.
     * A language's feed links its newest archive (RFC 5005 §4), the month of its newest entry.
     */
    loadFeed(scope: Scope, format: FeedFormat, limit: number, page = 1): MaybePromise<LoadedDocument | undefined> {
      return ports.rendering.load(scopeKey(scope), `${format}:${limit}:${page}`, async () => {
        if (scope.term) {
          const [rows, total] = await Promise.all([
            ports.listPublished({ scope, limit, offset: (page - 1) * limit }),
            ports.countPublishedInTerm(scope.lang, scope.term),
          ]);
          if (rows.length === 0) return undefined;
          const pages = Math.max(page, Math.ceil(total / limit));
          const channel = describeChannel(scope, rows);
          channel.feedUrls = pageUrls(scope, limit, page);
          if (page === 1) channel.hubs = site.hubs;
          channel.paging = {
            first: pageUrls(scope, limit, 1),
            next: page < pages ? pageUrls(scope, limit, page + 1) : undefined,
            previous: page > 1 ? pageUrls(scope, limit, page - 1) : undefined,
            last: pageUrls(scope, limit, pages),
          };
          return renderFeed(format, channel, await toFeedEntries(rows));
        }
        if (page > 1) return undefined;
        const translations = await ports.listPublished({ scope, limit });
        const channel = describeChannel(scope, translations);
        channel.hubs = site.hubs;
        const newest = translations[0];
        if (newest) channel.history = { archive: false, prev: archiveUrls(scope.lang, monthOf(newest.publishedAt)) };
        return renderFeed(format, channel, await toFeedEntries(translations));
      });
    },

    /**
     * A language's archived feed of one month (RFC 5005 §4): every translation published in it, linked to the nearest
     * older and newer months that have any. Kept in the language's scope, so any change to its feeds renders it anew;
     * bytes change only when the month's own entries (or its neighbours) do. Undefined for a month without entries.
     */
    loadArchive(lang: string, month: Month, format: FeedFormat): MaybePromise<LoadedDocument | undefined> {
      const { from, to } = monthRange(month);
      return ports.rendering.load(scopeKey({ lang }), `archive:${from}:${format}`, async () => {
        const translations = await ports.listPublishedBetween(lang, from, to, archiveLimit);
        if (translations.length === 0) return undefined;
        const around = await ports.publishedAround(lang, from, to);
        const urls = archiveUrls(lang, month);
        const channel: FeedChannel = {
          ...describeChannel({ lang }, translations),
          feedUrls: urls,
          history: {
            archive: true,
            prev: around.before === undefined ? undefined : archiveUrls(lang, monthOf(around.before)),
            next: around.after === undefined ? undefined : archiveUrls(lang, monthOf(around.after)),
          },
        };
        channel.title = `${channel.title} · ${String(month.year).padStart(4, '0')}-${String(month.month).padStart(2, '0')}`;
        return renderFeed(format, channel, await toFeedEntries(translations));
      });
    },
  };
}
