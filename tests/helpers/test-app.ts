import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { seedArticles } from '../../src/articles/seed.ts';
import { parseConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createNodeDeps, type NodeDeps, readSeedFiles, seedDir } from '../../src/node.ts';

export const adminToken = 'test-admin-token-0123456789';
export const siteUrl = 'https://news.example.org';

export interface TestApp {
  request(path: string, init?: RequestInit): Promise<Response>;
  /** An admin API call with the bearer token and a JSON body. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  deps: NodeDeps;
  dbPath: string;
  close(): void;
}

/** The real app on a fresh SQLite file in a temporary folder; seeded from data/seed unless told otherwise. */
export async function startTestApp(
  options: { env?: Record<string, string>; seed?: boolean; overrides?: Partial<Deps> } = {},
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
  const deps = await createNodeDeps(config, options.overrides);
  if (options.seed !== false) await seedArticles(deps, readSeedFiles(seedDir));
  const app = createApp(deps);
  const request = async (path: string, init?: RequestInit) => app.request(path, init);
  return {
    request,
    admin: (method, path, body) =>
      request(path, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    deps,
    dbPath,
    close() {
      deps.close();
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
