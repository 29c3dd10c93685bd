import { cdata, el, serializeXml, type XmlElement } from '../shared/xml.ts';
import { coverageNote, type FeedChannel, type FeedEntry, historyNamespace, pagingLinks } from './feed-model.ts';

const generator = 'polyglot-feeds';
const iso = (time: number) => new Date(time).toISOString();

/** Atom 1.0 (RFC 4287) with xml:lang, translation links (hreflang), related links and typed enclosures. */
export function renderAtom(channel: FeedChannel, entries: FeedEntry[]): string {
  // RFC 4287 §2 / XML 1.0 §2.12: xml:lang on the root states the language of the whole feed
  const feed = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', 'xmlns:fh': channel.history?.archive ? historyNamespace : undefined, 'xml:lang': channel.lang },
    // RFC 4287 §4.1.1: atom:feed needs id, title, updated; author unless every entry has one
    el('id', null, channel.feedUrls.atom),
    el('title', null, channel.title),
    el('updated', null, iso(channel.updated)),
    // RFC 4287 §4.2.4 generator; §4.2.1 author, its uri the site's root with the slash the URL parser adds
    el('generator', null, generator),
    el('author', null, el('name', null, channel.siteTitle), el('uri', null, new URL(channel.siteUrl).href)),
    // RFC 4287 §4.2.7.2: the HTML page as rel="alternate", the feed's own URL as rel="self"
    el('link', { rel: 'alternate', type: 'text/html', href: channel.homeUrl }),
    el('link', { rel: 'self', type: 'application/atom+xml', href: channel.feedUrls.atom }),
    // W3C WebSub §4: discovery in the document
    ...(channel.hubs ?? []).map((hub) => el('link', { rel: 'hub', href: hub })),
    // RFC 5005 §4: an archive says so, and links its neighbours
    channel.history?.prev ? el('link', { rel: 'prev-archive', type: 'application/atom+xml', href: channel.history.prev.atom }) : undefined,
    channel.history?.next ? el('link', { rel: 'next-archive', type: 'application/atom+xml', href: channel.history.next.atom }) : undefined,
    // RFC 4287 §4.2.12 subtitle
    channel.description ? el('subtitle', null, channel.description) : undefined,
    channel.history?.archive ? el('fh:archive', null) : undefined,
    // RFC 5005 §3: the pages of a paged feed
    ...pagingLinks(channel).map(([rel, urls]) => el('link', { rel, type: 'application/atom+xml', href: urls.atom })),
    ...entries.map(entry),
  );
  return serializeXml(feed, { declaration: true });
}

/**
 * The relation of an entry to its translations. Not "alternate": readers take one alternate as the entry's link (feedparser
 * and newsboat the last, sfeed, rss-parser and most others the first), so the entry's own page is its only one. An IRI,
 * because RFC 4287 §4.2.7.2 allows one where IANA registers no name; schema.org names exactly this relation. Not an
 * xhtml:link or an element of our own namespace: the W3C validator warns on both (misplaced XHTML, unknown namespace).
 */
const translationRel = 'https://schema.org/workTranslation';

function entry({ translation: t, url, alternates, related }: FeedEntry): XmlElement {
  return el(
    'entry',
    null,
    // RFC 4287 §4.1.2 atom:entry; §4.2.14 title, plain text (§3.1.1.1: every reader shows it as written); §4.2.6 id
    el('title', { type: 'text' }, t.title),
    el('id', null, t.guid),
    // RFC 4287 §4.2.7.2: the entry's page, its one rel="alternate", first for readers that take the first link of any rel
    el('link', { rel: 'alternate', type: 'text/html', hreflang: t.lang, href: url }),
    // RFC 4287 §4.2.7.2 (rel an IRI), §4.2.7.4 hreflang: the entry's other languages
    ...alternates.map((other) => el('link', { rel: translationRel, type: 'text/html', hreflang: other.lang, href: other.url })),
    // RFC 4287 §4.2.7.2: the image as rel="enclosure"
    t.image ? el('link', { rel: 'enclosure', type: t.image.type, length: t.image.length, href: t.image.url }) : undefined,
    // RFC 4287 §4.2.7.2: rel="related" for other outlets' coverage of the story
    ...related.map((item) =>
      el('link', {
        rel: 'related',
        type: 'text/html',
        href: item.url!,
        title: `${item.title} (${item.source}${coverageNote(t.lang, item)})`,
        hreflang: item.language ?? undefined,
      }),
    ),
    // RFC 4287 §4.2.15 updated, §4.2.13 summary, §4.1.3 content
    el('updated', null, iso(t.updatedAt)),
    t.summary ? el('summary', { type: 'text' }, t.summary) : undefined,
    t.contentHtml ? el('content', { type: 'html' }, cdata(t.contentHtml)) : undefined,
    // RFC 4287 §4.2.1 author
    ...t.authors.map((name) => el('author', null, el('name', null, name))),
    // RFC 4287 §4.2.2: atom:category needs term; label is the human name
    ...t.categories.map((term) => el('category', { term: term.slug, label: term.name })),
    // RFC 4287 §4.2.9 published
    el('published', null, iso(t.publishedAt)),
  );
}
