-- WebSub (W3C Recommendation 2018): subscriptions to our feeds, verified by their subscribers, and the deliveries owed
-- to them. A topic is one of our feed URLs; its scope is the render-cache scope whose changes reach it.
CREATE TABLE websub_subscriptions (
  topic TEXT NOT NULL,
  callback TEXT NOT NULL,
  scope TEXT NOT NULL,
  secret TEXT,
  lease_end INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_delivery_at INTEGER,
  last_etag TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  -- Set while a delivery is owed: when to try next.
  due_at INTEGER,
  PRIMARY KEY (topic, callback)
) WITHOUT ROWID;
CREATE INDEX websub_by_scope ON websub_subscriptions (scope);
CREATE INDEX websub_by_due ON websub_subscriptions (due_at) WHERE due_at IS NOT NULL;
