import { Parser, type ParserOptions } from 'htmlparser2';
import { stripInvalidXmlChars } from '../shared/xml.ts';
import { forbiddenAddressReason, isIpLiteral, isLocalhostName } from './address.ts';

// Video players worth embedding; pass as `iframeHosts` to opt in, nothing is embedded by default.
export const defaultVideoIframeHosts: readonly string[] = ['www.youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com'];

export interface SanitizeOptions {
  // Absolute URL that relative URLs resolve against (the item link or xml:base).
  baseUrl?: string;
  // Exact hostnames whose iframes are kept; any other iframe is dropped with its content.
  iframeHosts?: string[];
}

// Kept, with their attributes filtered. Besides current HTML this keeps obsolete or never-standard elements that feeds still carry
// (acronym, big, center, dir, font, strike, tt; datagrid, event-source, m, multicol, nextid, sound, spacer): browsers render them as
// ordinary or unknown elements, with no behaviour of their own. Form controls are not here: see DROPPED_TAGS.
const ALLOWED_TAGS = new Set(
  [
    'a abbr acronym address area article aside audio b bdi bdo big blockquote br canvas caption center cite code col colgroup',
    'datagrid datalist dd del details dfn dialog dir div dl dt em event-source fieldset figcaption figure font footer',
    'h1 h2 h3 h4 h5 h6 header hgroup hr i img ins kbd keygen label legend li m main map mark menu meter multicol nav nextid ol',
    'optgroup option output p pre progress q rp rt ruby s samp section small sound source spacer span strike strong sub summary sup',
    'table tbody td tfoot th thead time tr track tt u ul var video wbr',
  ]
    .join(' ')
    .split(' '),
);

// The void elements among them (WHATWG HTML §13.1.2, and `keygen`, which the HTML parser still treats as void; so does htmlparser2):
// written `<br />`, never closed.
const VOID_TAGS = new Set(['area', 'br', 'col', 'hr', 'img', 'keygen', 'source', 'track', 'wbr']);

// Removed together with everything inside them, rather than unwrapped to their text: code and styles, embedded documents, raw-text
// and fallback content (`noscript` is markup to us but raw text to a browser that runs scripts: the classic mutation-XSS vector), and
// form controls, which inside a form of the page showing the content would be submitted with it, and outside one fake its UI.
const DROPPED_TAGS = new Set([
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
]);

// Attributes kept on any allowed element: feedparser's list (what feed readers have long kept), plus a few for media and lists, but
// without `class` (the page's own styles would apply), `style` (CSS can overlay the page), and `id` and `name`, which clobber the DOM
// of the page showing the content (WHATWG HTML "Named access on the Window object" and `Document` named properties).
const GLOBAL_ATTRIBUTES = new Set(
  [
    'abbr accept accept-charset accesskey action align alt autocomplete autofocus axis background balance bgcolor bgproperties border',
    'bordercolor bordercolordark bordercolorlight bottompadding cellpadding cellspacing ch challenge char charoff charset checked choff',
    'cite clear color cols colspan compact contenteditable controls coords data datafld datapagesize datasrc datetime default delay dir',
    'disabled draggable dynsrc enctype end face for form frame galleryimg gutter headers height hidden hidefocus high href hreflang',
    'hspace icon inputmode ismap keytype kind label lang leftspacing list longdesc loop loopcount loopend loopstart low lowsrc max',
    'maxlength media method min multiple muted nohref noshade nowrap open optimum pattern ping point-size poster pqg preload prompt',
    'radiogroup readonly rel repeat-max repeat-min replace required rev reversed rightspacing rows rowspan rules scope selected shape',
    'size span src srclang start step summary suppress tabindex target template title toppadding type unselectable urn usemap valign',
    'value variable volume vrml vspace width wrap',
  ]
    .join(' ')
    .split(' '),
);

// Attributes refused on the elements where they would reach beyond the content, into the page around it or the reader's navigation.
const REFUSED_ON = new Map<string, ReadonlySet<string>>([
  // Links get our own `rel`, open in place rather than in a named frame or window, and send no hyperlink-auditing `ping` POSTs.
  ['a', new Set(['rel', 'target', 'ping'])],
  ['area', new Set(['rel', 'target', 'ping'])],
  // WHATWG HTML "The label element": activating a label activates the control its `for` names by id, which may be the page's own.
  ['label', new Set(['for'])],
  // WHATWG HTML "Association of controls and forms": `form` makes the element part of the page's form with that id.
  ['fieldset', new Set(['form'])],
  ['output', new Set(['form'])],
  // `usemap` would lay an image map of the page itself over the image (ours cannot be named).
  ['img', new Set(['usemap'])],
  // WHATWG HTML rendering: an open dialog is positioned absolutely, over whatever surrounds it.
  ['dialog', new Set(['open'])],
]);

// Attributes holding a URL. They are checked wherever they appear: on an element that ignores them the check costs nothing.
const URL_ATTRIBUTES = new Set(
  'action background cite data datasrc dynsrc href icon longdesc lowsrc poster src urn usemap vrml'.split(' '),
);
// Iframes, when allowed at all, keep only these.
const IFRAME_ATTRIBUTES = new Set(['src', 'width', 'height', 'allowfullscreen']);

const LINK_SCHEMES = ['http:', 'https:', 'mailto:'];
const WEB_SCHEMES = ['http:', 'https:'];
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp);base64,[a-z0-9+/]+={0,2}$/i;
const LINK_REL = 'noopener noreferrer nofollow ugc';
// Stand-in base for validating relative URLs when no real base is known; `.invalid` can never resolve.
const PLACEHOLDER_BASE = new URL('https://relative.invalid/');
const PARSER_OPTIONS: ParserOptions = { decodeEntities: true };

// Most text has nothing to escape, and testing first is cheaper than replacing.
const TEXT_SPECIAL = /[&<>]/;
const ATTRIBUTE_SPECIAL = /[&<>"]/;

function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}

function escapeAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value) ? escapeText(value).replace(/"/g, '&quot;') : value;
}

const IPV4_HOST = /^[\d.]+$/;

// Content must not make a reader's browser fetch from the reader's own machine or network: IP literals of loopback, private,
// link-local or metadata addresses, and `localhost` names (RFC 6761 §6.3). Other names are not resolved here.
function isPublicHost(hostname: string): boolean {
  if (hostname === '') return true; // mailto: has no host
  // The URL parser has normalised IP addresses: IPv4 to dotted decimal, IPv6 to bracketed hex. Other hosts are names.
  const mayBeIp = hostname.startsWith('[') || IPV4_HOST.test(hostname);
  if (mayBeIp && isIpLiteral(hostname)) return forbiddenAddressReason(hostname) === undefined;
  return !(hostname.includes('localhost') && isLocalhostName(hostname));
}

// Returns the URL to emit for an attribute value, or undefined when it must be dropped. Validation uses the WHATWG URL parser, the
// same algorithm browsers apply, so entity- or whitespace-obfuscated schemes (`jav&#x09;ascript:`) are seen as what they are.
function cleanUrl(raw: string, schemes: readonly string[], base: URL | undefined, allowDataImage = false): string | undefined {
  // Characters XML cannot carry are removed from the output, so they must not hide a scheme here (`java\uFFFEscript:`).
  const value = stripInvalidXmlChars(raw)
    .replace(/[\t\n\r]/g, '')
    .trim();
  // An empty URL requests nothing (WHATWG HTML: an empty `src` fails to load; an empty `href` is the page itself).
  if (value === '') return '';
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
  if (base === undefined && url.origin === PLACEHOLDER_BASE.origin) return value;
  return isPublicHost(url.hostname) ? url.href : undefined;
}

// `ping` holds a space-separated list of URLs.
function cleanUrlList(raw: string, base: URL | undefined): string {
  return raw
    .split(/[\t\n\f\r ]+/)
    .map((part) => cleanUrl(part, WEB_SCHEMES, base))
    .filter(Boolean)
    .join(' ');
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

// The start tag to write for an allowed element, or undefined for a link or image whose URL was refused: the link is unwrapped to its
// content, the image (or image-map area) goes entirely.
function startTag(name: string, attribs: Record<string, string>, base: URL | undefined): string | undefined {
  const refused = REFUSED_ON.get(name);
  const mainUrl = name === 'img' ? 'src' : 'href';
  let tag = `<${name}`;
  let hasMainUrl = false;
  for (const key in attribs) {
    if (!GLOBAL_ATTRIBUTES.has(key) || refused?.has(key)) continue;
    let value = attribs[key]!;
    if (URL_ATTRIBUTES.has(key)) {
      const url = cleanUrl(value, key === 'href' ? LINK_SCHEMES : WEB_SCHEMES, base, name === 'img' && key === 'src');
      if (url === undefined) {
        if (key === mainUrl && (name === 'a' || name === 'area' || name === 'img')) return undefined;
        continue;
      }
      value = url;
      hasMainUrl ||= key === mainUrl;
    } else if (key === 'ping') {
      value = cleanUrlList(value, base);
    }
    tag += ` ${key}="${escapeAttribute(value)}"`;
  }
  if (hasMainUrl && (name === 'a' || name === 'area')) tag += ` rel="${LINK_REL}"`;
  if (hasMainUrl && name === 'img') tag += ' loading="lazy"';
  return VOID_TAGS.has(name) ? `${tag} />` : `${tag}>`;
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

// An iframe from an allowed host, without content (browsers never render an iframe's fallback content), or undefined.
function iframeTag(attribs: Record<string, string>, base: URL | undefined, hosts: readonly string[]): string | undefined {
  const src = attribs.src === undefined ? undefined : cleanUrl(attribs.src, WEB_SCHEMES, base);
  if (!src || !hosts.includes(hostnameOf(src))) return undefined;
  let tag = '<iframe';
  for (const key in attribs) {
    if (IFRAME_ATTRIBUTES.has(key)) tag += ` ${key}="${escapeAttribute(key === 'src' ? src : attribs[key]!)}"`;
  }
  return `${tag}></iframe>`;
}

/**
 * Sanitizes untrusted feed HTML for storage and display: an allowlist of elements and attributes, no scripts, styles, event handlers,
 * forms or embedded documents (iframes only from `iframeHosts`), every URL-bearing attribute resolved against `baseUrl` and limited to
 * http(s) (links also mailto:, images also raster `data:`) on public hosts, and `rel="noopener noreferrer nofollow ugc"` on every link
 * and lazy images. The output is balanced, quoted and escaped, so it also parses as XML.
 */
export function sanitizeContent(html: string, options: SanitizeOptions = {}): string {
  const base = parseBase(options.baseUrl);
  const iframeHosts = options.iframeHosts ?? [];
  let out = '';
  // Depth inside an element dropped with its content.
  let dropping = 0;
  // For each open element outside dropped content, the end tag to write: '' for a void or unwrapped element.
  const endTags: string[] = [];
  // htmlparser2 reports every start tag with exactly one end tag (implied ones included, void elements at once), properly nested.
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropping > 0) {
          dropping++;
        } else if (name === 'iframe' && iframeHosts.length > 0) {
          out += iframeTag(attribs, base, iframeHosts) ?? '';
          dropping = 1;
        } else if (DROPPED_TAGS.has(name)) {
          dropping = 1;
        } else {
          const tag = ALLOWED_TAGS.has(name) ? startTag(name, attribs, base) : undefined;
          if (tag !== undefined) out += tag;
          endTags.push(tag === undefined || VOID_TAGS.has(name) ? '' : `</${name}>`);
        }
      },
      ontext(text) {
        if (dropping === 0) out += escapeText(text);
      },
      onclosetag() {
        if (dropping > 0) dropping--;
        else out += endTags.pop();
      },
    },
    PARSER_OPTIONS,
  );
  parser.end(html);
  return stripInvalidXmlChars(out);
}

// Elements whose boundaries separate words.
const TEXT_BLOCK_TAGS = new Set(
  [
    'address article aside blockquote br caption center dd details dialog dir div dl dt fieldset figcaption figure footer',
    'h1 h2 h3 h4 h5 h6 header hgroup hr legend li main menu nav ol option p pre section summary table td th tr ul',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Converts HTML (or entity-encoded text, as in feed titles) to plain text: markup removed with block boundaries kept as spaces,
 * script/style and other non-content elements dropped with their content, entities decoded exactly one level (`&amp;amp;` becomes
 * `&amp;`), whitespace collapsed and trimmed. With `paragraphs`, block boundaries are line breaks instead (one between two
 * blocks), so that a reader of the text can tell where a paragraph, heading or list item starts.
 */
export function htmlToText(html: string, paragraphs = false): string {
  let text = '';
  // A private-use character marks block boundaries until whitespace is collapsed.
  const blockBreak = paragraphs ? '\uE000' : ' ';
  // Text without `<` has no markup and without `&` no entities: most titles and names need no parser.
  if (!html.includes('<') && !html.includes('&')) {
    text = html;
  } else {
    let dropping = 0;
    const parser = new Parser(
      {
        onopentag(name) {
          if (dropping > 0 || DROPPED_TAGS.has(name)) dropping++;
          else if (TEXT_BLOCK_TAGS.has(name)) text += blockBreak;
        },
        ontext(data) {
          if (dropping === 0) text += data;
        },
        onclosetag(name) {
          if (dropping > 0) dropping--;
          else if (TEXT_BLOCK_TAGS.has(name)) text += blockBreak;
        },
      },
      PARSER_OPTIONS,
    );
    parser.end(html);
  }
  const collapsed = stripInvalidXmlChars(text).replace(/\s+/g, ' ');
  return (paragraphs ? collapsed.replace(/[\s\uE000]*\uE000[\s\uE000]*/g, '\n') : collapsed).trim();
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
