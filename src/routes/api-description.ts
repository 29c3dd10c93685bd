import { Hono } from 'hono';
import { docsPageStyle, renderDocsPage } from '../api-description/docs-page.ts';
import { buildOpenApiDocument } from '../api-description/openapi-document.ts';
import { apiOperations } from '../api-description/operations.ts';
import { securityHeaders } from '../http/security-headers.ts';

interface Site {
  siteUrl: string;
  siteTitle: string;
  languages: string[];
  defaultLanguage: string;
}

interface Described {
  document: string;
  page: string;
  pagePolicy: string;
}

/** The document changes only with a deploy: clients may keep it a while. */
const cacheControl = 'public, max-age=300';

/**
 * `GET /api/openapi.json` (the OpenAPI 3.1 description of the JSON API) and `GET /api/docs` (the same as a page), both
 * written on first request and kept for the life of the process.
 */
export function apiDescriptionRoutes(site: Site) {
  const app = new Hono();
  let described: Promise<Described> | undefined;
  const describe = () => {
    described ??= describeApi(site).catch((error: unknown) => {
      described = undefined;
      throw error;
    });
    return described;
  };

  app.get('/api/openapi.json', async () => {
    const { document } = await describe();
    return new Response(document, { headers: { ...securityHeaders, 'content-type': 'application/json', 'cache-control': cacheControl } });
  });

  app.get('/api/docs', async () => {
    const { page, pagePolicy } = await describe();
    return new Response(page, {
      headers: {
        ...securityHeaders,
        'content-security-policy': pagePolicy,
        'content-type': 'text/html; charset=utf-8',
        'cache-control': cacheControl,
      },
    });
  });

  return app;
}

async function describeApi(site: Site): Promise<Described> {
  const document = buildOpenApiDocument(apiOperations(site), site);
  const styleHash = btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(docsPageStyle)))),
  );
  return {
    document: JSON.stringify(document),
    page: renderDocsPage(document),
    // No script, image, font or connection at all; only the page's own inline style sheet, named by its hash (a CSP Level 3 hash-source).
    pagePolicy: [
      "default-src 'none'",
      `style-src 'sha256-${styleHash}'`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}
