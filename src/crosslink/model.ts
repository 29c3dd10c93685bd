export type LinkState = 'auto' | 'pinned' | 'blocked';

/** A document found for a query: its text rank (-bm25, 0 when only entities found it), entities and time. */
export interface Candidate<Key> {
  key: Key;
  textRank: number;
  /** The entities it mentions, with their prominence (1 in the title or lead, less further down). */
  entities: Map<string, number>;
  publishedAt: number;
  /** Its languages (primary subtags): an article's published translations', an item's own; empty when unknown. */
  languages: string[];
}

export interface NewLink {
  articleId: string;
  itemId: number;
  score: number;
  reason: string;
}

/** A link as pages, the API and feeds show it. */
export interface RelatedItem {
  itemId: number;
  url: string | null;
  title: string;
  language: string | null;
  publishedAt: number;
  source: string;
  score: number;
  reason: string;
  state: LinkState;
  /** How widely the item's story is covered: outlets and languages of its story cluster. */
  coverage: { outlets: number; languages: number };
}

/** An item the matcher found for an article but scored below the threshold. */
export interface NearMiss {
  itemId: number;
  url: string | null;
  title: string;
  language: string | null;
  publishedAt: number;
  score: number;
  reason: string;
}

/** A stored link of an article, before the item's headline is attached. */
export interface ArticleLink {
  articleId: string;
  itemId: number;
  score: number;
  reason: string;
  state: LinkState;
}

export interface LinkedArticle {
  articleId: string;
  score: number;
  reason: string;
  state: LinkState;
}

/** An entity of an indexed document: how often it is mentioned, and how prominently (1 title or lead, 0.5 body, 0.25 dateline). */
export interface DocumentEntity {
  mentions: number;
  prominence: number;
}
