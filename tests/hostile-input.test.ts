import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const admin = (path: string, method: string, body: string) =>
  t.request(path, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body });

describe('POST /api/admin/ingest with a hostile source', () => {
  it.each([
    ['a deeply nested array', `{"source":${'['.repeat(50_000)}${']'.repeat(50_000)}}`],
    ['a deeply nested object', `{"source":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`],
    ['a 500 KB string', JSON.stringify({ source: `https://x.example/${'a'.repeat(500_000)}` })],
    ['an unknown URL of 100 KB', JSON.stringify({ source: `https://x.example/?q=${'b'.repeat(100_000)}` })],
  ])('%s is a 4xx with a short JSON body', async (_, body) => {
    const response = await admin('/api/admin/ingest', 'POST', body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    expect(text.length).toBeLessThan(2_000);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toMatch(/^[a-z_]+$/);
  });
});
