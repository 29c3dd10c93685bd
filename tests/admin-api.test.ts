import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminToken, startTestApp, type TestApp, translation } from './helpers/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ seed: false });
});
afterEach(() => t.close());

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string; details?: { fields?: { path: string }[] } } };
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error;
}

describe('admin API: articles', () => {
  it('creates an article with translations, derives slugs, and serves it publicly', async () => {
    const created = await t.admin('POST', '/api/admin/articles', {
      translations: [
        translation({ slug: 'north-korea-opens-up', tags: ['North Korea', 'Blockchain Conferences'] }),
        translation({ lang: 'es', slug: 'corea-del-norte-se-abre', title: 'Corea del Norte se abre', categories: ['Regulación'] }),
      ],
    });
    expect(created.status).toBe(201);
    const article = (await created.json()) as {
      id: string;
      translations: { lang: string; tags: { slug: string }[]; categories: { slug: string }[] }[];
    };
    expect(article.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers.get('location')).toBe(`/api/admin/articles/${article.id}`);
    const en = article.translations.find((x) => x.lang === 'en')!;
    expect(en.tags.map((tag) => tag.slug)).toEqual(['north-korea', 'blockchain-conferences']);
    const es = article.translations.find((x) => x.lang === 'es')!;
    expect(es.categories.map((c) => c.slug)).toEqual(['regulacion']);

    const pub = await t.request('/api/articles/en/north-korea-opens-up');
    expect(pub.status).toBe(200);
    const body = (await pub.json()) as { id: string; translations: { lang: string; slug: string }[] };
    expect(body.id).toBe(article.id);
    expect(body.translations).toMatchObject([{ lang: 'es', slug: 'corea-del-norte-se-abre' }]);
  });

  it('derives a slug from the title when none is given', async () => {
    const response = await t.admin('POST', '/api/admin/articles', {
      translations: [{ ...translation({ title: 'Ether Rallies: ¿Qué Pasó?' }), slug: undefined }],
    });
    expect(response.status).toBe(201);
    expect((await t.request('/api/articles/en/ether-rallies-que-paso')).status).toBe(200);
  });

  it('replaces an article with PUT, keeping entry ids and dropping translations not sent', async () => {
    const { id, translations } = (await (
      await t.admin('POST', '/api/admin/articles', { translations: [translation(), translation({ lang: 'es', slug: 'articulo' })] })
    ).json()) as { id: string; translations: { lang: string }[] };
    expect(translations).toHaveLength(2);
    const guidBefore = await feedGuid(t, 'en');
    const replaced = await t.admin('PUT', `/api/admin/articles/${id}`, { translations: [translation({ title: 'Edited title' })] });
    expect(replaced.status).toBe(200);
    const body = (await replaced.json()) as { translations: { lang: string; title: string }[] };
    expect(body.translations.map((x) => [x.lang, x.title])).toEqual([['en', 'Edited title']]);
    expect(await feedGuid(t, 'en')).toBe(guidBefore);
    expect((await t.request('/api/articles/es/articulo')).status).toBe(404);
  });

  it('adds, replaces and deletes one translation', async () => {
    const { id } = (await (await t.admin('POST', '/api/admin/articles', { translations: [translation()] })).json()) as { id: string };
    const spanish = { ...translation({ slug: 'prueba', title: 'Prueba' }), lang: undefined };
    const added = await t.admin('PUT', `/api/admin/articles/${id}/translations/es`, spanish);
    expect(added.status).toBe(201);
    const again = await t.admin('PUT', `/api/admin/articles/${id}/translations/es`, { ...spanish, title: 'Prueba 2' });
    expect(again.status).toBe(200);
    const es = (await (await t.request('/api/articles/es/prueba')).json()) as { title: string; translations: { lang: string }[] };
    expect(es.title).toBe('Prueba 2');
    expect(es.translations.map((x) => x.lang)).toEqual(['en']);

    expect((await t.admin('DELETE', `/api/admin/articles/${id}/translations/es`)).status).toBe(204);
    expect((await t.request('/api/articles/es/prueba')).status).toBe(404);
    expect((await t.admin('DELETE', `/api/admin/articles/${id}/translations/es`)).status).toBe(404);
    // The last translation stays (as PUT with no translations is refused): the article is deleted as a whole.
    const last = await t.admin('DELETE', `/api/admin/articles/${id}/translations/en`);
    expect(last.status).toBe(409);
    expect(((await last.json()) as { error: { code: string } }).error.code).toBe('last_translation');
    expect(((await (await t.admin('GET', `/api/admin/articles/${id}`)).json()) as { translations: unknown[] }).translations).toHaveLength(
      1,
    );
    expect((await t.admin('DELETE', `/api/admin/articles/${id}`)).status).toBe(204);
    expect((await t.request('/api/articles/en/test-article')).status).toBe(404);
    expect((await t.admin('GET', `/api/admin/articles/${id}`)).status).toBe(404);
  });

  it('publishes and unpublishes through status', async () => {
    const { id } = (await (await t.admin('POST', '/api/admin/articles', { translations: [translation({ status: 'draft' })] })).json()) as {
      id: string;
    };
    expect((await t.request('/api/articles/en/test-article')).status).toBe(404);
    expect(await feedTitles(t, 'en')).toEqual([]);
    await t.admin('PUT', `/api/admin/articles/${id}/translations/en`, translation({ status: 'published' }));
    expect(await feedTitles(t, 'en')).toEqual(['Test article']);
    await t.admin('PUT', `/api/admin/articles/${id}/translations/en`, translation({ status: 'draft' }));
    expect(await feedTitles(t, 'en')).toEqual([]);
  });

  it('keeps the publication time when a published translation is edited without one', async () => {
    const { id } = (await (await t.admin('POST', '/api/admin/articles', { translations: [translation()] })).json()) as { id: string };
    const { publishedAt: _, ...withoutTime } = translation({ title: 'Edited' });
    await t.admin('PUT', `/api/admin/articles/${id}/translations/en`, withoutTime);
    const body = (await (await t.request('/api/articles/en/test-article')).json()) as { publishedAt: string; title: string };
    expect(body).toMatchObject({ title: 'Edited', publishedAt: '2030-01-01T10:00:00.000Z' });
  });
});

describe('admin API: bad input', () => {
  it('answers 400 with field-level errors', async () => {
    const response = await t.admin('POST', '/api/admin/articles', {
      translations: [translation({ lang: 'fr', slug: 'Bad Slug', title: '', publishedAt: 'yesterday', categories: ['!!!'] })],
    });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('validation_failed');
    const paths = error.details!.fields!.map((f) => f.path).sort();
    expect(paths).toEqual([
      'translations.0.categories.0',
      'translations.0.lang',
      'translations.0.publishedAt',
      'translations.0.slug',
      'translations.0.title',
    ]);
  });

  it.each([
    ['no translations', { translations: [] }],
    ['an unknown field', { translations: [translation({ colour: 'red' })] }],
    ['a duplicated language', { translations: [translation(), translation({ slug: 'other' })] }],
    ['a non-object body', [1, 2]],
    ['a bad image', { translations: [translation({ image: { url: 'javascript:alert(1)', type: 'text/html' } })] }],
  ])('rejects %s with 400', async (_, body) => {
    const response = await t.admin('POST', '/api/admin/articles', body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('validation_failed');
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const response = await t.request('/api/admin/articles', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: '{"translations": [',
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });

  it('answers 401 without a token or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${adminToken}`, `Bearer ${adminToken}x`]) {
      const response = await t.request('/api/admin/articles', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ translations: [translation()] }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
    expect((await t.request('/api/articles/en/test-article')).status).toBe(404);
  });

  it('answers 404 for an unknown article or language', async () => {
    expect((await errorOf(await t.admin('PUT', '/api/admin/articles/nope', { translations: [translation()] }))).code).toBe('not_found');
    expect((await t.admin('DELETE', '/api/admin/articles/nope')).status).toBe(404);
    expect((await t.admin('PUT', '/api/admin/articles/nope/translations/en', translation())).status).toBe(404);
    const { id } = (await (await t.admin('POST', '/api/admin/articles', { translations: [translation()] })).json()) as { id: string };
    expect((await t.admin('PUT', `/api/admin/articles/${id}/translations/de`, translation({ lang: 'de' }))).status).toBe(404);
  });

  it('answers 409 for a slug already taken, and writes nothing of the failed request', async () => {
    await t.admin('POST', '/api/admin/articles', { translations: [translation({ lang: 'es', slug: 'tomado' })] });
    const response = await t.admin('POST', '/api/admin/articles', {
      translations: [translation({ slug: 'fresh-slug' }), translation({ lang: 'es', slug: 'tomado' })],
    });
    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'slug_taken', details: { lang: 'es', slug: 'tomado' } });
    expect((await t.request('/api/articles/en/fresh-slug')).status).toBe(404);
    expect(await t.services.articles.countArticles()).toBe(1);
  });

  it('answers 413 for a body over 1 MiB, with or without Content-Length', async () => {
    const huge = JSON.stringify({ translations: [translation({ content: `<p>${'x'.repeat(1024 * 1024)}</p>` })] });
    const response = await t.admin('POST', '/api/admin/articles', JSON.parse(huge));
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');
    const bytes = new TextEncoder().encode(huge);
    const streamed = await t.request('/api/admin/articles', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 65536) controller.enqueue(bytes.subarray(i, i + 65536));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await t.services.articles.countArticles()).toBe(0);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await t.request('/api/admin/articles', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ translations: [translation()] }),
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it('answers 503 with instructions when ADMIN_TOKEN is unset, while public routes keep working', async () => {
    const open = await startTestApp({ env: { ADMIN_TOKEN: '' } });
    try {
      const response = await open.request('/api/admin/articles', { method: 'POST' });
      expect(response.status).toBe(503);
      const error = await errorOf(response);
      expect(error.code).toBe('admin_disabled');
      expect(error.message).toContain('ADMIN_TOKEN');
      expect((await open.request('/en/feed.xml')).status).toBe(200);
      expect((await open.request('/healthz')).status).toBe(200);
    } finally {
      open.close();
    }
  });
});

async function feedTitles(app: TestApp, lang: string): Promise<string[]> {
  const feed = (await (await app.request(`/${lang}/feed.json`)).json()) as { items: { title: string }[] };
  return feed.items.map((item) => item.title);
}

async function feedGuid(app: TestApp, lang: string): Promise<string> {
  const feed = (await (await app.request(`/${lang}/feed.json`)).json()) as { items: { id: string }[] };
  return feed.items[0].id;
}
