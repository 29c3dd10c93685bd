import { type Context, Hono } from 'hono';
import type { ConsoleEnv } from './auth.ts';
import type { ConsolePorts } from './console-app.tsx';
import { readersDaysOf } from './reader-figures.ts';
import type { PageContext } from './views/layout.tsx';
import { ReadersPage } from './views/readers.tsx';

/** Readers: reader statistics of the feeds and what each followed source brings, over 7, 30 or 90 days. */
export function readerRoutes(ports: ConsolePorts, pageContext: (c: Context<ConsoleEnv>) => PageContext) {
  const app = new Hono<ConsoleEnv>();
  const { readerStats } = ports;

  app.get('/admin/readers', async (c) => {
    const { days, error } = readersDaysOf(c.req.query('days'));
    // The readers report writes the counts still in memory before reading.
    const [readers, sources] = await Promise.all([readerStats.readers(days), readerStats.sources(days)]);
    return c.html(<ReadersPage context={pageContext(c)} readers={readers} sources={sources} daysError={error} />, error ? 400 : 200);
  });

  return app;
}
