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

/** In-process FeedCache for the Node server. */
export function createMemoryFeedCache(): FeedCache {
  const scopes = new Map<string, { version: number; feeds: Map<string, RenderedFeed> }>();
  const entry = (scope: string) => {
    let found = scopes.get(scope);
    if (!found) {
      found = { version: 0, feeds: new Map() };
      scopes.set(scope, found);
    }
    return found;
  };
  return {
    async lookup(scope, variant) {
      // No entry is created here: requests for unknown scopes must not grow the cache.
      const found = scopes.get(scope);
      return { version: found?.version ?? 0, feed: found?.feeds.get(variant) };
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
