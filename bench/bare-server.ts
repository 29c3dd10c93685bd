import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/** The reference: a bare node:http server sending fixed bytes from memory, with the same headers and 304 logic. */
const body = readFileSync(process.env.BODY_FILE!);
const headers = JSON.parse(process.env.HEADERS!) as Record<string, string>;
const etag = headers.etag;

createServer((request, response) => {
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, { ...headers, 'content-length': body.length });
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
