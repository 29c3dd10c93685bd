import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';

// The console through app.request: sessions, CSRF, headers and forms at the HTTP level (the browser test drives the pages).
const origin = 'http://localhost';
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function signIn(base = origin): Promise<{ cookie: string; setCookie: string }> {
  const response = await app.request(`${base}/admin/sign-in`, {
    method: 'POST',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ token: adminToken, next: '/admin/sources' }),
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/admin/sources');
  const setCookie = response.headers.get('set-cookie')!;
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

async function csrfOf(cookie: string): Promise<string> {
  const page = await (await app.request('/admin/articles', { headers: { cookie } })).text();
  return /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
}

const post = (path: string, cookie: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: 'POST',
    headers: { origin, cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form(fields),
  });

describe('console sign-in and sessions', () => {
  it('sends a page without a session to the sign-in form, and back after signing in', async () => {
    const response = await app.request('/admin/sources?x=1');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Fsources%3Fx%3D1');
    const page = await (await app.request('/admin/sign-in?next=%2Fadmin%2Fsources')).text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<label for="token">Admin token</label>');
    expect(page).toContain('name="next" value="/admin/sources"');
  });

  it('refuses a wrong token with a clear message and no cookie', async () => {
    const response = await app.request('/admin/sign-in', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ token: 'not-the-admin-token-000000' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('That is not the admin token.');
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict, 12-hour cookie, Secure over https', async () => {
    const { setCookie } = await signIn();
    expect(setCookie).toMatch(/^console_session=v1\./);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/admin');
    expect(setCookie).toContain('Max-Age=43200');
    expect(setCookie).not.toContain('Secure');
    const secure = await signIn('https://news.example.org');
    expect(secure.setCookie).toContain('Secure');
  });

  it('refuses a sign-in form posted from another site', async () => {
    const response = await app.request('/admin/sign-in', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ token: adminToken }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('treats a tampered cookie as no session', async () => {
    const { cookie } = await signIn();
    const tampered = cookie.replace(/\.(\d+)\./, (_, expiry) => `.${Number(expiry) + 1}.`);
    expect((await app.request('/admin/articles', { headers: { cookie: tampered } })).status).toBe(303);
    expect((await app.request('/admin/articles', { headers: { cookie } })).status).toBe(200);
  });

  it('signs out: the cookie is cleared', async () => {
    const { cookie } = await signIn();
    const response = await post('/admin/sign-out', cookie, { _csrf: await csrfOf(cookie) });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sign-in?signed-out');
    expect(response.headers.get('set-cookie')).toMatch(/^console_session=; Max-Age=0; Path=\/admin/);
  });

  it('leaves the JSON admin API to its bearer token: a session cookie is not enough', async () => {
    const { cookie } = await signIn();
    const response = await app.request('/api/admin/sources', { headers: { cookie } });
    expect(response.status).toBe(401);
    expect((await app.admin('GET', '/api/admin/sources')).status).toBe(200);
  });
});

describe('console CSRF protection', () => {
  it('refuses a form without the CSRF token, with another session token, or from another origin', async () => {
    const { cookie } = await signIn();
    const other = await signIn();
    const good = await csrfOf(cookie);
    const fields = { url: 'https://outlet.example.com/feed.xml' };
    const missing = await post('/admin/sources', cookie, fields);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('CSRF token is missing or does not belong to your session');
    expect((await post('/admin/sources', cookie, { ...fields, _csrf: await csrfOf(other.cookie) })).status).toBe(403);
    expect((await post('/admin/sources', cookie, { ...fields, _csrf: good }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await app.admin('GET', '/api/admin/sources').then((r) => r.json())) as unknown).toEqual({ sources: [] });
    // Without any session a form is refused too (and the user is told to sign in).
    const signedOut = await post('/admin/sources', '', { ...fields, _csrf: good });
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).toContain('Sign in');
    const accepted = await post('/admin/sources', cookie, { ...fields, _csrf: good });
    expect(accepted.status).toBe(303);
    await app.services.ingest.store.deleteSource((await app.services.ingest.store.listSources())[0]!.id);
  });
});

describe('console pages', () => {
  it('serves pages with a strict CSP, no-store, and its own style sheet', async () => {
    const { cookie } = await signIn();
    for (const path of ['/admin/articles', '/admin/articles/new', '/admin/sources', '/admin/sign-in']) {
      const response = await app.request(path, { headers: { cookie } });
      expect(response.status, path).toBe(200);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const page = await response.text();
      expect(page).not.toMatch(/<script|style=|<style|https?:\/\/(?!news\.example\.org)[^"]*\.(css|js|woff2?)/);
    }
    const css = await app.request('/admin/console.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain(':focus-visible');
  });

  it('lists articles with their translation matrix, filters and pages', async () => {
    const { cookie } = await signIn();
    const page = await (await app.request('/admin/articles', { headers: { cookie } })).text();
    expect(page).toMatch(/<caption>24 articles, page 1 of 2<\/caption>/);
    expect(page).toContain('href="/admin/articles?page=2"');
    const missing = await (await app.request('/admin/articles?missing=en', { headers: { cookie } })).text();
    const rows = missing.match(/<tr><th scope="row">/g) ?? [];
    expect(rows.length).toBeGreaterThan(0);
    expect(missing.match(/<td class="missing">missing<\/td>/g)?.length).toBeGreaterThanOrEqual(rows.length);
    const search = await (await app.request('/admin/articles?q=Bybit', { headers: { cookie } })).text();
    expect(search).toContain('<caption>1 article</caption>');
    const none = await (await app.request('/admin/articles?q=%25&status=draft&lang=es', { headers: { cookie } })).text();
    expect(none).toContain('<caption>0 articles</caption>');
  });

  it('shows validation errors beside their field, and previews sanitized content without saving', async () => {
    const { cookie } = await signIn();
    const _csrf = await csrfOf(cookie);
    const fields = {
      _csrf,
      'en.status': 'draft',
      'en.title': '',
      'en.content': '<p>Body</p><script>alert(1)</script><img src="https://img.example.com/a.png" onerror="alert(2)">',
      'en.imageUrl': 'not a url',
      'en.imageType': 'image/png',
      'es.status': 'none',
      'es.title': 'Hola',
    };
    const invalid = await post('/admin/articles', cookie, fields);
    expect(invalid.status).toBe(400);
    const page = await invalid.text();
    expect(page).toMatch(
      /aria-describedby="f-en-title-error" aria-invalid="true"\/><p class="error" id="f-en-title-error">a title is required<\/p>/,
    );
    expect(page).toMatch(/<p class="error" id="f-en-imageUrl-error">[^<]+<\/p>/);
    expect(page).toMatch(/<p class="error" id="f-es-status-error">choose draft or published/);
    const preview = await post('/admin/articles', cookie, {
      ...fields,
      'en.title': 'Titled',
      'en.imageUrl': '',
      'en.imageType': '',
      'es.title': '',
      intent: 'preview',
    });
    expect(preview.status).toBe(200);
    const shown = await preview.text();
    const previewSection = shown.slice(shown.indexOf('id="preview-heading"'), shown.indexOf('Write the translations'));
    expect(previewSection).toContain('<p>Body</p>');
    expect(previewSection).toContain('src="https://img.example.com/a.png"');
    expect(previewSection).not.toMatch(/<script|onerror/);
    expect(await app.request('/admin/articles?q=Titled', { headers: { cookie } }).then((r) => r.text())).toContain('0 articles');
  });

  it('says the console is disabled while ADMIN_TOKEN is unset', async () => {
    const open = await startTestApp({ env: { ADMIN_TOKEN: '' }, seed: false });
    try {
      for (const path of ['/admin/', '/admin/articles', '/admin/sign-in']) {
        const response = await open.request(path);
        expect(response.status).toBe(503);
        expect(await response.text()).toContain('The admin is disabled: set the ADMIN_TOKEN environment variable');
      }
      expect((await open.request('/admin/sign-in', { method: 'POST' })).status).toBe(503);
    } finally {
      await open.close();
    }
  });
});
