-- External feeds we follow, with their polling state.
CREATE TABLE sources (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  language TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  poll_interval_seconds INTEGER NOT NULL DEFAULT 1800,
  created_at INTEGER NOT NULL,
  -- Conditional GET validators, stored byte-exact as the server sent them
  etag TEXT,
  last_modified TEXT,
  last_attempt_at INTEGER,
  last_success_at INTEGER,
  last_status INTEGER,
  items_seen INTEGER NOT NULL DEFAULT 0,
  items_new INTEGER NOT NULL DEFAULT 0,
  consecutive_errors INTEGER NOT NULL DEFAULT 0,
  last_error_code TEXT,
  last_error_message TEXT,
  next_poll_at INTEGER NOT NULL DEFAULT 0,
  disabled_reason TEXT
);

CREATE INDEX sources_due ON sources (enabled, next_poll_at);

-- External items, one row per story URL (or per source item when it has no URL).
CREATE TABLE items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT UNIQUE,
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,
  summary TEXT NOT NULL,
  content_html TEXT NOT NULL,
  authors TEXT NOT NULL, -- JSON array
  categories TEXT NOT NULL, -- JSON array
  language TEXT,
  published_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  image_url TEXT,
  image_type TEXT,
  image_length INTEGER,
  -- Items telling the same story share a cluster: the id of the cluster's first item.
  cluster_id INTEGER,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);

CREATE INDEX items_by_time ON items (published_at DESC, id DESC);
CREATE INDEX items_by_cluster ON items (cluster_id);

-- Which sources carried an item, under which of their ids.
CREATE TABLE item_sources (
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  source_key TEXT NOT NULL,
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  first_seen_at INTEGER NOT NULL,
  PRIMARY KEY (source_id, source_key)
);

CREATE INDEX item_sources_by_item ON item_sources (item_id);

-- One-time facts about this database, e.g. that the default sources were imported once.
CREATE TABLE app_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
