import { decodeHTML } from 'entities';
import { escapeXml, findDoctype } from '../shared/xml.ts';
import { IngestError } from './ingest-error.ts';

const xmlEntities = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

const refused = (why: string) =>
  new IngestError('xml_entities_forbidden', `The feed's DOCTYPE ${why}; such documents are refused (entity expansion attacks).`);

// Limits on what declared entities may add, so expansion stays a small multiple of the document.
const maxDeclared = 64;
const maxValueLength = 1024;
const maxExpansion = 1024 * 1024;

/**
 * The internal entities a DOCTYPE declares (XML 1.0 §4.2), when every one is plain text: a parameter or external
 * entity (XXE), or a value that refers to other entities or holds markup (billion laughs), refuses the document.
 */
function declaredEntities(subset: string): Map<string, string> {
  const entities = new Map<string, string>();
  for (const [declaration] of subset.matchAll(/<!ENTITY[\s\S]*?>/gi)) {
    const simple = /^<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>$/i.exec(declaration);
    if (!simple) throw refused('declares a parameter or external entity');
    const value = simple[2] ?? simple[3] ?? '';
    // Character references are plain text; any other reference (or markup) could nest expansions.
    if (/&(?!#(?:\d{1,7}|x[0-9a-f]{1,6});)|[%<]/i.test(value) || value.length > maxValueLength) {
      throw refused('declares an entity that refers to others or holds markup');
    }
    entities.set(simple[1]!, decodeHTML(value));
    if (entities.size > maxDeclared) throw refused(`declares more than ${maxDeclared} entities`);
  }
  return entities;
}

/**
 * Makes real-world XML parseable without trusting it:
 * - the DOCTYPE is dropped, so no DTD is ever fetched or applied; the plain-text internal entities it declares are
 *   expanded, anything more (parameter and external entities, nested references) refuses the document;
 * - HTML named entities that XML lacks (`&nbsp;`, `&eacute;`) become character references;
 * - a bare `&` becomes `&amp;`.
 * CDATA sections and comments are left as they are.
 */
export function repairXml(xml: string): string {
  const doctype = findDoctype(xml);
  const entities = doctype?.declaresEntities ? declaredEntities(doctype.subset ?? '') : new Map<string, string>();
  const withoutDoctype = doctype ? xml.slice(0, doctype.start) + xml.slice(doctype.end) : xml;
  return repairEntities(withoutDoctype, entities, { left: maxExpansion });
}

// One pass: CDATA sections and comments are matched whole (and kept), so the references inside them are not touched.
const references = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&(?:(#\d{1,7}|#[xX][0-9a-fA-F]{1,6})|([A-Za-z_][\w.-]{0,31}));|&/g;

function repairEntities(text: string, declared: Map<string, string>, budget: { left: number }): string {
  return text.replace(references, (match, numeric, name) => {
    if (match.charCodeAt(0) === 0x3c) return match;
    // XML writes hexadecimal references with a lower-case x (XML 1.0 §4.1); HTML also takes `&#X41;`.
    if (numeric) return match.replace('#X', '#x');
    if (name && xmlEntities.has(name)) return match;
    const value = name === undefined ? undefined : declared.get(name);
    if (value !== undefined) {
      budget.left -= value.length;
      if (budget.left < 0) throw refused('declares entities that expand past the size limit');
      return escapeXml(value);
    }
    if (name) {
      const decoded = decodeHTML(match);
      if (decoded !== match) return [...decoded].map((char) => `&#${char.codePointAt(0)};`).join('');
    }
    return `&amp;${match.slice(1)}`;
  });
}
