import { IngestError } from './ingest-error.ts';
import { repairXml } from './xml-repair.ts';
import { childElements, firstChild, hasChildElements, innerMarkup, readXmlTree, textContent, type XmlElement } from './xml-tree.ts';

export type TextType = 'text' | 'html';

export interface TextValue {
  value: string;
  type: TextType;
}

export interface ParsedLink {
  href: string;
  rel: string;
  type?: string;
  hreflang?: string;
  length?: string;
}

export interface ParsedEnclosure {
  url: string;
  type?: string;
  length?: number;
}

/** One item as the document states it: raw strings, not yet resolved, cleaned or trusted. */
export interface ParsedItem {
  id?: string;
  title?: TextValue;
  links: ParsedLink[];
  summary?: TextValue;
  content?: TextValue;
  authors: string[];
  categories: string[];
  published?: string;
  updated?: string;
  language?: string;
  base?: string;
  enclosures: ParsedEnclosure[];
  /** What was wrong with the entry and left out (e.g. `link_without_href`). */
  problems: string[];
  /** The document ended inside this entry: what it holds may be cut short. */
  truncated?: boolean;
  /** The entry states nothing at all (`<entry></entry>`). */
  empty?: boolean;
}

export interface ParsedFeed {
  format: 'rss' | 'rdf' | 'atom' | 'cdf' | 'json';
  title?: TextValue;
  /** Feed-level authors, which items without their own inherit (RFC 4287 §4.2.1, JSON Feed 1.1 "authors"). */
  authors: string[];
  homeUrl?: string;
  language?: string;
  base?: string;
  /** RSS 2.0 <ttl>, in minutes. */
  ttlMinutes?: number;
  /** WebSub discovery (W3C WebSub §4): the hubs the feed names, and its own URL as it states it (`rel="self"`). */
  hubs?: string[];
  selfUrl?: string;
  /** RSS syndication module sy:updatePeriod / sy:updateFrequency. */
  updatePeriod?: { period: string; frequency: number };
  items: ParsedItem[];
  /** Where the document itself was damaged and read past (e.g. a truncated end); empty for a well-formed one. */
  problems: string[];
}

/**
 * Parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 text, telling the format from the content. An odd entry
 * costs only its odd fields, and a damaged document yields the entries before the damage; IngestError only when the
 * document is not a feed at all (`not_a_feed`), declares entities (`xml_entities_forbidden`) or is unreadable JSON.
 */
export async function parseFeed(text: string): Promise<ParsedFeed> {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{')) return parseJsonFeed(body);
  const { root, problems } = readXmlTree(repairXml(body));
  const format = root && formatOf(root.name);
  if (!root || !format) throw new IngestError('not_a_feed', 'The document is neither an RSS, Atom nor JSON feed.');
  const channel = format === 'atom' ? readAtom(root) : format === 'cdf' ? readCdf(root) : readRss(root);
  return { ...channel, format, problems };
}

function formatOf(rootName: string): ParsedFeed['format'] | undefined {
  if (rootName === 'atom:feed') return 'atom';
  if (rootName === 'rdf:rdf') return 'rdf';
  if (rootName === 'rss') return 'rss';
  if (rootName === 'channel') return 'cdf';
  return undefined;
}

type Channel = Omit<ParsedFeed, 'format' | 'problems'>;

/** RSS 0.9x and 2.0 (items inside the channel) and RSS 1.0 (items beside it). */
function readRss(root: XmlElement): Channel {
  const channel = firstChild(root, 'channel');
  const items = [...childElements(channel, 'item'), ...childElements(root, 'item')];
  const ttl = Number.parseInt(textOf(firstChild(channel, 'ttl')), 10);
  const frequency = Number.parseInt(textOf(firstChild(channel, 'sy:updatefrequency')) || '1', 10);
  const period = textOf(firstChild(channel, 'sy:updateperiod')).trim();
  return {
    title: rssText(firstChild(channel, 'title', 'dc:title')),
    authors: [],
    homeUrl: textOf(firstChild(channel, 'link')).trim() || undefined,
    language: firstText(channel, 'language', 'dc:language') || root.attrs['xml:lang'] || channel?.attrs['xml:lang'],
    base: channel?.attrs['xml:base'] ?? root.attrs['xml:base'],
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : undefined,
    updatePeriod: period ? { period, frequency: Number.isFinite(frequency) && frequency > 0 ? frequency : 1 } : undefined,
    ...webSubLinks(atomLinks(channel, [])),
    items: items.map(readRssItem),
  };
}

function readRssItem(item: XmlElement): ParsedItem {
  const problems: string[] = [];
  const links = atomLinks(item, problems);
  const link = textOf(firstChild(item, 'link')).trim();
  if (link) links.unshift({ href: link, rel: 'alternate' });
  const guid = firstChild(item, 'guid');
  // RSS 2.0 <guid>: a permalink guid (the default) is also the item's link when <link> is missing.
  if (guid && !links.some((l) => l.rel === 'alternate') && guid.attrs.isPermaLink?.toLowerCase() !== 'false') {
    const href = textOf(guid).trim();
    if (/^https?:\/\//i.test(href)) links.push({ href, rel: 'alternate' });
  }
  const title = firstChild(item, 'title', 'dc:title', 'media:title');
  return {
    // RSS 1.0 items are identified by rdf:about
    id: (textOf(guid) || item.attrs['rdf:about'] || '').trim() || undefined,
    title: rssText(title),
    links,
    summary: rssText(firstChild(item, 'description', 'dc:description', 'atom:summary')),
    content: contentOf(item),
    authors: authorsOf(item),
    categories: [...childElements(item, 'category'), ...childElements(item, 'dc:subject')].map(textOf).map((name) => name.trim()),
    published: firstText(item, 'pubdate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'atom:published'),
    updated: firstText(item, 'dcterms:modified', 'atom:updated'),
    language: firstText(item, 'dc:language') || nearestLanguage(item, title),
    base: item.attrs['xml:base'],
    enclosures: enclosuresOf(item, links),
    problems,
    truncated: item.unfinished,
    empty: isEmptyElement(item),
  };
}

/** Atom 1.0 (RFC 4287) and Atom 0.3. */
function readAtom(feed: XmlElement): Channel {
  return {
    title: atomText(firstChild(feed, 'atom:title')),
    authors: namesOf(childElements(feed, 'atom:author')),
    homeUrl: atomLinks(feed, []).find((link) => link.rel === 'alternate')?.href,
    language: feed.attrs['xml:lang'],
    base: feed.attrs['xml:base'],
    ...webSubLinks(atomLinks(feed, [])),
    items: [...childElements(feed, 'atom:entry'), ...childElements(feed, 'atom:item')].map(readAtomEntry),
  };
}

function readAtomEntry(entry: XmlElement): ParsedItem {
  const problems: string[] = [];
  const links = atomLinks(entry, problems);
  const title = firstChild(entry, 'atom:title');
  return {
    id: textOf(firstChild(entry, 'atom:id')).trim() || undefined,
    title: atomText(title),
    links,
    summary: atomText(firstChild(entry, 'atom:summary')),
    content: atomText(firstChild(entry, 'atom:content')) ?? contentOf(entry),
    authors: namesOf(childElements(entry, 'atom:author')),
    // RFC 4287 §4.2.2: term is the category; label, when present, its human name
    categories: childElements(entry, 'atom:category').map((category) =>
      (category.attrs.label ?? category.attrs.term ?? textOf(category)).trim(),
    ),
    // Atom 0.3 wrote issued/created and modified for published and updated
    published: firstText(entry, 'atom:published', 'atom:issued', 'atom:created', 'dc:date'),
    updated: firstText(entry, 'atom:updated', 'atom:modified'),
    language: nearestLanguage(entry, title),
    base: entry.attrs['xml:base'],
    enclosures: enclosuresOf(entry, links),
    problems,
    truncated: entry.unfinished,
    empty: isEmptyElement(entry),
  };
}

/** XML 1.0 §2.12: the nearest xml:lang applies, so the title's (else the text's) own comes before the entry's. */
function nearestLanguage(entry: XmlElement, title: XmlElement | undefined): string | undefined {
  const text = firstChild(entry, 'atom:summary', 'atom:content', 'description', 'content:encoded');
  return title?.attrs['xml:lang'] || text?.attrs['xml:lang'] || entry.attrs['xml:lang'];
}

function isEmptyElement(element: XmlElement): boolean {
  const attributes = Object.keys(element.attrs).filter((name) => !name.startsWith('xml:'));
  return !attributes.length && element.children.every((child) => typeof child === 'string' && !child.trim());
}

/** Microsoft's Channel Definition Format (1997): CHANNEL and ITEM with HREF and LASTMOD attributes, TITLE and ABSTRACT. */
function readCdf(channel: XmlElement): Channel {
  const attr = (element: XmlElement, name: string) => element.attrs[name] ?? element.attrs[name.toLowerCase()];
  return {
    title: rssText(firstChild(channel, 'title')),
    authors: [],
    homeUrl: attr(channel, 'HREF'),
    items: childElements(channel, 'item').map((item) => ({
      title: rssText(firstChild(item, 'title')),
      links: attr(item, 'HREF') ? [{ href: attr(item, 'HREF')!, rel: 'alternate' }] : [],
      summary: rssText(firstChild(item, 'abstract')),
      authors: [],
      categories: [],
      updated: attr(item, 'LASTMOD'),
      enclosures: [],
      problems: [],
      truncated: item.unfinished,
      empty: isEmptyElement(item),
    })),
  };
}

/** The hubs and self URL among a feed's links (`atom:link` in RSS, `link` in Atom). */
function webSubLinks(links: ParsedLink[]): { hubs: string[]; selfUrl?: string } {
  return {
    hubs: links.filter((link) => link.rel === 'hub').map((link) => link.href),
    selfUrl: links.find((link) => link.rel === 'self')?.href,
  };
}

/** RFC 4287 §4.2.7 links (also inside RSS items); a link without href is left out and noted. */
function atomLinks(element: XmlElement | undefined, problems: string[]): ParsedLink[] {
  const links: ParsedLink[] = [];
  for (const link of childElements(element, 'atom:link')) {
    const href = (link.attrs.href ?? '').trim();
    if (!href) {
      problems.push('link_without_href');
      continue;
    }
    links.push({
      href,
      rel: link.attrs.rel?.trim() || 'alternate',
      type: link.attrs.type,
      hreflang: link.attrs.hreflang,
      length: link.attrs.length,
    });
  }
  return links;
}

/** RSS titles and descriptions are HTML by convention; inline markup (undeclared XHTML) is kept as markup. */
function rssText(element: XmlElement | undefined): TextValue | undefined {
  if (!element) return undefined;
  if (hasChildElements(element)) return { value: innerMarkup(element), type: 'html' };
  return { value: textOf(element), type: 'html' };
}

/**
 * RFC 4287 §3.1 text constructs: `type` text, html or xhtml (a div whose content is the value, §3.1.1.3); §4.1.3.3 other
 * media types are base64 unless textual or XML; Atom 0.3 says `mode="escaped"` or `mode="base64"`.
 */
function atomText(element: XmlElement | undefined): TextValue | undefined {
  if (!element) return undefined;
  const type = element.attrs.type?.trim().toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml' || hasChildElements(element)) {
    const divs = childElements(element);
    const onlyDiv = divs.length === 1 && divs[0]!.name === 'xhtml:div' && element.children.every((c) => typeof c !== 'string' || !c.trim());
    const div = onlyDiv ? divs[0]! : element;
    return { value: innerMarkup(div), type: 'html' };
  }
  if (element.attrs.mode === 'base64' || (type?.includes('/') && !/^text\/|[+/]xml$/.test(type))) {
    const decoded = decodeBase64(textOf(element));
    return {
      value: decoded,
      type: type === 'text/plain' ? 'text' : /<[a-z][^>]*>/i.test(decoded) || type === 'text/html' ? 'html' : 'text',
    };
  }
  if (type === 'html' || type === 'text/html' || element.attrs.mode === 'escaped') return { value: textOf(element), type: 'html' };
  return { value: textOf(element), type: 'text' };
}

/** Full content: RSS content module's content:encoded, XHTML bodies (`body`, `xhtml:body`) and `fullitem`. */
function contentOf(item: XmlElement): TextValue | undefined {
  const encoded = firstChild(item, 'content:encoded', 'fullitem');
  if (encoded) return rssText(encoded);
  const body = firstChild(item, 'xhtml:body', 'body');
  return body ? { value: innerMarkup(body), type: 'html' } : undefined;
}

function decodeBase64(text: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text.replace(/\s+/g, '')), (char) => char.charCodeAt(0)));
  } catch {
    return text;
  }
}

/** RFC 4287 §3.2 person constructs: their names. */
function namesOf(people: XmlElement[]): string[] {
  return [...new Set(people.map((person) => textOf(firstChild(person, 'atom:name')).trim()).filter(Boolean))];
}

function authorsOf(item: XmlElement): string[] {
  const names = [...childElements(item, 'author'), ...childElements(item, 'dc:creator'), ...childElements(item, 'atom:author')].map(
    (node) => {
      const name = firstChild(node, 'atom:name', 'name');
      if (name) return textOf(name);
      // RSS 2.0 <author>: "email (Name)" or just one of the two
      const text = textOf(node).trim();
      return /\(([^)]+)\)\s*$/.exec(text)?.[1] ?? text;
    },
  );
  return [...new Set(names.map((name) => name.trim()).filter(Boolean))];
}

function enclosuresOf(item: XmlElement, links: ParsedLink[]): ParsedEnclosure[] {
  const found: ParsedEnclosure[] = [];
  const add = (url: string | undefined, type?: string, length?: string) => {
    if (url?.trim())
      found.push({ url: url.trim(), type: type || undefined, length: length ? Number.parseInt(length, 10) || undefined : undefined });
  };
  for (const node of childElements(item, 'enclosure')) add(node.attrs.url, node.attrs.type, node.attrs.length);
  for (const link of links) if (link.rel === 'enclosure') add(link.href, link.type, link.length);
  const media = [
    ...childElements(item, 'media:content'),
    ...childElements(item, 'media:group').flatMap((group) => childElements(group, 'media:content')),
  ];
  for (const node of media)
    add(node.attrs.url, node.attrs.type ?? (node.attrs.medium === 'image' ? 'image/*' : undefined), node.attrs.fileSize);
  for (const node of childElements(item, 'media:thumbnail')) add(node.attrs.url, 'image/*');
  return found;
}

function textOf(element: XmlElement | undefined): string {
  return textContent(element);
}

function firstText(element: XmlElement | undefined, ...names: string[]): string | undefined {
  for (const name of names) {
    const text = textOf(firstChild(element, name)).trim();
    if (text) return text;
  }
  return undefined;
}

interface JsonFeedItem {
  id?: unknown;
  url?: unknown;
  external_url?: unknown;
  title?: unknown;
  content_html?: unknown;
  content_text?: unknown;
  summary?: unknown;
  image?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  author?: { name?: unknown };
  authors?: { name?: unknown }[];
  tags?: unknown[];
  language?: unknown;
  attachments?: { url?: unknown; mime_type?: unknown; size_in_bytes?: unknown }[];
}

/** JSON Feed 1.1 `authors`, or 1.0's single `author`. */
function jsonAuthors(holder: { author?: { name?: unknown }; authors?: { name?: unknown }[] }): string[] {
  const list = [...(Array.isArray(holder.authors) ? holder.authors : []), ...(holder.author ? [holder.author] : [])];
  return list.map((author) => str(author?.name)).filter((name): name is string => Boolean(name));
}

const str = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/** JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/). */
function parseJsonFeed(text: string): ParsedFeed {
  let document: {
    version?: unknown;
    title?: unknown;
    home_page_url?: unknown;
    feed_url?: unknown;
    hubs?: unknown;
    language?: unknown;
    items?: unknown;
    author?: { name?: unknown };
    authors?: { name?: unknown }[];
  };
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new IngestError('malformed_feed', `The JSON feed is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || !document || !/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?$/.test(str(document.version) ?? '')) {
    throw new IngestError('not_a_feed', 'The JSON document has no JSON Feed "version".');
  }
  const items = Array.isArray(document.items) ? (document.items as unknown[]) : [];
  return {
    format: 'json',
    title: str(document.title) ? { value: str(document.title)!, type: 'text' } : undefined,
    authors: jsonAuthors(document),
    homeUrl: str(document.home_page_url),
    language: str(document.language),
    // JSON Feed 1.1 "hubs" (WebSub) and "feed_url"
    hubs: Array.isArray(document.hubs) ? document.hubs.flatMap((hub) => str((hub as { url?: unknown } | null)?.url) ?? []) : [],
    selfUrl: str(document.feed_url),
    items: items.map((entry) => (entry && typeof entry === 'object' ? readJsonItem(entry as JsonFeedItem) : notAnItem())),
    problems: [],
  };
}

/** A JSON Feed item that is not an object: nothing to read, dropped as empty. */
function notAnItem(): ParsedItem {
  return { links: [], authors: [], categories: [], enclosures: [], problems: [], empty: true };
}

function readJsonItem(item: JsonFeedItem): ParsedItem {
  const url = str(item.url) ?? str(item.external_url);
  const html = str(item.content_html);
  const plain = str(item.content_text);
  return {
    id: str(item.id),
    title: str(item.title) ? { value: str(item.title)!, type: 'text' } : undefined,
    links: url ? [{ href: url, rel: 'alternate' }] : [],
    summary: str(item.summary) ? { value: str(item.summary)!, type: 'text' } : undefined,
    content: html ? { value: html, type: 'html' } : plain ? { value: plain, type: 'text' } : undefined,
    authors: jsonAuthors(item),
    categories: (Array.isArray(item.tags) ? item.tags : []).map(str).filter((tag): tag is string => Boolean(tag)),
    published: str(item.date_published),
    updated: str(item.date_modified),
    language: str(item.language),
    enclosures: [
      ...(str(item.image) ? [{ url: str(item.image)!, type: 'image/*' }] : []),
      ...(Array.isArray(item.attachments) ? item.attachments : [])
        .filter((a) => str(a?.url))
        .map((a) => ({
          url: str(a.url)!,
          type: str(a.mime_type),
          length: typeof a.size_in_bytes === 'number' ? a.size_in_bytes : undefined,
        })),
    ],
    problems: [],
    empty: Object.keys(item).length === 0,
  };
}
