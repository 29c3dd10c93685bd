import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { AppError, errorBody } from '../errors.ts';

const refused = () =>
  Response.json(errorBody(new AppError('unauthorized', 'A valid admin token is required: send "Authorization: Bearer <ADMIN_TOKEN>".')), {
    status: 401,
  });

/** Guards the admin API with `Authorization: Bearer $ADMIN_TOKEN` (compared in constant time); 503 while no token is configured. */
export function requireAdmin(token: string | undefined): MiddlewareHandler {
  if (!token) {
    return async () => {
      throw new AppError(
        'admin_disabled',
        'The admin API is disabled: set the ADMIN_TOKEN environment variable (16 characters or more) and restart the service.',
      );
    };
  }
  // Every refusal, whatever was wrong with the header, is the same 401 (RFC 6750 §3).
  const refusal = { wwwAuthenticateHeader: 'Bearer', message: refused };
  return bearerAuth({ token, noAuthenticationHeader: refusal, invalidAuthenticationHeader: refusal, invalidToken: refusal });
}
