import { version } from '../../package.json';
import * as z from '../shared/zod.ts';
import type { Answer, ErrorAnswer, Operation } from './operations.ts';
import { responseSchemas } from './response-schemas.ts';

/** A JSON Schema (2020-12), as zod writes it and OpenAPI 3.1 takes it (OpenAPI 3.1.0 §4.8.24 Schema Object). */
export type JsonSchema = { [keyword: string]: unknown };

const componentRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const jsonSchemaOptions = {
  target: 'draft-2020-12',
  uri: (id: string) => `#/components/schemas/${id}`,
  override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
    // zod writes its own regular expression beside `format` (date-time, uuid): the format names that rule in one word.
    if (jsonSchema.format !== undefined) delete jsonSchema.pattern;
    // ...and bounds every integer to the safe range, which says nothing a client needs.
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  },
} as const;
const json = 'application/json';

/**
 * The OpenAPI 3.1 document of `operations` (OpenAPI 3.1.0 §4.8.1 OpenAPI Object): request schemas as the routes read
 * them (zod's input side), response schemas as they answer (the output side), all under `components.schemas`.
 */
export function buildOpenApiDocument(operations: Operation[], site: { siteUrl: string; siteTitle: string }) {
  const paths: Record<string, Record<string, ReturnType<typeof describeOperation>>> = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = describeOperation(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${site.siteTitle} API`,
      version,
      description:
        'The JSON API of a multilingual news site: published articles and their translations, related coverage from other ' +
        'outlets, and the admin API (bearer token) for articles, followed feeds and WebSub. Errors answer ' +
        '`{"error": {"code", "message", "details"?}}` with a stable `code`.',
    },
    servers: [{ url: site.siteUrl }],
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: componentSchemas(operations),
      // OpenAPI 3.1.0 §4.8.27 Security Scheme Object: RFC 6750 bearer tokens.
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The ADMIN_TOKEN of the service; while none is configured, the admin API answers 503 `admin_disabled`.',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/** Request bodies (zod's input side) and response bodies (output side) by their component name. */
function componentSchemas(operations: Operation[]): Record<string, JsonSchema> {
  const requests = z.registry<{ id: string }>();
  for (const { body } of operations) if (body && !requests.has(body.schema)) requests.add(body.schema, { id: body.name });
  const responses = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(responseSchemas)) responses.add(schema, { id: name });
  const written = {
    ...z.toJSONSchema(requests, { ...jsonSchemaOptions, io: 'input' }).schemas,
    ...z.toJSONSchema(responses, { ...jsonSchemaOptions, io: 'output' }).schemas,
  };
  // zod gives each its own `$schema` and a `$id` of its URI; inside an OpenAPI document neither belongs.
  return Object.fromEntries(Object.entries(written).map(([name, { $schema: _, $id: __, ...schema }]) => [name, schema]));
}

function describeOperation(operation: Operation) {
  const admin = operation.path.startsWith('/api/admin/');
  const parameters = [...describeParameters('path', operation.pathParameters), ...describeParameters('query', operation.query)];
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body ? { requestBody: describeBody(operation.body) } : {}),
    responses: describeResponses(operation, admin),
    ...(admin ? { security: [{ adminToken: [] }] } : {}),
  };
}

/** OpenAPI 3.1.0 §4.8.12 Parameter Object, one per property of the schema that validates (or names) them. */
function describeParameters(location: 'path' | 'query', schema: z.ZodMiniObject | undefined) {
  if (!schema) return [];
  const written = z.toJSONSchema(schema, { ...jsonSchemaOptions, io: 'input' }) as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(written.properties).map(([name, { description, ...property }]) => ({
    name,
    in: location,
    // §4.8.12.2: a path parameter is always required.
    required: location === 'path' || (written.required ?? []).includes(name),
    ...(typeof description === 'string' ? { description } : {}),
    schema: property,
  }));
}

function describeBody(body: NonNullable<Operation['body']>) {
  return {
    required: !body.optional,
    ...(body.optional ? { description: 'May be left out: an absent body is `{}`.' } : {}),
    content: Object.fromEntries((body.mediaTypes ?? [json]).map((type) => [type, { schema: componentRef(body.name) }])),
  };
}

/**
 * The operation's answers, and those the shared middleware gives every route of its kind: the admin guard (401, 503) and
 * body limit (413) on /api/admin/*, and the JSON body reader (400, 415) or the OPML one (415).
 */
function describeResponses(operation: Operation, admin: boolean) {
  const answers: Record<number, Answer | ErrorAnswer> = { ...operation.responses };
  const add = (status: number, errors: ErrorAnswer) => {
    const declared = answers[status];
    answers[status] =
      declared && 'errors' in declared
        ? { errors: [...declared.errors, ...errors.errors], description: `${declared.description} ${errors.description}` }
        : errors;
  };
  if (operation.body) {
    const isJson = !operation.body.mediaTypes;
    if (isJson)
      add(400, { errors: ['validation_failed', 'invalid_json'], description: 'The body is not JSON, or not what its schema asks.' });
    add(415, { errors: ['unsupported_media_type'], description: `The body is not ${isJson ? 'JSON' : 'OPML or XML'}.` });
  }
  if (admin) {
    add(401, { errors: ['unauthorized'], description: 'No valid admin token (`Authorization: Bearer …`).' });
    if (operation.body) add(413, { errors: ['payload_too_large'], description: 'The body is over 1 MiB.' });
    add(503, { errors: ['admin_disabled'], description: 'The admin API is disabled: no ADMIN_TOKEN is configured.' });
  }
  const described: Record<string, ReturnType<typeof describeAnswer>> = Object.fromEntries(
    Object.entries(answers).map(([status, answer]) => [status, describeAnswer(answer)]),
  );
  // OpenAPI 3.1.0 §4.8.16.1: `default` covers every status not listed.
  described.default = describeAnswer({
    errors: ['method_not_allowed', 'internal_error', 'insufficient_storage'],
    description: 'Any other failure: a method the path does not allow (405), a failure of the server (500), a full disk (507).',
  });
  return described;
}

/** OpenAPI 3.1.0 §4.8.17 Response Object. */
function describeAnswer(answer: Answer | ErrorAnswer) {
  if ('errors' in answer) {
    return {
      description: `${answer.description} Error codes: ${answer.errors.map((code) => `\`${code}\``).join(', ')}.`,
      content: { [json]: { schema: errorSchema(answer.errors) } },
    };
  }
  const headers = Object.entries(answer.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }]);
  const content = answer.schema
    ? { [json]: { schema: componentRef(answer.schema) } }
    : answer.mediaType
      ? { [answer.mediaType]: { schema: { type: 'string' } } }
      : undefined;
  return {
    description: answer.description,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
    ...(content ? { content } : {}),
  };
}

/** The error body, narrowed to the codes this answer carries. */
function errorSchema(codes: string[]): JsonSchema {
  return { allOf: [componentRef('Error')], properties: { error: { properties: { code: { enum: [...new Set(codes)] } } } } };
}
