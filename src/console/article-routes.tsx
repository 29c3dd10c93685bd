import { type Context, Hono } from 'hono';
import type { TranslationInput } from '../articles/input.ts';
import { articleBody } from '../articles/input.ts';
import type { Article, ArticleListQuery } from '../articles/model.ts';
import { AppError } from '../errors.ts';
import { validateBody } from '../http/validate.ts';
import { sanitizeContent } from '../ingest/sanitize.ts';
import {
  type ArticleForm,
  articleBodyOf,
  articleFormOf,
  type FieldErrors,
  fieldErrorsOf,
  newArticleForm,
  readArticleForm,
} from './article-form.ts';
import type { ConsoleEnv } from './auth.ts';
import type { ConsolePorts } from './console-app.tsx';
import { ArticleEditorPage, DeleteArticlePage, type PreviewTranslation } from './views/article-editor.tsx';
import { ArticleListPage } from './views/article-list.tsx';
import type { PageContext } from './views/layout.tsx';

const pageSize = 20;

const notices: Record<string, string> = {
  created: 'The article was created.',
  saved: 'Saved.',
  published: 'Published: its page and feeds now show it.',
  unpublished: 'Unpublished: it is a draft again and has left its feeds.',
  deleted: 'The article was deleted.',
};

/** The list's filters from its query string; anything unknown is ignored. */
export function listQueryOf(params: Record<string, string>, languages: string[]): Omit<ArticleListQuery, 'limit' | 'offset'> {
  const known = (value: string | undefined) => (value && languages.includes(value) ? value : undefined);
  const status = params.status === 'draft' || params.status === 'published' ? params.status : undefined;
  return { status, lang: known(params.lang), missing: known(params.missing), q: params.q?.trim().slice(0, 200) || undefined };
}

/** Article pages: the list with its translation matrix, the side-by-side editor with preview, publishing and deletion. */
export function articleRoutes(ports: ConsolePorts, pageContext: (c: Context<ConsoleEnv>) => PageContext) {
  const app = new Hono<ConsoleEnv>();
  const { articles, config } = ports;
  const { languages } = config;
  const schema = articleBody(languages);

  type EditorState = { article?: Article; form: ArticleForm; errors: FieldErrors; preview?: PreviewTranslation[]; notice?: string };
  const editor = (c: Context<ConsoleEnv>, state: EditorState, status: 200 | 400 | 409 = 200) =>
    c.html(<ArticleEditorPage context={pageContext(c)} languages={languages} {...state} />, status);

  const previewOf = (inputs: TranslationInput[]): PreviewTranslation[] =>
    inputs.map((t) => ({
      lang: t.lang,
      title: t.title,
      summary: t.summary,
      authors: t.authors,
      safeContentHtml: sanitizeContent(t.contentHtml, { baseUrl: config.siteUrl }),
    }));

  /** Validates the posted form with the API's schema, then previews it or saves it (creating the article when new). */
  async function submit(c: Context<ConsoleEnv>, existing: Article | undefined) {
    const posted = await c.req.parseBody();
    const form = readArticleForm(posted, languages);
    const { body, languages: order, errors } = articleBodyOf(form, existing);
    let inputs: TranslationInput[] | undefined;
    try {
      inputs = validateBody(schema, body);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'validation_failed')) throw error;
      const { fields } = error.details as { fields: { path: string; message: string }[] };
      for (const [key, messages] of Object.entries(fieldErrorsOf(fields, order))) errors[key] = [...(errors[key] ?? []), ...messages];
    }
    if (!inputs || Object.keys(errors).length > 0) return editor(c, { article: existing, form, errors }, 400);
    if (posted.intent === 'preview') return editor(c, { article: existing, form, errors, preview: previewOf(inputs) });
    try {
      const saved = existing ? await articles.replaceArticle(existing.id, inputs) : await articles.createArticle(inputs);
      return c.redirect(`/admin/articles/${saved.id}?done=${existing ? 'saved' : 'created'}`, 303);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'slug_taken')) throw error;
      const taken = error.details as { lang?: string } | undefined;
      return editor(c, { article: existing, form, errors: { [taken?.lang ? `${taken.lang}.slug` : 'form']: [error.message] } }, 409);
    }
  }

  app.get('/admin/articles', async (c) => {
    const query = listQueryOf(c.req.query(), languages);
    const asked = /^\d{1,6}$/.test(c.req.query('page') ?? '') ? Number(c.req.query('page')) : 1;
    const page = Math.max(1, asked);
    const { rows, total } = await articles.listForEditors({ ...query, limit: pageSize, offset: (page - 1) * pageSize });
    return c.html(
      <ArticleListPage
        context={pageContext(c)}
        languages={languages}
        query={query}
        rows={rows}
        page={page}
        pages={Math.max(1, Math.ceil(total / pageSize))}
        total={total}
        notice={notices[c.req.query('done') ?? '']}
      />,
    );
  });

  app.get('/admin/articles/new', (c) => editor(c, { form: newArticleForm(languages), errors: {} }));
  app.post('/admin/articles', (c) => submit(c, undefined));

  app.get('/admin/articles/:id', async (c) => {
    const article = await articles.requireArticle(c.req.param('id'));
    return editor(c, { article, form: articleFormOf(article, languages), errors: {}, notice: notices[c.req.query('done') ?? ''] });
  });
  app.post('/admin/articles/:id', async (c) => submit(c, await articles.requireArticle(c.req.param('id'))));

  // Publish now, or back to draft; every other field stays as stored.
  app.post('/admin/articles/:id/status', async (c) => {
    const article = await articles.requireArticle(c.req.param('id'));
    const posted = await c.req.parseBody();
    const translation = article.translations.find((t) => t.lang === posted.lang);
    if (!translation) throw new AppError('not_found', `Article ${article.id} has no "${String(posted.lang)}" translation.`);
    const { articleId, guid, publishedAt, updatedAt, ...fields } = translation;
    const publish = posted.status === 'published';
    // A draft published now is dated now; an unpublished translation keeps its date.
    await articles.putTranslation(article.id, publish ? { ...fields, status: 'published' } : { ...fields, status: 'draft', publishedAt });
    return c.redirect(`/admin/articles/${article.id}?done=${publish ? 'published' : 'unpublished'}`, 303);
  });

  app.get('/admin/articles/:id/delete', async (c) =>
    c.html(<DeleteArticlePage context={pageContext(c)} article={await articles.requireArticle(c.req.param('id'))} />),
  );
  app.post('/admin/articles/:id/delete', async (c) => {
    await articles.deleteArticle(c.req.param('id'));
    return c.redirect('/admin/articles?done=deleted', 303);
  });

  return app;
}
