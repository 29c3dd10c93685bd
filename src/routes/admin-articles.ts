import { Hono } from 'hono';
import type { ArticleService } from '../articles/article-service.ts';
import { parseArticleInput, parseTranslationInput } from '../articles/input.ts';
import type { Article } from '../articles/model.ts';
import { readJsonBody } from '../http/body.ts';
import { requireLanguage } from './languages.ts';
import { presentTranslation } from './present.ts';

/** Admin API for articles and their translations (bearer token). */
export function adminArticleRoutes({ articles, languages, siteUrl }: { articles: ArticleService; languages: string[]; siteUrl: string }) {
  const app = new Hono();
  const present = (article: Article) => presentArticle(article, siteUrl);

  app.post('/api/admin/articles', async (c) => {
    const article = await articles.createArticle(parseArticleInput(await readJsonBody(c), languages));
    c.header('location', `/api/admin/articles/${article.id}`);
    return c.json(present(article), 201);
  });

  app.get('/api/admin/articles/:id', async (c) => c.json(present(await articles.requireArticle(c.req.param('id')))));

  app.put('/api/admin/articles/:id', async (c) => {
    const inputs = parseArticleInput(await readJsonBody(c), languages);
    return c.json(present(await articles.replaceArticle(c.req.param('id'), inputs)));
  });

  app.delete('/api/admin/articles/:id', async (c) => {
    await articles.deleteArticle(c.req.param('id'));
    return c.body(null, 204);
  });

  app.put('/api/admin/articles/:id/translations/:lang', async (c) => {
    const { id, lang } = c.req.param();
    requireLanguage(languages, lang);
    const { article, created } = await articles.putTranslation(id, parseTranslationInput(await readJsonBody(c), lang, languages));
    return c.json(present(article), created ? 201 : 200);
  });

  app.delete('/api/admin/articles/:id/translations/:lang', async (c) => {
    await articles.deleteTranslation(c.req.param('id'), c.req.param('lang'));
    return c.body(null, 204);
  });

  return app;
}

/** An article with every translation, drafts included. */
function presentArticle(article: Article, siteUrl: string) {
  const links = article.translations.map((t) => ({ articleId: article.id, lang: t.lang, slug: t.slug, title: t.title }));
  return {
    id: article.id,
    translations: article.translations.map((t) => presentTranslation(t, siteUrl, links, { content: true })),
  };
}
