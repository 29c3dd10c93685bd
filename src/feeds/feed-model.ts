import type { Translation } from '../articles/model.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';

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
  /** RSS `<ttl>` in minutes: how long a reader may cache the feed. */
  ttlMinutes: number;
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
}

export const mediaTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** HTML-escapes plain text for elements that carry HTML (RSS description, Atom type="html"). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
