import { applyD1Migrations, env, SELF } from 'cloudflare:test';
import { vi } from 'vitest';
import { httpBehaviour } from '../shared/http-behaviour.ts';

// Outlets answered by a stub of the fetch the Workers transport uses (workerd cannot reach the test's loopback servers).
const published = new Map<string, string>();
vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  const body = published.get(url);
  return body === undefined
    ? new Response('not found', { status: 404 })
    : new Response(body, { headers: { 'content-type': 'application/rss+xml' } });
});

httpBehaviour('Workers, D1', async () => {
  const bindings = env as unknown as {
    DB: Parameters<typeof applyD1Migrations>[0];
    TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  };
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
  return {
    request: (path, init) => SELF.fetch(`https://news.example.org${path}`, init),
    adminToken: 'workers-test-token-0123456789',
    async publish(name, rss) {
      const url = `https://outlet.example.com/${name}`;
      published.set(url, rss);
      return url;
    },
  };
});
