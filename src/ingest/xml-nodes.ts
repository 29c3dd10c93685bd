/** An element as xml2js gives it: its text, or an object with text in `_`, attributes in `$` and child arrays. */
export type RawNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };

/** The nodes of a kept field (always an array, possibly empty). */
export function nodes(value: unknown): RawNode[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as RawNode[];
}

export function textOf(node: RawNode | undefined): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  return typeof node._ === 'string' ? node._ : '';
}

export function attrs(value: unknown): Record<string, string> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
}

export function attr(node: RawNode | undefined, name: string): string | undefined {
  return typeof node === 'object' && node ? node.$?.[name] : undefined;
}
