import type { Entity, EntityType } from './entities.ts';

// How prominent an entity is where it appears: the title says what a story is about, the lead too, later paragraphs
// give background, and a dateline (`SEOUL, March 3 —`) only says where it was written.
export const inTitle = 1;
export const inLead = 0.9;
export const inBody = 0.5;
export const inDateline = 0.25;

/** What a document is about, for telling stories apart: a kind and one subject of that kind. */
export interface Subject {
  kind: EntityType;
  /** The entity, or for a place its country (a city counts as its country). */
  key: string;
}

/** The subject an entity stands for: not topics (a hack is not a subject), nor regions (not one country). */
export function subjectOf(entity: Entity | undefined): Subject | undefined {
  if (!entity || entity.type === 'topic' || entity.region) return undefined;
  return { kind: entity.type, key: entity.type === 'place' ? (entity.within ?? entity.id) : entity.id };
}

/**
 * Whether one document's title names subjects of a kind (organizations, assets, countries ...) that the other's title
 * and lead also name, with none in common: "zkLend loses $9.5M to an exploit" against "Bybit loses $1.5 billion", a spot
 * ether ETF against spot bitcoin ETFs, a summit in Malta against a conference in Pyongyang. The same kind of event about
 * another subject, or in another country, is another story, whatever the topic and the wording share. A city counts as
 * its country; a region (the EU) as no country at all.
 */
export function namesAnotherSubject(
  a: Map<string, number>,
  b: Map<string, number>,
  subjectOfId: (id: string) => Subject | undefined,
): boolean {
  const subjects = (entities: Map<string, number>, least: number) =>
    [...entities].flatMap(([id, prominence]) => {
      const subject = prominence >= least ? subjectOfId(id) : undefined;
      return subject ? [subject] : [];
    });
  const apart = (title: Subject[], lead: Subject[]) =>
    [...new Set(title.map((s) => s.kind))].some((kind) => {
      const theirs = lead.filter((s) => s.kind === kind).map((s) => s.key);
      return theirs.length > 0 && !title.some((s) => s.kind === kind && theirs.includes(s.key));
    });
  return apart(subjects(a, inTitle), subjects(b, inLead)) || apart(subjects(b, inTitle), subjects(a, inLead));
}
