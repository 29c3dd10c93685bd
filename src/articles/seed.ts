import type { Deps } from '../deps.ts';
import { createArticle } from './article-service.ts';
import { parseArticleInput } from './input.ts';

export interface SeedFile {
  name: string;
  body: unknown;
}

/** Creates the seed articles when the store has none, so restarts never seed twice. Returns how many were created. */
export async function seedArticles(deps: Deps, files: SeedFile[]): Promise<number> {
  if ((await deps.store.countArticles()) > 0) return 0;
  const parsed = files.map((file) => {
    try {
      return parseArticleInput(file.body, deps.config.languages);
    } catch (error) {
      throw new Error(`Seed file ${file.name} is invalid: ${(error as Error).message}`);
    }
  });
  for (const inputs of parsed) await createArticle(deps, inputs);
  return parsed.length;
}
