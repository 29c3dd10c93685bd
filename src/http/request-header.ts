import type { Context } from 'hono';

type NodeIncoming = { headers: Record<string, string | string[] | undefined> };

/**
 * A request header by lower-case name. On Node, @hono/node-server passes the parsed request as `c.env.incoming`; reading
 * its headers there skips building a Fetch `Headers` object, a good part of the cost of a cached answer.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
