import { createServer } from 'node:http';
import { syntheticRss } from './synthetic-feed.ts';

/**
 * A loopback stand-in for 100 news outlets: /feed/N.xml is a 50-item, ~200 KB RSS feed, fixed per N. With
 * ROTATE_SECONDS, every outlet publishes 5 new stories each period (the oldest 5 drop off), as live feeds do.
 */
const count = Number(process.env.FEEDS ?? 100);
const now = Number(process.env.NOW ?? Date.now());
const rotateMs = Number(process.env.ROTATE_SECONDS ?? 0) * 1000;
const bodies = new Map<string, Buffer>();

function feed(n: number): Buffer {
  const period = rotateMs ? Math.floor((Date.now() - now) / rotateMs) : 0;
  const key = `${n}:${period}`;
  let body = bodies.get(key);
  if (!body) {
    // Items run newest first, so newer stories are the ones the sequence starts with: fewer skipped, more recent.
    body = Buffer.from(syntheticRss(n + 1, 50, now, 30, Math.max(0, 50 - period * 5)));
    bodies.set(key, body);
  }
  return body;
}

createServer((request, response) => {
  if (request.url === '/') return response.end('ok');
  const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
  const n = match ? Number(match[1]) : -1;
  if (n < 0 || n >= count) return response.writeHead(404).end();
  const body = feed(n);
  response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': body.length });
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
