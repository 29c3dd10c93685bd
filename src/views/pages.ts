import { html, raw } from 'hono/html';
import type { Scope, SiblingLink, Translation } from '../articles/model.ts';
import { articlePath, scopePath } from '../articles/urls.ts';
import type { Config } from '../config.ts';
import type { RelatedItem } from '../crosslink/model.ts';
import { languageName, messagesFor } from '../shared/i18n.ts';
import { layout } from './layout.ts';

const dateFormat = (lang: string, ms: number) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(ms));

function byline(t: Translation) {
  const m = messagesFor(t.lang);
  return html`<p class="meta"><time datetime="${new Date(t.publishedAt).toISOString()}">${dateFormat(t.lang, t.publishedAt)}</time>${
    t.authors.length ? html` · ${m.by} ${t.authors.join(', ')}` : ''
  }${t.categories.map((c) => html` · <a href="${scopePath({ lang: t.lang, term: { kind: 'category', slug: c.slug } })}">${c.name}</a>`)}</p>`;
}

/** A newest-first list of articles in a scope, with a link to the next page. */
export function listPage(config: Config, scope: Scope, heading: string, items: Translation[], nextCursor: string | null) {
  const m = messagesFor(scope.lang);
  const body = html`<h1>${heading}</h1>
${items.map(
  (t) =>
    html`<article class="teaser"><h2><a href="${articlePath(t.lang, t.slug)}">${t.title}</a></h2>${byline(t)}<p class="summary">${t.summary}</p></article>`,
)}
${nextCursor ? html`<p><a rel="next" href="${scopePath(scope)}?cursor=${nextCursor}">${m.older} →</a></p>` : ''}`;
  return layout(config, { lang: scope.lang, title: `${heading} · ${config.siteTitle}`, feedScope: scope }, body);
}

function relatedSection(lang: string, related: RelatedItem[]) {
  if (related.length === 0) return '';
  const m = messagesFor(lang);
  return html`<section class="related" aria-labelledby="related-heading">
<h2 id="related-heading">${m.relatedCoverage}</h2>
<ul>${related.map(
    (item) =>
      html`<li>${item.url ? html`<a href="${item.url}" rel="noopener noreferrer nofollow"${item.language ? html` hreflang="${item.language}"` : ''}>${item.title}</a>` : item.title}
<span class="meta"> · ${item.source} · <time datetime="${new Date(item.publishedAt).toISOString()}">${dateFormat(lang, item.publishedAt)}</time>${
        item.language ? html` · <span lang="${item.language}">${languageName(item.language)}</span>` : ''
      }${item.coverage.outlets > 1 ? html` · ${m.coveredBy(item.coverage.outlets, item.coverage.languages)}` : ''}</span></li>`,
  )}</ul>
</section>`;
}

/** One translation, with links to its other language versions and the related coverage elsewhere. */
export function articlePage(config: Config, t: Translation, siblings: SiblingLink[], related: RelatedItem[] = []) {
  const m = messagesFor(t.lang);
  const others = siblings.filter((s) => s.lang !== t.lang);
  const alternates = [t, ...others].map((s) => ({ lang: s.lang, url: config.siteUrl + articlePath(s.lang, s.slug) }));
  const body = html`<article lang="${t.lang}">
<h1>${t.title}</h1>
${byline(t)}
${raw(t.contentHtml)}
${t.tags.length ? html`<p class="meta">${m.tag}: ${t.tags.map((tag, i) => html`${i ? ', ' : ''}<a href="${scopePath({ lang: t.lang, term: { kind: 'tag', slug: tag.slug } })}">${tag.name}</a>`)}</p>` : ''}
${
  others.length
    ? html`<p class="translations">${m.alsoAvailableIn} ${others.map(
        (s, i) =>
          html`${i ? ', ' : ''}<a href="${articlePath(s.lang, s.slug)}" hreflang="${s.lang}" lang="${s.lang}" rel="alternate">${languageName(s.lang)}</a>`,
      )}</p>`
    : ''
}
${relatedSection(t.lang, related)}
</article>`;
  return layout(
    config,
    { lang: t.lang, title: `${t.title} · ${config.siteTitle}`, description: t.summary, feedScope: { lang: t.lang }, alternates },
    body,
  );
}

/** The HTML answer to a failed page request: "not found", or the error's own message. */
export function errorPage(config: Config, lang: string, status: number, message: string) {
  const m = messagesFor(lang);
  const heading = status === 404 ? m.notFound : m.badRequest;
  return layout(
    config,
    { lang, title: `${heading} · ${config.siteTitle}`, feedScope: { lang } },
    html`<h1>${heading}</h1><p>${status === 404 ? m.notFoundText : message}</p><p><a href="/${lang}/">${m.home}</a></p>`,
  );
}
