import { defineConfig } from 'vitest/config';

const report = process.env.VITEST_REPORT;

/** The suite on Node: a real SQLite file, real HTTP, real readers. (The Workers tests: vitest.workers.config.ts.) */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/workers/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // .ci/run sets VITEST_REPORT to collect both runs' counts.
    ...(report ? { reporters: ['default', 'json'], outputFile: { json: `${report}/node.json` } } : {}),
  },
});
