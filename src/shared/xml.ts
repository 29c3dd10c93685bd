// XML 1.0 §2.2: C0 controls other than tab, LF and CR, U+FFFE, U+FFFF and lone surrogates are not characters XML can
// carry. In a `u` regex a surrogate range matches only lone surrogates (a pair is one code point).
const forbiddenRange = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uD800-\\uDFFF\\uFFFE\\uFFFF';
const charClass = (extra: string, flags: string) => new RegExp(`[${extra}${forbiddenRange}]`, flags);

/** The characters XML 1.0 §2.2 forbids. */
export const invalidXmlChars = charClass('', 'gu');

// A quick first look that a `u` regex is needed: without `u`, a surrogate range also matches pairs, so emoji take
// the slower way too, but plain text (most of it) is scanned several times faster.
const mayHoldForbidden = charClass('', '');

/** Text without the characters XML cannot carry. */
export function stripInvalidXmlChars(text: string): string {
  return mayHoldForbidden.test(text) ? text.replace(invalidXmlChars, '') : text;
}

/**
 * Where a document's DOCTYPE is and whether its internal subset declares entities. A DOCTYPE can only stand in the
 * prolog (XML 1.0 §2.8), before the root element: text like `<!DOCTYPE` later on (in CDATA, say) is not one.
 */
export function findDoctype(
  xml: string,
): { start: number; end: number; declaresEntities: boolean; subset: string | undefined } | undefined {
  const doctype = /^((?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*)(<!DOCTYPE\s[^[>]*(\[[\s\S]*?\]\s*)?>)/i.exec(xml.slice(0, 65_536));
  if (!doctype) return undefined;
  const start = doctype[1]!.length;
  const subset = doctype[3];
  return { start, end: start + doctype[2]!.length, declaresEntities: /<!ENTITY/i.test(subset ?? ''), subset };
}

// A small XML element tree and its serializer: every XML document the service writes goes through it.
// Names are trusted; text and attribute values are escaped.

export type XmlAttributes = Record<string, string | number | undefined>;
/** A CDATA section: for HTML carried as text, which stays readable and costs no escaping. */
export interface XmlCdata {
  cdata: string;
}
/** A string child is text; an undefined child is skipped, so optional elements can be written inline. */
export type XmlChild = XmlElement | XmlCdata | string | undefined;

export interface XmlElement {
  name: string;
  /** Written in this order; undefined values are left out. */
  attrs?: XmlAttributes;
  children: XmlChild[];
}

export function el(name: string, attrs?: XmlAttributes | null, ...children: XmlChild[]): XmlElement {
  return { name, attrs: attrs ?? undefined, children };
}

export function cdata(text: string): XmlCdata {
  return { cdata: text };
}

// CR is written as a reference, or a parser reads it as LF (§2.11); in attribute values tab and LF too, or a parser
// reads them as spaces (§3.3.3). Forbidden characters are dropped.
const textSpecials = charClass('&<>"\\r', 'gu');
const attributeSpecials = charClass('&<>"\\t\\n\\r', 'gu');
const references: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const reference = (match: string) => references[match] ?? '';

/**
 * The one escape for XML (and HTML) we write: text, or with `inAttribute` a double-quoted attribute value, so that a parser
 * reads back exactly `value` less what XML cannot carry. Apostrophes stay as they are: some readers show `&apos;` literally.
 */
export function escapeXml(value: string, inAttribute = false): string {
  return value.replace(inAttribute ? attributeSpecials : textSpecials, reference);
}

// A quick first look for the common case of nothing to do (see `mayHoldForbidden`).
const cdataSuspects = charClass('\\r', '');

/**
 * Only `]]>` ends a CDATA section, so it is split across two (§2.7); a CR goes between two sections as a reference,
 * as in text. Forbidden characters go first: taking one out of `]]\u0000>` makes a `]]>`.
 */
function cdataSection(text: string): string {
  if (!cdataSuspects.test(text) && !text.includes(']]>')) return `<![CDATA[${text}]]>`;
  const safe = text.replace(invalidXmlChars, '').replaceAll(']]>', ']]]]><![CDATA[>').replaceAll('\r', ']]>&#13;<![CDATA[');
  return `<![CDATA[${safe}]]>`;
}

/** The document as a string: elements holding only elements are indented by two spaces a level, text stays as it is. */
export function serializeXml(root: XmlElement, { declaration = false } = {}): string {
  const out: string[] = declaration ? ['<?xml version="1.0" encoding="utf-8"?>\n'] : [];
  write(root, '\n', out);
  out.push('\n');
  return out.join('');
}

function write({ name, attrs, children }: XmlElement, newline: string, out: string[]): void {
  out.push('<', name);
  for (const key in attrs) {
    const value = attrs[key];
    if (value !== undefined) out.push(' ', key, '="', escapeXml(String(value), true), '"');
  }
  let empty = true;
  // Only element-only content is indented: whitespace added to mixed content would change its text.
  let elementsOnly = true;
  for (const child of children) {
    if (child === undefined) continue;
    empty = false;
    if (typeof child === 'string' || 'cdata' in child) elementsOnly = false;
  }
  if (empty) {
    out.push('/>');
    return;
  }
  out.push('>');
  const inner = elementsOnly ? `${newline}  ` : '';
  for (const child of children) {
    if (child === undefined) continue;
    if (typeof child === 'string') out.push(escapeXml(child));
    else if ('cdata' in child) out.push(cdataSection(child.cdata));
    else {
      out.push(inner);
      write(child, inner || newline, out);
    }
  }
  if (inner) out.push(newline);
  out.push('</', name, '>');
}
