/**
 * A failure to fetch, decode or parse a feed, with a stable `code` that the source status shows
 * (e.g. `fetch_timeout`, `body_too_large`, `forbidden_address`, `not_a_feed`).
 */
export class IngestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}
