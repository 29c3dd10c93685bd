import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

interface Item {
  id: string;
  lang: string;
  slug: string;
  url: string;
  title: string;
  content?: string;
  publishedAt: string;
  categories: { slug: string }[];
  tags: { slug: string }[];
  translations: { lang: string; slug: string; url: string; api: string }[];
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const get = async (path: string) => (await t.request(path)).json() as Promise<Page>;

describe('GET /api/articles', () => {
  it('lists published translations of the default language, newest first', async () => {
    const page = await get('/api/articles?limit=100');
    expect(page.items.length).toBeGreaterThan(10);
    expect(page.items.every((item) => item.lang === 'en')).toBe(true);
    const times = page.items.map((item) => Date.parse(item.publishedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.items[0]).not.toHaveProperty('content');
  });

  it('leaves drafts out', async () => {
    const drafts = (await t.services.articles.requireArticle((await get('/api/articles?lang=en&limit=100')).items[0].id))!;
    expect(drafts.translations.some((x) => x.status === 'draft')).toBe(true); // the newest seed article has a Spanish draft
    const es = await get('/api/articles?lang=es&limit=100');
    expect(es.items.map((item) => item.id)).not.toContain(drafts.id);
  });

  it('pages with an opaque cursor through every item exactly once', async () => {
    const all = await get('/api/articles?lang=es&limit=100');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await get(`/api/articles?lang=es&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((item) => item.slug));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all.items.map((item) => item.slug));
    expect(pages).toBe(Math.ceil(all.items.length / 3));
  });

  it('filters by category and by tag', async () => {
    const security = await get('/api/articles?lang=en&category=security');
    expect(security.items.length).toBeGreaterThan(0);
    expect(security.items.every((item) => item.categories.some((c) => c.slug === 'security'))).toBe(true);
    const tagged = await get('/api/articles?lang=es&tag=corea-del-norte');
    expect(tagged.items.length).toBeGreaterThan(0);
    expect(tagged.items.every((item) => item.tags.some((tag) => tag.slug === 'corea-del-norte'))).toBe(true);
  });

  it.each([
    ['/api/articles?lang=fr', 404, 'not_found'],
    ['/api/articles?lang=en&category=nothing-here', 404, 'not_found'],
    ['/api/articles?lang=en&tag=nothing-here', 404, 'not_found'],
    ['/api/articles?cursor=%%%', 400, 'invalid_cursor'],
    ['/api/articles?cursor=bm90LWEtY3Vyc29y', 400, 'invalid_cursor'],
    ['/api/articles?limit=zero', 400, 'invalid_limit'],
    ['/api/articles?category=bitcoin&tag=mining', 400, 'invalid_query'],
  ])('%s answers %i %s', async (path, status, code) => {
    const response = await t.request(path);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });
});

describe('GET /api/articles/{lang}/{slug}', () => {
  it('returns the translation with its content and links to its siblings', async () => {
    const response = await t.request('/api/articles/en/north-korea-opens-its-doors-to-the-cryptoverse');
    expect(response.status).toBe(200);
    const item = (await response.json()) as Item;
    expect(item.title).toBe('North Korea Opens its Doors to the Cryptoverse');
    expect(item.content).toContain('Pyongyang');
    expect(item.publishedAt.startsWith('2018-09')).toBe(true);
    expect(item.translations).toHaveLength(1);
    const [es] = item.translations;
    expect(es.lang).toBe('es');
    expect(es.url).toBe(`https://news.example.org/es/${es.slug}`);
    const sibling = (await (await t.request(new URL(es.api).pathname)).json()) as Item;
    expect(sibling.id).toBe(item.id);
    expect(sibling.translations.map((x) => x.slug)).toEqual([item.slug]);
  });

  it('answers 404 for an unknown slug, an unknown language, or a draft', async () => {
    expect((await t.request('/api/articles/en/no-such-article')).status).toBe(404);
    expect((await t.request('/api/articles/fr/north-korea-opens-its-doors-to-the-cryptoverse')).status).toBe(404);
    const draft = (await t.services.articles.requireArticle((await get('/api/articles?lang=en&limit=1')).items[0].id))!.translations.find(
      (x) => x.status === 'draft',
    )!;
    expect((await t.request(`/api/articles/${draft.lang}/${draft.slug}`)).status).toBe(404);
  });
});
