import { Hono } from 'hono';
import { z } from 'zod';
import {
  createArticle,
  deleteArticle,
  deleteTranslation,
  putTranslation,
  refreshArticleFeeds,
  replaceArticle,
  requireArticle,
} from '../articles/article-service.ts';
import { parseArticleInput, parseTranslationInput } from '../articles/input.ts';
import type { Article } from '../articles/model.ts';
import { matchArticle } from '../crosslink/matcher.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { readJsonBody } from '../http/body.ts';
import { validateBody } from '../http/validate.ts';
import { requireLanguage } from './articles-api.ts';
import { presentTranslation } from './present.ts';

/** Admin API for articles and their translations (bearer token). */
export function adminArticleRoutes(deps: Deps) {
  const app = new Hono();

  app.post('/api/admin/articles', async (c) => {
    const inputs = parseArticleInput(await readJsonBody(c.req.raw), deps.config.languages);
    const article = await createArticle(deps, inputs);
    c.header('location', `/api/admin/articles/${article.id}`);
    return c.json(presentArticle(deps, article), 201);
  });

  app.get('/api/admin/articles/:id', async (c) => {
    return c.json(presentArticle(deps, await requireArticle(deps, c.req.param('id'))));
  });

  app.put('/api/admin/articles/:id', async (c) => {
    const inputs = parseArticleInput(await readJsonBody(c.req.raw), deps.config.languages);
    return c.json(presentArticle(deps, await replaceArticle(deps, c.req.param('id'), inputs)));
  });

  app.delete('/api/admin/articles/:id', async (c) => {
    await deleteArticle(deps, c.req.param('id'));
    return c.body(null, 204);
  });

  app.put('/api/admin/articles/:id/translations/:lang', async (c) => {
    const { id, lang } = c.req.param();
    requireLanguage(deps, lang);
    const input = parseTranslationInput(await readJsonBody(c.req.raw), lang, deps.config.languages);
    const { article, created } = await putTranslation(deps, id, input);
    return c.json(presentArticle(deps, article), created ? 201 : 200);
  });

  // An editor's choice about one link, kept through re-matching: {"state": "pinned"} or {"state": "blocked"}.
  app.put('/api/admin/articles/:id/links/:itemId', async (c) => {
    const { id, itemId } = await requireLink(deps, c.req.param('id'), c.req.param('itemId'));
    const { state } = validateBody(z.strictObject({ state: z.enum(['pinned', 'blocked']) }), await readJsonBody(c.req.raw));
    await deps.crosslinkStore.setLinkState(id, itemId, state, deps.now());
    await refreshArticleFeeds(deps, [id]);
    return c.json({ articleId: id, itemId, state });
  });

  app.delete('/api/admin/articles/:id/links/:itemId', async (c) => {
    const { id, itemId } = await requireLink(deps, c.req.param('id'), c.req.param('itemId'));
    await deps.crosslinkStore.setLinkState(id, itemId, undefined, deps.now());
    const article = await requireArticle(deps, id);
    await matchArticle(deps, id, article.translations, deps.now());
    await refreshArticleFeeds(deps, [id]);
    return c.body(null, 204);
  });

  app.delete('/api/admin/articles/:id/translations/:lang', async (c) => {
    await deleteTranslation(deps, c.req.param('id'), c.req.param('lang'));
    return c.body(null, 204);
  });

  return app;
}

async function requireLink(deps: Deps, articleId: string, itemParam: string) {
  const article = await requireArticle(deps, articleId);
  const item = /^\d{1,12}$/.test(itemParam) ? await deps.ingestStore.getItem(Number(itemParam)) : undefined;
  if (!item) throw notFound(`No external item with id "${itemParam}".`);
  return { id: article.id, itemId: item.id };
}

/** An article with every translation, drafts included. */
function presentArticle(deps: Deps, article: Article) {
  const links = article.translations.map((t) => ({ articleId: article.id, lang: t.lang, slug: t.slug, title: t.title }));
  return {
    id: article.id,
    translations: article.translations.map((t) => presentTranslation(t, deps.config.siteUrl, links, { content: true })),
  };
}
