import type { Status } from '../articles/model.ts';
import type { SqlClient, SqlValue } from '../store/sql-client.ts';

/** What the console's article list asks for; every filter is optional. */
export interface ArticleListQuery {
  /** Articles with a translation in this status (in `lang` when given, else in any language). */
  status?: Status;
  /** Articles with a translation in this language. */
  lang?: string;
  /** Articles lacking a translation in this language. */
  missing?: string;
  /** Words of a title in any language (case-insensitive for ASCII letters). */
  q?: string;
  limit: number;
  offset: number;
}

/** One row of the list: an article with each translation's language, status and title. */
export interface ArticleListRow {
  id: string;
  updatedAt: number;
  translations: { lang: string; status: Status; title: string; slug: string }[];
}

export type ArticleIndex = ReturnType<typeof createArticleIndex>;

/**
 * The editors' view of every article, drafts included, which the article service does not offer (it serves the public
 * side). Read-only; it belongs in the article store as `listForEditors` once that file is open to change.
 */
export function createArticleIndex(db: SqlClient) {
  function where(query: ArticleListQuery): { sql: string; params: SqlValue[] } {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    if (query.status || query.lang) {
      let has = 'SELECT 1 FROM translations t WHERE t.article_id = a.id';
      if (query.lang) {
        has += ' AND t.lang = ?';
        params.push(query.lang);
      }
      if (query.status) {
        has += ' AND t.status = ?';
        params.push(query.status);
      }
      clauses.push(`EXISTS (${has})`);
    }
    if (query.missing) {
      clauses.push('NOT EXISTS (SELECT 1 FROM translations t WHERE t.article_id = a.id AND t.lang = ?)');
      params.push(query.missing);
    }
    if (query.q) {
      clauses.push("EXISTS (SELECT 1 FROM translations t WHERE t.article_id = a.id AND t.title LIKE ? ESCAPE '\\')");
      params.push(`%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    }
    return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
  }

  return {
    /** A page of articles, most recently edited first, and how many match in all. */
    async list(query: ArticleListQuery): Promise<{ rows: ArticleListRow[]; total: number }> {
      const filter = where(query);
      const counted = await db.first<{ n: number }>(`SELECT count(*) AS n FROM articles a${filter.sql}`, filter.params);
      const ids = await db.all<{ id: string; updated_at: number }>(
        `SELECT a.id, (SELECT max(t.updated_at) FROM translations t WHERE t.article_id = a.id) AS updated_at
         FROM articles a${filter.sql} ORDER BY updated_at DESC, a.id LIMIT ? OFFSET ?`,
        [...filter.params, query.limit, query.offset],
      );
      if (ids.length === 0) return { rows: [], total: counted?.n ?? 0 };
      const translations = await db.all<{ article_id: string; lang: string; status: Status; title: string; slug: string }>(
        `SELECT article_id, lang, status, title, slug FROM translations
         WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY lang`,
        [JSON.stringify(ids.map((row) => row.id))],
      );
      const rows = ids.map((row) => ({
        id: row.id,
        updatedAt: row.updated_at,
        translations: translations
          .filter((t) => t.article_id === row.id)
          .map(({ lang, status, title, slug }) => ({ lang, status, title, slug })),
      }));
      return { rows, total: counted?.n ?? 0 };
    },
  };
}
