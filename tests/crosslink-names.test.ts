import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEntityIndex, type Entity } from '../src/crosslink/entities.ts';
import { countNames, findNames, isTitleCase, kindedName, nameDisplay, nameKinds, subjectOfName } from '../src/crosslink/names.ts';
import { foldedWords } from '../src/shared/text.ts';

const dictionary = JSON.parse(readFileSync(join(import.meta.dirname, '../data/entities.json'), 'utf8')) as { entities: Entity[] };
const known = buildEntityIndex(dictionary).words;

describe('names the dictionary does not know', () => {
  it('reads capitalized words inside sentences, acronyms and inner capitals as names', () => {
    const names = findNames(
      [
        'Hackers drained the bridge of Qubit on Thursday.',
        'The attack on zkFair-based Merlin followed an audit, said Ana Lobos, a researcher at the Spanish firm QXR.',
      ],
      known,
    );
    expect([...names]).toEqual(expect.arrayContaining(['qubit', 'zkfair', 'merlin', 'ana', 'lobos', 'qxr']));
  });

  it('leaves out sentence openings, words also written in lowercase, months, offices and the dictionary’s words', () => {
    const names = findNames(
      [
        'Hackers struck on Thursday. Finance ministers met in March.\nOver the weekend the President of the Central Bank spoke.',
        'Bitcoin and Binance fell; the finance ministry said so. El Gobierno y la Asamblea Legislativa aprobaron la ley.',
      ],
      known,
    );
    expect([...names]).toEqual([]);
  });

  it('reads a word opening a sentence as a name when a capitalized word of its kind follows', () => {
    const names = findNames(
      ['Revest Finance said it could not repay the victims. Hackers struck again. Nuvola Labs declined to comment.'],
      known,
    );
    expect([...names].sort()).toEqual(['nuvola', 'revest']);
  });

  it('tells title case from sentence case', () => {
    expect(isTitleCase('Bitcoin Completes Its Third Halving')).toBe(true);
    expect(isTitleCase('Qubit Finance Loses $80 Million to a Bridge Exploit')).toBe(true);
    expect(isTitleCase('Qubit Finance loses $80 million to a bridge exploit')).toBe(false);
    expect(isTitleCase('El puente de Qubit sufre un robo de 80 millones')).toBe(false);
  });

  it('counts mentions in any text, whatever its case and accents', () => {
    const names = new Set(['qubit', 'lobos']);
    expect(countNames(names, foldedWords('QUBIT and Qubit; Lóbos said qubit'))).toEqual(
      new Map([
        ['qubit', 3],
        ['lobos', 1],
      ]),
    );
    expect(nameDisplay('@qubit')).toBe('Qubit');
  });

  it('reads the kind of a name from the word beside it, and none when the words disagree or say nothing', () => {
    const names = new Set(['dei', 'deus', 'lykke', 'nuvola', 'strike']);
    const kinds = nameKinds(
      names,
      [
        'Deus Finance said its DEI stablecoin slipped below one dollar.',
        'El exchange Lykke suspendió los retiros. The Nuvola summit opened; Nuvola Labs hosted it.',
        'Strike said payments would start soon.',
      ].map((text) => foldedWords(text)),
    );
    expect(kinds).toEqual(
      new Map([
        ['deus', 'asset'],
        ['dei', 'asset'],
        ['lykke', 'organization'],
      ]),
    );
    expect(subjectOfName(kindedName('dei', 'asset'))).toEqual({ key: '@dei', kind: 'asset' });
    expect(subjectOfName('@strike')).toEqual({ key: '@strike' });
    expect(nameDisplay(kindedName('dei', 'asset'))).toBe('Dei');
  });
});
