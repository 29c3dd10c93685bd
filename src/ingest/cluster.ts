// Words that carry no story: English and Spanish function words.
const stopWords = new Set(
  (
    'a an and are as at be by for from has have in is it its of on or that the this to was were will with ' +
    'al como con de del el en es la las lo los para por que se su sus un una y o ante tras sobre entre'
  ).split(' '),
);

/** A title reduced for comparison: accents folded, lowercase, punctuation and stop words dropped, words sorted. */
export function titleKey(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}$%]+/u)
    .filter((word) => word && !stopWords.has(word));
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
