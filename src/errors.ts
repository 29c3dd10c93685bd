import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code a client can receive, with the HTTP status it is sent with: the one mapping. */
const statusOf = {
  validation_failed: 400,
  invalid_json: 400,
  invalid_limit: 400,
  invalid_cursor: 400,
  invalid_query: 400,
  invalid_opml: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  slug_taken: 409,
  last_translation: 409,
  source_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
  insufficient_storage: 507,
  admin_disabled: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof statusOf;

/** An error a client can act on: a stable machine-readable `code`, a human message, and the status the code maps to. */
export class AppError extends Error {
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusOf[code];
  }
}

/** The JSON body every error response carries. */
export function errorBody(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}
