import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseFeed as rowanmanningParse } from '@rowanmanning/feed-parser';
import Database from 'better-sqlite3';
import { parseFeed as feedsmithParse } from 'feedsmith';
import Parser from 'rss-parser';
import { hasTool } from './tools.ts';

// Real feed readers, each driven as its users drive it, reduced to what the reader shows: per feed, its language and
// each item's title, link and publication date. The feeds are served by this process, so the command-line readers
// run asynchronously (a synchronous child would wait on a blocked event loop).

const run = promisify(execFile);
const python = '/usr/bin/python3';

export type Format = 'rss' | 'atom' | 'json';

export interface Feed {
  url: string;
  format: Format;
  /** Feeds in one group never share an entry (newsboat keys items by guid across all its feeds). */
  group: string;
}

export interface SeenItem {
  title: string;
  link: string;
  /** ISO 8601. */
  published: string;
  /** Undefined where the reader does not expose an item's language. */
  language?: string | null;
}

export interface Seen {
  /** Undefined where the reader does not expose the feed's language. */
  language: string | null | undefined;
  items: SeenItem[];
  /** Errors the reader reported for this feed. */
  problems: string[];
}

export interface Reader {
  name: string;
  formats: Format[];
  installed: boolean;
  /** Reads every feed, in one run where the reader takes several; keyed by URL. */
  read(feeds: Feed[], workDir: string): Promise<Map<string, Seen>>;
}

const iso = (time: number | string) => new Date(time).toISOString();

function installedPython(module: string, aptPackage: string): boolean {
  try {
    execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error(`${aptPackage} is required in CI (see .ci/run)`);
    console.warn(`skipping: ${aptPackage} is not installed (apt-get install it to run these checks)`);
    return false;
  }
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

/** Python's feedparser (Debian python3-feedparser 6.0): RSS and Atom; JSON Feed only from 6.1 on. */
const feedparser: Reader = {
  name: 'feedparser',
  formats: ['rss', 'atom'],
  installed: installedPython('feedparser', 'python3-feedparser'),
  async read(feeds) {
    const script = join(import.meta.dirname, 'feedparser-read.py');
    const { stdout } = await run(python, [script, ...feeds.map((f) => f.url)], { maxBuffer: 64 << 20 });
    const parsed = JSON.parse(stdout) as {
      url: string;
      bozo: boolean;
      bozo_exception: string;
      feed: { language: string | null };
      entries: { title: string; link: string; published: number; language: string | null }[];
    }[];
    const format = new Map(feeds.map((f) => [f.url, f.format]));
    return new Map(
      parsed.map((p) => [
        p.url,
        {
          language: p.feed.language,
          // Items carry the xml:lang in scope; RSS has no per-item language.
          items: p.entries.map((e) => ({
            title: e.title,
            link: e.link,
            published: iso(e.published * 1000),
            language: format.get(p.url) === 'atom' ? e.language : undefined,
          })),
          problems: p.bozo ? [p.bozo_exception] : [],
        },
      ]),
    );
  },
};

/** newsboat (Debian, 2.21): RSS and Atom (JSON Feed from 2.22 on); its cache does not keep a language. */
const newsboat: Reader = {
  name: 'newsboat',
  formats: ['rss', 'atom'],
  installed: hasTool('newsboat'),
  async read(feeds, workDir) {
    const groups = [...new Set(feeds.map((f) => f.group))].map((group) => feeds.filter((f) => f.group === group));
    const results = await Promise.all(groups.map((group) => readWithNewsboat(group, workDir)));
    return new Map(results.flatMap((result) => [...result]));
  },
};

async function readWithNewsboat(feeds: Feed[], workDir: string): Promise<Map<string, Seen>> {
  const home = mkdtempSync(join(workDir, 'newsboat-'));
  const urls = join(home, 'urls');
  writeFileSync(urls, feeds.map((f) => `${f.url}\n`).join(''));
  const config = join(home, 'config');
  writeFileSync(config, '');
  const cache = join(home, 'cache.db');
  await run('newsboat', ['-C', config, '-u', urls, '-c', cache, '-x', 'reload'], { env: { ...process.env, HOME: home } });
  const db = new Database(cache, { readonly: true });
  try {
    const select = db.prepare('SELECT title, url, pubDate FROM rss_item WHERE feedurl = ? ORDER BY id');
    return new Map(
      feeds.map((feed) => {
        const rows = select.all(feed.url) as { title: string; url: string; pubDate: number }[];
        const items = rows.map((r) => ({ title: r.title, link: r.url, published: iso(r.pubDate * 1000) }));
        return [feed.url, { language: undefined, items, problems: [] }];
      }),
    );
  } finally {
    db.close();
  }
}

/** rss2email (Debian): one `r2e run` over every feed, mails delivered to a maildir; feedparser underneath, so no JSON Feed. */
const rss2email: Reader = {
  name: 'rss2email',
  formats: ['rss', 'atom'],
  installed: hasTool('r2e'),
  async read(feeds, workDir) {
    const script = join(import.meta.dirname, 'reader-rss2email.py');
    const home = mkdtempSync(join(workDir, 'rss2email-'));
    const { stdout } = await run(python, [script, home, ...feeds.map((f) => f.url)], { maxBuffer: 64 << 20 });
    const parsed = JSON.parse(stdout) as { url: string; problems: string[]; mails: { subject: string; link: string; date: number }[] }[];
    // A mail says nothing of the feed's or the item's language.
    return new Map(
      parsed.map((p) => [
        p.url,
        {
          language: undefined,
          items: p.mails.map((m) => ({ title: m.subject, link: m.link, published: iso(m.date * 1000) })),
          problems: p.problems,
        },
      ]),
    );
  },
};

/** sfeed (Debian): `sfeed < feed` prints one TSV line an item (timestamp, title, link, ...); RSS and Atom, no language. */
const sfeed: Reader = {
  name: 'sfeed',
  formats: ['rss', 'atom'],
  installed: hasTool('sfeed'),
  async read(feeds) {
    const seen = new Map<string, Seen>();
    for (const feed of feeds) {
      const tsv = await withInput('sfeed', await fetchText(feed.url));
      const items = tsv
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [timestamp, title, link] = line.split('\t');
          return { title: unescapeSfeed(title), link, published: iso(Number(timestamp) * 1000) };
        });
      seen.set(feed.url, { language: undefined, items, problems: [] });
    }
    return seen;
  },
};

/** sfeed(5): in text fields `\t`, `\n` and `\\` stand for a tab, a newline and a backslash. */
const unescapeSfeed = (field: string) => field.replace(/\\([tn\\])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));

function withInput(command: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, { maxBuffer: 64 << 20 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin!.end(input);
  });
}

/** rss-parser (npm, `parseString`): RSS and Atom; the language of RSS only (it ignores Atom's xml:lang). */
const rssParser: Reader = {
  name: 'rss-parser',
  formats: ['rss', 'atom'],
  installed: true,
  async read(feeds) {
    const parser = new Parser();
    const seen = new Map<string, Seen>();
    for (const feed of feeds) {
      const parsed = await parser.parseString(await fetchText(feed.url));
      seen.set(feed.url, {
        language: feed.format === 'rss' ? (parsed.language ?? null) : undefined,
        items: parsed.items.map((item) => ({ title: item.title ?? '', link: item.link ?? '', published: iso(item.isoDate ?? 0) })),
        problems: [],
      });
    }
    return seen;
  },
};

/** The first link whose rel is "alternate" (the default, RFC 4287 §4.2.7.2): what most readers take as an entry's page. */
const firstAlternate = (links: { href?: string; rel?: string }[] = []) => links.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href;

/**
 * feedsmith (npm, `parseFeed`): RSS, Atom and JSON Feed, as data close to the document; the link of an Atom entry is left
 * to its user (we take the first alternate). Language: RSS `<language>`, the feed's xml:lang, JSON Feed's feed and item
 * `language` (no item language in RSS or Atom: entries inherit xml:lang, which it does not resolve).
 */
const feedsmith: Reader = {
  name: 'feedsmith',
  formats: ['rss', 'atom', 'json'],
  installed: true,
  async read(feeds) {
    const seen = new Map<string, Seen>();
    for (const feed of feeds) {
      const parsed = feedsmithParse(await fetchText(feed.url));
      if (parsed.format === 'rss') {
        seen.set(feed.url, {
          language: parsed.feed.language ?? null,
          items: (parsed.feed.items ?? []).map((item) => ({
            title: item.title ?? '',
            link: item.link ?? '',
            published: iso(item.pubDate ?? 0),
          })),
          problems: [],
        });
      } else if (parsed.format === 'atom') {
        seen.set(feed.url, {
          language: parsed.feed.xml?.lang ?? null,
          items: (parsed.feed.entries ?? []).map((entry) => ({
            title: entry.title?.value ?? '',
            link: firstAlternate(entry.links) ?? '',
            published: iso(entry.published ?? 0),
          })),
          problems: [],
        });
      } else if (parsed.format === 'json') {
        seen.set(feed.url, {
          language: parsed.feed.language ?? null,
          items: (parsed.feed.items ?? []).map((item) => ({
            title: item.title ?? '',
            link: item.url ?? '',
            published: iso(item.date_published ?? 0),
            language: item.language ?? null,
          })),
          problems: [],
        });
      } else {
        seen.set(feed.url, { language: null, items: [], problems: [`read as ${parsed.format}`] });
      }
    }
    return seen;
  },
};

/** @rowanmanning/feed-parser (npm, `parseFeed`): RSS and Atom, no JSON Feed; the feed's language, none per item. */
const rowanmanning: Reader = {
  name: '@rowanmanning/feed-parser',
  formats: ['rss', 'atom'],
  installed: true,
  async read(feeds) {
    const seen = new Map<string, Seen>();
    for (const feed of feeds) {
      const parsed = rowanmanningParse(await fetchText(feed.url));
      seen.set(feed.url, {
        language: parsed.language,
        items: parsed.items.map((item) => ({
          title: item.title ?? '',
          link: item.url ?? '',
          published: iso(item.published?.getTime() ?? 0),
        })),
        problems: [],
      });
    }
    return seen;
  },
};

export const readers: Reader[] = [feedparser, newsboat, rss2email, sfeed, rssParser, feedsmith, rowanmanning];
