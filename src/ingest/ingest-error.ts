/** Why a source could not be fetched, decoded or parsed; the source status shows it. */
export type IngestErrorCode =
  | 'unsupported_scheme'
  | 'invalid_url'
  | 'forbidden_address'
  | 'too_many_redirects'
  | 'fetch_timeout'
  | 'body_too_large'
  | 'dns_failure'
  | 'connection_failed'
  | 'unknown_encoding'
  | 'xml_entities_forbidden'
  | 'not_a_feed'
  | 'malformed_feed'
  | 'invalid_opml';

/** A failure to fetch, decode or parse a feed, with a stable `code`. */
export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}
