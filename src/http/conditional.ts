/**
 * Whether a GET/HEAD can be answered 304 Not Modified (RFC 9110 §13.1.1, §13.1.3, §13.2.2).
 * If-None-Match, when present, decides alone (weak comparison, `*` matches);
 * otherwise If-Modified-Since is compared with Last-Modified at one-second precision.
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etags: string[],
  lastModified: number | undefined,
): boolean {
  if (ifNoneMatch !== undefined) {
    const candidates = ifNoneMatch.split(',').map((tag) => tag.trim());
    if (candidates.includes('*')) return true;
    const opaque = (tag: string) => tag.replace(/^W\//, '');
    const current = etags.map(opaque);
    return candidates.some((tag) => current.includes(opaque(tag)));
  }
  if (ifModifiedSince !== undefined && lastModified !== undefined) {
    const since = Date.parse(ifModifiedSince);
    if (Number.isNaN(since)) return false;
    return Math.floor(lastModified / 1000) * 1000 <= since;
  }
  return false;
}

/** RFC 9110 §5.6.7 IMF-fixdate, e.g. `Thu, 20 Sep 2018 10:00:00 GMT`. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
