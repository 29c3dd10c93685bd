import type { FC } from 'hono/jsx';
import type { ArticleListQuery, ArticleListRow } from '../../articles/model.ts';
import { SelectField, TextField } from './fields.tsx';
import { Page, type PageContext, Time } from './layout.tsx';

export interface ArticleListProps {
  context: PageContext;
  languages: string[];
  query: Omit<ArticleListQuery, 'limit' | 'offset'>;
  rows: ArticleListRow[];
  page: number;
  pages: number;
  total: number;
  notice?: string;
}

/** The list's URL for a page with the same filters. */
function pageHref(query: ArticleListProps['query'], page: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, String(value));
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return `/admin/articles${search ? `?${search}` : ''}`;
}

const Filters: FC<{ languages: string[]; query: ArticleListProps['query'] }> = ({ languages, query }) => {
  const anyLanguage = [{ value: '', label: 'any' }, ...languages.map((lang) => ({ value: lang, label: lang }))];
  return (
    <form method="get" action="/admin/articles" class="filters" aria-label="Filter articles">
      <TextField type="search" id="q" name="q" label="Title contains" value={query.q} />
      <SelectField
        id="status"
        name="status"
        label="Status"
        value={query.status ?? ''}
        options={[
          { value: '', label: 'any' },
          { value: 'draft', label: 'has a draft' },
          { value: 'published', label: 'has a published translation' },
        ]}
      />
      <SelectField id="lang" name="lang" label="Language" value={query.lang ?? ''} options={anyLanguage} />
      <SelectField
        id="missing"
        name="missing"
        label="Missing translation"
        value={query.missing ?? ''}
        options={[{ value: '', label: 'no filter' }, ...languages.map((lang) => ({ value: lang, label: `no ${lang}` }))]}
      />
      <div>
        <button type="submit">Filter</button>
      </div>
    </form>
  );
};

const StatusCell: FC<{ row: ArticleListRow; lang: string }> = ({ row, lang }) => {
  const t = row.translations.find((translation) => translation.lang === lang);
  if (!t) return <td class="missing">missing</td>;
  return (
    <td>
      <span class={t.status}>{t.status}</span>
    </td>
  );
};

/** Every article with its translation matrix (language × draft / published / missing), filters and pages. */
export const ArticleListPage: FC<ArticleListProps> = (props) => {
  const { languages, query, rows, page, pages } = props;
  return (
    <Page context={props.context} title="Articles" section="articles" notice={props.notice}>
      <p>
        <a href="/admin/articles/new">New article</a>
      </p>
      <Filters languages={languages} query={query} />
      <table>
        <caption>{`${props.total} ${props.total === 1 ? 'article' : 'articles'}${pages > 1 ? `, page ${page} of ${pages}` : ''}`}</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            {languages.map((lang) => (
              <th scope="col">{lang}</th>
            ))}
            <th scope="col">Last edited</th>
            <th scope="col">Related coverage</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const first = languages.map((lang) => row.translations.find((t) => t.lang === lang)).find(Boolean) ?? row.translations[0];
            return (
              <tr>
                <th scope="row">
                  <a href={`/admin/articles/${row.id}`} lang={first?.lang}>
                    {first?.title ?? row.id}
                  </a>
                </th>
                {languages.map((lang) => (
                  <StatusCell row={row} lang={lang} />
                ))}
                <td>
                  <Time ms={row.updatedAt} />
                </td>
                <td>
                  <a href={`/admin/articles/${row.id}/links`}>Links</a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && <p>No article matches these filters.</p>}
      {pages > 1 && (
        <nav aria-label="Pages" class="actions">
          {page > 1 && (
            <a href={pageHref(query, page - 1)} rel="prev">
              Previous page
            </a>
          )}
          {page < pages && (
            <a href={pageHref(query, page + 1)} rel="next">
              Next page
            </a>
          )}
        </nav>
      )}
    </Page>
  );
};
