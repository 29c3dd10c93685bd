import type { RenderedFeed } from './render.ts';

/**
 * Rendered feeds by scope (`en`, `en/tag/lazarus`) and variant (format and limit).
 * Each scope has a version that a write bumps; a render that began under an older
 * version is not stored, so a feed rendered from pre-write data never outlives the write.
 */
export interface FeedCache {
  lookup(scope: string, variant: string): Promise<{ version: number; feed?: RenderedFeed }>;
  put(scope: string, version: number, variant: string, feed: RenderedFeed): Promise<void>;
  invalidate(scopes: Iterable<string>): Promise<void>;
}

/**
 * In-process FeedCache for the Node server. `changedElsewhere` tells whether another connection (a second server process
 * on the same file, the polling process) has committed since it was last asked; if so every scope is invalidated first.
 */
export function createMemoryFeedCache(changedElsewhere: () => boolean = () => false): FeedCache {
  const scopes = new Map<string, { version: number; feeds: Map<string, RenderedFeed> }>();
  // Every version handed out so far is below `floor`; scopes seen for the first time start there, so a render that began
  // before an invalidation of everything is not stored under a scope created after it.
  let floor = 0;
  const entry = (scope: string) => {
    let found = scopes.get(scope);
    if (!found) {
      found = { version: floor, feeds: new Map() };
      scopes.set(scope, found);
    }
    return found;
  };
  const invalidateAll = () => {
    floor = Math.max(floor, ...[...scopes.values()].map((found) => found.version)) + 1;
    for (const found of scopes.values()) {
      found.version = floor;
      found.feeds.clear();
    }
  };
  return {
    async lookup(scope, variant) {
      if (changedElsewhere()) invalidateAll();
      // No entry is created here: requests for unknown scopes must not grow the cache.
      const found = scopes.get(scope);
      return { version: found?.version ?? floor, feed: found?.feeds.get(variant) };
    },
    async put(scope, version, variant, feed) {
      const found = entry(scope);
      if (found.version === version) found.feeds.set(variant, feed);
    },
    async invalidate(changed) {
      for (const scope of changed) {
        const found = entry(scope);
        found.version += 1;
        found.feeds.clear();
      }
    },
  };
}
