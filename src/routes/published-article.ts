import type { ArticleService } from '../articles/article-service.ts';
import type { SiblingLink, Translation } from '../articles/model.ts';
import type { CrosslinkService } from '../crosslink/crosslink-service.ts';
import type { RelatedItem } from '../crosslink/model.ts';

/** A published translation with what its page and API answer show beside it: its siblings and the related coverage. */
export async function loadPublishedArticle(
  ports: { articles: Pick<ArticleService, 'getPublished' | 'publishedSiblings'>; crosslink: Pick<CrosslinkService, 'relatedItems'> },
  lang: string,
  slug: string,
): Promise<{ translation: Translation; siblings: SiblingLink[]; related: RelatedItem[] } | undefined> {
  const translation = await ports.articles.getPublished(lang, slug);
  if (!translation) return undefined;
  const [siblings, related] = await Promise.all([
    ports.articles.publishedSiblings([translation.articleId]),
    ports.crosslink.relatedItems([translation.articleId]),
  ]);
  return { translation, siblings: siblings.get(translation.articleId) ?? [], related: related.get(translation.articleId) ?? [] };
}
