import { afterAll } from 'vitest';
import { type Publisher, startPublisher } from './helpers/publisher.ts';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';
import { httpBehaviour } from './shared/http-behaviour.ts';

let app: TestApp | undefined;
let publisher: Publisher | undefined;
afterAll(async () => {
  app?.close();
  await publisher?.close();
});

httpBehaviour('Node, SQLite', async () => {
  const outlet = await startPublisher();
  publisher = outlet;
  app = await startTestApp({ seed: false, env: { INGEST_ALLOW_HOSTS: outlet.host } });
  return {
    request: (path, init) => app!.request(path, init),
    adminToken,
    async publish(name, rss) {
      outlet.route(`/${name}`, (_, response) => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss));
      return `${outlet.url}/${name}`;
    },
  };
});
