import { decodeHTML } from 'entities';
import { findDoctype } from '../shared/xml.ts';
import { IngestError } from './ingest-error.ts';

const xmlEntities = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Makes real-world XML parseable without trusting it:
 * - a DOCTYPE with an internal subset declaring entities is refused (billion laughs and external
 *   entities, XML 1.0 §4.2); any other DOCTYPE is dropped, so no DTD is ever fetched or applied;
 * - HTML named entities that XML lacks (`&nbsp;`, `&eacute;`) become character references;
 * - a bare `&` becomes `&amp;`.
 * CDATA sections and comments are left as they are.
 */
export function repairXml(xml: string): string {
  const doctype = findDoctype(xml);
  if (doctype?.declaresEntities) {
    throw new IngestError(
      'xml_entities_forbidden',
      'The feed declares XML entities in its DOCTYPE; such documents are refused (entity expansion attacks).',
    );
  }
  const withoutDoctype = doctype ? xml.slice(0, doctype.start) + xml.slice(doctype.end) : xml;
  return withoutDoctype
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/)
    .map((part, index) => (index % 2 === 1 ? part : repairEntities(part)))
    .join('');
}

function repairEntities(text: string): string {
  return text.replace(/&(?:(#\d{1,7}|#[xX][0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));|&/g, (match, numeric, name) => {
    // XML writes hexadecimal references with a lower-case x (XML 1.0 §4.1); HTML also takes `&#X41;`.
    if (numeric) return match.replace('#X', '#x');
    if (name && xmlEntities.has(name)) return match;
    if (name) {
      const decoded = decodeHTML(match);
      if (decoded !== match) return [...decoded].map((char) => `&#${char.codePointAt(0)};`).join('');
    }
    return `&amp;${match.slice(1)}`;
  });
}
