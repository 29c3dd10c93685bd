import { Feed } from 'feed';
import { escapeXml } from '../shared/xml.ts';
import type { FeedChannel, FeedEntry } from './feed-model.ts';

const generator = 'polyglot-feeds';

/** Atom 1.0 (RFC 4287), plus what `feed` cannot write: xml:lang, hreflang alternates and typed enclosures. */
export function renderAtom(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    // RFC 4287 §4.1.1: atom:feed needs id, title, updated; author unless every entry has one
    id: channel.feedUrls.atom,
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    updated: new Date(channel.updated),
    generator,
    author: { name: channel.siteTitle, link: channel.siteUrl },
    // RFC 4287 §4.2.7.2: rel="self"
    feedLinks: { atom: channel.feedUrls.atom },
  });
  // `feed` writes one bare <link> per entry and has no hook for more: each entry gets a placeholder
  // link (a reserved .invalid host, RFC 2606) that is swapped below for the entry's whole set of links.
  const placeholder = (index: number) => `https://entry-links.invalid/${index}`;
  entries.forEach(({ translation: t }, index) => {
    feed.addItem({
      // RFC 4287 §4.1.2: atom:entry; type="html" content is escaped HTML
      title: escapeXml(t.title),
      id: t.guid,
      link: placeholder(index),
      date: new Date(t.updatedAt),
      published: new Date(t.publishedAt),
      description: escapeXml(t.summary),
      content: t.contentHtml,
      author: t.authors.map((name) => ({ name })),
      // RFC 4287 §4.2.2: atom:category needs term; label is the human name
      category: t.categories.map((term) => ({ term: term.slug, name: term.name })),
    });
  });
  let xml = feed.atom1();
  // RFC 4287 §2 / XML 1.0 §2.12: xml:lang on the root states the language of the whole feed
  xml = xml.replace(
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(channel.lang)}">`,
  );
  xml = xml.replace(/<link href="https:\/\/entry-links\.invalid\/(\d+)"\/>/g, (_, index: string) => entryLinks(entries[Number(index)]));
  return xml;
}

/**
 * RFC 4287 §4.2.7: the image as rel="enclosure", an alternate per translation (hreflang), and the
 * entry's own page last: feedparser and newsboat both take the last alternate as the entry's link.
 */
function entryLinks({ translation: t, url, alternates, related }: FeedEntry): string {
  const alternate = (lang: string, href: string) =>
    `<link rel="alternate" type="text/html" hreflang="${escapeXml(lang)}" href="${escapeXml(href)}"/>`;
  const links: string[] = [];
  if (t.image) {
    links.push(`<link rel="enclosure" type="${escapeXml(t.image.type)}" length="${t.image.length}" href="${escapeXml(t.image.url)}"/>`);
  }
  // RFC 4287 §4.2.7.2: rel="related" for other outlets' coverage of the story
  for (const item of related) {
    const hreflang = item.language ? ` hreflang="${escapeXml(item.language)}"` : '';
    links.push(
      `<link rel="related" type="text/html" href="${escapeXml(item.url!)}" title="${escapeXml(`${item.title} (${item.source})`)}"${hreflang}/>`,
    );
  }
  for (const other of alternates) links.push(alternate(other.lang, other.url));
  links.push(alternate(t.lang, url));
  return links.join('\n        ');
}
