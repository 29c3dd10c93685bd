import { AppError, type ErrorCode } from '../errors.ts';
import { decodeCursor } from '../shared/cursor.ts';
import * as z from '../shared/zod.ts';

// Query parameters are validated by a zod schema that also describes them in /api/openapi.json (as `in: query`
// parameters): one schema per route, beside the route, built from the pieces below.

/**
 * A request's query parameters (the first value of each) validated by `schema`; an empty value counts as absent
 * (`?limit=` is the default limit). A bad parameter answers the error code `codes` names for it (`invalid_query` when it
 * names none) with the schema's message; of several bad ones, the first named in `codes` is the one reported.
 */
export function validateQuery<T extends z.ZodMiniType>(
  schema: T,
  query: Record<string, string>,
  codes: Record<string, ErrorCode>,
): z.output<T> {
  const present = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const order = Object.keys(codes);
  const rank = (issue: z.core.$ZodIssue) => {
    const at = order.indexOf(String(issue.path[0]));
    return at === -1 ? order.length : at;
  };
  const reported = result.error.issues.reduce((first, issue) => (rank(issue) < rank(first) ? issue : first));
  throw new AppError(codes[String(reported.path[0])] ?? 'invalid_query', reported.message);
}

/** `?limit=`: a whole number from 1 (at most six digits), `fallback` when absent; more than `max` reads as `max`. */
export function limitParameter(fallback: number, max: number) {
  const message = (issue: { input?: unknown }) =>
    `limit must be a whole number from 1 to ${max}; got "${String(issue.input).slice(0, 40)}".`;
  return z
    .pipe(
      z._default(z.string().check(z.regex(/^(?!0+$)\d{1,6}$/, { error: message })), String(fallback)),
      z.transform((value) => Math.min(Number(value), max)),
    )
    .check(z.describe(`How many to answer: a whole number from 1; more than ${max} reads as ${max}.`));
}

/** `?cursor=`: a `nextCursor` this API returned, checked by the one cursor reader (`invalid_cursor` otherwise). */
export const cursorParameter = z.string().check(
  z.superRefine((value, ctx) => {
    try {
      decodeCursor(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message, input: value });
    }
  }),
  z.describe('The `nextCursor` of the previous page, as it was given (opaque); absent for the first page.'),
);
