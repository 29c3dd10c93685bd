import type { RenderCache } from './render-cache.ts';
import type { RenderVersionStore } from './render-version-store.ts';

/** The part of the Workers Cache API this cache uses. */
export interface CacheLike {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/**
 * RenderCache for Workers: rendered documents in the Cache API, keyed by scope, variant and the scope's version.
 * The Cache API is per data centre, so a write cannot delete entries everywhere; instead it bumps the
 * scope's version in the database, and every data centre then looks up a new key.
 */
export function createCacheApiRenderCache(cache: CacheLike, versions: RenderVersionStore): RenderCache {
  const key = (scope: string, version: number, variant: string) =>
    `https://render-cache.invalid/${encodeURIComponent(scope)}/${encodeURIComponent(variant)}?v=${version}`;
  return {
    async lookup(scope, variant) {
      const version = await versions.versionOf(scope);
      const cached = await cache.match(key(scope, version, variant));
      if (!cached) return { version };
      const lastModified = cached.headers.get('x-last-modified');
      const maxAge = cached.headers.get('x-max-age');
      const link = cached.headers.get('x-link');
      return {
        version,
        document: {
          body: new Uint8Array(await cached.arrayBuffer()),
          etag: cached.headers.get('etag')!,
          contentType: cached.headers.get('content-type')!,
          lastModified: lastModified ? Number(lastModified) : undefined,
          maxAgeSeconds: maxAge ? Number(maxAge) : undefined,
          link: link ?? undefined,
        },
      };
    },
    async put(scope, version, variant, document) {
      if ((await versions.versionOf(scope)) !== version) return;
      const headers: Record<string, string> = {
        'content-type': document.contentType,
        etag: document.etag,
        'cache-control': 'public, max-age=31536000',
      };
      if (document.lastModified !== undefined) headers['x-last-modified'] = String(document.lastModified);
      if (document.maxAgeSeconds !== undefined) headers['x-max-age'] = String(document.maxAgeSeconds);
      if (document.link !== undefined) headers['x-link'] = document.link;
      await cache.put(key(scope, version, variant), new Response(document.body, { headers }));
    },
    invalidate: (scopes) => versions.bump([...scopes]),
  };
}
