-- Reader statistics: how each counted document (kind 'feed': a feed URL, by its path) was asked and answered per UTC
-- day (`YYYY-MM-DD`). Servers count in memory and add their counts here in batches. Kept 90 days.
CREATE TABLE reader_stats_daily (
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0,
  gzip INTEGER NOT NULL DEFAULT 0,
  bytes_sent INTEGER NOT NULL DEFAULT 0,
  -- The bodies 304s stood for, and identity minus gzip size for each gzip answer.
  bytes_saved_not_modified INTEGER NOT NULL DEFAULT 0,
  bytes_saved_gzip INTEGER NOT NULL DEFAULT 0,
  -- Distinct other clients (self-hosted readers, apps, scripts), counted from reader_stats_clients while the day is open.
  pollers INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, kind, name)
) WITHOUT ROWID;

-- The largest subscriber count each hosted aggregator announced in its User-Agent, per document and day. Kept 90 days.
CREATE TABLE reader_stats_subscribers (
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  aggregator TEXT NOT NULL,
  subscribers INTEGER NOT NULL,
  PRIMARY KEY (day, kind, name, aggregator)
) WITHOUT ROWID;

-- Other clients seen per document and day, as salted hashes of (address, User-Agent): no address is stored. Only
-- today's and yesterday's are kept (the day's distinct count stays in reader_stats_daily.pollers).
CREATE TABLE reader_stats_clients (
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  client TEXT NOT NULL,
  PRIMARY KEY (day, kind, name, client)
) WITHOUT ROWID;

-- One random salt per day, shared by every server process; deleted the day after, so that a day's hashes can neither be
-- joined with another day's nor recomputed from an address.
CREATE TABLE reader_stats_salts (
  day TEXT PRIMARY KEY,
  salt TEXT NOT NULL
) WITHOUT ROWID;
