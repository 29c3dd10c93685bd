import { matchArticle } from '../crosslink/matcher.ts';
import type { Deps } from '../deps.ts';
import { conflict, notFound } from '../errors.ts';
import { changedFeedScopes } from '../feeds/invalidation.ts';
import type { TranslationInput } from './input.ts';
import { toTranslation } from './input.ts';
import type { Article, Translation } from './model.ts';

/** Article writes: each is one atomic store write followed by invalidation of exactly the feeds it changed. */

export async function createArticle(deps: Deps, inputs: TranslationInput[]): Promise<Article> {
  const id = deps.newId();
  return save(deps, id, [], build(deps, id, inputs, []));
}

export async function replaceArticle(deps: Deps, id: string, inputs: TranslationInput[]): Promise<Article> {
  const existing = await requireArticle(deps, id);
  return save(deps, id, existing.translations, build(deps, id, inputs, existing.translations));
}

/** Adds or replaces one translation; `created` tells which. */
export async function putTranslation(deps: Deps, id: string, input: TranslationInput): Promise<{ article: Article; created: boolean }> {
  const existing = await requireArticle(deps, id);
  const others = existing.translations.filter((t) => t.lang !== input.lang);
  const [translation] = build(deps, id, [input], existing.translations);
  const article = await save(deps, id, existing.translations, [...others, translation]);
  return { article, created: others.length === existing.translations.length };
}

/** Re-renders the feeds carrying these articles (after their related coverage changed). */
export async function refreshArticleFeeds(deps: Deps, articleIds: string[]): Promise<void> {
  for (const id of articleIds) {
    const article = await deps.store.getArticle(id);
    if (article) await deps.feedCache.invalidate(changedFeedScopes(article.translations, []));
  }
}

export async function deleteArticle(deps: Deps, id: string): Promise<void> {
  const existing = await requireArticle(deps, id);
  await deps.store.deleteArticle(id);
  await deps.feedCache.invalidate(changedFeedScopes(existing.translations, []));
}

export async function deleteTranslation(deps: Deps, id: string, lang: string): Promise<void> {
  const existing = await requireArticle(deps, id);
  if (!existing.translations.some((t) => t.lang === lang)) throw notFound(`Article ${id} has no "${lang}" translation.`);
  await save(
    deps,
    id,
    existing.translations,
    existing.translations.filter((t) => t.lang !== lang),
  );
}

export async function requireArticle(deps: Deps, id: string): Promise<Article> {
  const article = await deps.store.getArticle(id);
  if (!article) throw notFound(`No article with id "${id}".`);
  return article;
}

function build(deps: Deps, id: string, inputs: TranslationInput[], existing: Translation[]): Translation[] {
  const now = deps.now();
  return inputs.map((input) =>
    toTranslation(
      input,
      id,
      existing.find((t) => t.lang === input.lang),
      now,
      () => `urn:uuid:${deps.newId()}`,
    ),
  );
}

async function save(deps: Deps, id: string, before: Translation[], after: Translation[]): Promise<Article> {
  for (const t of after) {
    const owner = await deps.store.findSlugOwner(t.lang, t.slug);
    if (owner && owner !== id) throw slugTaken(t);
  }
  try {
    await deps.store.saveArticle({ id, translations: after });
  } catch (error) {
    // Another write took a slug between the check above and this write.
    if (error instanceof Error && error.message.includes('UNIQUE constraint failed: translations.lang, translations.slug')) {
      throw conflict('slug_taken', 'A slug of this article was taken by another article meanwhile; nothing was written.');
    }
    throw error;
  }
  await deps.feedCache.invalidate(changedFeedScopes(before, after));
  // Re-link the article to recent coverage; its feeds change when its related items do.
  if (await matchArticle(deps, id, after, deps.now())) await refreshArticleFeeds(deps, [id]);
  return { id, translations: after };
}

function slugTaken(t: Translation) {
  return conflict('slug_taken', `The slug "${t.slug}" is already used by another "${t.lang}" article.`, { lang: t.lang, slug: t.slug });
}
