import sanitizeHtml from 'sanitize-html';
import { invalidXmlChars } from '../shared/xml.ts';

// Video players worth embedding; pass as `iframeHosts` to opt in, nothing is embedded by default.
export const defaultVideoIframeHosts: readonly string[] = ['www.youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com'];

export interface SanitizeOptions {
  // Absolute URL that relative href/src/cite values resolve against (the item link or xml:base).
  baseUrl?: string;
  // Exact hostnames whose iframes are kept; any other iframe is dropped with its content.
  iframeHosts?: string[];
}

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'q',
  'cite',
  'pre',
  'code',
  'kbd',
  'samp',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'small',
  'mark',
  'abbr',
  'del',
  'ins',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'span',
  'div',
  'time',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
  abbr: ['title'],
  td: ['colspan', 'rowspan', 'scope'],
  th: ['colspan', 'rowspan', 'scope'],
  time: ['datetime'],
  q: ['cite'],
  blockquote: ['cite'],
  ol: ['start', 'reversed'],
  iframe: ['src', 'width', 'height', 'allowfullscreen'],
};

// Removed together with everything inside them, rather than unwrapped to their text.
const DROPPED_TAGS = [
  'script',
  'style',
  'noscript',
  'template',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'datalist',
  'textarea',
  'svg',
  'math',
  'iframe',
  'frame',
  'frameset',
  'noframes',
  'noembed',
  'xmp',
  'head',
  'title',
];

const LINK_SCHEMES = ['http:', 'https:', 'mailto:'];
const WEB_SCHEMES = ['http:', 'https:'];
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp);base64,[a-z0-9+/]+={0,2}$/i;
const LINK_REL = 'noopener noreferrer nofollow ugc';
// Stand-in base for validating relative URLs when no real base is known; `.invalid` can never resolve.
const PLACEHOLDER_BASE = new URL('https://relative.invalid/');

// Returns the URL to emit for an attribute value, or undefined when it must be dropped. Validation uses the WHATWG URL parser, the
// same algorithm browsers apply, so entity- or whitespace-obfuscated schemes (`jav&#x09;ascript:`) are seen as what they are.
function cleanUrl(raw: string, schemes: readonly string[], base: URL | undefined, allowDataImage = false): string | undefined {
  const value = raw.replace(/[\t\n\r]/g, '').trim();
  if (value === '') return undefined;
  if (/^data:/i.test(value)) {
    const compact = value.replace(/\s+/g, '');
    return allowDataImage && DATA_IMAGE.test(compact) ? compact : undefined;
  }
  let url: URL;
  try {
    url = new URL(value, base ?? PLACEHOLDER_BASE);
  } catch {
    return undefined;
  }
  if (!schemes.includes(url.protocol)) return undefined;
  return base === undefined && url.origin === PLACEHOLDER_BASE.origin ? value : url.href;
}

// Rebuilds rather than deletes so attributes keep their source order.
function withUrl(attribs: sanitizeHtml.Attributes, name: string, clean: (raw: string) => string | undefined): sanitizeHtml.Attributes {
  const result: sanitizeHtml.Attributes = {};
  for (const [key, value] of Object.entries(attribs)) {
    const cleaned = key === name ? clean(value) : value;
    if (cleaned !== undefined) result[key] = cleaned;
  }
  return result;
}

function parseBase(baseUrl: string | undefined): URL | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    const base = new URL(baseUrl);
    return WEB_SCHEMES.includes(base.protocol) ? base : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sanitizes untrusted feed HTML for storage and display: a conservative allowlist of tags and attributes, no scripts, styles, event
 * handlers, forms or embedded documents (iframes only from `iframeHosts`), URLs resolved against `baseUrl` and limited to
 * http(s)/mailto links and http(s) or raster `data:` images, `rel="noopener noreferrer nofollow ugc"` on every link, lazy images,
 * and `h1` downgraded to `h2` since the page title owns the `h1`.
 */
export function sanitizeContent(html: string, options: SanitizeOptions = {}): string {
  const base = parseBase(options.baseUrl);
  const iframeHosts = options.iframeHosts ?? [];
  const webUrl = (raw: string) => cleanUrl(raw, WEB_SCHEMES, base);
  const citeTransform: sanitizeHtml.Transformer = (tagName, attribs) => ({ tagName, attribs: withUrl(attribs, 'cite', webUrl) });
  // `allowedEmptyAttributes` is supported by sanitize-html but missing from its type definitions.
  const sanitizeOptions: sanitizeHtml.IOptions & { allowedEmptyAttributes: string[] } = {
    allowedTags: iframeHosts.length > 0 ? [...ALLOWED_TAGS, 'iframe'] : ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    // Boolean attributes written as `name=""` keep the output parseable as XML (Atom xhtml content).
    allowedEmptyAttributes: ['alt', 'allowfullscreen', 'reversed'],
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'], iframe: ['http', 'https'], q: ['http', 'https'], blockquote: ['http', 'https'] },
    allowProtocolRelative: false,
    allowedIframeHostnames: iframeHosts,
    allowIframeRelativeUrls: false,
    nonTextTags: iframeHosts.length > 0 ? DROPPED_TAGS.filter((tag) => tag !== 'iframe') : DROPPED_TAGS,
    disallowedTagsMode: 'discard',
    transformTags: {
      h1: (_, attribs) => ({ tagName: 'h2', attribs }),
      acronym: (_, attribs) => ({ tagName: 'abbr', attribs }),
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...withUrl(attribs, 'href', (raw) => cleanUrl(raw, LINK_SCHEMES, base)), rel: LINK_REL },
      }),
      img: (tagName, attribs) => ({
        tagName,
        attribs: { ...withUrl(attribs, 'src', (raw) => cleanUrl(raw, WEB_SCHEMES, base, true)), loading: 'lazy' },
      }),
      iframe: (tagName, attribs) => ({
        tagName,
        attribs: withUrl(attribs, 'src', webUrl),
        // Browsers never render an iframe's fallback content, so its text is dropped.
        text: '',
      }),
      q: citeTransform,
      blockquote: citeTransform,
    },
    exclusiveFilter: (frame) => {
      // A link whose URL was rejected keeps its text; an image or iframe without a source is useless and goes entirely.
      if (frame.tag === 'a') return frame.attribs.href === undefined ? 'excludeTag' : false;
      return (frame.tag === 'img' || frame.tag === 'iframe') && frame.attribs.src === undefined;
    },
  };
  return sanitizeHtml(html, sanitizeOptions).replace(invalidXmlChars, '');
}

const TEXT_BLOCK_TAGS = [
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
];

const TEXT_ESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

/**
 * Converts HTML (or entity-encoded text, as in feed titles) to plain text: markup removed with block boundaries kept as spaces,
 * script/style and other non-content elements dropped with their content, entities decoded exactly one level (`&amp;amp;` becomes
 * `&amp;`), whitespace collapsed and trimmed.
 */
export function htmlToText(html: string): string {
  // Only attribute-less block tags survive, so any `<` left in the output starts one of them: text `<` comes back escaped.
  const marked = sanitizeHtml(html, {
    allowedTags: TEXT_BLOCK_TAGS,
    allowedAttributes: {},
    nonTextTags: DROPPED_TAGS,
    disallowedTagsMode: 'discard',
  });
  return marked
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:amp|lt|gt|quot);/g, (entity) => TEXT_ESCAPES[entity]!)
    .replace(invalidXmlChars, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * Shortens `text` to at most `max` code points including a trailing `…`. The cut never splits a surrogate pair or a grapheme cluster
 * and moves back to the last whitespace when that lies within the final 20% of `max`; text that already fits is returned unchanged.
 */
export function truncateText(text: string, max: number): string {
  if (codePointLength(text) <= max) return text;
  if (max < 1) return '';
  const budget = max - 1;
  let end = 0;
  let used = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = codePointLength(segment);
    if (used + size > budget) break;
    used += size;
    end = index + segment.length;
  }
  let head = text.slice(0, end);
  if (!/\s/.test(text.charAt(end))) {
    const space = head.search(/\s\S*$/);
    if (space > 0 && codePointLength(head.slice(0, space)) >= max * 0.8) head = head.slice(0, space);
  }
  return `${head.trimEnd()}…`;
}
