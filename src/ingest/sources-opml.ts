import { parseLanguageTag } from '../shared/language.ts';
import { escapeXml, findDoctype } from '../shared/xml.ts';
import { IngestError } from './ingest-error.ts';
import { resolveUrl } from './url.ts';
import { childElements, findXmlError, firstChild, readXmlTree, type XmlElement } from './xml-tree.ts';

/** A subscription read from an OPML file; `url` is WHATWG-serialised, `category` is the name of the innermost folder. */
export interface OpmlSource {
  url: string;
  title: string;
  language?: string;
  htmlUrl?: string;
  category?: string;
  /** False for an outline we exported with `isDisabled="true"`, so export and import round-trip. */
  enabled?: boolean;
}

const maxSubscriptions = 5000;

type Attributes = Record<string, string | undefined>;

/**
 * Reads the subscriptions of an OPML 1.0 or 2.0 file (http://opml.org/spec2.opml): every `<outline>` with an `xmlUrl`
 * (attribute names in any case), in document order, the first of duplicate URLs kept. Outlines without `xmlUrl` are
 * folders whose `text` (or `title`) becomes the `category` of what they contain.
 * Throws `IngestError('invalid_opml')`, with a message for the operator, when the document is not well-formed, declares
 * entities, is not OPML, has no body, has a subscription whose xmlUrl is not an absolute http(s) URL, or lists none
 * or more than 5,000 subscriptions.
 */
export async function parseSourcesOpml(text: string): Promise<OpmlSource[]> {
  const xml = withoutDoctype(text.replace(/^\uFEFF/, ''));
  // An operator's file is read strictly: what a feed reader would read past is reported instead.
  const error = findXmlError(xml);
  if (error) throw invalid(`The OPML is not well-formed XML: ${error}.`);
  const { root } = readXmlTree(xml, { asWritten: true });
  if (!root) throw invalid('The OPML document is empty.');
  if (root.name !== 'opml') throw invalid(`The root element is <${root.name}>, but an OPML file has <opml> as its root element.`);
  const body = firstChild(root, 'body');
  if (body === undefined) throw invalid('The <opml> element has no <body>, so the file lists no subscriptions.');
  const sources = collectSources(body);
  if (sources.length === 0) throw invalid('The OPML holds no subscription: none of its <outline> elements has an xmlUrl attribute.');
  return sources;
}

function invalid(message: string): IngestError {
  return new IngestError('invalid_opml', message);
}

// A DOCTYPE is never applied: one declaring entities is refused (entity expansion, XML 1.0 §4.2), any other is blanked
// out with spaces and line breaks so that parser positions still match the operator's file.
function withoutDoctype(xml: string): string {
  const doctype = findDoctype(xml);
  if (!doctype) return xml;
  if (doctype.declaresEntities) {
    throw invalid(
      'The OPML declares entities (<!ENTITY …>) in its DOCTYPE; such documents are refused. Remove the DOCTYPE and import again.',
    );
  }
  return xml.slice(0, doctype.start) + xml.slice(doctype.start, doctype.end).replace(/[^\n]/g, ' ') + xml.slice(doctype.end);
}

// Attribute names lower-cased (xmlUrl, xmlurl and XMLURL are all seen in the wild), the first of clashing names kept.
function attributesOf(element: XmlElement): Attributes {
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(element.attrs)) attributes[name.toLowerCase()] ??= value;
  return attributes;
}

// Walks the outline tree in document order with an explicit stack, so that deep nesting cannot overflow the call stack.
function collectSources(body: XmlElement): OpmlSource[] {
  const sources: OpmlSource[] = [];
  const seen = new Set<string>();
  const pending: { element: XmlElement; category?: string }[] = childElements(body, 'outline')
    .map((element) => ({ element }))
    .reverse();
  let position = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const attributes = attributesOf(next.element);
    let category = next.category;
    if (attributes.xmlurl === undefined) {
      category = clean(attributes.text) ?? clean(attributes.title) ?? category;
    } else {
      position += 1;
      if (position > maxSubscriptions) {
        throw invalid(`The OPML lists more than ${maxSubscriptions.toLocaleString('en')} subscriptions; split it into smaller files.`);
      }
      const source = toSource(attributes, attributes.xmlurl, position, next.category);
      if (!seen.has(source.url)) {
        seen.add(source.url);
        sources.push(source);
      }
    }
    for (const element of childElements(next.element, 'outline').reverse()) pending.push({ element, category });
  }
  return sources;
}

function toSource(attributes: Attributes, xmlUrl: string, position: number, category: string | undefined): OpmlSource {
  const url = resolveUrl(xmlUrl, undefined);
  const title = clean(attributes.title) ?? clean(attributes.text);
  if (!url) {
    const name = title ? `"${title}"` : 'untitled';
    throw invalid(`Subscription ${position} (${name}) has xmlUrl "${xmlUrl}", which is not an absolute http:// or https:// URL.`);
  }
  const source: OpmlSource = { url, title: title ?? new URL(url).host };
  const language = parseLanguageTag(attributes.language);
  const htmlUrl = resolveUrl(attributes.htmlurl, undefined);
  if (language) source.language = language;
  if (htmlUrl) source.htmlUrl = htmlUrl;
  if (category) source.category = category;
  if (attributes.isdisabled?.trim().toLowerCase() === 'true') source.enabled = false;
  return source;
}

function clean(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/**
 * An OPML 2.0 (http://opml.org/spec2.opml) list of sources, one `<outline type="rss">` each, disabled ones included.
 * A disabled source carries `isDisabled="true"`: that attribute is ours, not OPML's, and other readers ignore it.
 */
export function renderSourcesOpml(
  title: string,
  sources: { url: string; title: string; language?: string | null; enabled?: boolean }[],
): string {
  const attribute = (value: string) => escapeXml(value, true);
  const outlines = sources.map((source) => {
    const name = attribute(source.title);
    const language = source.language ? ` language="${attribute(source.language)}"` : '';
    const disabled = source.enabled === false ? ' isDisabled="true"' : '';
    return `    <outline type="rss" text="${name}" title="${name}" xmlUrl="${attribute(source.url)}"${language}${disabled}/>\n`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXml(title)}</title>
  </head>
  <body>
${outlines.join('')}  </body>
</opml>
`;
}
