import type { Entity, EntityType } from './entities.ts';

// How prominent an entity is where it appears: the title says what a story is about, the lead too, later paragraphs
// give background, and a dateline (`SEOUL, March 3 —`) only says where it was written.
export const inTitle = 1;
export const inLead = 0.9;
export const inBody = 0.5;
export const inDateline = 0.25;

/** What a document is about, for telling stories apart: a kind and one subject of that kind. */
export interface Subject {
  /** Unknown for a name the dictionary lacks and the text does not say the kind of. */
  kind?: EntityType;
  /** The entity, or for a place its country (a city counts as its country), or the name (names.ts). */
  key: string;
}

type KindedSubject = Required<Subject>;

/** The subject an entity stands for: not topics (a hack is not a subject), nor regions (not one country). */
export function subjectOf(entity: Entity | undefined): Subject | undefined {
  if (!entity || entity.type === 'topic' || entity.region) return undefined;
  return { kind: entity.type, key: entity.within ?? entity.id };
}

/** A document's subjects by where they appear, computed once to compare it with many others. */
export interface StorySubjects {
  /** The subjects of a known kind named in the title. */
  title: KindedSubject[];
  /** The keys of the subjects named in the title or lead, and anywhere (of a known kind or not). */
  lead: Set<string>;
  anywhere: Set<string>;
  /** The kinds of subject named in the title or lead. */
  leadKinds: Set<EntityType>;
}

export function storySubjects(entities: Map<string, number>, subjectOfId: (id: string) => Subject | undefined): StorySubjects {
  const found: StorySubjects = { title: [], lead: new Set(), anywhere: new Set(), leadKinds: new Set() };
  for (const [id, prominence] of entities) {
    const subject = subjectOfId(id);
    if (!subject) continue;
    found.anywhere.add(subject.key);
    if (prominence >= inLead) {
      found.lead.add(subject.key);
      if (subject.kind) found.leadKinds.add(subject.kind);
    }
    if (prominence >= inTitle && subject.kind) found.title.push(subject as KindedSubject);
  }
  return found;
}

/**
 * Whether one document's title names subjects of a kind (organizations, assets, countries ...) that the other's title
 * and lead also name, with none in common: "zkLend loses $9.5M to an exploit" against "Bybit loses $1.5 billion", a spot
 * ether ETF against spot bitcoin ETFs, a summit in Malta against a conference in Pyongyang. The same kind of event about
 * another subject, or in another country, is another story, whatever the topic and the wording share. A city counts as
 * its country; a region (the EU) as no country at all. A place the other mentions anywhere is not another place: a
 * report of the regulator's freeze in the Bahamas belongs to a bankruptcy story that says where the subsidiary is.
 * People are left out: a title naming a successor, a presenter or an analyst is often about the same story (the
 * subjects that people act for, an exchange, a country, still tell stories apart). A name the dictionary lacks is a
 * subject of a kind when its text says the kind ("Deus Finance's DEI stablecoin", names.ts); of no known kind, it only
 * counts as named. When both titles name one subject that is not a place or a person and is `distinctive` (not one
 * that many documents name, as bitcoin; none is unless the caller says), a subject of a kind the other's title does
 * not name is a new actor in that story, not another story: "Binance freezes part of the Ronin loot" follows "Ronin bridge drained", whose lead names the
 * developer; "Gnosis Chain activates Dencun" still tells another chain's story against "Dencun cuts fees on Ethereum".
 */
export function namesAnotherSubject(a: StorySubjects, b: StorySubjects, distinctive: (key: string) => boolean = () => false): boolean {
  const apart = (x: StorySubjects, y: StorySubjects) => {
    const sharedHeadline = x.title.some(
      (subject) =>
        subject.kind !== 'place' && subject.kind !== 'person' && distinctive(subject.key) && y.title.some(({ key }) => key === subject.key),
    );
    return x.title.some(({ kind }) => {
      if (kind === 'person' || !y.leadKinds.has(kind)) return false;
      // A new actor in the same headline story ("Binance freezes part of the Ronin loot"): its kind is not the other's
      // headline kind.
      if (sharedHeadline && !y.title.some((subject) => subject.kind === kind)) return false;
      const named = kind === 'place' ? y.anywhere : y.lead;
      return !x.title.some((subject) => subject.kind === kind && named.has(subject.key));
    });
  };
  return apart(a, b) || apart(b, a);
}

/**
 * Whether one document's title sets a subject the other names in its title or lead against another subject of the same
 * kind that the other does not name at all: "Kraken vows to fight the SEC as Binance settles", "Blockchain Seoul closes
 * as Pyongyang advertises a conference of its own". Such a title is about the other subject; ours is its comparison or
 * its occasion.
 */
export function titleContrasts(a: StorySubjects, b: StorySubjects): boolean {
  const contrasts = (x: StorySubjects, y: StorySubjects) =>
    x.title.some((ours) => y.lead.has(ours.key) && x.title.some((other) => other.kind === ours.kind && !y.anywhere.has(other.key)));
  return contrasts(a, b) || contrasts(b, a);
}

/**
 * Whether two documents tell different stories by their subjects, however alike their wording: a title naming another
 * subject of the same kind, or setting ours against another.
 */
export function anotherStory(a: StorySubjects, b: StorySubjects, distinctive?: (key: string) => boolean): boolean {
  return namesAnotherSubject(a, b, distinctive) || titleContrasts(a, b);
}
