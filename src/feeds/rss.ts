import { cdata, el, serializeXml, type XmlElement } from '../shared/xml.ts';
import { updateHint } from './cadence.ts';
import { type FeedChannel, type FeedEntry, historyNamespace, pagingLinks, relatedHtml } from './feed-model.ts';

const generator = 'polyglot-feeds';
/** RFC 822 dates as RSS 2.0 wants them; toUTCString always writes English day and month names. */
const rfc822 = (time: number) => new Date(time).toUTCString();

/** RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded, dc:creator and atom:link self. */
export function renderRss(channel: FeedChannel, entries: FeedEntry[]): string {
  const rss = el(
    'rss',
    {
      version: '2.0',
      'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      'xmlns:atom': 'http://www.w3.org/2005/Atom',
      'xmlns:sy': channel.pollSeconds ? 'http://purl.org/rss/1.0/modules/syndication/' : undefined,
      'xmlns:fh': channel.history?.archive ? historyNamespace : undefined,
    },
    el(
      'channel',
      null,
      // RSS 2.0 "Required channel elements" and "Optional channel elements"
      el('title', null, channel.title),
      el('link', null, channel.homeUrl),
      el('description', null, channel.description),
      el('lastBuildDate', null, rfc822(channel.updated)),
      el('docs', null, 'https://validator.w3.org/feed/docs/rss2.html'),
      el('generator', null, generator),
      el('language', null, channel.lang),
      channel.pollSeconds ? el('ttl', null, String(Math.ceil(channel.pollSeconds / 60))) : undefined,
      // The Syndication module's poll hint, which readers that ignore <ttl> read (WordPress writes it too)
      ...(channel.pollSeconds ? syndicationHint(channel.pollSeconds) : []),
      // RSS Best Practices: atom:link rel="self" identifies the feed's own URL
      el('atom:link', { href: channel.feedUrls.rss, rel: 'self', type: 'application/rss+xml' }),
      // W3C WebSub §4: discovery in the document
      ...(channel.hubs ?? []).map((hub) => el('atom:link', { href: hub, rel: 'hub' })),
      // RFC 5005 §4: an archive says so, and links its neighbours
      channel.history?.archive ? el('fh:archive', null) : undefined,
      channel.history?.prev
        ? el('atom:link', { href: channel.history.prev.rss, rel: 'prev-archive', type: 'application/rss+xml' })
        : undefined,
      channel.history?.next
        ? el('atom:link', { href: channel.history.next.rss, rel: 'next-archive', type: 'application/rss+xml' })
        : undefined,
      // RFC 5005 §3: the pages of a paged feed
      ...pagingLinks(channel).map(([rel, urls]) => el('atom:link', { href: urls.rss, rel, type: 'application/rss+xml' })),
      ...entries.map(item),
    ),
  );
  return serializeXml(rss, { declaration: true });
}

function syndicationHint(seconds: number): XmlElement[] {
  const { period, frequency } = updateHint(seconds);
  return [el('sy:updatePeriod', null, period), el('sy:updateFrequency', null, String(frequency))];
}

function item({ translation: t, url, related }: FeedEntry): XmlElement {
  return el(
    'item',
    null,
    // RSS 2.0 "Elements of <item>"; the RSS Best Practices Profile: title and description as plain text, `&` and `<`
    // written as entities (readers that take them for HTML then show the same text)
    el('title', null, t.title),
    el('link', null, url),
    // entry ids are urn:uuid, not the entry's URL
    el('guid', { isPermaLink: 'false' }, t.guid),
    el('pubDate', null, rfc822(t.publishedAt)),
    t.summary ? el('description', null, t.summary) : undefined,
    // RSS content module: content:encoded carries the full HTML
    el('content:encoded', null, cdata(t.contentHtml + relatedHtml(t.lang, related))),
    ...[...t.categories, ...t.tags].map((term) => el('category', null, term.name)),
    // RSS 2.0 <enclosure>: the URL as the URL parser writes it, as the editor's may be unnormalized
    t.image ? el('enclosure', { length: t.image.length, type: t.image.type, url: new URL(t.image.url).href }) : undefined,
    // Dublin Core dc:creator: RSS <author> must be an e-mail address, names go here
    ...t.authors.map((name) => el('dc:creator', null, name)),
  );
}
