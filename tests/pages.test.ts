import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const page = async (path: string) => {
  const response = await t.request(path);
  return { status: response.status, type: response.headers.get('content-type'), html: await response.text() };
};

describe('HTML pages', () => {
  it('redirects / to the default language', async () => {
    const response = await t.request('/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/en/');
    expect((await t.request('/es')).headers.get('location')).toBe('/es/');
  });

  it('lists the newest articles of a language, with feed autodiscovery and no script', async () => {
    const { status, type, html } = await page('/es/');
    expect(status).toBe(200);
    expect(type).toBe('text/html; charset=UTF-8');
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Últimos artículos');
    expect(html).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Polyglot Crypto News (RSS)" href="https://news.example.org/es/feed.xml">',
    );
    expect(html).toContain('type="application/atom+xml"');
    expect(html).toContain('href="https://news.example.org/es/feed.json"');
    expect(html).not.toContain('<script');
    const firstApi = (await (await t.request('/api/articles?lang=es&limit=1')).json()) as { items: { slug: string; title: string }[] };
    expect(html).toContain(`href="/es/${firstApi.items[0].slug}"`);
  });

  it('shows an article with links to its translations, hreflang alternates and its language’s feeds', async () => {
    const { status, html } = await page('/en/north-korea-opens-its-doors-to-the-cryptoverse');
    expect(status).toBe(200);
    expect(html).toContain('<h1>North Korea Opens its Doors to the Cryptoverse</h1>');
    expect(html).toMatch(/This post is also available in: <a href="\/es\/[\w-]+" hreflang="es" lang="es" rel="alternate">Español<\/a>/);
    expect(html).toMatch(
      /<link rel="alternate" hreflang="en" href="https:\/\/news\.example\.org\/en\/north-korea-opens-its-doors-to-the-cryptoverse">/,
    );
    expect(html).toMatch(/<link rel="alternate" hreflang="es" href="https:\/\/news\.example\.org\/es\/[\w-]+">/);
    expect(html).toContain('href="https://news.example.org/en/atom.xml"');
    expect(html).toContain('Pyongyang');
  });

  it('says it in Spanish on the Spanish page', async () => {
    const api = (await (await t.request('/api/articles/en/north-korea-opens-its-doors-to-the-cryptoverse')).json()) as {
      translations: { slug: string }[];
    };
    const { html } = await page(`/es/${api.translations[0].slug}`);
    expect(html).toMatch(
      /Esta entrada también está disponible en: <a href="\/en\/north-korea-opens-its-doors-to-the-cryptoverse"[^>]*>English<\/a>/,
    );
  });

  it('lists a category and a tag', async () => {
    const category = await page('/en/category/security/');
    expect(category.status).toBe(200);
    expect(category.html).toContain('Category: Security');
    expect(category.html).toContain('href="https://news.example.org/en/category/security/feed.xml"');
    const tag = await page('/es/tag/corea-del-norte/');
    expect(tag.html).toContain('Etiqueta: Corea del Norte');
  });

  it('escapes what editors typed', async () => {
    await t.admin('POST', '/api/admin/articles', {
      translations: [
        {
          lang: 'en',
          slug: 'escaping',
          title: '<script>alert(1)</script> & co',
          content: '<p>ok</p>',
          status: 'published',
          publishedAt: '2031-01-01T00:00:00Z',
        },
      ],
    });
    const { html } = await page('/en/');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<script>alert(1)');
  });

  it.each(['/fr/', '/en/no-such-article', '/en/category/nothing/', '/en/tag/nothing/', '/nowhere/at/all'])(
    '%s answers an HTML 404',
    async (path) => {
      const { status, type, html } = await page(path);
      expect(status).toBe(404);
      expect(type).toBe('text/html; charset=UTF-8');
      expect(html).toContain('Page not found');
    },
  );

  it('answers an HTML 400 for a bad cursor on a list page', async () => {
    const { status, type, html } = await page('/en/?cursor=garbage');
    expect(status).toBe(400);
    expect(type).toBe('text/html; charset=UTF-8');
    expect(html).toContain('The cursor is not one this API returned');
  });
});
