import { createMiddleware } from 'hono/factory';

// Pages carry no script at all; their one style sheet is inline; article images may come from any https host.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The security headers of every answer. Feeds build them into their cached headers; `addSecurityHeaders` adds them elsewhere. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  // Feeds and the public API are meant to be read from anywhere.
  'cross-origin-resource-policy': 'cross-origin',
};

const entries = Object.entries(securityHeaders);

/** Adds `securityHeaders` to a response that does not carry them yet. */
export function applySecurityHeaders(headers: Headers): void {
  if (headers.has('content-security-policy')) return;
  for (const [name, value] of entries) headers.set(name, value);
}

/**
 * Middleware adding `securityHeaders` to pages and API answers. It is registered on their paths, not on `*`: a middleware
 * on the feed paths would cost the hottest route a compose step per request, and feeds carry the headers already.
 */
export const addSecurityHeaders = createMiddleware(async (c, next) => {
  await next();
  applySecurityHeaders(c.res.headers);
});
