import { afterAll } from 'vitest';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';
import { httpBehaviour } from './shared/http-behaviour.ts';

let app: TestApp | undefined;
afterAll(() => app?.close());

httpBehaviour('Node, SQLite', async () => {
  app = await startTestApp({ seed: false });
  return { request: (path, init) => app!.request(path, init), adminToken };
});
