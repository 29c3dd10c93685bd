-- WebSub (W3C Recommendation 2018) with ingestion as the subscriber: for each followed source whose feed names a hub,
-- our subscription to that hub (requested by a poll, verified by the hub at /websub/callback/{callback_id}).
CREATE TABLE websub_subscriptions_in (
  source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
  hub TEXT NOT NULL,
  -- The feed's self URL as it states it (hub.topic).
  topic TEXT NOT NULL,
  callback_id TEXT NOT NULL UNIQUE,
  secret TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('requested', 'active', 'denied', 'unsubscribed')),
  -- When the hub was last asked (subscribe, renew or unsubscribe).
  requested_at INTEGER NOT NULL,
  lease_seconds INTEGER,
  lease_end INTEGER,
  last_content_at INTEGER,
  -- Attempts in a row that did not end in a verified subscription.
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
