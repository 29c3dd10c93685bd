import { Hono } from 'hono';
import type { ArticleService } from '../articles/article-service.ts';
import type { CrosslinkService } from '../crosslink/crosslink-service.ts';
import { AppError } from '../errors.ts';
import { jsonBody } from '../http/validate.ts';
import type { IngestStore } from '../ingest/ingest-store.ts';
import * as z from '../shared/zod.ts';

/** The body of `PUT /api/admin/articles/{id}/links/{itemId}`. */
export const linkStateBody = z.strictObject({ state: z.enum(['pinned', 'blocked']) });

interface AdminLinkPorts {
  articles: ArticleService;
  crosslink: CrosslinkService;
  items: Pick<IngestStore, 'getItem'>;
  refreshArticleFeeds: (articleIds: string[]) => Promise<void>;
}

/** An editor's choice about one link, kept through re-matching: {"state": "pinned"} or {"state": "blocked"}, undone by DELETE. */
export function adminLinkRoutes({ articles, crosslink, items, refreshArticleFeeds }: AdminLinkPorts) {
  const app = new Hono();

  async function requireLink(articleId: string, itemParam: string) {
    const article = await articles.requireArticle(articleId);
    const item = /^\d{1,12}$/.test(itemParam) ? await items.getItem(Number(itemParam)) : undefined;
    if (!item) throw new AppError('not_found', `No external item with id "${itemParam}".`);
    return { article, item, itemId: item.id };
  }

  // An article's links for review: every link (automatic, pinned, blocked) and the near-misses below the threshold.
  app.get('/api/admin/articles/:id/links', async (c) => {
    const article = await articles.requireArticle(c.req.param('id'));
    const iso = (ms: number) => new Date(ms).toISOString();
    const [links, nearMisses] = await Promise.all([
      crosslink.articleLinks(article.id),
      crosslink.nearMisses(article.id, article.translations),
    ]);
    return c.json({
      articleId: article.id,
      links: links.map((link) => ({ ...link, publishedAt: iso(link.publishedAt) })),
      nearMisses: nearMisses.map((miss) => ({ ...miss, publishedAt: iso(miss.publishedAt) })),
    });
  });

  app.put('/api/admin/articles/:id/links/:itemId', jsonBody(linkStateBody), async (c) => {
    const { article, itemId } = await requireLink(c.req.param('id'), c.req.param('itemId'));
    const { state } = c.req.valid('json');
    await crosslink.setLinkState(article.id, itemId, state);
    await refreshArticleFeeds([article.id]);
    return c.json({ articleId: article.id, itemId, state });
  });

  app.delete('/api/admin/articles/:id/links/:itemId', async (c) => {
    const { article, item, itemId } = await requireLink(c.req.param('id'), c.req.param('itemId'));
    await crosslink.setLinkState(article.id, itemId, undefined);
    // Whatever the matcher would link now comes back, found from either side: the article's search for items is
    // bounded, so the item's own search (which keeps the article's other links) has the last word on this pair.
    await crosslink.matchArticle(article.id, article.translations);
    await crosslink.matchItem(item);
    await refreshArticleFeeds([article.id]);
    return c.body(null, 204);
  });

  return app;
}
