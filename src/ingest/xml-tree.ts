import sax from 'sax';
import { escapeXml } from '../shared/xml.ts';

/** An element of a feed document: its name with a canonical prefix (see `prefixes`), its attributes and its children in order. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Set when the document ended before this element did (a truncated document). */
  unfinished?: true;
}

/** Text (entities and CDATA already decoded) or an element. */
export type XmlNode = XmlElement | string;

export interface XmlTree {
  root: XmlElement | undefined;
  /** What the reader had to repair, e.g. `unexpected close tag at line 12, column 7`; empty for a well-formed document. */
  problems: string[];
}

// Namespaces feeds use, each under one prefix whatever the document writes (XML Namespaces 1.0 §6), so `<atom:feed>`,
// `<feed xmlns="http://www.w3.org/2005/Atom">` and `<a:feed xmlns:a=...>` are all `atom:feed`. RSS 0.90 and 1.0 elements,
// like RSS 2.0's, carry no prefix. Other namespaces keep the prefix written in the document.
const prefixes: Record<string, string> = {
  'http://www.w3.org/2005/Atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://channel.netscape.com/rdf/simple/0.9/': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://purl.org/rss/1.0/modules/syndication/': 'sy',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/XML/1998/namespace': 'xml',
};

// The namespaces a root element may be written in by feeds that invented their own (`<feed xmlns="http://example.com/">`,
// `<r:rss xmlns:r="http://backend.userland.com/rss2">`, or none at all): the document is read as that format.
const formatOfRoot: Record<string, string> = { feed: 'atom', rss: '' };

/**
 * Element names are compared in lower case, as feed readers do (`<TiTlE>`, `<CHANNEL>`); prefixes are canonical
 * (`prefixes`), or as written for namespaces we do not know.
 */
function canonicalName(name: { name: string; local: string; uri: string }, known: Record<string, string>): string {
  const prefix = known[name.uri];
  if (prefix === undefined) return name.name.toLowerCase();
  return (prefix ? `${prefix}:${name.local}` : name.local).toLowerCase();
}

const maxProblems = 20;

/**
 * Reads an XML document into a tree the way a forgiving feed reader does: a well-formed document exactly, and a damaged
 * one as far as it goes (a mismatched or missing end tag, a truncated end, an unbound prefix are noted in `problems` and
 * reading goes on), so the entries before the damage are kept. Names are canonical (see `canonicalName`) unless
 * `asWritten`, for documents whose names are compared exactly (OPML).
 */
export function readXmlTree(text: string, { asWritten = false } = {}): XmlTree {
  const parser = sax.parser(true, { xmlns: true, position: true });
  const problems: string[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  let known = prefixes;
  const append = (node: XmlNode) => stack.at(-1)?.children.push(node);
  parser.onopentag = (tag) => {
    const qualified = tag as sax.QualifiedTag;
    const rootFormat = formatOfRoot[qualified.local.toLowerCase()];
    if (!root && rootFormat !== undefined && known[qualified.uri] === undefined) known = { ...prefixes, [qualified.uri]: rootFormat };
    const attrs: Record<string, string> = {};
    for (const attribute of Object.values(qualified.attributes)) {
      // Namespace declarations are resolved into names already; a damaged attribute may have no value.
      if (attribute.name === 'xmlns' || attribute.prefix === 'xmlns' || typeof attribute.value !== 'string') continue;
      attrs[attribute.prefix && attribute.prefix !== 'xml' ? canonicalName(attribute, known) : attribute.name] = attribute.value;
    }
    const element: XmlElement = { name: asWritten ? qualified.name : canonicalName(qualified, known), attrs, children: [] };
    if (stack.length === 0) root ??= element;
    else append(element);
    stack.push(element);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.ontext = (text) => append(text);
  parser.oncdata = (text) => append(text);
  parser.onerror = (error) => {
    // sax counts lines from 0 and columns from 1.
    const reason = error.message.split('\n')[0]!.replace(/\.$/, '').toLowerCase();
    if (problems.length < maxProblems) problems.push(`${reason} at line ${parser.line + 1}, column ${parser.column}`);
    // sax goes on after an error once it is cleared (its own recovery: an end tag closes back to its start tag).
    parser.error = null as unknown as Error;
  };
  parser.write(text).close();
  for (const element of stack) element.unfinished = true;
  return { root, problems };
}

/** The child elements named `name` (every child element when `name` is omitted). */
export function childElements(element: XmlElement | undefined, name?: string): XmlElement[] {
  if (!element) return [];
  const found: XmlElement[] = [];
  for (const child of element.children) if (typeof child !== 'string' && (name === undefined || child.name === name)) found.push(child);
  return found;
}

/** The first child element with one of the names, in the order of the names. */
export function firstChild(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  for (const name of names) {
    const found = element?.children.find((child): child is XmlElement => typeof child !== 'string' && child.name === name);
    if (found) return found;
  }
  return undefined;
}

/** The text of an element and its descendants, in document order. */
export function textContent(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  let text = '';
  for (const child of node.children) text += typeof child === 'string' ? child : textContent(child);
  return text;
}

/** Whether an element holds elements (inline markup), not only text. */
export function hasChildElements(element: XmlElement): boolean {
  return element.children.some((child) => typeof child !== 'string');
}

// WHATWG HTML §13.1.2: elements that have no end tag (`<br></br>` would read as two line breaks).
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** The markup of an element's children, written back as HTML in document order (for inline XHTML content). */
export function innerMarkup(element: XmlElement): string {
  let html = '';
  for (const child of element.children) {
    if (typeof child === 'string') {
      html += escapeXml(child);
      continue;
    }
    const name = child.name.replace(/^xhtml:/, '');
    html += `<${name}`;
    for (const [attribute, value] of Object.entries(child.attrs)) html += ` ${attribute}="${escapeXml(value, true)}"`;
    html += voidElements.has(name) ? '>' : `>${innerMarkup(child)}</${name}>`;
  }
  return html;
}
