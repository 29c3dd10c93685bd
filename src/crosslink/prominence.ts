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
  return { kind: entity.type, key: entity.within ?? entity.id };
}

/**
 * Whether one document's title names subjects of a kind (organizations, assets, countries ...) that the other's title
 * and lead also name, with none in common: "zkLend loses $9.5M to an exploit" against "Bybit loses $1.5 billion", a spot
 * ether ETF against spot bitcoin ETFs, a summit in Malta against a conference in Pyongyang. The same kind of event about
 * another subject, or in another country, is another story, whatever the topic and the wording share. A city counts as
 * its country; a region (the EU) as no country at all. A place the other mentions anywhere is not another place: a
 * report of the regulator's freeze in the Bahamas belongs to a bankruptcy story that says where the subsidiary is.
 * People are left out: a title naming a successor, a presenter or an analyst is often about the same story (the
 * subjects that people act for, an exchange, a country, still tell stories apart).
 */
export function namesAnotherSubject(
  a: Map<string, number>,
  b: Map<string, number>,
  subjectOfId: (id: string) => Subject | undefined,
): boolean {
  const apart = (title: Subject[], lead: Subject[], anywhere: Subject[]) =>
    [...new Set(title.map((s) => s.kind))].some((kind) => {
      if (kind === 'person') return false;
      const theirs = lead.filter((s) => s.kind === kind).map((s) => s.key);
      const named = kind === 'place' ? anywhere.filter((s) => s.kind === kind).map((s) => s.key) : theirs;
      return theirs.length > 0 && !title.some((s) => s.kind === kind && named.includes(s.key));
    });
  const [aTitle, aLead, aAnywhere] = [inTitle, inLead, 0].map((least) => subjectsOf(a, least, subjectOfId));
  const [bTitle, bLead, bAnywhere] = [inTitle, inLead, 0].map((least) => subjectsOf(b, least, subjectOfId));
  return apart(aTitle!, bLead!, bAnywhere!) || apart(bTitle!, aLead!, aAnywhere!);
}

/**
 * Whether one document's title sets a subject the other names in its title or lead against another subject of the same
 * kind that the other does not name at all: "Kraken vows to fight the SEC as Binance settles", "Blockchain Seoul closes
 * as Pyongyang advertises a conference of its own". Such a title is about the other subject; ours is its comparison or
 * its occasion.
 */
export function titleContrasts(a: Map<string, number>, b: Map<string, number>, subjectOfId: (id: string) => Subject | undefined): boolean {
  const contrasts = (x: Map<string, number>, y: Map<string, number>) => {
    const keys = (subjects: Subject[]) => new Set(subjects.map((s) => `${s.kind} ${s.key}`));
    const title = subjectsOf(x, inTitle, subjectOfId);
    const lead = keys(subjectsOf(y, inLead, subjectOfId));
    const anywhere = keys(subjectsOf(y, 0, subjectOfId));
    return title.some(
      (ours) =>
        lead.has(`${ours.kind} ${ours.key}`) &&
        title.some((other) => other.kind === ours.kind && !anywhere.has(`${other.kind} ${other.key}`)),
    );
  };
  return contrasts(a, b) || contrasts(b, a);
}

/**
 * Whether two documents tell different stories by their subjects, however alike their wording: a title naming another
 * subject of the same kind, or setting ours against another.
 */
export function anotherStory(a: Map<string, number>, b: Map<string, number>, subjectOfId: (id: string) => Subject | undefined): boolean {
  return namesAnotherSubject(a, b, subjectOfId) || titleContrasts(a, b, subjectOfId);
}

/** The subjects of the entities at least this prominent. */
function subjectsOf(entities: Map<string, number>, least: number, subjectOfId: (id: string) => Subject | undefined): Subject[] {
  return [...entities].flatMap(([id, prominence]) => {
    const subject = prominence >= least ? subjectOfId(id) : undefined;
    return subject ? [subject] : [];
  });
}
