import { andThen, type MaybePromise } from '../shared/maybe-promise.ts';
import { type Rendered, type RenderedDocument, type Sha256, toDocument } from './document.ts';
import type { RenderCache } from './render-cache.ts';

export interface LoadedDocument {
  document: RenderedDocument;
  fromCache: boolean;
  scope: string;
  variant: string;
}

export type Rendering = ReturnType<typeof createRendering>;

/** Feeds, pages and API answers, each rendered once and served from the cache until a write invalidates its scope. */
export function createRendering({ cache, sha256 }: { cache: RenderCache; sha256?: Sha256 }) {
  return {
    /**
     * The document of a scope's variant: from the cache, or rendered, stored and returned. `render` answers undefined when
     * there is nothing to show (an unknown term); such answers are not cached.
     */
    load(scope: string, variant: string, render: () => Promise<Rendered | undefined>): MaybePromise<LoadedDocument | undefined> {
      const renderAndStore = async (version: number) => {
        const rendered = await render();
        if (!rendered) return undefined;
        const document = await toDocument(rendered, sha256);
        await cache.put(scope, version, variant, document);
        return { document, fromCache: false, scope, variant };
      };
      return andThen(cache.lookup(scope, variant), ({ version, document }) =>
        document ? { document, fromCache: true, scope, variant } : renderAndStore(version),
      );
    },

    /** Drops what was rendered for these scopes. */
    invalidate: (scopes: Iterable<string>) => cache.invalidate(scopes),
  };
}
