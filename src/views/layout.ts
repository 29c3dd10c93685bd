import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Scope } from '../articles/model.ts';
import type { Config } from '../config.ts';
import { feedPath } from '../feeds/feed-model.ts';
import { messagesFor } from '../shared/i18n.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageHead {
  lang: string;
  title: string;
  description?: string;
  /** Feeds offered for autodiscovery (RSS Autodiscovery; HTML `link rel="alternate"`). */
  feedScope: Scope;
  /** Other language versions of this page, for `link rel="alternate" hreflang`. */
  alternates?: { lang: string; url: string }[];
}

const style = `
body{margin:0;font:17px/1.6 Georgia,'Times New Roman',serif;color:#1d1d1f;background:#fbfaf7}
header,main,footer{max-width:44rem;margin:0 auto;padding:0 1.25rem}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid #ddd;padding-top:1rem}
header a{color:inherit;text-decoration:none;font-weight:bold}
nav a{margin-left:.75rem;font:14px system-ui,sans-serif;color:#555}
h1{line-height:1.2}
a{color:#0b5cad}
.meta,.summary{color:#555;font:15px/1.5 system-ui,sans-serif}
article.teaser{border-bottom:1px solid #eee;padding:.5rem 0 1rem}
.translations{background:#f0eee8;padding:.75rem 1rem;border-radius:4px;font-family:system-ui,sans-serif}
blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#444}
footer{font:14px system-ui,sans-serif;color:#666;border-top:1px solid #ddd;margin-top:2rem;padding-bottom:2rem}`;

/** The page frame: head with hreflang and feed discovery links, site header, footer with feed links. */
export function layout(config: Config, head: PageHead, body: Html): Html {
  const t = messagesFor(head.lang);
  const feeds = [
    { type: 'application/rss+xml', label: 'RSS', href: feedPath(head.feedScope, 'rss') },
    { type: 'application/atom+xml', label: 'Atom', href: feedPath(head.feedScope, 'atom') },
    { type: 'application/feed+json', label: 'JSON Feed', href: feedPath(head.feedScope, 'json') },
  ];
  return html`<!doctype html>
<html lang="${head.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${head.title}</title>
${head.description ? html`<meta name="description" content="${head.description}">` : ''}
${(head.alternates ?? []).map((a) => html`<link rel="alternate" hreflang="${a.lang}" href="${a.url}">\n`)}
${feeds.map((f) => html`<link rel="alternate" type="${f.type}" title="${config.siteTitle} (${f.label})" href="${config.siteUrl}${f.href}">\n`)}
<style>${raw(style)}</style>
</head>
<body>
<header><a href="/${head.lang}/">${config.siteTitle}</a>
<nav>${config.languages.map((lang) => html`<a href="/${lang}/" hreflang="${lang}" lang="${lang}">${lang.toUpperCase()}</a>`)}</nav></header>
<main>${body}</main>
<footer>${t.feeds}: ${feeds.map((f, i) => html`${i ? ' · ' : ''}<a href="${f.href}" type="${f.type}">${f.label}</a>`)}</footer>
</body>
</html>`;
}
