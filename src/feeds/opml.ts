import type { FeedTerm } from '../articles/article-store.ts';
import { escapeXml } from '../shared/xml.ts';
import { feedPath } from './feed-model.ts';

const formats = [
  ['rss', 'RSS'],
  ['atom', 'Atom'],
  ['json', 'JSON Feed'],
] as const;

/** OPML 2.0 (http://opml.org/spec2.opml) subscription list: per language, the site feeds and each category and tag feed. */
export function renderOpml(siteUrl: string, siteTitle: string, languages: string[], terms: FeedTerm[]): string {
  const outline = (title: string, lang: string, scope: Parameters<typeof feedPath>[0]) =>
    formats
      .map(
        ([format, label]) =>
          `      <outline type="${format === 'json' ? 'link' : 'rss'}" text="${escapeXml(`${title} (${label})`)}" title="${escapeXml(`${title} (${label})`)}" xmlUrl="${escapeXml(siteUrl + feedPath(scope, format))}" htmlUrl="${escapeXml(siteUrl + feedPath(scope, format).replace(/[^/]+$/, ''))}" language="${lang}"/>`,
      )
      .join('\n');
  const groups = languages.map((lang) => {
    const lines = [outline(siteTitle, lang, { lang })];
    for (const term of terms.filter((t) => t.lang === lang)) {
      lines.push(outline(`${siteTitle}: ${term.name}`, lang, { lang, term: { kind: term.kind, slug: term.slug } }));
    }
    return `    <outline text="${escapeXml(`${siteTitle} [${lang}]`)}">\n${lines.join('\n')}\n    </outline>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXml(siteTitle)}</title>
  </head>
  <body>
${groups.join('\n')}
  </body>
</opml>
`;
}
