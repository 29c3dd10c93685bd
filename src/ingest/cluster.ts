import { foldedWords, functionWords } from '../shared/text.ts';

/** A title reduced for comparison: accents folded, lowercase, punctuation and stop words dropped, words sorted. */
export function titleKey(title: string): string {
  const words = foldedWords(title, '$%').filter((word) => !functionWords.has(word));
  return [...new Set(words)].sort().join(' ');
}

/** Near-identical: the same story told with at most a word or two changed (and titles long enough to tell). */
export const sameStoryThreshold = 0.7;

export function isSameStory(a: string, b: string): boolean {
  return sameStoryAs(a)(b);
}

/** A test for "same story as `key`", with `key`'s words prepared once for comparing against many candidates. */
export function sameStoryAs(key: string): (candidate: string) => boolean {
  const words = new Set(key.split(' '));
  return (candidate) => {
    const other = candidate.split(' ');
    if (Math.min(words.size, other.length) < 3) return false;
    let shared = 0;
    for (const word of other) if (words.has(word)) shared++;
    return shared / (words.size + other.length - shared) >= sameStoryThreshold;
  };
}

/**
 * The words of a title key that the prefix filter indexes: any title at least `sameStoryThreshold`
 * similar shares one of them (the key's words are sorted, which is the global order the filter needs).
 */
export function prefixWords(key: string): string[] {
  if (!key) return [];
  const words = key.split(' ');
  return words.slice(0, words.length - Math.ceil(sameStoryThreshold * words.length) + 1);
}

/** How far apart two items may be published and still be one story cluster. */
export const clusterWindowMs = 72 * 3_600_000;
