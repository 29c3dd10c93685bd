import Parser from 'rss-parser';
import { IngestError } from './ingest-error.ts';
import { attr, attrs, nodes, type RawNode, textOf } from './xml-nodes.ts';
import { repairXml } from './xml-repair.ts';

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
}

export interface ParsedFeed {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  title?: TextValue;
  /** Feed-level authors, which items without their own inherit (RFC 4287 §4.2.1, JSON Feed 1.1 "authors"). */
  authors: string[];
  homeUrl?: string;
  language?: string;
  base?: string;
  /** RSS 2.0 <ttl>, in minutes. */
  ttlMinutes?: number;
  /** RSS syndication module sy:updatePeriod / sy:updateFrequency. */
  updatePeriod?: { period: string; frequency: number };
  items: ParsedItem[];
}

// rss-parser types customFields as plain names; [name, alias, { keepArray }] tuples work but need the casts below.
const keep = (name: string, as: string) => [name, as, { keepArray: true }] as [string, string, { keepArray: boolean }];

// rss-parser keeps only a few fields; these keep the raw nodes (with attributes) that normalizing needs.
const parser = new Parser({
  // RSS 0.91–2.0 documents without a version attribute are read as RSS 2.0
  defaultRSS: 2,
  customFields: {
    feed: [
      keep('$', 'attrs'),
      keep('title', 'rawTitle'),
      keep('dc:title', 'dcTitle'),
      keep('author', 'rawAuthors'),
      keep('link', 'rawLinks'),
      keep('language', 'rawLanguage'),
      keep('dc:language', 'dcLanguage'),
      keep('ttl', 'rawTtl'),
      keep('sy:updatePeriod', 'syPeriod'),
      keep('sy:updateFrequency', 'syFrequency'),
    ] as never,
    item: [
      keep('$', 'attrs'),
      keep('title', 'rawTitle'),
      keep('dc:title', 'dcTitle'),
      keep('link', 'rawLinks'),
      keep('guid', 'rawGuid'),
      keep('id', 'rawId'),
      keep('description', 'rawDescription'),
      keep('summary', 'rawSummary'),
      keep('content', 'rawContent'),
      keep('content:encoded', 'rawEncoded'),
      keep('author', 'rawAuthors'),
      keep('dc:creator', 'rawCreators'),
      keep('category', 'rawCategories'),
      keep('dc:subject', 'rawSubjects'),
      keep('pubDate', 'rawPubDate'),
      keep('dc:date', 'rawDcDate'),
      keep('published', 'rawPublished'),
      keep('issued', 'rawIssued'),
      keep('created', 'rawCreated'),
      keep('dcterms:issued', 'rawDctermsIssued'),
      keep('dcterms:created', 'rawDctermsCreated'),
      keep('updated', 'rawUpdated'),
      keep('modified', 'rawModified'),
      keep('dcterms:modified', 'rawDctermsModified'),
      keep('dc:language', 'rawLanguage'),
      keep('enclosure', 'rawEnclosures'),
      keep('media:content', 'rawMedia'),
      keep('media:thumbnail', 'rawThumbnails'),
    ] as never,
  },
});

/** Parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 text, detecting the format from the content. */
export async function parseFeed(text: string): Promise<ParsedFeed> {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{')) return parseJsonFeed(body);
  const xml = repairXml(body);
  const root = rootElement(xml);
  if (!root) throw new IngestError('not_a_feed', 'The document is neither an RSS, Atom nor JSON feed.');
  // rss-parser cannot read an RSS document without a channel; it is an empty feed.
  // rss-parser fails on sparse documents: an RSS document without a channel, or RDF without items, is an empty feed.
  if ((root.format === 'rss' && !/<channel[\s>]/.test(xml)) || (root.format === 'rdf' && !/<(\w+:)?item[\s>]/.test(xml))) {
    return { format: root.format, language: root.attributes['xml:lang'], authors: [], items: [] };
  }
  let document: Record<string, unknown>;
  try {
    document = (await parser.parseString(xml)) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new IngestError('malformed_feed', `The feed is not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  return toParsedFeed(document, root);
}

/** The document element and its attributes (xml:lang, xml:base), read from the text since rss-parser drops them for RSS. */
function rootElement(xml: string): { format: ParsedFeed['format']; attributes: Record<string, string> } | undefined {
  const match = /^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|\s)*<((?:[\w-]+:)?(rss|RDF|feed))\b([^>]*)>/.exec(xml);
  if (!match) return undefined;
  const attributes: Record<string, string> = {};
  for (const [, name, , double, single] of match[3].matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g))
    attributes[name] = double ?? single;
  const format = match[2] === 'feed' ? 'atom' : match[2] === 'RDF' ? 'rdf' : 'rss';
  return { format, attributes };
}

function toParsedFeed(document: Record<string, unknown>, root: NonNullable<ReturnType<typeof rootElement>>): ParsedFeed {
  const feedAttrs = { ...root.attributes, ...attrs(document.attrs) };
  const items = ((document.items as Record<string, unknown>[]) ?? []).map((item) => toParsedItem(item, root.format));
  const ttl = Number.parseInt(textOf(nodes(document.rawTtl)[0]), 10);
  const frequency = Number.parseInt(textOf(nodes(document.syFrequency)[0]) || '1', 10);
  const period = textOf(nodes(document.syPeriod)[0]).trim();
  return {
    format: root.format,
    title: textValue(nodes(document.rawTitle)[0] ?? nodes(document.dcTitle)[0], root.format),
    authors: root.format === 'atom' ? authorsOf({ rawAuthors: document.rawAuthors }) : [],
    homeUrl: homeLink(nodes(document.rawLinks)) ?? (document.link as string | undefined),
    language: firstText(document.rawLanguage, document.dcLanguage) || feedAttrs['xml:lang'],
    base: feedAttrs['xml:base'],
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : undefined,
    updatePeriod: period ? { period, frequency: Number.isFinite(frequency) && frequency > 0 ? frequency : 1 } : undefined,
    items,
  };
}

function toParsedItem(item: Record<string, unknown>, format: ParsedFeed['format']): ParsedItem {
  const itemAttrs = attrs(item.attrs);
  const links = nodes(item.rawLinks).flatMap((node): ParsedLink[] => {
    if (typeof node === 'string') return node.trim() ? [{ href: node.trim(), rel: 'alternate' }] : [];
    const a = attrs(node.$);
    const href = (a.href ?? textOf(node)).trim();
    return href ? [{ href, rel: a.rel ?? 'alternate', type: a.type, hreflang: a.hreflang, length: a.length }] : [];
  });
  const guid = nodes(item.rawGuid)[0];
  // RSS 2.0 <guid>: a permalink guid (the default) is also the item's link when <link> is missing.
  if (guid && !links.some((link) => link.rel === 'alternate') && attr(guid, 'isPermaLink')?.toLowerCase() !== 'false') {
    const href = textOf(guid).trim();
    if (/^https?:\/\//i.test(href)) links.push({ href, rel: 'alternate' });
  }
  const content = nodes(item.rawEncoded)[0] ?? nodes(item.rawContent)[0];
  const title = nodes(item.rawTitle)[0] ?? nodes(item.dcTitle)[0];
  const summary = nodes(item.rawSummary)[0] ?? nodes(item.rawDescription)[0];
  return {
    // RSS 1.0 items are identified by rdf:about
    id: (textOf(guid) || textOf(nodes(item.rawId)[0]) || itemAttrs['rdf:about'] || '').trim() || undefined,
    title: textValue(title, format),
    links,
    summary: textValue(summary, format, 'html'),
    content: content === undefined ? undefined : contentValue(content, item.content as string | undefined, format),
    authors: authorsOf(item),
    categories: [...nodes(item.rawCategories), ...nodes(item.rawSubjects)]
      .map((node) => (attr(node, 'label') ?? attr(node, 'term') ?? textOf(node)).trim())
      .filter(Boolean),
    published: firstText(
      item.rawPublished,
      item.rawPubDate,
      item.rawIssued,
      item.rawCreated,
      item.rawDcDate,
      item.rawDctermsIssued,
      item.rawDctermsCreated,
    ),
    updated: firstText(item.rawUpdated, item.rawModified, item.rawDctermsModified),
    // XML 1.0 §2.12: the nearest xml:lang applies, so the title's own comes before the entry's
    language: firstText(item.rawLanguage) || attr(title, 'xml:lang') || itemAttrs['xml:lang'],
    base: itemAttrs['xml:base'],
    enclosures: enclosuresOf(item, links),
  };
}

/**
 * RSS titles and descriptions are HTML by convention; Atom text constructs say so in `type`
 * (RFC 4287 §3.1; Atom 0.3 also uses `mode="escaped"`).
 */
function textValue(node: RawNode | undefined, format: ParsedFeed['format'], rssType: TextType = 'html'): TextValue | undefined {
  if (node === undefined) return undefined;
  const type = attr(node, 'type')?.toLowerCase();
  // Inline XHTML (or undeclared inline markup) arrives as parsed elements whose text is already unescaped.
  if (type === 'xhtml' || type === 'application/xhtml+xml' || hasChildElements(node)) return { value: xhtmlOf(node), type: 'text' };
  // Atom 0.3 mode="base64", and RFC 4287 §4.1.3.3: other non-XML, non-text media types are base64
  if (attr(node, 'mode') === 'base64' || (format === 'atom' && type?.includes('/') && !/^text\/|[+/]xml$/.test(type))) {
    const decoded = decodeBase64(textOf(node));
    return {
      value: decoded,
      type: type === 'text/plain' ? 'text' : /<[a-z][^>]*>/i.test(decoded) || type === 'text/html' ? 'html' : 'text',
    };
  }
  if (format !== 'atom') return { value: textOf(node), type: rssType };
  if (type === 'html' || type === 'text/html' || attr(node, 'mode') === 'escaped') return { value: textOf(node), type: 'html' };
  return { value: textOf(node), type: 'text' };
}

function decodeBase64(text: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text.replace(/\s+/g, '')), (char) => char.charCodeAt(0)));
  } catch {
    return text;
  }
}

function contentValue(node: RawNode, rebuilt: string | undefined, format: ParsedFeed['format']): TextValue | undefined {
  const value = textValue(node, format, 'html');
  const type = attr(node, 'type')?.toLowerCase();
  // rss-parser rebuilds inline XHTML content as markup; prefer it to our flattened text.
  if ((type === 'xhtml' || type === 'application/xhtml+xml') && rebuilt)
    return { value: rebuilt.replace(/^<div type="xhtml">|<\/div>$/g, ''), type: 'html' };
  return value;
}

function hasChildElements(node: RawNode): boolean {
  return typeof node === 'object' && node !== null && Object.keys(node).some((key) => key !== '_' && key !== '$');
}

/** Text of inline XHTML (xml2js keeps elements apart from text, so this is for titles, not markup). */
function xhtmlOf(node: RawNode): string {
  if (typeof node === 'string') return node;
  const parts: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) if (key !== '$') walk(child);
  };
  walk(node);
  return parts.join(' ');
}

function homeLink(links: RawNode[]): string | undefined {
  for (const node of links) {
    if (typeof node === 'string') return node.trim() || undefined;
    const rel = attr(node, 'rel') ?? 'alternate';
    const href = attr(node, 'href') ?? textOf(node);
    if (rel === 'alternate' && href.trim()) return href.trim();
  }
  return undefined;
}

function authorsOf(item: Record<string, unknown>): string[] {
  const names = [...nodes(item.rawAuthors), ...nodes(item.rawCreators)].map((node) => {
    if (typeof node === 'object' && node && 'name' in node) return textOf(nodes(node.name)[0]);
    // RSS 2.0 <author>: "email (Name)" or just one of the two
    const text = textOf(node).trim();
    return /\(([^)]+)\)\s*$/.exec(text)?.[1] ?? text;
  });
  return [...new Set(names.map((name) => name.trim()).filter(Boolean))];
}

function enclosuresOf(item: Record<string, unknown>, links: ParsedLink[]): ParsedEnclosure[] {
  const found: ParsedEnclosure[] = [];
  const add = (url: string | undefined, type?: string, length?: string) => {
    if (url?.trim())
      found.push({ url: url.trim(), type: type || undefined, length: length ? Number.parseInt(length, 10) || undefined : undefined });
  };
  for (const node of nodes(item.rawEnclosures)) add(attr(node, 'url'), attr(node, 'type'), attr(node, 'length'));
  for (const link of links) if (link.rel === 'enclosure') add(link.href, link.type, link.length);
  for (const node of nodes(item.rawMedia))
    add(attr(node, 'url'), attr(node, 'type') ?? (attr(node, 'medium') === 'image' ? 'image/*' : undefined), attr(node, 'fileSize'));
  for (const node of nodes(item.rawThumbnails)) add(attr(node, 'url'), 'image/*');
  return found;
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    const text = textOf(nodes(value)[0]).trim();
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
  const items = Array.isArray(document.items) ? (document.items as JsonFeedItem[]).filter((item) => item && typeof item === 'object') : [];
  return {
    format: 'json',
    title: str(document.title) ? { value: str(document.title)!, type: 'text' } : undefined,
    authors: jsonAuthors(document),
    homeUrl: str(document.home_page_url),
    language: str(document.language),
    items: items.map((item) => {
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
      };
    }),
  };
}
