import { type Context, Hono } from 'hono';
import { AppError } from '../errors.ts';
import type { ConsoleEnv } from './auth.ts';
import type { ConsolePorts } from './console-app.tsx';
import type { PageContext } from './views/layout.tsx';
import { LinksPage } from './views/links.tsx';

const notices: Record<string, string> = {
  pinned: 'Pinned: the link is shown whatever re-matching finds.',
  blocked: 'Blocked: the link is never shown.',
  undo: 'Undone: the matcher decides this link again.',
};

/** Related coverage per article: links and near-misses for review, and the editor's pin, block and undo. */
export function linkRoutes(ports: ConsolePorts, pageContext: (c: Context<ConsoleEnv>) => PageContext) {
  const app = new Hono<ConsoleEnv>();
  const { articles, crosslink, refreshArticleFeeds } = ports;
  const items = ports.ingest.store;

  app.get('/admin/articles/:id/links', async (c) => {
    const article = await articles.requireArticle(c.req.param('id'));
    const [links, nearMisses] = await Promise.all([
      crosslink.articleLinks(article.id),
      crosslink.nearMisses(article.id, article.translations),
    ]);
    return c.html(
      <LinksPage
        context={pageContext(c)}
        article={article}
        links={links}
        nearMisses={nearMisses}
        notice={notices[c.req.query('done') ?? '']}
      />,
    );
  });

  // The same steps as PUT and DELETE /api/admin/articles/{id}/links/{itemId}, then back to the review page.
  app.post('/admin/articles/:id/links/:itemId', async (c) => {
    const article = await articles.requireArticle(c.req.param('id'));
    const itemParam = c.req.param('itemId');
    const item = /^\d{1,12}$/.test(itemParam) ? await items.getItem(Number(itemParam)) : undefined;
    if (!item) throw new AppError('not_found', `No external item with id "${itemParam}".`);
    const { state } = await c.req.parseBody();
    if (state === 'pinned' || state === 'blocked') {
      await crosslink.setLinkState(article.id, item.id, state);
    } else if (state === 'undo') {
      await crosslink.setLinkState(article.id, item.id, undefined);
      // What the matcher links now comes back, found from both sides (see src/routes/admin-links.ts).
      await crosslink.matchArticle(article.id, article.translations);
      await crosslink.matchItem(item);
    } else {
      throw new AppError('validation_failed', 'Choose pin, block or undo.');
    }
    await refreshArticleFeeds([article.id]);
    return c.redirect(`/admin/articles/${article.id}/links?done=${state}`, 303);
  });

  return app;
}
