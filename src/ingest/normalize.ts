import { languageTag, writtenLanguage } from '../shared/language.ts';
import { parseFeedDate, plausibleDate } from './dates.ts';
import type { ParsedFeed, ParsedItem, TextValue } from './parse.ts';
import { htmlToText, sanitizeContent, truncateText } from './sanitize.ts';
import { canonicalUrl, resolveUrl } from './url.ts';

export interface NormalizedImage {
  url: string;
  type: string | undefined;
  length: number | undefined;
}

/** An external item as we store it: plain-text title and summary, sanitized content, absolute URLs. */
export interface NormalizedItem {
  /** Stable within its source: guid or atom:id, else the canonical link, else a hash of title and date. */
  key: string;
  url: string | undefined;
  title: string;
  summary: string;
  contentHtml: string;
  authors: string[];
  categories: string[];
  language: string | undefined;
  publishedAt: number;
  updatedAt: number;
  image: NormalizedImage | undefined;
  /** The entry had no title: `title` is its first words. */
  titleDerived: boolean;
}

/** What became of a document's entries: kept as they were, kept with a bad field left out or replaced, or dropped. */
export interface EntryReport {
  kept: number;
  repaired: number;
  dropped: number;
  /** How many entries each problem touched, e.g. `{"unparseable_date": 2, "empty_entry": 1}`. */
  problems: Record<string, number>;
  /** Where the document itself was damaged and read past; empty for a well-formed one. */
  document: string[];
}

export interface NormalizedFeed {
  title: string | undefined;
  homeUrl: string | undefined;
  language: string | undefined;
  items: NormalizedItem[];
  report: EntryReport;
}

export interface NormalizeContext {
  /** The URL the feed was fetched from: the base of last resort for relative links. */
  feedUrl: string;
  /** The source's configured language, used when the feed states none. */
  sourceLanguage?: string;
  /** First-seen time, for items without a usable date. */
  now: number;
  iframeHosts?: string[];
}

export const summaryMaxLength = 500;

/**
 * Turns a parsed feed into normalized items (pure: the time comes in through the context). One entry's bad field never
 * costs the others: it is left out or replaced (a bad date by the time first seen), and only entries that state nothing,
 * were cut short by a truncated document, or repeat another are dropped; `report` says which.
 */
export function normalizeFeed(feed: ParsedFeed, context: NormalizeContext): NormalizedFeed {
  // XML Base (RFC 3986 §5.1): the feed's xml:base is relative to its URL, an item's to the feed's.
  const feedBase = resolveUrl(feed.base, context.feedUrl) ?? context.feedUrl;
  const language = languageTag(feed.language) ?? languageTag(context.sourceLanguage);
  const report: EntryReport = { kept: 0, repaired: 0, dropped: 0, problems: {}, document: feed.problems };
  const note = (problems: string[]) => {
    for (const problem of new Set(problems)) report.problems[problem] = (report.problems[problem] ?? 0) + 1;
  };
  const seen = new Set<string>();
  const items: NormalizedItem[] = [];
  for (const item of feed.items) {
    const problems = [...item.problems];
    const dropped = item.truncated ? 'truncated_entry' : item.empty ? 'empty_entry' : undefined;
    if (dropped) {
      report.dropped++;
      note([dropped]);
      continue;
    }
    const xmlBase = item.base ?? feed.base;
    const normalized = normalizeItem(
      item,
      {
        ...context,
        base: resolveUrl(item.base, feedBase) ?? feedBase,
        hasXmlBase: xmlBase !== undefined,
        language,
        feedAuthors: feed.authors,
      },
      problems,
    );
    if (seen.has(normalized.key)) {
      report.dropped++;
      note(['duplicate_entry']);
      continue;
    }
    seen.add(normalized.key);
    items.push(normalized);
    if (problems.length) {
      report.repaired++;
      note(problems);
    } else report.kept++;
  }
  return {
    title: feed.title ? plainText(feed.title) || undefined : undefined,
    homeUrl: resolveUrl(feed.homeUrl, feedBase),
    language,
    items,
    report,
  };
}

function normalizeItem(
  item: ParsedItem,
  context: NormalizeContext & { base: string; hasXmlBase: boolean; language: string | undefined; feedAuthors: string[] },
  problems: string[],
): NormalizedItem {
  const { base, now } = context;
  const link =
    item.links.find((l) => l.rel === 'alternate' && (!l.type || /html/i.test(l.type))) ?? item.links.find((l) => l.rel === 'alternate');
  const url = canonicalUrl(link?.href, base);
  if (link && !url) problems.push('invalid_link');
  // Relative references in content resolve against the xml:base in scope (XML Base), else the page the content was
  // published on (the entry's link: a feed served from elsewhere, such as a proxy, would otherwise break its images),
  // else the feed's URL.
  const contentBase = context.hasXmlBase ? base : (url ?? base);
  const contentSource = item.content ?? item.summary;
  const contentHtml = contentSource
    ? sanitizeContent(withoutSignature(asHtml(contentSource)), { baseUrl: contentBase, iframeHosts: context.iframeHosts })
    : '';
  const summaryText = plainText(item.summary ?? item.content).replace(signatureText, '');
  const ownTitle = plainText(item.title);
  const title = ownTitle || truncateText(summaryText || plainText(item.content), 120) || url || '';

  const published = dateOf(item.published, now, problems);
  const updated = dateOf(item.updated, now, problems);
  const publishedAt = published ?? updated ?? now;
  const declared = languageTag(item.language);
  if (item.language?.trim() && !declared) problems.push('invalid_language');
  // The title and summary tell, or else, when they are too short to, the content's opening (its tags dropped: words are
  // all it takes).
  const language = writtenLanguage(declared ?? context.language, [
    () => `${title}\n${summaryText}`,
    () => (item.content && item.summary && summaryText.length < 200 ? item.content.value.slice(0, 1000).replace(/<[^>]*>?/g, ' ') : ''),
  ]);
  // An id written as a path (feeds do) is taken relative to the base, as readers resolve it.
  const id = item.id?.startsWith('/') ? (resolveUrl(item.id, base) ?? item.id) : item.id?.trim();
  return {
    key: id || url || `hash:${hash(`${title}\n${item.published ?? item.updated ?? ''}`)}`,
    url,
    title,
    summary: truncateText(summaryText, summaryMaxLength),
    contentHtml,
    authors: (item.authors.length ? item.authors : context.feedAuthors).map((name) => htmlToText(name)).filter(Boolean),
    categories: [...new Set(item.categories.map((name) => htmlToText(name)).filter(Boolean))],
    language,
    publishedAt,
    updatedAt: Math.max(updated ?? publishedAt, publishedAt),
    image: imageOf(item, base, contentHtml),
    titleDerived: !ownTitle,
  };
}

/** A date, or undefined when absent, unreadable or implausible (noted: the entry then counts as first seen now). */
function dateOf(value: string | undefined, now: number, problems: string[]): number | undefined {
  if (!value?.trim()) return undefined;
  const parsed = parseFeedDate(value);
  if (parsed === undefined) {
    problems.push('unparseable_date');
    return undefined;
  }
  const plausible = plausibleDate(parsed, now);
  if (plausible === undefined) problems.push('implausible_date');
  return plausible;
}

// WordPress ends every description and content with "The post <title> appeared first on <site>.": the outlet's
// signature, not the item's text (shown to readers, and read as the item's words when linking coverage).
const signatureHtml = /<p>\s*The post\s+<a\b[^>]*>[\s\S]*?<\/a>\s+appeared first on\s+<a\b[^>]*>[\s\S]*?<\/a>\.?\s*<\/p>\s*$/i;
const signatureText = /\s*\bThe post\s[\s\S]{1,500}?\sappeared first on\s[^\n]{1,200}?\.?\s*$/;

function withoutSignature(html: string): string {
  return html.replace(signatureHtml, '');
}

/** Plain text of a text construct: HTML is reduced to its text, plain text only has its whitespace collapsed. */
function plainText(value: TextValue | undefined): string {
  if (!value) return '';
  return value.type === 'text' ? value.value.replace(/\s+/g, ' ').trim() : htmlToText(value.value);
}

function asHtml(value: TextValue): string {
  if (value.type !== 'text') return value.value;
  const escaped = value.value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.trim()}</p>`)
    .join('');
}

function imageOf(item: ParsedItem, base: string, contentHtml: string): NormalizedImage | undefined {
  const enclosure = item.enclosures.find((e) => e.type?.startsWith('image/') || /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(e.url));
  const url = resolveUrl(enclosure?.url, base);
  if (enclosure && url) return { url, type: enclosure.type === 'image/*' ? undefined : enclosure.type, length: enclosure.length };
  const inline = /<img\b[^>]*\bsrc="(https?:\/\/[^"]+)"/i.exec(contentHtml)?.[1];
  return inline ? { url: inline.replace(/&amp;/g, '&'), type: undefined, length: undefined } : undefined;
}

/** cyrb53: a fast, well-mixed 53-bit string hash (sync, so normalizing stays pure and synchronous). */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}
