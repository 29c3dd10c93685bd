import type { SqlClient } from '../store/sql-client.ts';
import type { HubSubscription, SubscriptionState } from './subscriber.ts';

interface Row {
  source_id: number;
  hub: string;
  topic: string;
  callback_id: string;
  secret: string;
  state: SubscriptionState;
  requested_at: number;
  lease_seconds: number | null;
  lease_end: number | null;
  last_content_at: number | null;
  failures: number;
  last_error: string | null;
}

const toSubscription = (row: Row): HubSubscription => ({
  sourceId: row.source_id,
  hub: row.hub,
  topic: row.topic,
  callbackId: row.callback_id,
  secret: row.secret,
  state: row.state,
  requestedAt: row.requested_at,
  leaseSeconds: row.lease_seconds ?? undefined,
  leaseEnd: row.lease_end ?? undefined,
  lastContentAt: row.last_content_at ?? undefined,
  failures: row.failures,
  lastError: row.last_error ?? undefined,
});

export type SubscriberStore = ReturnType<typeof createSubscriberStore>;

/** Our subscriptions to other publishers' hubs, one per followed source (the table of migration 0013). */
export function createSubscriberStore(db: SqlClient) {
  const one = async (where: string, value: string | number) => {
    const row = await db.first<Row>(`SELECT * FROM websub_subscriptions_in WHERE ${where} = ?`, [value]);
    return row && toSubscription(row);
  };
  const update = (set: string, params: (string | number | null)[], callbackId: string) =>
    db.batch([{ sql: `UPDATE websub_subscriptions_in SET ${set} WHERE callback_id = ?`, params: [...params, callbackId] }]);

  return {
    ofSource: (sourceId: number) => one('source_id', sourceId),
    ofCallback: (callbackId: string) => one('callback_id', callbackId),
    async list(): Promise<HubSubscription[]> {
      return (await db.all<Row>('SELECT * FROM websub_subscriptions_in ORDER BY source_id')).map(toSubscription);
    },
    /** A new subscription, requested now; it replaces the source's earlier one (whose callback then answers 410). */
    async start(s: { sourceId: number; hub: string; topic: string; callbackId: string; secret: string }, now: number) {
      await db.batch([
        {
          sql: `INSERT INTO websub_subscriptions_in (source_id, hub, topic, callback_id, secret, state, requested_at)
                VALUES (?, ?, ?, ?, ?, 'requested', ?)
                ON CONFLICT (source_id) DO UPDATE SET hub = excluded.hub, topic = excluded.topic, callback_id = excluded.callback_id,
                  secret = excluded.secret, state = 'requested', requested_at = excluded.requested_at, lease_seconds = NULL,
                  lease_end = NULL, failures = 0, last_error = NULL`,
          params: [s.sourceId, s.hub, s.topic, s.callbackId, s.secret, now],
        },
      ]);
    },
    /** Asked again (a renewal or a retry): a live subscription stays active until the hub says otherwise. */
    requestedAgain: (callbackId: string, now: number, failures: number) =>
      update(
        `requested_at = ?, failures = ?, state = CASE WHEN state = 'active' THEN 'active' ELSE 'requested' END`,
        [now, failures],
        callbackId,
      ),
    /** What the hub answered the request: accepted (it will verify), or the error that counts as a failure. */
    recordRequest: (callbackId: string, error: string | undefined) =>
      error === undefined
        ? update('last_error = NULL', [], callbackId)
        : update('failures = failures + 1, last_error = ?', [error], callbackId),
    unsubscribed: (callbackId: string, now: number) =>
      update(`state = 'unsubscribed', requested_at = ?, lease_seconds = NULL, lease_end = NULL`, [now], callbackId),
    /** Verified by the hub (W3C WebSub §5.3), with the lease it granted. */
    activate: (callbackId: string, leaseSeconds: number, leaseEnd: number) =>
      update(`state = 'active', lease_seconds = ?, lease_end = ?, failures = 0, last_error = NULL`, [leaseSeconds, leaseEnd], callbackId),
    /** Denied by the hub (W3C WebSub §5.2). */
    deny: (callbackId: string, reason: string) =>
      update(
        `state = 'denied', lease_seconds = NULL, lease_end = NULL, failures = failures + 1, last_error = ?`,
        [`denied: ${reason}`],
        callbackId,
      ),
    recordContent: (callbackId: string, at: number) => update('last_content_at = ?', [at], callbackId),
  };
}
