import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { seedArticles } from '../../src/articles/seed.ts';
import type { RuntimeParts, Services } from '../../src/compose.ts';
import { parseConfig } from '../../src/config.ts';
import { readSeedFiles } from '../../src/runtime/node/files.ts';
import { openNodeServices } from '../../src/runtime/node/node-services.ts';

export const adminToken = 'test-admin-token-0123456789';
export const siteUrl = 'https://news.example.org';

export interface TestApp {
  request(path: string, init?: RequestInit): Promise<Response>;
  /** An admin API call with the bearer token and a JSON body. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  services: Services;
  dbPath: string;
  close(): Promise<void>;
}

/** The real app on a fresh SQLite file in a temporary folder; seeded from data/seed unless told otherwise. */
export async function startTestApp(
  options: { env?: Record<string, string>; seed?: boolean; parts?: Partial<RuntimeParts> } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-test-'));
  const dbPath = join(dir, 'news.db');
  const config = parseConfig({
    DB_PATH: dbPath,
    ADMIN_TOKEN: adminToken,
    SITE_URL: siteUrl,
    INGEST_SCHEDULE: 'off',
    INGEST_DEFAULT_SOURCES: 'off',
    ...options.env,
  });
  const { services, close } = await openNodeServices(config, options.parts);
  if (options.seed !== false) await seedArticles(services.articles, config.languages, readSeedFiles());
  const app = createApp(services);
  const request = async (path: string, init?: RequestInit) => app.request(path, init);
  return {
    request,
    admin: (method, path, body) =>
      request(path, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    services,
    dbPath,
    async close() {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid translation body; override any field. */
export function translation(overrides: Record<string, unknown> = {}) {
  return {
    lang: 'en',
    slug: 'test-article',
    title: 'Test article',
    summary: 'A summary.',
    content: '<p>Body text.</p>',
    authors: ['Ada Writer'],
    categories: ['Events'],
    tags: ['North Korea'],
    status: 'published',
    publishedAt: '2030-01-01T10:00:00Z',
    ...overrides,
  };
}
