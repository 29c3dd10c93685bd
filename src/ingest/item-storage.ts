import { clusterWindowMs, prefixWords, sameStoryAs, titleKey } from './cluster.ts';
import type { IngestStore } from './ingest-store.ts';
import type { ItemToStore } from './model.ts';
import type { NormalizedItem } from './normalize.ts';

/** A stored item as cross-linking reads it. */
export interface LinkableItem {
  id: number;
  title: string;
  summary: string;
  contentHtml: string;
  /** As the feed states it (a language tag), when it does. */
  language?: string | null;
  publishedAt: number;
}

export interface ItemStoragePorts {
  store: IngestStore;
  /** Links stored items to our articles; returns the articles whose related coverage changed. */
  linkItems: (items: LinkableItem[]) => Promise<string[]>;
  /** Of these items, those that must be kept whatever their age (an article links to them). */
  itemsInUse: (ids: number[]) => Promise<Set<number>>;
}

export type ItemStorage = ReturnType<typeof createItemStorage>;

/** Where a source's items go: one item per story URL, near-identical titles from other sources in one story cluster. */
export function createItemStorage({ store, linkItems, itemsInUse }: ItemStoragePorts) {
  /** The cluster of a near-identical title from another source within the window, if any. */
  async function clusterFor(sourceId: number, item: ItemToStore): Promise<number | undefined> {
    const { publishedAt } = item.item;
    const candidates = await store.clusterCandidates(
      sourceId,
      item.prefixWords,
      publishedAt - clusterWindowMs,
      publishedAt + clusterWindowMs,
    );
    const sameStory = sameStoryAs(item.titleKey);
    const match = candidates.find((candidate) => sameStory(candidate.titleKey));
    return match ? (match.clusterId ?? match.id) : undefined;
  }

  return {
    /**
     * Stores a source's items (an item it had is updated; a story URL another source carries is merged; the rest are
     * clustered) and links each to the articles it relates to; returns the counts and the articles relinked.
     */
    async storeItems(sourceId: number, items: NormalizedItem[], now: number) {
      let created = 0;
      const ids: number[] = [];
      for (const item of items) {
        const key = titleKey(item.title);
        const toStore: ItemToStore = { item, titleKey: key, prefixWords: prefixWords(key) };
        const existing = await store.findItem(sourceId, item.key, item.url);
        if (existing !== undefined) {
          await store.updateItem(existing, sourceId, toStore, now);
          ids.push(existing);
        } else {
          ids.push(await store.insertItem(sourceId, toStore, await clusterFor(sourceId, toStore), now));
          created++;
        }
      }
      const relinked = await linkItems(items.map((item, index) => ({ ...item, id: ids[index]! })));
      return { saved: { seen: items.length, created, ids }, relinked };
    },

    /** Deletes items published before `cutoff` that no article links to; returns how many. */
    async pruneItems(cutoff: number): Promise<number> {
      const old = await store.itemsPublishedBefore(cutoff);
      if (old.length === 0) return 0;
      const kept = await itemsInUse(old);
      const doomed = old.filter((id) => !kept.has(id));
      await store.deleteItems(doomed);
      return doomed.length;
    },
  };
}
