import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { InvalidationLog } from '../../render-cache/render-cache.ts';
import { whenUnlocked } from './sqlite-client.ts';

/**
 * The invalidation log of the server processes sharing one SQLite file (table render_invalidations). Whether anyone else
 * committed is read from SQLite's data_version, which changes only for other connections' commits
 * (https://sqlite.org/pragma.html#pragma_data_version) and costs no I/O; reading it takes a few microseconds, as much as
 * the rest of a cached answer, so it is read once per event-loop turn: the requests of one turn arrived together.
 */
export function createInvalidationLog(db: Database.Database, now: () => number = Date.now, keepMs = 10 * 60_000): InvalidationLog {
  const origin = randomUUID();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const insert = db.prepare('INSERT INTO render_invalidations (origin, scope, at) VALUES (?, ?, ?)');
  const prune = db.prepare('DELETE FROM render_invalidations WHERE at < ?');
  const since = db.prepare<[number], { seq: number; origin: string; scope: string }>(
    'SELECT seq, origin, scope FROM render_invalidations WHERE seq > ? ORDER BY seq',
  );
  const newest = () =>
    (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'render_invalidations'").pluck().get() as number | undefined) ?? 0;
  const publishAll = db.transaction((scopes: string[]) => {
    const at = now();
    for (const scope of scopes) insert.run(origin, scope, at);
    prune.run(at - keepMs);
  });

  // Scopes whose invalidation other processes have not been told of yet. The write that changed them is committed
  // already, so it is not undone when this fails (a full disk): they are published with the next write, or within a
  // second, once there is room.
  const unpublished = new Set<string>();
  let retrying = false;
  async function publishUnpublished(): Promise<void> {
    const scopes = [...unpublished];
    try {
      await whenUnlocked(() => publishAll(scopes));
      for (const scope of scopes) unpublished.delete(scope);
    } catch {
      if (retrying) return;
      retrying = true;
      setTimeout(() => {
        retrying = false;
        void publishUnpublished();
      }, 1000).unref();
    }
  }

  let seenVersion = dataVersion.get();
  let seenSeq = newest();
  let checkedThisTurn = false;
  const nextTurn = () => {
    checkedThisTurn = false;
  };

  return {
    async publish(scopes) {
      for (const scope of scopes) unpublished.add(scope);
      if (unpublished.size > 0) await publishUnpublished();
    },
    receive() {
      if (checkedThisTurn) return [];
      checkedThisTurn = true;
      setImmediate(nextTurn);
      let version: unknown;
      let rows: { seq: number; origin: string; scope: string }[];
      try {
        version = dataVersion.get();
        if (version === seenVersion) return [];
        rows = since.all(seenSeq);
      } catch {
        return []; // the file is busy recovering: the next turn looks again
      }
      seenVersion = version;
      const top = rows.at(-1)?.seq ?? seenSeq;
      // Sequence numbers are contiguous; missing ones were pruned before this process looked: it cannot tell what changed.
      const missed = rows.length < top - seenSeq;
      seenSeq = Math.max(top, seenSeq);
      if (missed) return 'everything';
      return rows.filter((row) => row.origin !== origin).map((row) => row.scope);
    },
  };
}
