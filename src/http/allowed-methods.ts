import type { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The methods some route of `app` answers at a path (HEAD wherever GET is, as Hono serves it), for a 405's `Allow`
 * (RFC 9110 §15.5.6). Built on first use, once every route is registered; middleware (`use`) does not count.
 */
export function allowedMethods(app: Hono): (path: string) => string[] {
  let router: TrieRouter<true> | undefined;
  return (path) => {
    if (!router) {
      router = new TrieRouter<true>();
      for (const route of app.routes) if (methods.includes(route.method)) router.add(route.method, route.path, true);
    }
    const found = methods.filter((method) => router!.match(method === 'HEAD' ? 'GET' : method, path)[0].length > 0);
    return found;
  };
}
