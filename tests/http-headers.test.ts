import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const samples = [
  '/',
  '/en',
  '/en/',
  '/en/no-such-article',
  '/xx/feed.xml',
  '/en/bitcoin-completes-its-third-halving',
  '/en/tag/bitcoin/',
  '/en/atom.xml',
  '/en/feed.xml',
  '/en/feed.json',
  '/en/tag/bitcoin/atom.xml',
  '/feeds.opml',
  '/healthz',
  '/api/articles?lang=en',
  '/nowhere',
  '/en/nothing.xml',
  '/a/b/c/d',
  '/api/articles?limit=x',
];

describe('security headers', () => {
  it.each(samples)('%s carries nosniff, a referrer policy and a CSP with no script and no framing', async (path) => {
    const response = await t.request(path);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('on admin answers and errors too', async () => {
    const response = await t.request('/api/admin/sources', { headers: { authorization: `Bearer ${adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const refused = await t.request('/api/admin/sources');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('pages hold no inline script, so the policy breaks nothing', async () => {
    const page = await (await t.request('/en/')).text();
    expect(page).not.toMatch(/<script|\son[a-z]+=/i);
  });
});

describe('wrong methods', () => {
  it.each([
    ['POST', '/en/atom.xml', ['GET', 'HEAD']],
    ['DELETE', '/api/articles', ['GET', 'HEAD']],
    ['PUT', '/en/', ['GET', 'HEAD']],
  ])('%s %s answers 405 with Allow', async (method, path, allow) => {
    const response = await t.request(path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')!.split(', ')).toEqual(allow);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('an admin path lists every method it takes', async () => {
    const response = await t.request('/api/admin/sources/1', { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')!.split(', ')).toEqual(expect.arrayContaining(['PATCH', 'DELETE']));
  });

  it('a path nothing serves is still a 404', async () => {
    const response = await t.request('/api/nothing/here', { method: 'POST' });
    expect(response.status).toBe(404);
  });
});
