import { Feed } from 'feed';
import { escapeXml } from '../shared/xml.ts';
import { type FeedChannel, type FeedEntry, relatedHtml } from './feed-model.ts';

const generator = 'polyglot-feeds';

/** RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded, dc:creator and atom:link self. */
export function renderRss(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    // RSS 2.0 "Required channel elements" and "Optional channel elements"
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    language: channel.lang,
    updated: new Date(channel.updated),
    ttl: channel.ttlMinutes || undefined,
    generator,
    // RSS Best Practices: atom:link rel="self" identifies the feed's own URL
    feedLinks: { rss: channel.feedUrls.rss },
  });
  for (const { translation: t, url, related } of entries) {
    feed.addItem({
      // RSS 2.0 "Elements of <item>"; titles and descriptions are read as HTML by readers, so escape them
      title: escapeXml(t.title),
      link: url,
      guid: t.guid,
      date: new Date(t.updatedAt),
      published: new Date(t.publishedAt),
      description: escapeXml(t.summary),
      // RSS content module: content:encoded carries the full HTML
      content: t.contentHtml + relatedHtml(t.lang, related),
      category: [...t.categories, ...t.tags].map((term) => ({ name: term.name })),
      enclosure: t.image ? { url: t.image.url, type: t.image.type, length: t.image.length } : undefined,
      // Dublin Core dc:creator: RSS <author> must be an e-mail address, names go here
      extensions: [{ name: 'dc:creator', objects: t.authors.map((name) => ({ _text: name })) as unknown as Record<string, unknown> }],
    });
  }
  return feed.rss2();
}
