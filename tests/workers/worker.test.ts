import { applyD1Migrations, env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

const token = 'workers-test-token-0123456789';
const admin = (method: string, path: string, body?: unknown) =>
  SELF.fetch(`https://news.example.org${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`https://news.example.org${path}`, { headers });

beforeAll(async () => {
  const bindings = env as unknown as {
    DB: Parameters<typeof applyD1Migrations>[0];
    TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  };
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
});

describe('the Workers build inside workerd', () => {
  it('stores an article in D1 and serves its feed from the Cache API the second time, re-rendered after a write', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const created = await admin('POST', '/api/admin/articles', {
      translations: [
        {
          lang: 'en',
          slug: 'edge-story',
          title: 'Edge story',
          content: '<p>Body.</p>',
          status: 'published',
          publishedAt: '2030-01-01T00:00:00Z',
        },
      ],
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const first = await get('/en/atom.xml');
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(await first.text()).toContain('Edge story');
    const second = await get('/en/atom.xml');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await get('/en/atom.xml', { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
    const edited = await admin('PUT', `/api/admin/articles/${id}/translations/en`, {
      slug: 'edge-story',
      title: 'Edited at the edge',
      content: '<p>Body.</p>',
      status: 'published',
      publishedAt: '2030-01-01T00:00:00Z',
    });
    expect(edited.status).toBe(200);
    const third = await get('/en/atom.xml');
    expect(third.headers.get('x-cache')).toBe('MISS');
    expect(await third.text()).toContain('Edited at the edge');
  });

  it('answers bad input with the same JSON errors as on Node', async () => {
    const response = await admin('POST', '/api/admin/articles', { translations: [] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    expect((await get('/fr/feed.xml')).status).toBe(404);
  });
});
