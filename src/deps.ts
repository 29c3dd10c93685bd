import type { Config } from './config.ts';
import type { FeedCache } from './feeds/feed-cache.ts';
import type { ArticleStore } from './store/article-store.ts';

/** What handlers need from the outside world; built by each runtime's entry file. */
export interface Deps {
  config: Config;
  store: ArticleStore;
  feedCache: FeedCache;
  /** Current time in ms; tests pass a fixed clock. */
  now: () => number;
  newId: () => string;
}
