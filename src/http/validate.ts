import type { z } from 'zod';
import { badRequest } from '../errors.ts';

/** Validates a request body with a zod schema; a 400 `validation_failed` lists every bad field by its path. */
export function validateBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw badRequest(
    'validation_failed',
    `The request body is not valid: ${fields.map((f) => `${f.path || 'body'}: ${f.message}`).join('; ')}`,
    { fields },
  );
}
