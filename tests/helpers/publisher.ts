import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface Publisher {
  url: string;
  /** `127.0.0.1:port`, for INGEST_ALLOW_HOSTS. */
  host: string;
  route(path: string, handler: Route): void;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** Most requests in flight at once so far. */
  maxInFlight: number;
  close(): Promise<void>;
}

/** A loopback HTTP server standing in for a news outlet; tests script its answers per path. */
export async function startPublisher(): Promise<Publisher> {
  const routes = new Map<string, Route>();
  let inFlight = 0;
  const publisher = { requests: [], maxInFlight: 0 } as unknown as Publisher;
  const server = createServer((request, response) => {
    inFlight++;
    publisher.maxInFlight = Math.max(publisher.maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    publisher.requests.push({ path: request.url ?? '', headers: request.headers });
    const handler = routes.get(request.url ?? '');
    if (handler) handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(publisher, {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    route: (path: string, handler: Route) => routes.set(path, handler),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** An RSS 2.0 document with the given items. */
export function rss(items: { title: string; link: string; guid?: string; pubDate?: string; description?: string }[], extra = ''): string {
  const body = items
    .map(
      (item) =>
        `<item><title>${item.title}</title><link>${item.link}</link>${item.guid ? `<guid isPermaLink="false">${item.guid}</guid>` : ''}${
          item.pubDate ? `<pubDate>${item.pubDate}</pubDate>` : ''
        }<description>${item.description ?? 'Summary.'}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet</title><link>https://outlet.example.com/</link><description>News</description>${extra}${body}</channel></rss>`;
}
