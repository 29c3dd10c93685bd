import { AppError } from '../errors.ts';

/** 404 for a language the site does not publish in. */
export function requireLanguage(languages: string[], lang: string): void {
  if (!languages.includes(lang)) throw new AppError('not_found', `Unknown language "${lang}"; available: ${languages.join(', ')}.`);
}
