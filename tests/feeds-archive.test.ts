import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';

// RFC 5005 §4 archived feeds: one document per language and month, chained by prev-archive from the subscription feed.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const site = 'https://news.example.org';
const local = (url: string) => url.replace(site, '');

/** The page URL of every published translation of a language, by the public API's pages. */
async function publishedUrls(lang: string): Promise<string[]> {
  const urls: string[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page = (await (await t.request(`/api/articles?lang=${lang}&limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
      items: { url: string }[];
      nextCursor: string | null;
    };
    urls.push(...page.items.map((item) => item.url));
    cursor = page.nextCursor;
  }
  return urls;
}

interface Reading {
  ids: string[];
  prev?: string;
  next?: string;
  archive: boolean;
}

const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, '&');
const linkOf = (text: string, rel: string) => {
  const tag = [...text.matchAll(/<(?:atom:)?link\b[^>]*>/g)].map((m) => m[0]).find((tag) => attr(tag, 'rel') === rel);
  return tag ? attr(tag, 'href') : undefined;
};

/** What a reader of each format takes from a document: entry ids, and the archive links. */
const readers: Record<string, (text: string) => Reading> = {
  'atom.xml': (text) => ({
    ids: [...text.matchAll(/<link rel="alternate" type="text\/html" hreflang="[^"]*" href="([^"]+)"/g)].map((m) => m[1]),
    prev: linkOf(text, 'prev-archive'),
    next: linkOf(text, 'next-archive'),
    archive: /<fh:archive\s*\/>/.test(text) && text.includes('xmlns:fh="http://purl.org/syndication/history/1.0"'),
  }),
  'feed.xml': (text) => ({
    ids: [...text.matchAll(/<item>\s*<title>[^<]*<\/title>\s*<link>([^<]+)<\/link>/g)].map((m) => m[1]),
    prev: linkOf(text, 'prev-archive'),
    next: linkOf(text, 'next-archive'),
    archive: /<fh:archive\s*\/>/.test(text) && text.includes('xmlns:fh="http://purl.org/syndication/history/1.0"'),
  }),
  'feed.json': (text) => {
    const feed = JSON.parse(text) as { items: { url: string }[]; next_url?: string };
    return { ids: feed.items.map((item) => item.url), prev: feed.next_url, archive: true };
  },
};

describe('archived feeds (RFC 5005)', () => {
  it.each(Object.keys(readers))('walking prev-archive from /{lang}/%s sees every published translation exactly once', async (file) => {
    for (const lang of ['en', 'es']) {
      const read = readers[file]!;
      const subscription = read(await (await t.request(`/${lang}/${file}`)).text());
      expect(subscription.prev, 'the subscription feed links its newest archive').toBeDefined();
      const seen: string[] = [];
      const visited: string[] = [];
      for (let url = subscription.prev; url; ) {
        const response = await t.request(local(url));
        expect(response.status, url).toBe(200);
        const page = read(await response.text());
        expect(page.archive, url).toBe(true);
        // Each archive's next-archive leads back to the one visited before it.
        if (file !== 'feed.json') expect(page.next).toBe(visited.at(-1));
        visited.push(url);
        seen.push(...page.ids);
        url = page.prev;
      }
      const months = visited.map((url) => /archive\/(\d{4}\/\d{2})\//.exec(url)![1]);
      expect(months).toEqual([...months].sort().reverse());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.sort()).toEqual((await publishedUrls(lang)).sort());
    }
  });

  it('caches a closed month as immutable, and the open month like the feeds', async () => {
    const closed = await t.request('/en/archive/2022/03/atom.xml');
    expect(closed.status).toBe(200);
    expect(closed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(closed.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    const now = new Date();
    await t.admin('POST', '/api/admin/articles', { translations: [translation({ slug: 'this-month', publishedAt: now.toISOString() })] });
    const month = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const open = await t.request(`/en/archive/${month}/feed.xml`);
    expect(open.status).toBe(200);
    expect(open.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=300');
    expect(await open.text()).toContain('this-month');
    const subscription = await (await t.request('/en/atom.xml')).text();
    expect(linkOf(subscription, 'prev-archive')).toBe(`${site}/en/archive/${month}/atom.xml`);
  });

  it('answers 404 for a month without entries or that does not exist', async () => {
    for (const path of [
      '/en/archive/1999/01/atom.xml',
      '/en/archive/2022/13/feed.xml',
      '/en/archive/2022/00/feed.json',
      '/xx/archive/2022/03/atom.xml',
    ]) {
      expect((await t.request(path)).status, path).toBe(404);
    }
  });

  it('changes only the edited month’s bytes when an old article is edited', async () => {
    const months = ['2018/09', '2022/03', '2024/01', '2025/02'];
    const etags = async () => Promise.all(months.map(async (m) => (await t.request(`/en/archive/${m}/atom.xml`)).headers.get('etag')));
    const before = await etags();
    const page = (await (await t.request('/api/articles?lang=en&limit=100')).json()) as {
      items: { id: string; slug: string; publishedAt: string }[];
    };
    const old = page.items.find((item) => item.publishedAt.startsWith('2022-03'))!;
    const current = (await (await t.request(`/api/articles/en/${old.slug}`)).json()) as Record<string, unknown>;
    const edited = await t.admin('PUT', `/api/admin/articles/${old.id}/translations/en`, {
      ...translation({ slug: old.slug, publishedAt: old.publishedAt, title: 'An edited old headline' }),
      summary: current.summary,
      content: current.content,
    });
    expect(edited.status).toBe(200);
    const after = await etags();
    expect(after.map((etag, i) => etag !== before[i])).toEqual(months.map((m) => m === '2022/03'));
    expect(await (await t.request('/en/archive/2022/03/feed.json')).text()).toContain('An edited old headline');
  });
});

describe('paged category and tag feeds (RFC 5005 §3)', () => {
  /** The published translations carrying a tag, by the public API. */
  async function taggedUrls(lang: string, tag: string): Promise<string[]> {
    const page = (await (await t.request(`/api/articles?lang=${lang}&tag=${tag}&limit=100`)).json()) as { items: { url: string }[] };
    return page.items.map((item) => item.url);
  }
  const nextOf: Record<string, (text: string) => string | undefined> = {
    'atom.xml': (text) => linkOf(text, 'next'),
    'feed.xml': (text) => linkOf(text, 'next'),
    'feed.json': (text) => (JSON.parse(text) as { next_url?: string }).next_url,
  };

  it.each(Object.keys(readers))('walking next from /en/tag/north-korea/%s?limit=2 sees every tagged translation once', async (file) => {
    const expected = await taggedUrls('en', 'north-korea');
    expect(expected.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let pages = 0;
    for (let url: string | undefined = `${site}/en/tag/north-korea/${file}?limit=2`; url; pages++) {
      const response = await t.request(local(url));
      expect(response.status, url).toBe(200);
      const text = await response.text();
      seen.push(...readers[file]!(text).ids);
      if (file !== 'feed.json') {
        expect(linkOf(text, 'first')).toBe(`${site}/en/tag/north-korea/${file}?limit=2`);
        expect(linkOf(text, 'self')).toBe(url);
        if (pages > 0) expect(linkOf(text, 'previous')).toBeDefined();
        const lastPage = Math.ceil(expected.length / 2);
        expect(linkOf(text, 'last')).toBe(`${site}/en/tag/north-korea/${file}?limit=2${lastPage > 1 ? `&page=${lastPage}` : ''}`);
      }
      url = nextOf[file]!(text);
    }
    expect(pages).toBe(Math.ceil(expected.length / 2));
    expect(seen).toEqual(expected);
  });

  it('keeps the last page right as translations are tagged, untagged, unpublished and deleted', async () => {
    const lastOf = async () => linkOf(await (await t.request('/en/tag/paging-probe/atom.xml?limit=2')).text(), 'last');
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const created = await t.admin('POST', '/api/admin/articles', {
        translations: [translation({ slug: `paging-probe-${n}`, title: `Paging probe ${n}`, tags: ['Paging probe'] })],
      });
      ids.push(((await created.json()) as { id: string }).id);
    }
    expect(await lastOf()).toBe(`${site}/en/tag/paging-probe/atom.xml?limit=2&page=2`);
    // Unpublished: two left, one page.
    const article = (await (await t.admin('GET', `/api/admin/articles/${ids[0]}`)).json()) as { translations: { lang: string }[] };
    expect(article.translations).toHaveLength(1);
    await t.admin('PUT', `/api/admin/articles/${ids[0]}`, {
      translations: [translation({ slug: 'paging-probe-1', title: 'Paging probe 1', tags: ['Paging probe'], status: 'draft' })],
    });
    expect(await lastOf()).toBe(`${site}/en/tag/paging-probe/atom.xml?limit=2`);
    // Tagged again and a new one: four, two pages; one untagged and one deleted: two, one page.
    await t.admin('PUT', `/api/admin/articles/${ids[0]}`, {
      translations: [translation({ slug: 'paging-probe-1', title: 'Paging probe 1', tags: ['Paging probe'] })],
    });
    await t.admin('POST', '/api/admin/articles', {
      translations: [translation({ slug: 'paging-probe-4', title: 'Paging probe 4', tags: ['Paging probe'] })],
    });
    expect(await lastOf()).toBe(`${site}/en/tag/paging-probe/atom.xml?limit=2&page=2`);
    await t.admin('PUT', `/api/admin/articles/${ids[1]}`, {
      translations: [translation({ slug: 'paging-probe-2', title: 'Paging probe 2', tags: ['Elsewhere'] })],
    });
    await t.admin('DELETE', `/api/admin/articles/${ids[2]}`);
    expect(await lastOf()).toBe(`${site}/en/tag/paging-probe/atom.xml?limit=2`);
  });

  it('answers 404 past the last page and 400 for a page that is not a whole number from 1', async () => {
    expect((await t.request('/en/tag/north-korea/atom.xml?limit=2&page=999')).status).toBe(404);
    for (const page of ['0', 'abc', '-1', '99999']) {
      const response = await t.request(`/en/tag/north-korea/atom.xml?page=${page}`);
      expect(response.status, page).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_query');
    }
    // The language's feed is not paged: its older entries are in the archives.
    expect((await t.request('/en/atom.xml?page=2')).status).toBe(404);
  });
});
