import { Parser } from 'htmlparser2';
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
  /** What the reader had to read past, e.g. `<b> is not closed at line 12`; empty for a well-formed document. */
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

const xmlNamespace = 'http://www.w3.org/XML/1998/namespace';

/**
 * Element names are compared in lower case, as feed readers do (`<TiTlE>`, `<CHANNEL>`); prefixes are canonical
 * (`prefixes`), or as written for namespaces we do not know (or prefixes never declared).
 */
function canonicalName(written: string, local: string, uri: string | undefined, known: Record<string, string>): string {
  const prefix = uri === undefined ? undefined : known[uri];
  if (prefix === undefined) return written.toLowerCase();
  return (prefix ? `${prefix}:${local}` : local).toLowerCase();
}

/** `prefix:local` split, with an empty prefix for an unprefixed name. */
function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  return colon === -1 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

const maxProblems = 20;

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/**
 * Reads an XML document into a tree the way a forgiving feed reader does: a well-formed document exactly, and a damaged
 * one as far as it goes (an end tag that closes others, a missing end tag, a truncated end are noted in `problems` and
 * reading goes on), so the entries before the damage are kept. Namespaces are resolved (XML Namespaces 1.0) into the
 * canonical names of `prefixes`, unless `asWritten`, for documents whose names are compared exactly (OPML).
 */
export function readXmlTree(text: string, { asWritten = false } = {}): XmlTree {
  const problems: string[] = [];
  const stack: XmlElement[] = [];
  // The namespace bindings in scope, one map per open element (shared until an element declares its own).
  const scopes: Record<string, string>[] = [{ xml: xmlNamespace, '': '' }];
  let known = prefixes;
  let root: XmlElement | undefined;
  let ending = false;
  const note = (problem: string) => {
    if (problems.length < maxProblems) problems.push(`${problem} at line ${lineAt(text, parser.startIndex)}`);
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        let scope = scopes.at(-1)!;
        for (const attribute in attribs) {
          if (attribute !== 'xmlns' && !attribute.startsWith('xmlns:')) continue;
          if (scope === scopes.at(-1)) scope = { ...scope };
          scope[attribute === 'xmlns' ? '' : attribute.slice(6)] = attribs[attribute]!;
        }
        scopes.push(scope);
        const [prefix, local] = splitName(name);
        const uri = scope[prefix];
        const rootFormat = formatOfRoot[local.toLowerCase()];
        if (!root && rootFormat !== undefined && uri !== undefined && known[uri] === undefined) known = { ...prefixes, [uri]: rootFormat };
        const attrs: Record<string, string> = {};
        for (const attribute in attribs) {
          if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) continue;
          const [attributePrefix, attributeLocal] = splitName(attribute);
          // Unprefixed attributes are in no namespace (XML Namespaces 1.0 §6.2); xml:lang and xml:base keep their names.
          const canonical = attributePrefix && attributePrefix !== 'xml' && !asWritten;
          attrs[canonical ? canonicalName(attribute, attributeLocal, scope[attributePrefix], known) : attribute] = attribs[attribute]!;
        }
        const element: XmlElement = { name: asWritten ? name : canonicalName(name, local, uri, known), attrs, children: [] };
        if (!root) root = element;
        else stack.at(-1)?.children.push(element);
        stack.push(element);
      },
      ontext(data) {
        const parent = stack.at(-1);
        if (!parent) return;
        const last = parent.children.length - 1;
        if (typeof parent.children[last] === 'string') parent.children[last] += data;
        else parent.children.push(data);
      },
      onclosetag(name, isImplied) {
        const element = stack.pop();
        scopes.pop();
        if (!element || !isImplied) return;
        // Closed by the end of the document (truncated) or by the end tag of an element around it (misnested).
        if (ending) element.unfinished = true;
        note(ending ? `the document ends inside <${name}>` : `<${name}> is not closed`);
      },
    },
    // htmlparser2's XML mode reads past errors the way feed readers do, several times faster than a strict parser.
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(text);
  ending = true;
  parser.end();
  return { root, problems };
}

/** The first well-formedness error of a document (XML 1.0 §2.1), as `reason at line L, column C`, or undefined. */
export function findXmlError(text: string): string | undefined {
  const parser = sax.parser(true);
  let found: string | undefined;
  parser.onerror = (error) => {
    // sax counts lines from 0 and columns from 1.
    found ??= `${error.message.split('\n')[0]!.replace(/\.$/, '').toLowerCase()} at line ${parser.line + 1}, column ${parser.column}`;
    parser.error = null as unknown as Error;
  };
  parser.write(text).close();
  return found;
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
