import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const report = process.env.VITEST_REPORT;

/** The tests that run inside workerd: the Workers entry over local D1 and the Cache API. */
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      main: './src/worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          ADMIN_TOKEN: 'workers-test-token-0123456789',
          SITE_URL: 'https://news.example.org',
          INGEST_RUN_LIMIT: '2',
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./src/store/migrations', import.meta.url))),
        },
      },
    })),
  ],
  test: {
    name: 'workers',
    ...(report ? { reporters: ['default', 'json'], outputFile: { json: `${report}/workers.json` } } : {}),
    include: ['tests/workers/**/*.test.ts'],
  },
});
