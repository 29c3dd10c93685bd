import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.ts';
import { serviceUnavailable, unauthorized } from '../errors.ts';

/** Guards the admin API with `Authorization: Bearer $ADMIN_TOKEN`; 503 while no token is configured. */
export function requireAdmin(deps: Deps): MiddlewareHandler {
  return async (c, next) => {
    const token = deps.config.adminToken;
    if (!token) {
      throw serviceUnavailable(
        'admin_disabled',
        'The admin API is disabled: set the ADMIN_TOKEN environment variable (16 characters or more) and restart the service.',
      );
    }
    const presented = /^Bearer +(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!presented || !(await tokensMatch(presented, token))) {
      throw unauthorized('A valid admin token is required: send "Authorization: Bearer <ADMIN_TOKEN>".');
    }
    await next();
  };
}

/** Compares SHA-256 digests in constant time, so neither content nor length leaks through timing. */
export async function tokensMatch(presented: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(presented)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  const left = new Uint8Array(a);
  const right = new Uint8Array(b);
  let difference = 0;
  for (let i = 0; i < left.length; i++) difference |= left[i] ^ right[i];
  return difference === 0;
}
