import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { type LoopbackServer, serveOnLoopback } from './helpers/loopback-server.ts';
import { type Publisher, rss, startPublisher } from './helpers/publisher.ts';
import { adminToken, startTestApp, type TestApp } from './helpers/test-app.ts';
import { hasTool } from './helpers/tools.ts';

// The console in a real browser (Debian's chromium through playwright-core) against a real server on 127.0.0.1 over a
// real SQLite file: an editor, a translator and an operator at work, every page screenshot and checked with axe-core.
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const artifacts = fileURLToPath(new URL('.artifacts/console/', import.meta.url));
// With UPDATE_DOCS_SCREENSHOTS=1 the Readers page is also saved for the README.
const docsReadersScreenshot = fileURLToPath(new URL('../docs/console-readers.png', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const hasChromium = hasTool('chromium');

let publisher: Publisher;
let app: TestApp;
let server: LoopbackServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let articleId = '';
const visited = new Set<string>();
const axeReport: { page: string; violations: number; serious: string[] }[] = [];

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toUTCString();

// The app's clock stands still at the test's start (so a run across midnight UTC still sees one "today"), moved by
// `clockShift` to count reader statistics on days in the past.
const startedAt = Date.now();
let clockShift = 0;
const dayMs = 86_400_000;
const docsScreenshots = process.env.UPDATE_DOCS_SCREENSHOTS === '1';

const agents = {
  feedly: (count: number) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${count} subscribers; )`,
  inoreader: (count: number) => `Mozilla/5.0 (compatible; inoreader.com; ${count} subscribers)`,
  miniflux: 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)',
  freshRss: 'FreshRSS/1.29.1 (Linux; https://freshrss.org)',
  netNewsWire: 'NetNewsWire (RSS Reader; https://netnewswire.com/)',
};

/** A feed reader's GET over real HTTP (node:http sends no Accept-Encoding unless told): status, validator, encoding. */
function poll(path: string, userAgent: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; etag: string; encoding?: string }>((resolve, reject) => {
    const sent = request(`${server.url}${path}`, { headers: { 'user-agent': userAgent, ...headers } }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, etag: String(response.headers.etag), encoding: response.headers['content-encoding'] }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** A screenshot of the page as it is now, and axe-core's verdict on it: no serious or critical violation. */
async function check(name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${String(axeReport.length + 1).padStart(2, '0')}-${name}.png`), fullPage: true });
  await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  )) as { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  axeReport.push({ page: name, violations: result.violations.length, serious });
  expect(serious, `axe on ${name}`).toEqual([]);
}

describe.skipIf(!hasChromium)('the console in a browser', () => {
  beforeAll(async () => {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    publisher = await startPublisher();
    const items = [
      {
        title: 'SEC approves first spot Bitcoin ETFs, with BlackRock and Fidelity among issuers',
        link: `${publisher.url}/sec-approves-spot-bitcoin-etfs`,
        description: 'The SEC approved spot Bitcoin ETFs from BlackRock, Fidelity and others after a decade of refusals.',
        pubDate: hoursAgo(2),
      },
      {
        title: 'BlackRock Bitcoin fund wins SEC nod as Fidelity readies its own ETF',
        link: `${publisher.url}/blackrock-bitcoin-fund`,
        description: 'BlackRock and Fidelity spot Bitcoin ETF approvals by the SEC open the market to new investors.',
        pubDate: hoursAgo(3),
      },
      {
        title: 'Copper prices climb as Chilean mines slow output',
        link: `${publisher.url}/copper-prices`,
        description: 'Copper rose on the London Metal Exchange.',
        pubDate: hoursAgo(4),
      },
    ];
    publisher.route('/feed.xml', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rss(items));
    });
    app = await startTestApp({
      seed: false,
      env: { INGEST_ALLOW_HOSTS: publisher.host },
      parts: { now: () => startedAt + clockShift },
    });
    server = await serveOnLoopback(createApp(app.services).fetch);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    // axe-core is injected into the pages, which their CSP (script-src 'none') would refuse; the CSP itself is checked
    // at the end in a context that enforces it.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    // Every console page reached by GET, to be seen again under the CSP.
    page.on('response', (response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.method() === 'GET' && response.status() === 200) visited.add(response.url());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    await publisher?.close();
    if (axeReport.length)
      console.log(
        `axe-core: ${axeReport.map((r) => `${r.page} ${r.violations} violations (${r.serious.length} serious/critical)`).join('; ')}`,
      );
  });

  it('refuses a wrong token with a clear message, then signs in with the admin token', async () => {
    await page.goto(`${server.url}/admin/`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await page.getByLabel('Admin token').fill('not-the-admin-token-000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#token-error').textContent()).toContain('That is not the admin token.');
    await check('sign-in-refused');
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/admin/articles`);
    const cookie = (await context.cookies()).find((c) => c.name === 'console_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    await check('articles-empty');
  });

  it('creates an article in two languages, with validation errors shown beside their field first', async () => {
    await page.getByRole('link', { name: 'New article' }).click();
    const en = page.getByRole('group', { name: 'English (en)' });
    const es = page.getByRole('group', { name: 'Spanish (es)' });
    await en.getByLabel('Title', { exact: true }).fill('SEC approves spot Bitcoin ETFs from BlackRock and Fidelity');
    await en
      .getByLabel('Summary')
      .fill('The SEC approved the first spot Bitcoin exchange-traded funds, BlackRock and Fidelity among them.');
    await en
      .getByLabel('Content (HTML)')
      .fill('<p>The SEC approved spot Bitcoin ETFs on Wednesday. BlackRock and Fidelity will list their funds on Thursday.</p>');
    await en.getByLabel('Categories').fill('Markets');
    await en.getByLabel('Tags').fill('Bitcoin, ETF');
    await en.getByLabel('Authors').fill('Ada Writer');
    await es.getByLabel('Status').selectOption('draft');
    await es.getByLabel('Title', { exact: true }).fill('La SEC aprueba los ETF de Bitcoin al contado de BlackRock y Fidelity');
    await page.getByRole('button', { name: 'Save' }).click();
    // The Spanish content is missing: the API's own validation says so beside that field.
    await expect.poll(() => page.locator('#f-es-content-error').textContent()).toBe('content is required');
    expect(await page.locator('#f-es-content').getAttribute('aria-invalid')).toBe('true');
    await check('editor-invalid');
    await es
      .getByLabel('Content (HTML)')
      .fill(
        '<p>La SEC aprobó los ETF de Bitcoin al contado. BlackRock y Fidelity empezarán a cotizar el jueves.</p><script>alert(1)</script>',
      );
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.locator('article.preview[lang="es"]');
    await expect.poll(() => preview.textContent()).toContain('BlackRock y Fidelity empezarán a cotizar');
    expect(await preview.locator('script').count()).toBe(0);
    await check('editor-preview');
    await es
      .getByLabel('Content (HTML)')
      .fill('<p>La SEC aprobó los ETF de Bitcoin al contado. BlackRock y Fidelity empezarán a cotizar el jueves.</p>');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('The article was created.');
    articleId = /\/admin\/articles\/([^/?]+)/.exec(page.url())![1]!;
    expect(await page.locator('#f-en-status').inputValue()).toBe('draft');
    expect(await page.locator('#f-es-status').inputValue()).toBe('draft');
    await check('editor-created');
  });

  it('publishes both translations and finds them in both languages’ feeds', async () => {
    const feedOf = (lang: string) => fetch(`${server.url}/${lang}/feed.xml`).then((r) => r.text());
    expect(await feedOf('en')).not.toContain('SEC approves spot Bitcoin ETFs');
    await page.getByRole('button', { name: 'Publish English now' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Published');
    await page.getByRole('button', { name: 'Publish Spanish now' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Unpublish Spanish' }).count()).toBe(1);
    await check('editor-published');
    expect(await feedOf('en')).toContain('<title>SEC approves spot Bitcoin ETFs from BlackRock and Fidelity</title>');
    expect(await feedOf('es')).toContain('<title>La SEC aprueba los ETF de Bitcoin al contado de BlackRock y Fidelity</title>');
    await page.getByRole('link', { name: 'Articles' }).click();
    const row = page.getByRole('row', { name: /SEC approves spot Bitcoin ETFs/ });
    expect(await row.locator('.published').count()).toBe(2);
    await page.getByLabel('Missing translation').selectOption('es');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('caption').textContent()).toBe('0 articles');
    await check('articles-filtered');
  });

  it('adds a source from a loopback feed, polls it now and shows the report and its health', async () => {
    await page.getByRole('link', { name: 'Sources' }).click();
    await check('sources-empty');
    await page.getByLabel('Feed URL').fill(`${publisher.url}/feed.xml`);
    await page.getByLabel('Title', { exact: true }).fill('Loopback Outlet');
    await page.getByLabel('Language').fill('en');
    await page.getByRole('button', { name: 'Add the source' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('The source was added');
    await page.getByRole('button', { name: 'Poll now: Loopback Outlet' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Poll of Loopback Outlet');
    const report = await page.locator('dl.report').textContent();
    expect(report).toContain('Outcomeupdated');
    expect(report).toContain('HTTP status200');
    expect(report).toContain('Items seen3');
    expect(report).toContain('Entries kept / repaired / dropped3 / 0 / 0');
    await check('poll-report');
    await page.getByRole('link', { name: 'Back to the sources' }).click();
    const row = page.getByRole('row', { name: /Loopback Outlet/ });
    expect(await row.locator('.published').textContent()).toBe('ok (HTTP 200)');
    expect(await row.textContent()).toContain('3 / 0 / 0');
    await check('sources-health');
    await page.getByRole('link', { name: 'Loopback Outlet' }).click();
    await check('source-edit');
  });

  it('pins and blocks links on the related-coverage page', async () => {
    await page.goto(`${server.url}/admin/articles/${articleId}/links`);
    const links = page.locator('table').first().locator('tbody tr');
    expect(await links.count()).toBeGreaterThanOrEqual(2);
    await check('links');
    const first = (await links.nth(0).locator('th a').textContent())!;
    const second = (await links.nth(1).locator('th a').textContent())!;
    await page.getByRole('button', { name: `Pin: ${first}` }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Pinned');
    await page.getByRole('button', { name: `Block: ${second}` }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Blocked');
    expect(await page.getByRole('row', { name: first }).locator('.pinned').textContent()).toBe('pinned');
    expect(await page.getByRole('row', { name: second }).locator('.blocked').textContent()).toBe('blocked');
    await check('links-pinned-blocked');
    const api = (await (await app.admin('GET', `/api/admin/articles/${articleId}/links`)).json()) as {
      links: { title: string; state: string }[];
    };
    expect(api.links.find((link) => link.title === first)?.state).toBe('pinned');
    expect(api.links.find((link) => link.title === second)?.state).toBe('blocked');
    // The feeds follow at once: the blocked item has left the article's related coverage.
    const feed = await fetch(`${server.url}/en/atom.xml`).then((r) => r.text());
    expect(feed).toContain(first);
    expect(feed).not.toContain(second);
  });

  it('asks before deleting an article', async () => {
    await page.goto(`${server.url}/admin/articles/${articleId}/delete`);
    await check('delete-confirm');
  });

  it('shows who reads the feeds: requests per day, subscribers by aggregator, pollers, and items per source', async () => {
    // Six past days of polling, written day by day as the service's own flush would.
    try {
      for (let daysAgo = 6; daysAgo >= 1; daysAgo--) {
        clockShift = -daysAgo * dayMs;
        for (let i = 0; i < 10 - daysAgo; i++) {
          const first = await poll('/en/feed.xml', i % 2 ? agents.miniflux : agents.netNewsWire);
          await poll('/en/feed.xml', agents.miniflux, { 'if-none-match': first.etag });
        }
        for (let i = 0; i < daysAgo; i++) await poll('/es/feed.xml', agents.freshRss, { 'accept-encoding': 'gzip' });
        await poll('/en/atom.xml', agents.feedly(110 + daysAgo), { 'accept-encoding': 'gzip' });
        if (daysAgo === 1) {
          await poll('/es/feed.xml', agents.inoreader(38));
          await poll('/en/feed.json', agents.feedly(450));
          await poll('/en/feed.json', agents.miniflux);
          await poll('/en/feed.json', agents.freshRss);
        }
        await app.services.readerStats.flush();
      }
    } finally {
      clockShift = 0;
    }
    // Today's polls of the JSON feed: aggregators announcing subscribers, conditional requests (304s), gzip.
    const feedly = await poll('/en/feed.json', agents.feedly(462));
    expect(feedly.status).toBe(200);
    expect((await poll('/en/feed.json', agents.feedly(462), { 'if-none-match': feedly.etag })).status).toBe(304);
    const inoreader = await poll('/en/feed.json', agents.inoreader(114), { 'accept-encoding': 'gzip' });
    expect(inoreader).toMatchObject({ status: 200, encoding: 'gzip' });
    const notModified = await poll('/en/feed.json', agents.inoreader(114), { 'accept-encoding': 'gzip', 'if-none-match': inoreader.etag });
    expect(notModified.status).toBe(304);
    expect((await poll('/en/feed.json', agents.miniflux)).status).toBe(200);
    expect((await poll('/en/feed.json', agents.miniflux, { 'if-none-match': feedly.etag })).status).toBe(304);
    expect((await poll('/en/feed.json', agents.netNewsWire)).status).toBe(200);
    // Not flushed here: the page writes the pending counts before it reads them.

    await page.getByRole('link', { name: 'Readers' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Readers');
    expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe('30');
    const feed = page.getByRole('row', { name: /\/en\/feed\.json/ }).first();
    const cells = await feed.locator('td').allTextContents();
    // Requests 3 yesterday + 7 today, 3 of them 304; Feedly's largest count of the last day, Inoreader's; pollers per day.
    expect(cells.slice(1, 3)).toEqual(['10', '30.0%']);
    expect(cells[5]).toBe('576Feedly 462, Inoreader 114');
    expect(cells.slice(6)).toEqual(['2', '2']);
    // All feeds together: Feedly's 462 here and 111 for the Atom feed yesterday; Inoreader's 114 here and 38 in Spanish.
    const aggregators = page.getByRole('table', { name: 'Subscribers now, all feeds together' });
    expect(
      await aggregators
        .getByRole('row', { name: /^Feedly/ })
        .locator('td')
        .textContent(),
    ).toBe('573');
    expect(
      await aggregators
        .getByRole('row', { name: /^Inoreader/ })
        .locator('td')
        .textContent(),
    ).toBe('152');
    const today = new Date(startedAt).toISOString().slice(0, 10);
    const todayRow = page.getByRole('region', { name: 'Requests per day, in figures' }).getByRole('row', { name: today });
    expect(Number(await todayRow.locator('td').first().textContent())).toBeGreaterThanOrEqual(7);
    expect(await page.locator('svg[role="img"]').first().getAttribute('aria-label')).toContain('Requests per day to all feeds');
    const source = page.getByRole('row', { name: /Loopback Outlet/ });
    expect(await source.locator('td').nth(1).textContent()).toBe('3');
    expect(await source.locator('td').nth(2).textContent()).toBe(`${today}: 3`);
    await check('readers');
    if (docsScreenshots) {
      const bottom = await page.locator('h2', { hasText: 'Feeds' }).evaluate((heading) => {
        const table = heading.nextElementSibling!;
        return table.getBoundingClientRect().bottom + window.scrollY;
      });
      await page.screenshot({
        path: docsReadersScreenshot,
        clip: { x: 0, y: 0, width: 1200, height: Math.ceil(bottom + 24) },
        fullPage: true,
      });
    }
    // The period: 7 days from the selector; a bad value is refused beside it and the page falls back to 30 days.
    await page.getByLabel('Period', { exact: true }).selectOption('7');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`${server.url}/admin/readers?days=7`);
    expect(await page.locator('main > p').first().textContent()).toContain(`to ${today}`);
    await check('readers-7-days');
    await page.goto(`${server.url}/admin/readers?days=abc`);
    expect(await page.locator('#days-error').textContent()).toContain('"abc" is not a number of days from 1 to 90');
    expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe('30');
    await check('readers-bad-period');
  });

  it('refuses a form posted without its CSRF token', async () => {
    await page.goto(`${server.url}/admin/sources`);
    const form = page.locator('form[action="/admin/sources"]');
    await form.locator('input[name="_csrf"]').evaluate((input) => input.remove());
    await page.getByLabel('Feed URL').fill(`${publisher.url}/other.xml`);
    await page.getByRole('button', { name: 'Add the source' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Form refused');
    expect(await page.getByRole('alert').textContent()).toContain('CSRF token is missing');
    await check('csrf-refused');
    expect((await app.services.ingest.store.listSources()).map((s) => s.url)).toEqual([`${publisher.url}/feed.xml`]);
  });

  it('enforces its CSP without a single violation: no inline style or script, the style sheet applied', async () => {
    const strict = await browser.newContext({ storageState: await context.storageState() });
    try {
      const strictPage = await strict.newPage();
      const refused: string[] = [];
      strictPage.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
      });
      for (const url of visited) {
        const response = await strictPage.goto(url);
        expect(response?.headers()['content-security-policy']).toContain("script-src 'none'");
        expect(await strictPage.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 246, 244)');
      }
      expect(refused).toEqual([]);
      expect(visited.size).toBeGreaterThanOrEqual(6);
    } finally {
      await strict.close();
    }
  });

  it('signs out, after which console pages ask to sign in again', async () => {
    await page.goto(`${server.url}/admin/articles`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('You have signed out.');
    expect((await context.cookies()).some((c) => c.name === 'console_session')).toBe(false);
    await check('signed-out');
    await page.goto(`${server.url}/admin/sources`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
  });
});
