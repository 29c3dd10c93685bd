import type { FeedTerm } from '../articles/article-store.ts';
import type { Scope } from '../articles/model.ts';
import { el, serializeXml } from '../shared/xml.ts';
import { feedPath } from './feed-model.ts';

const formats = [
  ['rss', 'RSS'],
  ['atom', 'Atom'],
  ['json', 'JSON Feed'],
] as const;

/** OPML 2.0 (http://opml.org/spec2.opml) subscription list: per language, the site feeds and each category and tag feed. */
export function renderOpml(siteUrl: string, siteTitle: string, languages: string[], terms: FeedTerm[]): string {
  const outlines = (title: string, lang: string, scope: Scope) =>
    formats.map(([format, label]) =>
      el('outline', {
        type: format === 'json' ? 'link' : 'rss',
        text: `${title} (${label})`,
        title: `${title} (${label})`,
        xmlUrl: siteUrl + feedPath(scope, format),
        htmlUrl: siteUrl + feedPath(scope, format).replace(/[^/]+$/, ''),
        language: lang,
      }),
    );
  // OPML 2.0 "<outline>": one folder per language holding its feeds
  const groups = languages.map((lang) =>
    el(
      'outline',
      { text: `${siteTitle} [${lang}]` },
      ...outlines(siteTitle, lang, { lang }),
      ...terms
        .filter((term) => term.lang === lang)
        .flatMap((term) => outlines(`${siteTitle}: ${term.name}`, lang, { lang, term: { kind: term.kind, slug: term.slug } })),
    ),
  );
  // OPML 2.0 "<head>" and "<body>"
  return serializeXml(el('opml', { version: '2.0' }, el('head', null, el('title', null, siteTitle)), el('body', null, ...groups)), {
    declaration: true,
  });
}
