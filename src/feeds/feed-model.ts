import type { Scope, Translation } from '../articles/model.ts';
import { scopePath } from '../articles/urls.ts';
import type { RelatedItem } from '../crosslink/model.ts';
import { messagesFor } from '../shared/i18n.ts';
import { escapeXml } from '../shared/xml.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';

export const feedFileNames: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

/** A paged feed's links in a fixed order, as [relation, URLs]. */
export function pagingLinks(channel: FeedChannel): [string, Record<FeedFormat, string>][] {
  const paging = channel.paging ?? {};
  return (['first', 'previous', 'next', 'last'] as const).flatMap((rel) =>
    paging[rel] ? [[rel, paging[rel]] as [string, Record<FeedFormat, string>]] : [],
  );
}

/** RFC 5005 feed history namespace (`fh:archive`). */
export const historyNamespace = 'http://purl.org/syndication/history/1.0';

/** A calendar month (UTC) of a language's archive. */
export interface Month {
  year: number;
  /** 1 to 12. */
  month: number;
}

export const monthOf = (time: number): Month => {
  const date = new Date(time);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
};

/** The month's first millisecond and the next month's. */
export const monthRange = ({ year, month }: Month) => ({ from: Date.UTC(year, month - 1, 1), to: Date.UTC(year, month, 1) });

/** Path of a language's archived feed of one month (RFC 5005 §4), e.g. `/en/archive/2024/03/atom.xml`. */
export function archivePath(lang: string, { year, month }: Month, format: FeedFormat): string {
  return `/${lang}/archive/${String(year).padStart(4, '0')}/${String(month).padStart(2, '0')}/${feedFileNames[format]}`;
}

/** One URL per format, e.g. a feed's own URL in RSS, Atom and JSON Feed. */
export function inEveryFormat(url: (format: FeedFormat) => string): Record<FeedFormat, string> {
  return { rss: url('rss'), atom: url('atom'), json: url('json') };
}

/** Path of a scope's feed, e.g. `/en/feed.xml`, `/es/tag/lazarus/feed.json`. */
export function feedPath(scope: Scope, format: FeedFormat): string {
  return `${scopePath(scope)}${feedFileNames[format]}`;
}

/** The channel-level facts every format needs; URLs are absolute. */
export interface FeedChannel {
  lang: string;
  title: string;
  description: string;
  /** The HTML page this feed mirrors. */
  homeUrl: string;
  /** This feed's own URL in each format (self links and the JSON `feed_url`). */
  feedUrls: Record<FeedFormat, string>;
  siteTitle: string;
  siteUrl: string;
  /** Newest `updatedAt` among the entries, or 0 for an empty feed (keeps the bytes deterministic). */
  updated: number;
  /** How long a reader may wait between polls (RSS `<ttl>`, `sy:updatePeriod`, HTTP max-age): from the feed's cadence. */
  pollSeconds: number;
  /**
   * RFC 5005 feed history: whether this document is an archive (one month of a language), and the URLs of the archives
   * before (`prev-archive`, older) and after it. The subscription feed has only `prev`, its newest archive.
   */
  history?: { archive: boolean; prev?: Record<FeedFormat, string>; next?: Record<FeedFormat, string> };
  /** WebSub hubs (W3C WebSub §4: discovery) where readers can subscribe to this feed instead of polling it. */
  hubs?: string[];
  /** RFC 5005 §3 paged feed (category and tag feeds): the first, next (older), previous and last pages. */
  paging?: Partial<Record<'first' | 'next' | 'previous' | 'last', Record<FeedFormat, string>>>;
}

/** Another language version of an entry. */
export interface AlternateLink {
  lang: string;
  url: string;
}

export interface FeedEntry {
  translation: Translation;
  url: string;
  alternates: AlternateLink[];
  /** Other outlets' coverage of the same story (cross-links), best first. */
  related: RelatedItem[];
}

export const mediaTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** `; covered by 3 outlets in 2 languages` for a story more than one outlet covers, else nothing. */
export function coverageNote(lang: string, item: RelatedItem): string {
  const { outlets, languages } = item.coverage;
  return outlets > 1 ? `; ${messagesFor(lang).coveredBy(outlets, languages)}` : '';
}

/** The related coverage as a short HTML list appended to an entry's content (RSS readers show no links otherwise). */
export function relatedHtml(lang: string, related: RelatedItem[]): string {
  if (related.length === 0) return '';
  const items = related.map(
    (item) =>
      `<li><a href="${escapeXml(item.url!)}"${item.language ? ` hreflang="${escapeXml(item.language)}"` : ''}>${escapeXml(item.title)}</a> (${escapeXml(item.source)}${item.language ? `, ${escapeXml(item.language)}` : ''}${coverageNote(lang, item)})</li>`,
  );
  return `<p><strong>${escapeXml(messagesFor(lang).relatedCoverage)}</strong></p><ul>${items.join('')}</ul>`;
}
