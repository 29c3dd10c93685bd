import type { ArticleService } from './article-service.ts';
import { parseArticleInput } from './input.ts';

export interface SeedFile {
  name: string;
  body: unknown;
}

export interface SeedResult {
  /** Articles created (0 when the store already had some). */
  created: number;
  /** Translations left out because their language is not configured, by language. */
  skipped: Map<string, number>;
}

/**
 * Creates the seed articles when the store has none (with `onlyMissing`, those not there yet: finishing an interrupted
 * seed). Only translations in the configured languages are seeded; an article with none of them is left out.
 */
export async function seedArticles(
  articles: ArticleService,
  languages: string[],
  files: SeedFile[],
  { onlyMissing = false }: { onlyMissing?: boolean } = {},
): Promise<SeedResult> {
  const skipped = new Map<string, number>();
  if (!onlyMissing && (await articles.countArticles()) > 0) return { created: 0, skipped };
  const parsed = files.flatMap((file) => {
    const translations = (file.body as { translations?: unknown }).translations;
    const kept = Array.isArray(translations)
      ? translations.filter((translation) => {
          const lang = (translation as { lang?: unknown })?.lang;
          if (typeof lang !== 'string' || languages.includes(lang)) return true;
          skipped.set(lang, (skipped.get(lang) ?? 0) + 1);
          return false;
        })
      : translations;
    if (Array.isArray(kept) && kept.length === 0) return [];
    try {
      return [parseArticleInput({ ...(file.body as object), translations: kept }, languages)];
    } catch (error) {
      throw new Error(`Seed file ${file.name} is invalid: ${(error as Error).message}`);
    }
  });
  let created = 0;
  for (const inputs of parsed) {
    // Resuming a seed a stop interrupted: the articles it got to are there already.
    if (onlyMissing && (await articles.findSlugOwner(inputs[0]!.lang, inputs[0]!.slug))) continue;
    await articles.createArticle(inputs);
    created += 1;
  }
  return { created, skipped };
}

/** "24 articles" or "12 articles (left out 12 translations in es: not in LANGUAGES)". */
export function describeSeed({ created, skipped }: SeedResult): string {
  const left = [...skipped.values()].reduce((sum, count) => sum + count, 0);
  if (left === 0) return `${created} articles`;
  return `${created} articles (left out ${left} translations in ${[...skipped.keys()].join(', ')}: not in LANGUAGES)`;
}
