import { describe, expect, it } from 'vitest';
import { createMemoryFeedCache } from '../src/feeds/feed-cache.ts';
import type { RenderedFeed } from '../src/feeds/render.ts';

const feed = (body: string) => ({ body }) as unknown as RenderedFeed;

describe('the in-process feed cache', () => {
  it('keeps a render until its scope is invalidated, and drops one begun before', async () => {
    const cache = createMemoryFeedCache();
    const { version } = await cache.lookup('en', 'atom');
    await cache.put('en', version, 'atom', feed('one'));
    expect((await cache.lookup('en', 'atom')).feed).toEqual(feed('one'));
    const begun = (await cache.lookup('en', 'rss')).version;
    await cache.invalidate(['en']);
    await cache.put('en', begun, 'rss', feed('stale'));
    expect((await cache.lookup('en', 'rss')).feed).toBeUndefined();
    expect((await cache.lookup('en', 'atom')).feed).toBeUndefined();
  });

  it('invalidates everything when another connection committed, even scopes it had not seen before', async () => {
    let elsewhere = false;
    const cache = createMemoryFeedCache(() => elsewhere);
    const en = await cache.lookup('en', 'atom');
    await cache.put('en', en.version, 'atom', feed('en'));
    const begunUnseen = (await cache.lookup('es', 'atom')).version;
    elsewhere = true;
    expect((await cache.lookup('en', 'atom')).feed).toBeUndefined();
    elsewhere = false;
    // A render of a new scope that began before the other commit is not stored.
    await cache.put('es', begunUnseen, 'atom', feed('stale'));
    expect((await cache.lookup('es', 'atom')).feed).toBeUndefined();
    const fresh = await cache.lookup('es', 'atom');
    await cache.put('es', fresh.version, 'atom', feed('fresh'));
    expect((await cache.lookup('es', 'atom')).feed).toEqual(feed('fresh'));
  });
});
