import { type Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { ArticleService } from '../articles/article-service.ts';
import type { Config } from '../config.ts';
import type { CrosslinkService } from '../crosslink/crosslink-service.ts';
import { AppError } from '../errors.ts';
import { limitBody } from '../http/body.ts';
import { contentSecurityPolicy } from '../http/security-headers.ts';
import type { IngestStore } from '../ingest/ingest-store.ts';
import type { PollRunner } from '../ingest/poller.ts';
import type { ReaderStats } from '../reader-stats/reader-stats-service.ts';
import { StorageFull } from '../store/sql-client.ts';
import { articleRoutes } from './article-routes.tsx';
import { type ConsoleEnv, ConsoleRefusal, createConsoleAuth, safeReturnPath } from './auth.ts';
import { linkRoutes } from './link-routes.tsx';
import { readerRoutes } from './reader-routes.tsx';
import { sourceRoutes } from './source-routes.tsx';
import { consoleCss, styleVersion } from './style.ts';
import { MessagePage, type PageContext } from './views/layout.tsx';
import { SignInPage } from './views/sign-in.tsx';

/** What the console uses of the composed services (the names match `Services`, so the app passes them as they are). */
export interface ConsolePorts {
  config: Config;
  articles: ArticleService;
  crosslink: CrosslinkService;
  ingest: { store: IngestStore };
  polls: PollRunner;
  readerStats: Pick<ReaderStats, 'readers' | 'sources'>;
  refreshArticleFeeds: (articleIds: string[]) => Promise<void>;
  now: () => number;
}

const consoleHeaders = createMiddleware(async (c, next) => {
  await next();
  const headers = c.res.headers;
  // Styles only from the console's own sheet.
  headers.set('content-security-policy', contentSecurityPolicy("'self'"));
  headers.set('x-content-type-options', 'nosniff');
  headers.set('x-frame-options', 'DENY');
  headers.set('referrer-policy', 'same-origin');
  headers.set('cross-origin-resource-policy', 'same-origin');
  // Pages hold drafts and CSRF tokens: never kept by a browser or proxy cache. The style sheet is the exception.
  if (!c.req.path.startsWith('/admin/console.css')) headers.set('cache-control', 'no-store');
});

/** The publisher's console at /admin/: server-rendered pages over the same services as the admin API, signed in by session. */
export function consoleRoutes(ports: ConsolePorts) {
  const app = new Hono<ConsoleEnv>();
  const { config } = ports;
  const styleHref = `/admin/console.css?v=${styleVersion(consoleCss)}`;
  const pageContext = (c: Context<ConsoleEnv>): PageContext => ({ siteTitle: config.siteTitle, styleHref, csrf: c.get('csrf') });

  app.use('/admin/*', consoleHeaders);
  app.get('/admin/console.css', (c) =>
    c.body(consoleCss, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=86400' }),
  );

  const adminToken = config.adminToken;
  if (!adminToken) {
    app.all('/admin/*', (c) =>
      c.html(
        <MessagePage
          context={pageContext(c)}
          title="The console is disabled"
          message="The admin is disabled: set the ADMIN_TOKEN environment variable (16 characters or more) and restart the service."
        />,
        503,
      ),
    );
    return app;
  }

  const auth = createConsoleAuth({ adminToken, siteUrl: config.siteUrl, now: ports.now });
  // Forms are small; an OPML file may be as large as a polled feed.
  const formLimit = limitBody();
  const importLimit = limitBody(config.ingest.maxBytes);
  app.use('/admin/*', (c, next) => (c.req.path === '/admin/sources/import' ? importLimit : formLimit)(c, next));
  app.use('/admin/*', auth.requireSession);

  app.get('/admin', (c) => c.redirect('/admin/articles', 303));
  app.get('/admin/', (c) => c.redirect('/admin/articles', 303));

  app.get('/admin/sign-in', (c) => {
    const notice = c.req.query('signed-out') !== undefined ? 'You have signed out.' : undefined;
    return c.html(<SignInPage context={pageContext(c)} next={safeReturnPath(c.req.query('next'))} notice={notice} />);
  });

  app.post('/admin/sign-in', auth.checkOrigin, async (c) => {
    const form = await c.req.parseBody();
    const next = safeReturnPath(typeof form.next === 'string' ? form.next : undefined);
    if (!(await auth.isAdminToken(form.token))) {
      const error = 'That is not the admin token. Check it (it is the ADMIN_TOKEN the service was started with) and try again.';
      return c.html(<SignInPage context={pageContext(c)} next={next} error={error} />, 401);
    }
    await auth.signIn(c);
    return c.redirect(next, 303);
  });

  app.post('/admin/sign-out', (c) => {
    auth.signOut(c);
    return c.redirect('/admin/sign-in?signed-out', 303);
  });

  app.route('/', articleRoutes(ports, pageContext));
  app.route('/', linkRoutes(ports, pageContext));
  app.route('/', sourceRoutes(ports, pageContext));
  app.route('/', readerRoutes(ports, pageContext));

  app.onError((error, c) => {
    const page = (status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503 | 507, title: string, message: string) =>
      c.html(
        <MessagePage
          context={pageContext(c)}
          title={title}
          message={message}
          link={{ href: '/admin/articles', label: 'Back to the console' }}
        />,
        status,
      );
    if (error instanceof ConsoleRefusal) return page(error.status, error.title, error.message);
    // Hono's CSRF middleware: the form came from another origin.
    if (error instanceof HTTPException && error.status === 403) {
      return page(403, 'Form refused', 'This form was refused: it was not sent from a page of this console.');
    }
    if (error instanceof AppError && [400, 404, 409, 413, 415].includes(error.status)) {
      return page(error.status as 400, error.code === 'not_found' ? 'Not found' : 'Request refused', error.message);
    }
    if (error instanceof StorageFull) return page(507, 'Disk full', 'The server has no room to store this; nothing was written.');
    throw error;
  });

  return app;
}
