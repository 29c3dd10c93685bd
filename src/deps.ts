import type { FeedCache } from './feeds/feed-cache.ts';
import type { IngestDeps, IngestRunner } from './ingest/run.ts';
import type { ArticleStore } from './store/article-store.ts';

/** What handlers need from the outside world; built by each runtime's entry file. */
export interface Deps extends IngestDeps {
  store: ArticleStore;
  feedCache: FeedCache;
  newId: () => string;
  ingestRunner: IngestRunner;
  /** The runtime compresses responses itself (Workers): feeds are then sent as identity bytes. */
  runtimeCompresses?: boolean;
}
