import type { EntryReport, NormalizedItem } from './normalize.ts';

/** A followed feed with its polling state; times are ms since the epoch. */
export interface Source {
  id: number;
  url: string;
  title: string;
  language: string | null;
  enabled: boolean;
  pollIntervalSeconds: number;
  createdAt: number;
  etag: string | null;
  lastModified: string | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastStatus: number | null;
  itemsSeen: number;
  itemsNew: number;
  /** What became of the entries at the last poll that parsed the feed. */
  entries: EntryReport | null;
  consecutiveErrors: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  nextPollAt: number;
  disabledReason: string | null;
}

export interface SourceInput {
  url: string;
  title: string;
  language?: string | null;
  enabled?: boolean;
  pollIntervalSeconds?: number;
}

/** What one poll of a source leaves behind. */
export interface PollRecord {
  attemptAt: number;
  status: number | null;
  success: boolean;
  etag?: string | null;
  lastModified?: string | null;
  url?: string;
  itemsSeen?: number;
  itemsNew?: number;
  entries?: EntryReport;
  errorCode?: string | null;
  errorMessage?: string | null;
  consecutiveErrors: number;
  nextPollAt: number;
  disable?: string;
}

export interface StoredItem {
  id: number;
  url: string | null;
  title: string;
  /** The entry had no title: `title` is its first words. */
  titleDerived: boolean;
  summary: string;
  contentHtml: string;
  authors: string[];
  categories: string[];
  language: string | null;
  publishedAt: number;
  updatedAt: number;
  image: { url: string; type: string | null; length: number | null } | null;
  clusterId: number | null;
  firstSeenAt: number;
  sources: { id: number; title: string; key: string }[];
}

export interface ItemQuery {
  id?: number;
  sourceId?: number;
  q?: string;
  limit: number;
  after?: { publishedAt: number; id: number };
}

/** What pages, the API and feeds show of an item next to one of our articles. */
export interface ItemHeadline {
  id: number;
  url: string | null;
  title: string;
  language: string | null;
  publishedAt: number;
  /** The title of the first source that carried it. */
  source: string | null;
  /** Its story cluster (the items telling the same story), and how many outlets and languages the cluster spans. */
  clusterId: number;
  coverage: { outlets: number; languages: number };
}

/** An item as storing it needs: normalized, with its title key and the words the near-duplicate index holds. */
export interface ItemToStore {
  item: NormalizedItem;
  titleKey: string;
  prefixWords: string[];
}
