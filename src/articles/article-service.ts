import { AppError } from '../errors.ts';
import { ConstraintViolation } from '../store/sql-client.ts';
import type { ArticleStore } from './article-store.ts';
import { type TranslationInput, toTranslation } from './input.ts';
import type { Article, Translation } from './model.ts';

/** An article as it was before a write and as the write left it (`after` is empty for a deletion). */
export interface ArticleChange {
  id: string;
  before: Translation[];
  after: Translation[];
}

export interface ArticleServicePorts {
  store: ArticleStore;
  now: () => number;
  newId: () => string;
  /** Runs after every committed write: what other features derive from articles (feeds, related coverage) follows here. */
  afterWrite: (change: ArticleChange) => Promise<void>;
}

export type ArticleService = ReturnType<typeof createArticleService>;

/** Article reads, and writes that are each one atomic store write followed by `afterWrite`. */
export function createArticleService({ store, now, newId, afterWrite }: ArticleServicePorts) {
  async function requireArticle(id: string): Promise<Article> {
    const article = await store.getArticle(id);
    if (!article) throw new AppError('not_found', `No article with id "${id}".`);
    return article;
  }

  function build(id: string, inputs: TranslationInput[], existing: Translation[]): Translation[] {
    const time = now();
    return inputs.map((input) =>
      toTranslation(
        input,
        id,
        existing.find((t) => t.lang === input.lang),
        time,
        () => `urn:uuid:${newId()}`,
      ),
    );
  }

  async function save(id: string, before: Translation[], after: Translation[]): Promise<Article> {
    for (const t of after) {
      const owner = await store.findSlugOwner(t.lang, t.slug);
      if (owner && owner !== id) {
        throw new AppError('slug_taken', `The slug "${t.slug}" is already used by another "${t.lang}" article.`, {
          lang: t.lang,
          slug: t.slug,
        });
      }
    }
    try {
      await store.saveArticle({ id, translations: after });
    } catch (error) {
      // Another write took a slug between the check above and this write.
      if (error instanceof ConstraintViolation && error.kind === 'unique') {
        throw new AppError('slug_taken', 'A slug of this article was taken by another article meanwhile; nothing was written.');
      }
      throw error;
    }
    await afterWrite({ id, before, after });
    return { id, translations: after };
  }

  return {
    requireArticle,
    ping: () => store.ping(),
    countArticles: () => store.countArticles(),
    listPublished: store.listPublished,
    listForEditors: store.listForEditors,
    getPublished: store.getPublished,
    findSlugOwner: store.findSlugOwner,
    publishedSiblings: store.publishedSiblings,
    listFeedTerms: () => store.listFeedTerms(),

    async createArticle(inputs: TranslationInput[]): Promise<Article> {
      const id = newId();
      return save(id, [], build(id, inputs, []));
    },

    async replaceArticle(id: string, inputs: TranslationInput[]): Promise<Article> {
      const existing = await requireArticle(id);
      return save(id, existing.translations, build(id, inputs, existing.translations));
    },

    /** Adds or replaces one translation; `created` tells which. */
    async putTranslation(id: string, input: TranslationInput): Promise<{ article: Article; created: boolean }> {
      const existing = await requireArticle(id);
      const others = existing.translations.filter((t) => t.lang !== input.lang);
      const [translation] = build(id, [input], existing.translations);
      const article = await save(id, existing.translations, [...others, translation!]);
      return { article, created: others.length === existing.translations.length };
    },

    async deleteTranslation(id: string, lang: string): Promise<void> {
      const existing = await requireArticle(id);
      if (!existing.translations.some((t) => t.lang === lang))
        throw new AppError('not_found', `Article ${id} has no "${lang}" translation.`);
      // An article has at least one translation (as PUT requires): removing the last one is deleting the article.
      if (existing.translations.length === 1)
        throw new AppError('last_translation', `"${lang}" is the only translation of article ${id}; delete the article instead.`);
      await save(
        id,
        existing.translations,
        existing.translations.filter((t) => t.lang !== lang),
      );
    },

    async deleteArticle(id: string): Promise<void> {
      const existing = await requireArticle(id);
      await store.deleteArticle(id);
      await afterWrite({ id, before: existing.translations, after: [] });
    },
  };
}
