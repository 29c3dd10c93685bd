import type { SiblingLink, Term, Translation } from '../articles/model.ts';
import { articleApiPath, articlePath, scopePath } from '../articles/urls.ts';
import type { RelatedItem } from '../crosslink/model.ts';

/** Related coverage as the API shows it. */
export function presentRelated(item: RelatedItem) {
  return {
    itemId: item.itemId,
    source: item.source,
    title: item.title,
    url: item.url,
    language: item.language,
    publishedAt: new Date(item.publishedAt).toISOString(),
    score: item.score,
    reason: item.reason,
    pinned: item.state === 'pinned',
    // The story this item tells, as covered by this many outlets in this many languages (its story cluster).
    coverage: item.coverage,
  };
}

/** JSON shape of a translation in API responses; `content` only where the whole article is asked for. */
export function presentTranslation(t: Translation, siteUrl: string, siblings: SiblingLink[], options: { content: boolean }) {
  const terms = (kind: 'category' | 'tag', list: Term[]) =>
    list.map((term) => ({ name: term.name, slug: term.slug, url: siteUrl + scopePath({ lang: t.lang, term: { kind, slug: term.slug } }) }));
  return {
    id: t.articleId,
    lang: t.lang,
    slug: t.slug,
    url: siteUrl + articlePath(t.lang, t.slug),
    status: t.status,
    title: t.title,
    summary: t.summary,
    ...(options.content ? { content: t.contentHtml } : {}),
    authors: t.authors,
    categories: terms('category', t.categories),
    tags: terms('tag', t.tags),
    image: t.image,
    publishedAt: new Date(t.publishedAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
    translations: siblings
      .filter((sibling) => sibling.lang !== t.lang)
      .map((sibling) => ({
        lang: sibling.lang,
        slug: sibling.slug,
        title: sibling.title,
        url: siteUrl + articlePath(sibling.lang, sibling.slug),
        api: siteUrl + articleApiPath(sibling.lang, sibling.slug),
      })),
  };
}
