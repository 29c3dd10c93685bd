import type { RenderedDocument } from './document.ts';

export interface CacheLookup {
  version: number;
  document?: RenderedDocument;
}

/**
 * Rendered documents (feeds, pages, API answers) by scope (`en`, `en/tag/lazarus`, `en/article/some-slug`) and variant
 * (format, page, limit). Each scope has a version that a write bumps; a render that began under an older version is not
 * stored, so a document rendered from pre-write data never outlives the write. An in-process cache answers lookups
 * synchronously, which keeps a cached answer off the promise queue.
 */
export interface RenderCache {
  lookup(scope: string, variant: string): CacheLookup | Promise<CacheLookup>;
  put(scope: string, version: number, variant: string, document: RenderedDocument): Promise<void>;
  invalidate(scopes: Iterable<string>): Promise<void>;
}

/** What other processes sharing the database invalidated, and a way to tell them what this one did. */
export interface InvalidationLog {
  publish(scopes: string[]): Promise<void>;
  /** Scopes other processes invalidated since the last call, or `everything` when that cannot be told. */
  receive(): string[] | 'everything';
}

export interface MemoryRenderCacheOptions {
  /** Shared with the other server processes on the same database (a second instance, a rolling restart). */
  log?: InvalidationLog;
  /** The most body bytes kept (identity and gzip); the least recently used documents go first. */
  maxBytes?: number;
}

/**
 * In-process RenderCache for the Node server. Before each lookup, scopes other processes invalidated are dropped too.
 * Documents are kept within `maxBytes`, so archives of any size and any number of page cursors fit a fixed memory budget.
 */
export function createMemoryRenderCache({ log, maxBytes = 64 * 1024 * 1024 }: MemoryRenderCacheOptions = {}): RenderCache {
  /** Versions of the scopes written or rendered so far (one number each; a lookup of an unknown scope adds nothing). */
  const versions = new Map<string, number>();
  /** `scope variant` → document, least recently used first (a Map keeps insertion order). */
  const documents = new Map<string, { scope: string; document: RenderedDocument; bytes: number }>();
  const keysByScope = new Map<string, Set<string>>();
  let bytes = 0;
  // Scopes not in `versions` are at `floor`; invalidating everything raises it above every version handed out so far,
  // so a render that began before is not stored, whichever scope it is for.
  let floor = 0;

  const drop = (key: string) => {
    const found = documents.get(key);
    if (!found) return;
    documents.delete(key);
    keysByScope.get(found.scope)?.delete(key);
    bytes -= found.bytes;
  };
  const invalidateAll = () => {
    for (const version of versions.values()) floor = Math.max(floor, version);
    floor += 1;
    versions.clear();
    documents.clear();
    keysByScope.clear();
    bytes = 0;
  };
  const invalidateHere = (scopes: string[]) => {
    for (const scope of scopes) {
      versions.set(scope, (versions.get(scope) ?? floor) + 1);
      for (const key of keysByScope.get(scope) ?? []) drop(key);
      keysByScope.delete(scope);
    }
  };
  // The gzip body is made later, on demand; text compresses to well under a third, so it is counted in advance.
  const sizeOf = (document: RenderedDocument) => Math.ceil(document.body.byteLength * 1.3);

  return {
    lookup(scope, variant) {
      const elsewhere = log?.receive() ?? [];
      if (elsewhere === 'everything') invalidateAll();
      else if (elsewhere.length > 0) invalidateHere(elsewhere);
      const key = `${scope} ${variant}`;
      const found = documents.get(key);
      if (found) {
        // The most recently used goes last.
        documents.delete(key);
        documents.set(key, found);
      }
      return { version: versions.get(scope) ?? floor, document: found?.document };
    },
    async put(scope, version, variant, document) {
      if ((versions.get(scope) ?? floor) !== version) return;
      versions.set(scope, version);
      const key = `${scope} ${variant}`;
      drop(key);
      const size = sizeOf(document);
      if (size > maxBytes) return;
      documents.set(key, { scope, document, bytes: size });
      const keys = keysByScope.get(scope) ?? new Set();
      keysByScope.set(scope, keys.add(key));
      bytes += size;
      for (const oldest of documents.keys()) {
        if (bytes <= maxBytes) break;
        drop(oldest);
      }
    },
    async invalidate(changed) {
      const scopes = [...changed];
      invalidateHere(scopes);
      await log?.publish(scopes);
    },
  };
}
