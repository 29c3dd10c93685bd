import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';

/**
 * The Content-Security-Policy of our pages: no script at all, forms only to us, never framed; images from any https
 * host (article images). `styleSrc` says where styles may come from.
 */
export function contentSecurityPolicy(styleSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'none'",
    `style-src ${styleSrc}`,
    "img-src 'self' https: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The security headers of every answer. Cached answers carry them in their prepared headers; the others get them below. */
export const securityHeaders: Readonly<Record<string, string>> = {
  // The public pages' one style sheet is inline.
  'content-security-policy': contentSecurityPolicy("'self' 'unsafe-inline'"),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  // Feeds and the public API are meant to be read from anywhere.
  'cross-origin-resource-policy': 'cross-origin',
};

const entries = Object.entries(securityHeaders);

/** Sets `securityHeaders` on the answer a handler is about to build (errors, redirects). */
export function setSecurityHeaders(c: Context): void {
  for (const [name, value] of entries) c.header(name, value);
}

/**
 * Middleware adding `securityHeaders` to the answers not built from the render cache (the admin API, the health check).
 * It is registered on their paths, not on `*`: a middleware on the cached paths would cost each answer a compose step.
 */
export const addSecurityHeaders = createMiddleware(async (c, next) => {
  await next();
  if (c.res.headers.has('content-security-policy')) return;
  for (const [name, value] of entries) c.res.headers.set(name, value);
});
