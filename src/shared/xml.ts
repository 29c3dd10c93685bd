/** Characters XML 1.0 §2.2 forbids: C0 controls other than tab, LF and CR, U+FFFE, U+FFFF and lone surrogates. */
export const invalidXmlChars =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text without the characters XML cannot carry. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(invalidXmlChars, '');
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * The one escape for XML and HTML text and double-quoted attribute values (XML 1.0 §2.4, §3.1); characters XML forbids
 * are dropped. Apostrophes stay as they are: some readers show `&apos;` or `&#39;` in titles literally.
 */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"]/g, (char) => escapes[char]!);
}

/** Where a document's DOCTYPE is (searched in its first 64 KiB) and whether its internal subset declares entities. */
export function findDoctype(xml: string): { start: number; end: number; declaresEntities: boolean } | undefined {
  const doctype = /<!DOCTYPE\s[^[>]*(\[[\s\S]*?\]\s*)?>/i.exec(xml.slice(0, 65_536));
  if (!doctype) return undefined;
  return { start: doctype.index, end: doctype.index + doctype[0].length, declaresEntities: /<!ENTITY/i.test(doctype[1] ?? '') };
}
