import type { Cursor } from '../shared/cursor.ts';
import type { SqlClient, SqlStatement, SqlValue } from '../store/sql-client.ts';
import type { Article, ArticleListQuery, ArticleListRow, Scope, SiblingLink, Status, Term, Translation } from './model.ts';

export interface ListQuery {
  scope: Scope;
  limit: number;
  after?: Cursor;
  /** Rows to skip first (pages of a paged feed). */
  offset?: number;
}

/** A term that has at least one published translation, for the OPML list of feeds. */
export interface FeedTerm {
  lang: string;
  kind: 'category' | 'tag';
  slug: string;
  name: string;
}

/** Everything the app stores about articles. Async: the D1 implementation cannot be synchronous. */
export interface ArticleStore {
  ping(): Promise<void>;
  countArticles(): Promise<number>;
  getArticle(id: string): Promise<Article | undefined>;
  /** Ids of the `limit` articles with a published translation written last (translations are rewritten on each save). */
  recentlyWrittenArticleIds(limit: number): Promise<string[]>;
  /** Owner of a slug in a language, if any. */
  findSlugOwner(lang: string, slug: string): Promise<string | undefined>;
  /** Writes the article with exactly these translations, atomically (creating it if new); ConstraintViolation for a taken slug. */
  saveArticle(article: Article): Promise<void>;
  deleteArticle(id: string): Promise<void>;
  /** Published translations in a scope, newest first. */
  listPublished(query: ListQuery): Promise<Translation[]>;
  /** Every article, drafts included, for the editors' list: a page, most recently edited first, and how many match. */
  listForEditors(query: ArticleListQuery): Promise<{ rows: ArticleListRow[]; total: number }>;
  /** How many published translations a category or tag holds in a language (kept by triggers: no rows counted). */
  countPublishedInTerm(lang: string, term: { kind: 'category' | 'tag'; slug: string }): Promise<number>;
  getPublished(lang: string, slug: string): Promise<Translation | undefined>;
  /** Published translations in a language published in [from, to), newest first, at most `limit`. */
  listPublishedBetween(lang: string, from: number, to: number, limit: number): Promise<Translation[]>;
  /** Publication times of the newest published translation before `from` and the oldest at or after `to`, if any. */
  publishedAround(lang: string, from: number, to: number): Promise<{ before?: number; after?: number }>;
  /** Published translations of the given articles (to link siblings), keyed by article id. */
  publishedSiblings(articleIds: string[]): Promise<Map<string, SiblingLink[]>>;
  listFeedTerms(): Promise<FeedTerm[]>;
}

interface TranslationRow {
  article_id: string;
  lang: string;
  slug: string;
  guid: string;
  title: string;
  summary: string;
  content_html: string;
  authors: string;
  image_url: string | null;
  image_type: string | null;
  image_length: number | null;
  status: 'draft' | 'published';
  published_at: number;
  updated_at: number;
  /** JSON: `{categories, tags}`, each a list of `{name, slug}`. */
  terms: string;
}

const translationColumns =
  't.article_id, t.lang, t.slug, t.guid, t.title, t.summary, t.content_html, t.authors, t.image_url, t.image_type, t.image_length, t.status, t.published_at, t.updated_at, t.terms';

/** SQL implementation of ArticleStore over SQLite or D1. */
export function createArticleStore(db: SqlClient): ArticleStore {
  function listStatement({ scope, limit, after, offset = 0 }: ListQuery): { sql: string; params: SqlValue[] } {
    const params: SqlValue[] = [scope.lang];
    // Term feeds walk translation_terms' (lang, kind, slug, status, time) index; the site feed translations' own.
    const by = scope.term ? 'x' : 't';
    let sql = scope.term
      ? `SELECT ${translationColumns} FROM translation_terms x
         JOIN translations t ON t.article_id = x.article_id AND t.lang = x.lang
         WHERE x.lang = ? AND x.kind = ? AND x.slug = ? AND x.status = 'published'`
      : `SELECT ${translationColumns} FROM translations t WHERE t.lang = ? AND t.status = 'published'`;
    if (scope.term) params.push(scope.term.kind, scope.term.slug);
    if (after) {
      sql += ` AND (${by}.published_at, ${by}.article_id) < (?, ?)`;
      params.push(after.publishedAt, after.id);
    }
    sql += ` ORDER BY ${by}.published_at DESC, ${by}.article_id DESC LIMIT ? OFFSET ?`;
    params.push(limit, offset);
    return { sql, params };
  }

  return {
    async ping() {
      await db.first('SELECT 1');
    },

    async countArticles() {
      const row = await db.first<{ n: number }>('SELECT count(*) AS n FROM articles');
      return row?.n ?? 0;
    },

    async recentlyWrittenArticleIds(limit) {
      const rows = await db.all<{ article_id: string }>(
        "SELECT article_id FROM translations WHERE status = 'published' GROUP BY article_id ORDER BY max(rowid) DESC LIMIT ?",
        [limit],
      );
      return rows.map((row) => row.article_id);
    },

    async getArticle(id) {
      const exists = await db.first<{ id: string }>('SELECT id FROM articles WHERE id = ?', [id]);
      if (!exists) return undefined;
      const rows = await db.all<TranslationRow>(`SELECT ${translationColumns} FROM translations t WHERE t.article_id = ? ORDER BY t.lang`, [
        id,
      ]);
      return { id, translations: rows.map(toTranslation) };
    },

    async findSlugOwner(lang, slug) {
      const row = await db.first<{ article_id: string }>('SELECT article_id FROM translations WHERE lang = ? AND slug = ?', [lang, slug]);
      return row?.article_id;
    },

    async saveArticle(article) {
      const statements: SqlStatement[] = [
        // Terms go with their translation (ON DELETE CASCADE).
        { sql: 'DELETE FROM translations WHERE article_id = ?', params: [article.id] },
        { sql: 'INSERT OR IGNORE INTO articles (id) VALUES (?)', params: [article.id] },
      ];
      for (const t of article.translations) statements.push(...insertTranslation(t));
      await db.batch(statements);
    },

    async deleteArticle(id) {
      // Translations, terms and whatever other features keep about the article go with it (ON DELETE CASCADE).
      await db.batch([{ sql: 'DELETE FROM articles WHERE id = ?', params: [id] }]);
    },

    async listPublished(query) {
      const { sql, params } = listStatement(query);
      return (await db.all<TranslationRow>(sql, params)).map(toTranslation);
    },

    async listForEditors(query) {
      const filter = editorFilter(query);
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

    async countPublishedInTerm(lang, term) {
      const row = await db.first<{ published: number }>('SELECT published FROM term_counts WHERE lang = ? AND kind = ? AND slug = ?', [
        lang,
        term.kind,
        term.slug,
      ]);
      return row?.published ?? 0;
    },

    async listPublishedBetween(lang, from, to, limit) {
      const rows = await db.all<TranslationRow>(
        `SELECT ${translationColumns} FROM translations t WHERE t.lang = ? AND t.status = 'published' AND t.published_at >= ? AND t.published_at < ?
         ORDER BY t.published_at DESC, t.article_id DESC LIMIT ?`,
        [lang, from, to, limit],
      );
      return rows.map(toTranslation);
    },

    async publishedAround(lang, from, to) {
      const row = await db.first<{ before: number | null; after: number | null }>(
        `SELECT (SELECT max(published_at) FROM translations WHERE lang = ? AND status = 'published' AND published_at < ?) AS before,
                (SELECT min(published_at) FROM translations WHERE lang = ? AND status = 'published' AND published_at >= ?) AS after`,
        [lang, from, lang, to],
      );
      return { before: row?.before ?? undefined, after: row?.after ?? undefined };
    },

    async getPublished(lang, slug) {
      const row = await db.first<TranslationRow>(
        `SELECT ${translationColumns} FROM translations t WHERE t.lang = ? AND t.slug = ? AND t.status = 'published'`,
        [lang, slug],
      );
      return row ? toTranslation(row) : undefined;
    },

    async publishedSiblings(articleIds) {
      const siblings = new Map<string, SiblingLink[]>();
      if (articleIds.length === 0) return siblings;
      const rows = await db.all<{ article_id: string; lang: string; slug: string; title: string }>(
        `SELECT article_id, lang, slug, title FROM translations
         WHERE article_id IN (SELECT value FROM json_each(?)) AND status = 'published' ORDER BY lang`,
        [JSON.stringify([...new Set(articleIds)])],
      );
      for (const row of rows) {
        const list = siblings.get(row.article_id) ?? [];
        list.push({ articleId: row.article_id, lang: row.lang, slug: row.slug, title: row.title });
        siblings.set(row.article_id, list);
      }
      return siblings;
    },

    async listFeedTerms() {
      return db.all<FeedTerm>(
        `SELECT lang, kind, slug, min(name) AS name FROM translation_terms
         WHERE status = 'published' GROUP BY lang, kind, slug ORDER BY lang, kind, slug`,
      );
    },
  };
}

function insertTranslation(t: Translation): SqlStatement[] {
  const statements: SqlStatement[] = [
    {
      sql: `INSERT INTO translations (article_id, lang, slug, guid, title, summary, content_html, authors, image_url, image_type, image_length, status, published_at, updated_at, terms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [
        t.articleId,
        t.lang,
        t.slug,
        t.guid,
        t.title,
        t.summary,
        t.contentHtml,
        JSON.stringify(t.authors),
        t.image?.url ?? null,
        t.image?.type ?? null,
        t.image?.length ?? null,
        t.status,
        t.publishedAt,
        t.updatedAt,
        JSON.stringify({ categories: t.categories, tags: t.tags }),
      ],
    },
  ];
  const terms = [...t.categories.map((term) => ['category', term] as const), ...t.tags.map((term) => ['tag', term] as const)];
  terms.forEach(([kind, term], position) => {
    statements.push({
      sql: `INSERT INTO translation_terms (article_id, lang, kind, slug, name, position, status, published_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [t.articleId, t.lang, kind, term.slug, term.name, position, t.status, t.publishedAt],
    });
  });
  return statements;
}

function toTranslation(row: TranslationRow): Translation {
  const terms = JSON.parse(row.terms) as { categories: Term[]; tags: Term[] };
  return {
    articleId: row.article_id,
    lang: row.lang,
    slug: row.slug,
    guid: row.guid,
    title: row.title,
    summary: row.summary,
    contentHtml: row.content_html,
    authors: JSON.parse(row.authors) as string[],
    categories: terms.categories,
    tags: terms.tags,
    image: row.image_url ? { url: row.image_url, type: row.image_type ?? 'image/jpeg', length: row.image_length ?? 0 } : null,
    status: row.status,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
  };
}

/** The WHERE clause of the editors' list: translations in a status or language, missing a language, titles with words. */
function editorFilter(query: ArticleListQuery): { sql: string; params: SqlValue[] } {
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
