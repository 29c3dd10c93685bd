import { applyD1Migrations, env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

const site = 'https://news.example.org';
const token = 'workers-test-token-0123456789';

beforeAll(async () => {
  const bindings = env as unknown as {
    DB: Parameters<typeof applyD1Migrations>[0];
    TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  };
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
});

const postForm = (path: string, fields: Record<string, string>, cookie = '') =>
  SELF.fetch(`${site}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: site, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe('the console inside workerd', () => {
  it('signs in with a form, then serves the articles page and takes a form with the session cookie', async () => {
    expect((await postForm('/admin/sign-in', { token: 'not-the-token-00000000' })).status).toBe(401);
    const signedIn = await postForm('/admin/sign-in', { token, next: '/admin/articles' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/admin/articles');
    const setCookie = signedIn.headers.get('set-cookie')!;
    // The request is https, so the cookie is Secure.
    expect(setCookie).toMatch(/^console_session=v1\..*HttpOnly; Secure; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;

    const list = await SELF.fetch(`${site}/admin/articles`, { headers: { cookie }, redirect: 'manual' });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-security-policy')).toContain("script-src 'none'");
    const page = await list.text();
    expect(page).toContain('<h1>Articles</h1>');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

    const created = await postForm(
      '/admin/articles',
      { _csrf: csrf, 'en.status': 'draft', 'en.title': 'Drafted at the edge', 'en.content': '<p>Body.</p>', 'es.status': 'none' },
      cookie,
    );
    expect(created.status).toBe(303);
    const drafts = await SELF.fetch(`${site}/admin/articles?status=draft`, { headers: { cookie } });
    expect(await drafts.text()).toContain('Drafted at the edge');
    expect((await postForm('/admin/articles', { 'en.title': 'No token' }, cookie)).status).toBe(403);
  });

  it('sends a request without a session to the sign-in form', async () => {
    const response = await SELF.fetch(`${site}/admin/articles`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Farticles');
  });
});
