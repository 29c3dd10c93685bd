import type { FeedChannel, FeedEntry } from './feed-model.ts';

/** Our JSON Feed extension key for an item's other language versions (JSON Feed 1.1 "Extensions"). */
export const translationsExtension = '_translations';
/** Our JSON Feed extension key for other outlets' coverage of the same story. */
export const relatedExtension = '_related';

const iso = (time: number) => new Date(time).toISOString();

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Members set to undefined are left out by JSON.stringify. */
export function renderJsonFeed(channel: FeedChannel, entries: FeedEntry[]): string {
  return JSON.stringify({
    // JSON Feed 1.1 "Top-level"
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    home_page_url: channel.homeUrl,
    feed_url: channel.feedUrls.json,
    // JSON Feed 1.1 "hubs": where to subscribe (WebSub)
    hubs: channel.hubs?.map((url) => ({ type: 'WebSub', url })),
    // The older items: JSON Feed's next_url, the next page of a paged feed or the newest archive (RFC 5005's prev-archive)
    next_url: channel.paging?.next?.json ?? channel.history?.prev?.json,
    description: channel.description || undefined,
    language: channel.lang,
    authors: [{ name: channel.siteTitle, url: channel.siteUrl }],
    items: entries.map(item),
  });
}

function item({ translation: t, url, alternates, related }: FeedEntry) {
  return {
    // JSON Feed 1.1 "Items"
    id: t.guid,
    content_html: t.contentHtml,
    url,
    title: t.title,
    summary: t.summary || undefined,
    date_modified: iso(t.updatedAt),
    date_published: iso(t.publishedAt),
    tags: [...t.categories, ...t.tags].map((term) => term.name),
    language: t.lang,
    authors: t.authors.length ? t.authors.map((name) => ({ name })) : undefined,
    image: t.image?.url,
    // JSON Feed 1.1 "Attachments"
    attachments: t.image ? [{ url: t.image.url, mime_type: t.image.type, size_in_bytes: t.image.length || undefined }] : undefined,
    // JSON Feed 1.1 "Extensions"
    [translationsExtension]: alternates.length ? { alternates: alternates.map((a) => ({ language: a.lang, url: a.url })) } : undefined,
    [relatedExtension]: related.length
      ? {
          items: related.map((r) => ({
            url: r.url,
            title: r.title,
            source: r.source,
            language: r.language ?? undefined,
            // How widely the story is covered, when more than one outlet covers it
            coverage: r.coverage.outlets > 1 ? r.coverage : undefined,
          })),
        }
      : undefined,
  };
}
