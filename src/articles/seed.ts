import type { ArticleService } from './article-service.ts';
import { parseArticleInput } from './input.ts';

export interface SeedFile {
  name: string;
  body: unknown;
}

/** Creates the seed articles when the store has none, so restarts never seed twice. Returns how many were created. */
export async function seedArticles(articles: ArticleService, languages: string[], files: SeedFile[]): Promise<number> {
  if ((await articles.countArticles()) > 0) return 0;
  const parsed = files.map((file) => {
    try {
      return parseArticleInput(file.body, languages);
    } catch (error) {
      throw new Error(`Seed file ${file.name} is invalid: ${(error as Error).message}`);
    }
  });
  for (const inputs of parsed) await articles.createArticle(inputs);
  return parsed.length;
}
