import type { SqlClient } from '../store/sql-client.ts';
import type { FeedCache } from './feed-cache.ts';
import type { RenderedFeed } from './render.ts';

/** The part of the Workers Cache API this cache uses. */
export interface CacheLike {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/**
 * FeedCache for Workers: rendered feeds in the Cache API, keyed by scope, variant and the scope's version.
 * The Cache API is per data centre, so a write cannot delete entries everywhere; instead it bumps the
 * scope's version in the database (feed_versions), and every data centre then looks up a new key.
 */
export function createCacheApiFeedCache(cache: CacheLike, db: SqlClient): FeedCache {
  const key = (scope: string, version: number, variant: string) =>
    `https://feed-cache.invalid/${encodeURIComponent(scope)}/${encodeURIComponent(variant)}?v=${version}`;
  return {
    async lookup(scope, variant) {
      const row = await db.first<{ version: number }>('SELECT version FROM feed_versions WHERE scope = ?', [scope]);
      const version = row?.version ?? 0;
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
      const current = await db.first<{ version: number }>('SELECT version FROM feed_versions WHERE scope = ?', [scope]);
      if ((current?.version ?? 0) !== version) return;
      const headers: Record<string, string> = {
        'content-type': feed.contentType,
        etag: feed.etag,
        'cache-control': 'public, max-age=31536000',
      };
      if (feed.lastModified !== undefined) headers['x-feed-last-modified'] = String(feed.lastModified);
      await cache.put(key(scope, version, variant), new Response(feed.body, { headers }));
    },
    async invalidate(scopes) {
      await db.batch(
        [...scopes].map((scope) => ({
          sql: 'INSERT INTO feed_versions (scope, version) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET version = version + 1',
          params: [scope],
        })),
      );
    },
  };
}
