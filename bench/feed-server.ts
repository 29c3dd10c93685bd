import { createServer } from 'node:http';
import { syntheticRss } from './synthetic-feed.ts';

/** A loopback stand-in for 100 news outlets: /feed/N.xml is a 50-item, ~200 KB RSS feed, fixed per N. */
const count = Number(process.env.FEEDS ?? 100);
const now = Number(process.env.NOW ?? Date.now());
const feeds = Array.from({ length: count }, (_, n) => Buffer.from(syntheticRss(n + 1, 50, now)));

createServer((request, response) => {
  if (request.url === '/') return response.end('ok');
  const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
  const body = match ? feeds[Number(match[1])] : undefined;
  if (!body) return response.writeHead(404).end();
  response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': body.length });
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
