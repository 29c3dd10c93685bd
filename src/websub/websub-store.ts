import type { SqlClient } from '../store/sql-client.ts';

export interface Subscription {
  topic: string;
  callback: string;
  scope: string;
  secret: string | undefined;
  leaseEnd: number;
  createdAt: number;
  lastDeliveryAt: number | undefined;
  lastEtag: string | undefined;
  failures: number;
  lastError: string | undefined;
  dueAt: number | undefined;
}

interface Row {
  topic: string;
  callback: string;
  scope: string;
  secret: string | null;
  lease_end: number;
  created_at: number;
  last_delivery_at: number | null;
  last_etag: string | null;
  failures: number;
  last_error: string | null;
  due_at: number | null;
}

const toSubscription = (row: Row): Subscription => ({
  topic: row.topic,
  callback: row.callback,
  scope: row.scope,
  secret: row.secret ?? undefined,
  leaseEnd: row.lease_end,
  createdAt: row.created_at,
  lastDeliveryAt: row.last_delivery_at ?? undefined,
  lastEtag: row.last_etag ?? undefined,
  failures: row.failures,
  lastError: row.last_error ?? undefined,
  dueAt: row.due_at ?? undefined,
});

export type WebSubStore = ReturnType<typeof createWebSubStore>;

/** Subscriptions to our feeds and the deliveries owed to them (tables of migration 0012). */
export function createWebSubStore(db: SqlClient) {
  return {
    /** Adds or renews a verified subscription; a renewal keeps what was delivered. */
    async subscribe(s: { topic: string; callback: string; scope: string; secret?: string; leaseEnd: number }, now: number) {
      await db.batch([
        {
          sql: `INSERT INTO websub_subscriptions (topic, callback, scope, secret, lease_end, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (topic, callback) DO UPDATE SET secret = excluded.secret, lease_end = excluded.lease_end`,
          params: [s.topic, s.callback, s.scope, s.secret ?? null, s.leaseEnd, now],
        },
      ]);
    },
    async unsubscribe(topic: string, callback: string) {
      await db.batch([{ sql: 'DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ?', params: [topic, callback] }]);
    },
    async get(topic: string, callback: string): Promise<Subscription | undefined> {
      const row = await db.first<Row>('SELECT * FROM websub_subscriptions WHERE topic = ? AND callback = ?', [topic, callback]);
      return row ? toSubscription(row) : undefined;
    },
    async list(): Promise<Subscription[]> {
      return (await db.all<Row>('SELECT * FROM websub_subscriptions ORDER BY topic, callback')).map(toSubscription);
    },
    /** Marks a delivery owed to every live subscriber of these scopes; drops expired leases. */
    async markDue(scopes: string[], now: number) {
      await db.batch([
        { sql: 'DELETE FROM websub_subscriptions WHERE lease_end <= ?', params: [now] },
        {
          sql: 'UPDATE websub_subscriptions SET due_at = ?, failures = 0 WHERE scope IN (SELECT value FROM json_each(?))',
          params: [now, JSON.stringify(scopes)],
        },
      ]);
    },
    /**
     * Takes up to `limit` owed deliveries for one run: they are set to come due again at `retryAt`, so another run
     * (another request, process or isolate) does not take them too, and one that was cut off is tried again.
     */
    async claimDue(now: number, retryAt: number, limit: number): Promise<Subscription[]> {
      const rows = await db.all<Row>(
        `UPDATE websub_subscriptions SET due_at = ? WHERE (topic, callback) IN
           (SELECT topic, callback FROM websub_subscriptions WHERE due_at <= ? AND lease_end > ? ORDER BY due_at LIMIT ?)
         RETURNING *`,
        [retryAt, now, now, limit],
      );
      return rows.map(toSubscription);
    },
    async recordDelivery(topic: string, callback: string, outcome: { at: number; etag?: string; error?: string; dueAt?: number }) {
      await db.batch([
        {
          sql: outcome.error
            ? 'UPDATE websub_subscriptions SET failures = failures + 1, last_error = ?, due_at = ? WHERE topic = ? AND callback = ?'
            : 'UPDATE websub_subscriptions SET last_delivery_at = ?, last_etag = ?, failures = 0, last_error = NULL, due_at = NULL WHERE topic = ? AND callback = ?',
          params: outcome.error
            ? [outcome.error, outcome.dueAt ?? null, topic, callback]
            : [outcome.at, outcome.etag ?? null, topic, callback],
        },
      ]);
    },
  };
}
