import { Feed } from 'feed';
import type { FeedChannel, FeedEntry } from './feed-model.ts';

/** Our JSON Feed extension key for an item's other language versions (JSON Feed 1.1 "Extensions"). */
export const translationsExtension = '_translations';
/** Our JSON Feed extension key for other outlets' coverage of the same story. */
export const relatedExtension = '_related';

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/); `feed` writes 1.0, so the result is upgraded here. */
export function renderJsonFeed(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    feedLinks: { json: channel.feedUrls.json },
  });
  for (const { translation: t, url } of entries) {
    feed.addItem({
      title: t.title,
      id: t.guid,
      link: url,
      date: new Date(t.updatedAt),
      published: new Date(t.publishedAt),
      description: t.summary || undefined,
      content: t.contentHtml,
      category: [...t.categories, ...t.tags].map((term) => ({ name: term.name })),
    });
  }
  const { version: _, items, ...top } = JSON.parse(feed.json1()) as { version: string; items: Record<string, unknown>[] };
  return JSON.stringify({
    // JSON Feed 1.1 "Top-level": version, language, authors (replacing 1.0's author)
    version: 'https://jsonfeed.org/version/1.1',
    ...top,
    language: channel.lang,
    authors: [{ name: channel.siteTitle, url: channel.siteUrl }],
    items: items.map((item, index) => {
      const { translation: t, alternates, related } = entries[index];
      return {
        ...item,
        // JSON Feed 1.1 "Items": language, authors, image, attachments
        language: t.lang,
        ...(t.authors.length ? { authors: t.authors.map((name) => ({ name })) } : {}),
        ...(t.image
          ? {
              image: t.image.url,
              attachments: [{ url: t.image.url, mime_type: t.image.type, ...(t.image.length ? { size_in_bytes: t.image.length } : {}) }],
            }
          : {}),
        ...(alternates.length
          ? { [translationsExtension]: { alternates: alternates.map((a) => ({ language: a.lang, url: a.url })) } }
          : {}),
        ...(related.length
          ? {
              [relatedExtension]: {
                items: related.map((item) => ({
                  url: item.url,
                  title: item.title,
                  source: item.source,
                  language: item.language ?? undefined,
                })),
              },
            }
          : {}),
      };
    }),
  });
}
