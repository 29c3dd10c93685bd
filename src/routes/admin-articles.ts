import { Hono } from 'hono';
import { validator } from 'hono/validator';
import type { ArticleService } from '../articles/article-service.ts';
import { articleBody, inLanguage, translationBody } from '../articles/input.ts';
import type { Article } from '../articles/model.ts';
import { jsonBody } from '../http/validate.ts';
import { requireLanguage } from './languages.ts';
import { presentTranslation } from './present.ts';

/** Admin API for articles and their translations (bearer token). */
export function adminArticleRoutes({ articles, languages, siteUrl }: { articles: ArticleService; languages: string[]; siteUrl: string }) {
  const app = new Hono();
  const present = (article: Article) => presentArticle(article, siteUrl);
  const article = jsonBody(articleBody(languages));
  const translation = jsonBody(translationBody(languages));
  // The URL's language is checked before the body: an unknown language is a 404 whatever was sent.
  const knownLanguage = validator('param', (params: Record<string, string>) => {
    requireLanguage(languages, params.lang ?? '');
    return params;
  });

  app.post('/api/admin/articles', article, async (c) => {
    const created = await articles.createArticle(c.req.valid('json'));
    c.header('location', `/api/admin/articles/${created.id}`);
    return c.json(present(created), 201);
  });

  app.get('/api/admin/articles/:id', async (c) => c.json(present(await articles.requireArticle(c.req.param('id')))));

  app.put('/api/admin/articles/:id', article, async (c) => {
    return c.json(present(await articles.replaceArticle(c.req.param('id'), c.req.valid('json'))));
  });

  app.delete('/api/admin/articles/:id', async (c) => {
    await articles.deleteArticle(c.req.param('id'));
    return c.body(null, 204);
  });

  app.put('/api/admin/articles/:id/translations/:lang', knownLanguage, translation, async (c) => {
    const { id, lang } = c.req.param();
    const { article: saved, created } = await articles.putTranslation(id, inLanguage(c.req.valid('json'), lang));
    return c.json(present(saved), created ? 201 : 200);
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
