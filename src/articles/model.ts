/** A category or tag as written by the editor, with the slug its feed and page URLs use. */
export interface Term {
  name: string;
  slug: string;
}

export interface Image {
  url: string;
  type: string;
  length: number;
}

export type Status = 'draft' | 'published';

/** One language version of an article; times are milliseconds since the epoch. */
export interface Translation {
  articleId: string;
  lang: string;
  slug: string;
  /** Feed entry id, minted once and kept across edits. */
  guid: string;
  title: string;
  summary: string;
  contentHtml: string;
  authors: string[];
  categories: Term[];
  tags: Term[];
  image: Image | null;
  status: Status;
  publishedAt: number;
  updatedAt: number;
}

/** Another language version of the same article, as linked from a translation. */
export interface SiblingLink {
  articleId: string;
  lang: string;
  slug: string;
  title: string;
}

export interface Article {
  id: string;
  translations: Translation[];
}

/** What a feed, page or list selects: a language, optionally narrowed to one category or tag. */
export interface Scope {
  lang: string;
  term?: { kind: 'category' | 'tag'; slug: string };
}

/** Stable string key of a scope, e.g. `en`, `en/category/bitcoin`. */
export function scopeKey(scope: Scope): string {
  return scope.term ? `${scope.lang}/${scope.term.kind}/${scope.term.slug}` : scope.lang;
}

/** Display name of a scope's term, as written in the newest of these translations that carries it. */
export function termName(scope: Scope, translations: Translation[]): string | undefined {
  if (!scope.term) return undefined;
  const { kind, slug } = scope.term;
  const terms = translations[0]?.[kind === 'category' ? 'categories' : 'tags'] ?? [];
  return terms.find((term) => term.slug === slug)?.name ?? slug;
}

/** What the editors' list of articles asks for; every filter is optional. */
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
