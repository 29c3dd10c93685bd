import type { Env, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type * as z from '../shared/zod.ts';
import { readJsonBody } from './body.ts';

/** Validates a value with a zod schema; a 400 `validation_failed` lists every bad field by its path. */
export function validateBody<T extends z.ZodMiniType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new AppError(
    'validation_failed',
    `The request body is not valid: ${fields.map((f) => `${f.path || 'body'}: ${f.message}`).join('; ')}`,
    { fields },
  );
}

/**
 * A route's declared JSON body: read (415, 400 `invalid_json`), validated by `schema` (400 `validation_failed`), and
 * handed to the handler as `c.req.valid('json')`. With `optional`, a request without a body validates `{}`.
 */
export function jsonBody<T extends z.ZodMiniType>(
  schema: T,
  options: { optional?: boolean } = {},
): MiddlewareHandler<Env, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }> {
  // Hono's own `validator('json')` skips bodies of other media types and answers its own errors: this one says why.
  return async (c, next) => {
    const absent = c.req.raw.body === null || c.req.header('content-type') === undefined || c.req.header('content-length') === '0';
    const body = options.optional && absent ? {} : await readJsonBody(c);
    c.req.addValidatedData('json', validateBody(schema, body) as object);
    await next();
  };
}
