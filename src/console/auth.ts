import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { timingSafeEqual } from 'hono/utils/buffer';
import { csrfTokenFor, deriveSessionKey, isCsrfTokenOf, newSessionId, readSession, type Session, signSession } from './session.ts';

/** What console handlers find in the context once the session is checked. */
export type ConsoleEnv = { Variables: { session: Session; csrf: string } };

export const sessionCookie = 'console_session';
export const sessionTtlMs = 12 * 60 * 60 * 1000;

/** Why a console request was refused before reaching its handler; the console shows each as a page. */
export class ConsoleRefusal extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleRefusal';
  }
}

/** Whether a path is served without a session: the sign-in page and the style sheet it uses. */
export const isPublicPath = (path: string) => path === '/admin/sign-in' || path.startsWith('/admin/console.css');

/** A path to go back to after signing in: only console pages, never another site (`//host`). */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/admin\/[^/\\]/.test(value) && !value.startsWith('/admin/sign-') ? value : '/admin/articles';
}

/** Sessions and CSRF checks of the console, keyed by ADMIN_TOKEN. */
export function createConsoleAuth({ adminToken, siteUrl, now }: { adminToken: string; siteUrl: string; now: () => number }) {
  const key = deriveSessionKey(adminToken);
  // A browser sends the page's origin: the request's own, or the public one when a proxy in front rewrites the URL.
  const publicOrigin = new URL(siteUrl).origin;
  const checkOrigin = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === publicOrigin });

  const cookieOptions = (c: Context) => ({
    path: '/admin',
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: new URL(c.req.url).protocol === 'https:',
  });

  return {
    /** Whether a sign-in form holds the admin token (compared in constant time). */
    async isAdminToken(given: unknown): Promise<boolean> {
      if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false;
      return timingSafeEqual(given, adminToken);
    },

    /** Starts a session: sets the signed cookie for 12 hours. */
    async signIn(c: Context): Promise<void> {
      const session = { id: newSessionId(), expiresAt: now() + sessionTtlMs };
      setCookie(c, sessionCookie, await signSession(await key, session), {
        ...cookieOptions(c),
        maxAge: sessionTtlMs / 1000,
        expires: new Date(session.expiresAt),
      });
    },

    signOut(c: Context): void {
      deleteCookie(c, sessionCookie, cookieOptions(c));
    },

    /** The same-origin check of Hono's CSRF middleware (Origin or Sec-Fetch-Site), for forms posted without a session. */
    checkOrigin,

    /**
     * Requires a live session on every console page but the public ones: a page asked for without one redirects to the
     * sign-in form; a form posted without one, or without the session's CSRF token, is refused.
     */
    requireSession: (async (c, next) => {
      if (isPublicPath(c.req.path)) return next();
      const session = await readSession(await key, getCookie(c, sessionCookie), now());
      const safe = c.req.method === 'GET' || c.req.method === 'HEAD';
      if (!session) {
        if (safe) return c.redirect(`/admin/sign-in?next=${encodeURIComponent(c.req.path + new URL(c.req.url).search)}`, 303);
        throw new ConsoleRefusal(401, 'Signed out', 'Your session has ended, so this form was not accepted. Sign in and send it again.');
      }
      c.set('session', session);
      c.set('csrf', await csrfTokenFor(await key, session));
      if (safe) return next();
      return checkOrigin(c, async () => {
        const form = await c.req.parseBody();
        if (!(await isCsrfTokenOf(await key, session, form._csrf))) {
          throw new ConsoleRefusal(
            403,
            'Form refused',
            'This form was refused: its CSRF token is missing or does not belong to your session. Go back, reload the page and send it again.',
          );
        }
        await next();
      });
    }) satisfies MiddlewareHandler<ConsoleEnv>,
  };
}
