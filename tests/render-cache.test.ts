import { describe, expect, it } from 'vitest';
import type { RenderedDocument } from '../src/render-cache/document.ts';
import { createMemoryRenderCache } from '../src/render-cache/render-cache.ts';

const doc = (body: string) => ({ body: new TextEncoder().encode(body) }) as unknown as RenderedDocument;

describe('the in-process render cache', () => {
  it('keeps a render until its scope is invalidated, and drops one begun before', async () => {
    const cache = createMemoryRenderCache();
    const { version } = await cache.lookup('en', 'atom');
    await cache.put('en', version, 'atom', doc('one'));
    expect((await cache.lookup('en', 'atom')).document).toEqual(doc('one'));
    const begun = (await cache.lookup('en', 'rss')).version;
    await cache.invalidate(['en']);
    await cache.put('en', begun, 'rss', doc('stale'));
    expect((await cache.lookup('en', 'rss')).document).toBeUndefined();
    expect((await cache.lookup('en', 'atom')).document).toBeUndefined();
  });

  it('invalidates everything when another connection committed, even scopes it had not seen before', async () => {
    let elsewhere = false;
    const cache = createMemoryRenderCache({ changedElsewhere: () => elsewhere });
    const en = await cache.lookup('en', 'atom');
    await cache.put('en', en.version, 'atom', doc('en'));
    const begunUnseen = (await cache.lookup('es', 'atom')).version;
    elsewhere = true;
    expect((await cache.lookup('en', 'atom')).document).toBeUndefined();
    elsewhere = false;
    // A render of a new scope that began before the other commit is not stored.
    await cache.put('es', begunUnseen, 'atom', doc('stale'));
    expect((await cache.lookup('es', 'atom')).document).toBeUndefined();
    const fresh = await cache.lookup('es', 'atom');
    await cache.put('es', fresh.version, 'atom', doc('fresh'));
    expect((await cache.lookup('es', 'atom')).document).toEqual(doc('fresh'));
  });

  it('stays within its byte budget, dropping the least recently used first', async () => {
    // Each 100-byte body counts 130 bytes (its gzip form is counted in advance): three fit in 400.
    const cache = createMemoryRenderCache({ maxBytes: 400 });
    const body = (name: string) => doc(name.padEnd(100, '.'));
    for (const name of ['a', 'b', 'c']) await cache.put('en', 0, name, body(name));
    expect((await cache.lookup('en', 'a')).document).toBeDefined(); // a is now the most recent
    await cache.put('en', 0, 'd', body('d'));
    expect((await cache.lookup('en', 'b')).document).toBeUndefined();
    for (const name of ['a', 'c', 'd']) expect((await cache.lookup('en', name)).document).toEqual(body(name));
    // A document larger than the whole budget is not kept, and evicts nothing.
    await cache.put('en', 0, 'huge', doc('x'.repeat(1000)));
    expect((await cache.lookup('en', 'huge')).document).toBeUndefined();
    expect((await cache.lookup('en', 'd')).document).toBeDefined();
  });
});
