import type { FC } from 'hono/jsx';
import type { Article } from '../../articles/model.ts';
import { articlePath } from '../../articles/urls.ts';
import { type ArticleForm, controlName, errorKey, type FieldErrors, type TranslationFields } from '../article-form.ts';
import { SelectField, TextArea, TextField } from './fields.tsx';
import { ActionButton, languageLabel, Page, type PageContext, PostForm, Time } from './layout.tsx';

/** A translation as the preview shows it: its content already sanitized. */
export interface PreviewTranslation {
  lang: string;
  title: string;
  summary: string;
  authors: string[];
  safeContentHtml: string;
}

export interface ArticleEditorProps {
  context: PageContext;
  languages: string[];
  /** The stored article, when editing one. */
  article?: Article;
  form: ArticleForm;
  errors: FieldErrors;
  preview?: PreviewTranslation[];
  notice?: string;
}

const statusOptions = [
  { value: 'none', label: 'none (no translation)' },
  { value: 'draft', label: 'draft' },
  { value: 'published', label: 'published' },
];

const TranslationColumn: FC<{ lang: string; fields: TranslationFields; errors: FieldErrors; updatedAt?: number }> = ({
  lang,
  fields,
  errors,
  updatedAt,
}) => {
  const field = (name: keyof TranslationFields) => ({
    id: `f-${lang}-${name}`,
    lang,
    name: controlName(lang, name),
    value: fields[name],
    errors: errors[errorKey(lang, name)],
  });
  return (
    <fieldset>
      <legend>{`${languageLabel(lang)} (${lang})`}</legend>
      <SelectField {...field('status')} label="Status" options={statusOptions} hint="none removes this translation" />
      <TextField {...field('title')} label="Title" />
      <TextField {...field('slug')} label="Slug" hint="left empty: made from the title" />
      <TextArea {...field('summary')} label="Summary" rows={3} />
      <TextArea {...field('content')} label="Content (HTML)" class="content" />
      <TextField {...field('categories')} label="Categories" hint="separated by commas" />
      <TextField {...field('tags')} label="Tags" hint="separated by commas" />
      <TextArea {...field('authors')} label="Authors" hint="one per line" rows={2} />
      <TextField {...field('imageUrl')} type="url" label="Image URL" />
      <TextField {...field('imageType')} label="Image type" hint="e.g. image/jpeg" />
      <TextField {...field('imageLength')} label="Image size in bytes" hint="0 when unknown" />
      <TextField {...field('publishedAt')} type="datetime-local" step="1" label="Published at (UTC)" hint="left empty: now" />
      {updatedAt !== undefined && (
        <p class="hint">
          Last updated <Time ms={updatedAt} />
        </p>
      )}
    </fieldset>
  );
};

/** Publish, unpublish, view, related coverage and delete: one small form per action, outside the editor's form. */
const ArticleActions: FC<{ article: Article; languages: string[]; csrf?: string }> = ({ article, languages, csrf }) => (
  <section aria-labelledby="actions-heading">
    <h2 id="actions-heading">Translations</h2>
    <ul>
      {languages.map((lang) => {
        const t = article.translations.find((translation) => translation.lang === lang);
        const name = languageLabel(lang);
        if (!t) return <li>{`${name}: missing`}</li>;
        const next = t.status === 'published' ? 'draft' : 'published';
        return (
          <li>
            {`${name}: `}
            <span class={t.status}>{t.status}</span>{' '}
            {t.status === 'published' && (
              <a href={articlePath(t.lang, t.slug)} hreflang={t.lang}>
                {`View the ${name} page`}
              </a>
            )}{' '}
            <ActionButton
              action={`/admin/articles/${article.id}/status`}
              csrf={csrf}
              fields={{ lang, status: next }}
              label={next === 'published' ? `Publish ${name} now` : `Unpublish ${name}`}
            />
          </li>
        );
      })}
    </ul>
    <p class="actions">
      <a href={`/admin/articles/${article.id}/links`}>Related coverage</a>
      <a href={`/admin/articles/${article.id}/delete`}>Delete this article…</a>
    </p>
  </section>
);

const fieldLabels: Record<keyof TranslationFields, string> = {
  status: 'Status',
  title: 'Title',
  slug: 'Slug',
  summary: 'Summary',
  content: 'Content',
  authors: 'Authors',
  categories: 'Categories',
  tags: 'Tags',
  imageUrl: 'Image URL',
  imageType: 'Image type',
  imageLength: 'Image size',
  publishedAt: 'Published at',
};

/** Every error, announced when the page loads: those of a field link to it, those of the whole article stand alone. */
const ErrorSummary: FC<{ errors: FieldErrors; languages: string[] }> = ({ errors, languages }) => {
  if (Object.keys(errors).length === 0) return null;
  const names = Object.keys(fieldLabels) as (keyof TranslationFields)[];
  const shown = new Set(['form', ...languages.flatMap((lang) => names.map((name) => errorKey(lang, name)))]);
  // Paths no form field stands for (an image as a whole): said without a link.
  const others = Object.entries(errors).flatMap(([key, messages]) =>
    shown.has(key) ? [] : messages.map((message) => `${key}: ${message}`),
  );
  const fields = languages.flatMap((lang) =>
    names.flatMap((name) =>
      (errors[errorKey(lang, name)] ?? []).map((message) => ({
        href: `#f-${lang}-${name}`,
        text: `${languageLabel(lang)} ${fieldLabels[name].toLowerCase()}: ${message}`,
      })),
    ),
  );
  return (
    <div class="alert" role="alert">
      <p>Nothing was saved:</p>
      <ul>
        {[...(errors.form ?? []), ...others].map((message) => (
          <li>{message}</li>
        ))}
        {fields.map((field) => (
          <li>
            <a href={field.href}>{field.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
};

const Preview: FC<{ translations: PreviewTranslation[] }> = ({ translations }) => (
  <section aria-labelledby="preview-heading">
    <h2 id="preview-heading">Preview (not saved)</h2>
    {translations.map((t) => (
      <article class="preview" lang={t.lang}>
        <p class="hint" lang="en">
          {languageLabel(t.lang)}
        </p>
        <h3>{t.title}</h3>
        {t.authors.length > 0 && <p class="hint">{t.authors.join(', ')}</p>}
        {t.summary && <p>{t.summary}</p>}
        <div dangerouslySetInnerHTML={{ __html: t.safeContentHtml }} />
      </article>
    ))}
  </section>
);

/** The editor: every language side by side in one form, saved together; preview renders what was typed without saving. */
export const ArticleEditorPage: FC<ArticleEditorProps> = (props) => {
  const { article, languages, form, errors, context } = props;
  const title = article ? `Edit: ${article.translations[0]?.title ?? article.id}` : 'New article';
  return (
    <Page context={context} title={title} section="articles" notice={props.notice}>
      {article && <ArticleActions article={article} languages={languages} csrf={context.csrf} />}
      {props.preview && <Preview translations={props.preview} />}
      <ErrorSummary errors={errors} languages={languages} />
      <h2>{article ? 'Edit the translations' : 'Write the translations'}</h2>
      <PostForm action={article ? `/admin/articles/${article.id}` : '/admin/articles'} csrf={context.csrf}>
        <div class="columns">
          {languages.map((lang) => (
            <TranslationColumn
              lang={lang}
              fields={form[lang]!}
              errors={errors}
              updatedAt={article?.translations.find((t) => t.lang === lang)?.updatedAt}
            />
          ))}
        </div>
        <p class="actions">
          <button type="submit" name="intent" value="save">
            Save
          </button>
          <button type="submit" name="intent" value="preview" class="secondary">
            Preview
          </button>
        </p>
      </PostForm>
    </Page>
  );
};

/** The confirmation step before an article is deleted. */
export const DeleteArticlePage: FC<{ context: PageContext; article: Article }> = ({ context, article }) => (
  <Page context={context} title="Delete this article?" section="articles">
    <p>These translations will be deleted with their links to related coverage; their pages and feed entries disappear.</p>
    <ul>
      {article.translations.map((t) => (
        <li lang={t.lang}>{`${t.title} (${t.lang}, ${t.status})`}</li>
      ))}
    </ul>
    <PostForm action={`/admin/articles/${article.id}/delete`} csrf={context.csrf} class="actions">
      <button type="submit" class="danger">
        Delete the article
      </button>
      <a href={`/admin/articles/${article.id}`}>Keep it</a>
    </PostForm>
  </Page>
);
