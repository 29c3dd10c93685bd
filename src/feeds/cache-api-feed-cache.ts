import type { FeedCache } from './feed-cache.ts';
import type { FeedVersionStore } from './feed-version-store.ts';
import type { RenderedFeed } from './render.ts';

/** The part of the Workers Cache API this cache uses. */
export interface CacheLike {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/**
 * FeedCache for Workers: rendered feeds in the Cache API, keyed by scope, variant and the scope's version.
 * The Cache API is per data centre, so a write cannot delete entries everywhere; instead it bumps the
 * scope's version in the database, and every data centre then looks up a new key.
 */
export function createCacheApiFeedCache(cache: CacheLike, versions: FeedVersionStore): FeedCache {
  const key = (scope: string, version: number, variant: string) =>
    `https://feed-cache.invalid/${encodeURIComponent(scope)}/${encodeURIComponent(variant)}?v=${version}`;
  return {
    async lookup(scope, variant) {
      const version = await versions.versionOf(scope);
      const cached = await cache.match(key(scope, version, variant));
      if (!cached) return { version };
      const lastModified = cached.headers.get('x-feed-last-modified');
      return {
        version,
        feed: {
          body: new Uint8Array(await cached.arrayBuffer()),
          etag: cached.headers.get('etag')!,
          contentType: cached.headers.get('content-type')!,
          lastModified: lastModified ? Number(lastModified) : undefined,
        },
      };
    },
    async put(scope, version, variant, feed: RenderedFeed) {
      if ((await versions.versionOf(scope)) !== version) return;
      const headers: Record<string, string> = {
        'content-type': feed.contentType,
        etag: feed.etag,
        'cache-control': 'public, max-age=31536000',
      };
      if (feed.lastModified !== undefined) headers['x-feed-last-modified'] = String(feed.lastModified);
      await cache.put(key(scope, version, variant), new Response(feed.body, { headers }));
    },
    invalidate: (scopes) => versions.bump([...scopes]),
  };
}
