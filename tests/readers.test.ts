import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalItem, ingestEvalItems } from '../bench/eval-crosslink.ts';
import { type LoopbackServer, serveOnLoopback } from './helpers/loopback-server.ts';
import { type Feed, type Format, readers, type Seen } from './helpers/readers.ts';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';

// Every feed variant (site, a category and a tag × RSS, Atom, JSON Feed × each language) through every real reader that
// reads its format: each must see every item with the title, link and publication date the JSON API gives, and the
// feed's (or item's) language where the reader exposes one. newsboat, rss2email and sfeed expose no language; rss-parser
// only RSS's; @rowanmanning/feed-parser only the feed's.

interface Expected {
  title: string;
  url: string;
  publishedAt: string;
}

const scopes = [
  { lang: 'en', kind: 'site', path: '/en/', query: '' },
  { lang: 'es', kind: 'site', path: '/es/', query: '' },
  { lang: 'en', kind: 'category', path: '/en/category/security/', query: '&category=security' },
  { lang: 'es', kind: 'category', path: '/es/category/seguridad/', query: '&category=seguridad' },
  { lang: 'en', kind: 'tag', path: '/en/tag/north-korea/', query: '&tag=north-korea' },
  { lang: 'es', kind: 'tag', path: '/es/tag/corea-del-norte/', query: '&tag=corea-del-norte' },
];
const files: Record<Format, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };
const variants = scopes.flatMap((scope) =>
  (['rss', 'atom', 'json'] as const).map((format) => ({ ...scope, format, feedPath: scope.path + files[format] })),
);

let t: TestApp;
let server: LoopbackServer;
let dir: string;
const expected = new Map<string, Expected[]>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyglot-readers-'));
  // The app's links must name the server's port, so it starts after the server (which asks for no page before).
  server = await serveOnLoopback((request) => t.request(request.url, { method: request.method, headers: request.headers }));
  t = await startTestApp({ env: { SITE_URL: server.url } });
  // Beside the seed: other outlets' coverage (Atom rel="related" links) and an article with an image (an enclosure),
  // the links a reader could take for an entry's own.
  const fixture = join(import.meta.dirname, 'fixtures/crosslink/north-korea-items.json');
  await ingestEvalItems(t.services, (JSON.parse(readFileSync(fixture, 'utf8')) as { items: EvalItem[] }).items);
  const image = { url: 'https://cdn.example.org/reader-test.jpg', type: 'image/jpeg', length: 4096 };
  const common = { image, publishedAt: '2025-03-01T10:00:00Z' };
  const created = await t.admin('POST', '/api/admin/articles', {
    translations: [
      translation({ ...common, slug: 'readers-image', title: 'Exchange audit: S&P 500 firms & "AA" ratings', categories: ['Security'] }),
      translation({
        ...common,
        lang: 'es',
        slug: 'lectores-imagen',
        title: 'Auditoría publicada: S&P y "AA"',
        categories: ['Seguridad'],
        tags: ['Corea del Norte'],
      }),
    ],
  });
  expect(created.status).toBe(201);
  // The feeds show their newest 20 items; the API is asked for as many.
  for (const scope of scopes) {
    const response = await fetch(`${server.url}/api/articles?lang=${scope.lang}&limit=20${scope.query}`);
    expected.set(scope.path, ((await response.json()) as { items: Expected[] }).items);
  }
});
afterAll(async () => {
  await server?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Order-free (a maildir keeps none), so that a wrong link shows as itself in the diff. */
const byDateAndTitle = <T extends { published: string; title: string }>(items: T[]) =>
  [...items].sort((a, b) => a.published.localeCompare(b.published) || a.title.localeCompare(b.title));

for (const reader of readers) {
  const readable = variants.filter((v) => reader.formats.includes(v.format));
  describe.runIf(reader.installed)(`${reader.name} sees every item of every ${reader.formats.join(', ')} feed`, () => {
    // One run of the reader over every feed it reads, started by the first test.
    let seen: Promise<Map<string, Seen>> | undefined;
    const read = () => {
      const feeds: Feed[] = readable.map((v) => ({ url: server.url + v.feedPath, format: v.format, group: `${v.kind} ${v.format}` }));
      seen ??= reader.read(feeds, dir);
      return seen;
    };

    it.each(readable)('$feedPath', async ({ lang, path, feedPath }) => {
      const got = (await read()).get(server.url + feedPath);
      expect(got, 'read nothing').toBeDefined();
      expect(got!.problems).toEqual([]);
      const want = expected.get(path)!;
      expect(want.length).toBeGreaterThan(1);
      expect(byDateAndTitle(got!.items.map(({ title, link, published }) => ({ title, link, published })))).toEqual(
        byDateAndTitle(want.map((w) => ({ title: w.title, link: w.url, published: w.publishedAt }))),
      );
      if (got!.language !== undefined) expect(got!.language).toBe(lang);
      for (const item of got!.items) if (item.language !== undefined) expect(item.language, item.title).toBe(lang);
    });
  });
}
