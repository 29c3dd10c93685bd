import type { EntityType } from './entities.ts';

// How prominent an entity is where it appears: the title says what a story is about, the lead too, later paragraphs
// give background, and a dateline (`SEOUL, March 3 —`) only says where it was written.
export const inTitle = 1;
export const inLead = 0.9;
export const inBody = 0.5;
export const inDateline = 0.25;

/** Kinds of subject one story has one of: another exchange, chain, person, regulator or named event in the title is another story. */
const subjectKinds: EntityType[] = ['organization', 'asset', 'person', 'group', 'regulator', 'event'];

/**
 * Whether one document's title names subjects of a kind (organizations, assets, ...) that the other's title and lead also
 * name, with none in common: "zkLend loses $9.5M to an exploit" against "Bybit loses $1.5 billion", or a spot ether ETF
 * against spot bitcoin ETFs. The same kind of event about another subject is another story, whatever the topic and the
 * wording share. Places are left out: a city and its country are one place to a reader, two entities here.
 */
export function namesAnotherSubject(
  a: Map<string, number>,
  b: Map<string, number>,
  typeOf: (id: string) => EntityType | undefined,
): boolean {
  const of = (entities: Map<string, number>, kind: EntityType, least: number) =>
    [...entities].filter(([id, prominence]) => prominence >= least && typeOf(id) === kind).map(([id]) => id);
  const apart = (title: string[], lead: string[]) => title.length > 0 && lead.length > 0 && !title.some((id) => lead.includes(id));
  return subjectKinds.some((kind) => apart(of(a, kind, inTitle), of(b, kind, inLead)) || apart(of(b, kind, inTitle), of(a, kind, inLead)));
}
