import type { SqlClient, SqlStatement } from '../store/sql-client.ts';
import type { AnswerCounts } from './tally.ts';

/** The counters of one document (a feed URL) on one UTC day, as stored and read back. */
export interface DocumentDayRow extends AnswerCounts {
  day: string;
  kind: string;
  name: string;
  /** Distinct other clients (read back; ignored when adding: it is counted from the client hashes). */
  pollers: number;
}

/** What one flush adds for one document-day. */
export interface DocumentDayAddition extends Omit<DocumentDayRow, 'pollers'> {
  /** The largest count each aggregator announced, as [aggregator, subscribers]. */
  subscribers: [string, number][];
  /** Salted hashes of (address, User-Agent) of the other clients seen. */
  clients: string[];
}

export interface SubscriberRow {
  day: string;
  kind: string;
  name: string;
  aggregator: string;
  subscribers: number;
}

/** Rows older than these days (`YYYY-MM-DD`) are deleted as a flush writes. */
export interface Retention {
  countsFrom: string;
  clientsFrom: string;
}

export type ReaderStatsStore = ReturnType<typeof createReaderStatsStore>;

const clientsPerStatement = 2000;

/** SQL for reader statistics over SQLite or D1. */
export function createReaderStatsStore(db: SqlClient) {
  return {
    /** The day's salt for client hashes: the stored one, or `candidate` when the day has none yet. */
    async saltFor(day: string, candidate: string): Promise<string> {
      await db.batch([{ sql: 'INSERT OR IGNORE INTO reader_stats_salts (day, salt) VALUES (?, ?)', params: [day, candidate] }]);
      return (await db.first<{ salt: string }>('SELECT salt FROM reader_stats_salts WHERE day = ?', [day]))!.salt;
    },

    /**
     * Adds a flush's counts in one transaction: counters summed, each aggregator's count kept at its largest, client
     * hashes merged and counted into `pollers`; then deletes what is past retention (salts a day after their day).
     */
    async add(additions: DocumentDayAddition[], retention: Retention): Promise<void> {
      const statements: SqlStatement[] = [];
      for (const a of additions) {
        const key = [a.day, a.kind, a.name];
        statements.push({
          sql: `INSERT INTO reader_stats_daily (day, kind, name, requests, not_modified, gzip, bytes_sent, bytes_saved_not_modified, bytes_saved_gzip)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (day, kind, name) DO UPDATE SET
                  requests = requests + excluded.requests, not_modified = not_modified + excluded.not_modified,
                  gzip = gzip + excluded.gzip, bytes_sent = bytes_sent + excluded.bytes_sent,
                  bytes_saved_not_modified = bytes_saved_not_modified + excluded.bytes_saved_not_modified,
                  bytes_saved_gzip = bytes_saved_gzip + excluded.bytes_saved_gzip`,
          params: [...key, a.requests, a.notModified, a.gzip, a.bytesSent, a.bytesSavedByNotModified, a.bytesSavedByGzip],
        });
        for (const [aggregator, subscribers] of a.subscribers) {
          statements.push({
            sql: `INSERT INTO reader_stats_subscribers (day, kind, name, aggregator, subscribers) VALUES (?, ?, ?, ?, ?)
                  ON CONFLICT (day, kind, name, aggregator) DO UPDATE SET subscribers = max(subscribers, excluded.subscribers)`,
            params: [...key, aggregator, subscribers],
          });
        }
        if (a.clients.length === 0) continue;
        // In slices: D1 takes a bound value of at most 2 MB.
        for (let start = 0; start < a.clients.length; start += clientsPerStatement) {
          statements.push({
            sql: 'INSERT OR IGNORE INTO reader_stats_clients (day, kind, name, client) SELECT ?, ?, ?, value FROM json_each(?)',
            params: [...key, JSON.stringify(a.clients.slice(start, start + clientsPerStatement))],
          });
        }
        statements.push({
          sql: `UPDATE reader_stats_daily SET pollers = (SELECT count(*) FROM reader_stats_clients WHERE day = ? AND kind = ? AND name = ?)
                WHERE day = ? AND kind = ? AND name = ?`,
          params: [...key, ...key],
        });
      }
      statements.push(
        { sql: 'DELETE FROM reader_stats_daily WHERE day < ?', params: [retention.countsFrom] },
        { sql: 'DELETE FROM reader_stats_subscribers WHERE day < ?', params: [retention.countsFrom] },
        { sql: 'DELETE FROM reader_stats_clients WHERE day < ?', params: [retention.clientsFrom] },
        { sql: 'DELETE FROM reader_stats_salts WHERE day < ?', params: [retention.clientsFrom] },
      );
      await db.batch(statements);
    },

    async documentDays(fromDay: string): Promise<DocumentDayRow[]> {
      return db.all<DocumentDayRow>(
        `SELECT day, kind, name, requests, not_modified AS notModified, gzip, bytes_sent AS bytesSent,
                bytes_saved_not_modified AS bytesSavedByNotModified, bytes_saved_gzip AS bytesSavedByGzip, pollers
           FROM reader_stats_daily WHERE day >= ? ORDER BY kind, name, day`,
        [fromDay],
      );
    },

    async subscribers(fromDay: string): Promise<SubscriberRow[]> {
      return db.all<SubscriberRow>(
        'SELECT day, kind, name, aggregator, subscribers FROM reader_stats_subscribers WHERE day >= ? ORDER BY kind, name, day, aggregator',
        [fromDay],
      );
    },
  };
}
