import { primaryLanguage } from './language.ts';

/** Interface text of the pages and feeds, per language; languages without their own fall back to English. */
const messages = {
  en: {
    latest: 'Latest articles',
    category: 'Category',
    tag: 'Tag',
    alsoAvailableIn: 'This post is also available in:',
    by: 'By',
    feeds: 'Feeds',
    older: 'Older articles',
    notFound: 'Page not found',
    notFoundText: 'There is no page at this address.',
    badRequest: 'This request could not be served',
    home: 'Home',
    relatedCoverage: 'Related coverage',
    coveredBy: (outlets: number, languages: number) =>
      `covered by ${outlets} outlets in ${languages} ${languages === 1 ? 'language' : 'languages'}`,
    feedDescription: (scope: string) => `Latest articles${scope ? ` in ${scope}` : ''}`,
  },
  es: {
    latest: 'Últimos artículos',
    category: 'Categoría',
    tag: 'Etiqueta',
    alsoAvailableIn: 'Esta entrada también está disponible en:',
    by: 'Por',
    feeds: 'Feeds',
    older: 'Artículos anteriores',
    notFound: 'Página no encontrada',
    notFoundText: 'No hay ninguna página en esta dirección.',
    badRequest: 'No se pudo atender esta solicitud',
    home: 'Inicio',
    relatedCoverage: 'Cobertura relacionada',
    coveredBy: (outlets: number, languages: number) =>
      `cubierta por ${outlets} medios en ${languages} ${languages === 1 ? 'idioma' : 'idiomas'}`,
    feedDescription: (scope: string) => `Últimos artículos${scope ? ` en ${scope}` : ''}`,
  },
};

export type Messages = (typeof messages)['en'];

export function messagesFor(lang: string): Messages {
  return (messages as Record<string, Messages>)[primaryLanguage(lang)] ?? messages.en;
}

/** The language's own name for itself, capitalized: `es` -> `Español`. */
export function languageName(lang: string): string {
  const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}
