import { applyD1Migrations, env, SELF } from 'cloudflare:test';
import { httpBehaviour } from '../shared/http-behaviour.ts';

httpBehaviour('Workers, D1', async () => {
  const bindings = env as unknown as {
    DB: Parameters<typeof applyD1Migrations>[0];
    TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  };
  await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
  return { request: (path, init) => SELF.fetch(`https://news.example.org${path}`, init), adminToken: 'workers-test-token-0123456789' };
});
