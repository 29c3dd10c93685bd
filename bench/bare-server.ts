import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The reference: a bare node:http server sending, from memory, the very answers the service sent for one feed (identity
 * and gzip bodies, each with the service's headers, and its 304), chosen by the same request headers.
 */
interface Answer {
  headers: Record<string, string>;
  bodyFile?: string;
}
const answers = JSON.parse(process.env.ANSWERS!) as Record<'identity' | 'gzip' | 'notModified' | 'notModifiedGzip', Answer>;
const bodies = Object.fromEntries(
  Object.entries(answers).map(([name, answer]) => [name, answer.bodyFile ? readFileSync(answer.bodyFile) : undefined]),
);

createServer((request, response) => {
  const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  const current = gzip ? answers.gzip : answers.identity;
  if (request.headers['if-none-match'] === current.headers.etag) {
    response.writeHead(304, (gzip ? answers.notModifiedGzip : answers.notModified).headers);
    response.end();
    return;
  }
  const body = bodies[gzip ? 'gzip' : 'identity']!;
  response.writeHead(200, { ...current.headers, 'content-length': body.length });
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
