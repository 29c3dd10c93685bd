import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';

// The console through app.request: sessions, CSRF, headers and forms at the HTTP level (the browser test drives the pages).
const origin = 'http://localhost';
let app: TestApp;
// The app's clock stands still at the start, so a run across midnight UTC still sees one "today".
const startedAt = Date.now();

beforeAll(async () => {
  app = await startTestApp({ parts: { now: () => startedAt } });
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
    for (const path of ['/admin/articles', '/admin/articles/new', '/admin/sources', '/admin/readers', '/admin/sign-in']) {
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

describe('console readers page', () => {
  const feedly = (count: number) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${count} subscribers; )`;
  const miniflux = 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)';
  // Through app.request there is no connection: the address comes from CF-Connecting-IP, as on Workers.
  const poll = (path: string, userAgent: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { 'user-agent': userAgent, 'cf-connecting-ip': '198.51.100.7', ...headers } });
  const today = () => new Date(startedAt).toISOString().slice(0, 10);
  const dayBefore = (days: number) => new Date(startedAt - days * 86_400_000).toISOString().slice(0, 10);

  /** The text of each cell of the row a feed's path heads (the sparkline's cell reads as its title). */
  function feedRow(page: string, path: string): string[] {
    const row = page.match(new RegExp(`<tr><th scope="row">${path.replace(/[./]/g, '\\$&')}<br/>.*?</tr>`))![0];
    return [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, ''));
  }

  it('shows requests, the 304 share, subscribers and pollers of each feed, with what was not written yet', async () => {
    const first = await poll('/es/atom.xml', feedly(462));
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect((await poll('/es/atom.xml', feedly(462), { 'if-none-match': etag })).status).toBe(304);
    expect((await poll('/es/atom.xml', miniflux, { 'if-none-match': etag })).status).toBe(304);
    expect((await poll('/es/atom.xml', miniflux, { 'accept-encoding': 'gzip' })).headers.get('content-encoding')).toBe('gzip');
    const { cookie } = await signIn();
    const response = await app.request('/admin/readers', { headers: { cookie } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<a href="/admin/readers" aria-current="page">Readers</a>');
    expect(page).toContain(`From ${dayBefore(29)} to ${today()} (UTC days, today included).`);
    expect(page).toContain('<option value="30" selected="">the last 30 days</option>');
    const [sparkline, requests, share, savedByNotModified, savedByGzip, subscribers, pollersYesterday, pollersToday] = feedRow(
      page,
      '/es/atom.xml',
    );
    expect(sparkline).toBe(`Requests per day to /es/atom.xml, ${dayBefore(29)} to ${today()}: 4 in all, most on ${today()} (4)`);
    expect([requests, share, subscribers, pollersYesterday, pollersToday]).toEqual(['4', '50.0%', '462Feedly 462', '0', '1']);
    expect(savedByNotModified).toMatch(/^\d+(\.\d)? kB$/);
    expect(savedByGzip).toMatch(/^\d+(\.\d)? kB$/);
    // Every chart is a named image, and its figures are in a table too.
    expect(page.match(/<svg [^>]*role="img" aria-label="[^"]+"/g)?.length).toBe(page.match(/<svg /g)?.length);
    expect(page).toMatch(/<tr><th scope="row">Feedly<\/th><td class="num">462<\/td><\/tr>/);
    expect(page).toMatch(new RegExp(`<th scope="row" class="day">${today()}</th><td class="num">4</td><td class="num">50.0%</td>`));
  });

  it('shows 7 or 90 days, and falls back to 30 days with a message beside the selector for a bad period', async () => {
    const { cookie } = await signIn();
    const week = await (await app.request('/admin/readers?days=7', { headers: { cookie } })).text();
    expect(week).toContain(`From ${dayBefore(6)} to ${today()}`);
    expect(week).toContain('<option value="7" selected="">the last 7 days</option>');
    for (const bad of ['abc', '0', '91', '7.5']) {
      const response = await app.request(`/admin/readers?days=${bad}`, { headers: { cookie } });
      expect(response.status, bad).toBe(400);
      const page = await response.text();
      expect(page).toContain(`<p class="error" id="days-error">&quot;${bad}&quot; is not a number of days from 1 to 90`);
      expect(page).toContain('aria-describedby="days-error" aria-invalid="true"');
      expect(page).toContain(`From ${dayBefore(29)} to ${today()}`);
    }
  });

  it('sends a signed-out visitor to the sign-in form', async () => {
    const response = await app.request('/admin/readers?days=7');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Freaders%3Fdays%3D7');
  });
});
