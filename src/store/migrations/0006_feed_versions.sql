-- Version of each feed scope (`en`, `en/tag/lazarus`), bumped by every write that changes its feeds.
-- Caches that cannot be purged everywhere at once (the Workers Cache API) key rendered feeds by it.
CREATE TABLE feed_versions (
  scope TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
