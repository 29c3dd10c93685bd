/** One link of an HTTP `Link` header (RFC 8288 §3): its target, resolved against the response URL, and its relations. */
export interface HeaderLink {
  href: string;
  rels: string[];
}

// A link-value: `<target>` and its parameters up to the next comma outside quotes (RFC 8288 §3; commas may appear in
// the URI and in quoted parameter values).
const linkValue = /<([^>]*)>((?:\s*;\s*[^;,="]+(?:\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;,"]*))?)*)/g;
const relParameter = /;\s*rel\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s"]+))/i;

/** The links of a `Link` header value; relation types are lowercased (RFC 8288 §2.1.1); bad targets are left out. */
export function parseLinkHeader(value: string | undefined, base: string): HeaderLink[] {
  if (!value) return [];
  const links: HeaderLink[] = [];
  for (const [, target, parameters] of value.matchAll(linkValue)) {
    const rel = relParameter.exec(parameters ?? '');
    if (!rel) continue;
    let href: string;
    try {
      href = new URL(target!.trim(), base).href;
    } catch {
      continue;
    }
    const rels = (rel[1] ?? rel[2] ?? '').replace(/\\(.)/g, '$1').toLowerCase().split(/\s+/).filter(Boolean);
    links.push({ href, rels });
  }
  return links;
}
