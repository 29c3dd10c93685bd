import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { JsonSchema } from './openapi-document.ts';

// The reference page at /api/docs: the OpenAPI document written out as plain HTML, with no script and one inline style
// sheet (allowed by its hash in the page's Content-Security-Policy).

interface ParameterView {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
}
interface ResponseView {
  description: string;
  headers?: Record<string, { description: string }>;
  content?: Record<string, { schema: JsonSchema }>;
}
interface OperationView {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: ParameterView[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, ResponseView>;
  security?: unknown[];
}
/** What the page reads of an OpenAPI document. */
export interface DocumentView {
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, OperationView>>;
  components: { schemas: Record<string, JsonSchema> };
}

export const docsPageStyle = `
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d1d1f;background:#fff}
header,nav,main{max-width:60rem;margin:0 auto;padding:0 1.25rem}
h1{margin-top:1.5rem}h2{border-bottom:1px solid #ddd;margin-top:2.5rem}h3{margin:1.5rem 0 .25rem}h4{margin:1rem 0 .25rem}
code{font:13px ui-monospace,monospace;background:#f3f3f1;padding:0 .2em;border-radius:3px}
.method{font:bold 13px ui-monospace,monospace;text-transform:uppercase;margin-right:.4em}
.get{color:#1a7f37}.post{color:#0b5cad}.put,.patch{color:#9a6700}.delete{color:#cf222e}
section.operation{border-top:1px solid #eee;padding-bottom:.5rem}
table{border-collapse:collapse}td,th{text-align:left;vertical-align:top;padding:.2rem .6rem .2rem 0}
ul.properties{margin:.2rem 0;padding-left:1.2rem}dt{font-weight:bold}dd{margin:0 0 .5rem 1.5rem}
.note{color:#555}`;

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The page: every operation (method, path, summary, parameters, request body, responses), then every schema. */
export function renderDocsPage(document: DocumentView): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
  const byTag = document.tags.map(({ name }) => ({ name, operations: operations.filter(({ operation }) => operation.tags[0] === name) }));
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${document.info.title}</title>
<style>${raw(docsPageStyle)}</style>
</head>
<body>
<header>
<h1>${document.info.title} <small class="note">${document.info.version}</small></h1>
<p>${prose(document.info.description)}</p>
<p>Paths are relative to <code>${document.servers[0]?.url ?? ''}</code>. The machine-readable description: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
</header>
<nav>
<h2>Operations</h2>
${byTag.map(
  (tag) => html`<h3>${tag.name}</h3>
<ul>${tag.operations.map(
    ({ path, method, operation }) =>
      html`<li><a href="#${operation.operationId}"><span class="method ${method}">${method}</span><code>${path}</code></a> ${operation.summary}</li>`,
  )}</ul>`,
)}
<p><a href="#schemas">Schemas</a></p>
</nav>
<main>
${byTag.map((tag) => html`<h2>${tag.name}</h2>${tag.operations.map(({ path, method, operation }) => operationHtml(path, method, operation))}`)}
<h2 id="schemas">Schemas</h2>
${Object.entries(document.components.schemas).map(
  ([name, schema]) =>
    html`<section id="schema-${name}"><h3>${name}</h3>${schema.description ? html`<p>${prose(String(schema.description))}</p>` : ''}${schemaHtml({ ...schema, description: undefined })}</section>`,
)}
</main>
</body>
</html>
`;
  // Nothing in the page is asynchronous: the template gives a string, not a promise.
  return (page as HtmlEscapedString).toString();
}

function operationHtml(path: string, method: string, operation: OperationView): Html {
  const body = operation.requestBody;
  return html`<section class="operation" id="${operation.operationId}">
<h3><span class="method ${method}">${method}</span><code>${path}</code></h3>
<p>${operation.summary}.${operation.description ? html` ${prose(operation.description)}` : ''}</p>
${operation.security ? html`<p class="note">Needs the admin token: <code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>.</p>` : ''}
${
  operation.parameters
    ? html`<h4>Parameters</h4>
<table><tr><th>name</th><th>in</th><th>schema</th><th></th></tr>
${operation.parameters.map(
  (p) =>
    html`<tr><td><code>${p.name}</code></td><td>${p.in}${p.required ? ', required' : ''}</td><td>${schemaHtml(p.schema)}</td><td>${p.description ? prose(p.description) : ''}</td></tr>`,
)}</table>`
    : ''
}
${
  body
    ? html`<h4>Request body</h4>
<p>${body.required ? 'Required' : 'Optional'}${body.description ? html`: ${prose(body.description)}` : ''}</p>${contentHtml(body.content)}`
    : ''
}
<h4>Responses</h4>
<dl>${Object.entries(operation.responses).map(
    ([status, response]) =>
      html`<dt>${status}</dt><dd>${prose(response.description)}${Object.entries(response.headers ?? {}).map(
        ([name, header]) => html`<br>Header <code>${name}</code>: ${header.description}`,
      )}${response.content ? contentHtml(response.content) : ''}</dd>`,
  )}</dl>
</section>
`;
}

function contentHtml(content: Record<string, { schema: JsonSchema }>): Html {
  return html`${Object.entries(content).map(([type, { schema }]) => html`<div><code>${type}</code>: ${schemaHtml(schema)}</div>`)}`;
}

/** A JSON Schema in words: its type, constraints and description, then what it holds (object properties as a nested list). */
function schemaHtml(schema: JsonSchema): Html {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').at(-1)!;
    return html`<a href="#schema-${name}">${name}</a>`;
  }
  const types = schema.type === undefined ? [] : [schema.type].flat().map(String);
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
  const own = [
    ...(types.length > 0 ? [types.join(' or ') + format] : []),
    ...constraints(schema),
    ...(typeof schema.description === 'string' ? [html`<span class="note">${prose(schema.description)}</span>`] : []),
  ];
  const parts = (schema.anyOf ?? schema.oneOf ?? schema.allOf) as JsonSchema[] | undefined;
  const items = schema.type === 'array' && isSchema(schema.items) ? schema.items : undefined;
  const values = isSchema(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  // Only a whole object says which fields may be left out; properties without a type narrow another schema (allOf).
  const optional = (name: string) => schema.type === 'object' && !((schema.required ?? []) as string[]).includes(name);
  return html`${join(own, ', ')}${parts ? html`${own.length > 0 ? ': ' : ''}${join(parts.map(schemaHtml), schema.allOf ? ' and ' : ' or ')}` : ''}${
    items ? html` of ${schemaHtml(items)}` : ''
  }${values ? html` of ${schemaHtml(values)} by name` : ''}${
    properties
      ? html`<ul class="properties">${Object.entries(properties).map(
          ([name, property]) =>
            html`<li><code>${name}</code>${optional(name) ? html` <span class="note">(optional)</span>` : ''}: ${schemaHtml(property)}</li>`,
        )}</ul>`
      : ''
  }`;
}

function constraints(schema: JsonSchema): Html[] {
  const found: Html[] = [];
  const code = (value: unknown) => html`<code>${JSON.stringify(value)}</code>`;
  if (Array.isArray(schema.enum)) found.push(html`one of ${join(schema.enum.map(code), ', ')}`);
  if ('const' in schema) found.push(html`always ${code(schema.const)}`);
  if (typeof schema.pattern === 'string' && schema.format === undefined) found.push(html`matching <code>${schema.pattern}</code>`);
  const bounds: [string, (n: number) => string][] = [
    ['minLength', (n) => `at least ${n} characters`],
    ['maxLength', (n) => `at most ${n} characters`],
    ['minItems', (n) => `at least ${n} item${n === 1 ? '' : 's'}`],
    ['maxItems', (n) => `at most ${n} items`],
    ['minimum', (n) => `≥ ${n}`],
    ['maximum', (n) => `≤ ${n}`],
  ];
  for (const [keyword, words] of bounds) {
    const value = schema[keyword];
    if (typeof value === 'number') found.push(html`${words(value)}`);
  }
  if ('default' in schema) found.push(html`default ${code(schema.default)}`);
  if (schema.additionalProperties === false) found.push(html`<span class="note">no other fields</span>`);
  return found;
}

const join = (parts: (Html | string)[], separator: string): Html => html`${parts.map((part, i) => html`${i > 0 ? separator : ''}${part}`)}`;

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null;

/** Text with `code` in backticks, as the document's descriptions write it (CommonMark code spans). */
function prose(text: string): Html {
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}
