import type { SqlClient, SqlValue } from '../store/sql-client.ts';
import type { ItemHeadline, ItemQuery, ItemToStore, PollRecord, Source, SourceInput, StoredItem } from './model.ts';

export interface IngestStore {
  listSources(): Promise<Source[]>;
  getSource(id: number): Promise<Source | undefined>;
  findSourceByUrl(url: string): Promise<Source | undefined>;
  /** Inserts sources atomically; URLs already present are skipped. Returns the ids of the new ones. */
  addSources(inputs: SourceInput[], now: number): Promise<number[]>;
  updateSource(id: number, patch: Partial<SourceInput>): Promise<void>;
  deleteSource(id: number): Promise<void>;
  dueSources(now: number, limit: number): Promise<Source[]>;
  /**
   * Takes up to `limit` due sources for polling elsewhere (a queue): their next poll is set to `until`, so the next
   * round does not take them again while they wait, and one whose poll was lost comes due again then.
   */
  claimDueSources(now: number, limit: number, until: number): Promise<number[]>;
  recordPoll(id: number, record: PollRecord): Promise<void>;
  /** The stored item a source's item is: the one that source gave this key, else the one with its story URL. */
  findItem(sourceId: number, key: string, url: string | undefined): Promise<number | undefined>;
  /** Items from other sources published within [from, to] whose titles share one of `prefixWords`, newest first. */
  clusterCandidates(
    sourceId: number,
    prefixWords: string[],
    from: number,
    to: number,
  ): Promise<{ id: number; clusterId: number | null; titleKey: string }[]>;
  /** Rewrites a stored item with what a source now says about it, and records that the source carries it. */
  updateItem(id: number, sourceId: number, item: ItemToStore, now: number): Promise<void>;
  /** Inserts a new item in `clusterId` (a cluster of its own when undefined); returns its id. */
  insertItem(sourceId: number, item: ItemToStore, clusterId: number | undefined, now: number): Promise<number>;
  listItems(query: ItemQuery): Promise<StoredItem[]>;
  getItem(id: number): Promise<StoredItem | undefined>;
  itemHeadlines(ids: number[]): Promise<Map<number, ItemHeadline>>;
  /** Merges the story clusters of two items (the older cluster's id stays); returns the merged cluster's items. */
  joinStories(itemId: number, otherId: number): Promise<number[]>;
  /** Each item's story: the items of its cluster (itself included). */
  storyMembers(ids: number[]): Promise<Map<number, number[]>>;
  /** Items each source brought per UTC day since `from`, by when that source first carried them. */
  itemsPerSourceDay(from: number): Promise<SourceDayItems[]>;
  /** The ids of the `limit` items stored last. */
  newestItemIds(limit: number): Promise<number[]>;
  /** Ids of items published before `cutoff`. */
  itemsPublishedBefore(cutoff: number): Promise<number[]>;
  /** Deletes items; what belongs to them goes with them (ON DELETE CASCADE). */
  deleteItems(ids: number[]): Promise<void>;
  /** Sets a one-time flag; true when this call set it (false when it was already set). */
  markOnce(key: string, now: number): Promise<boolean>;
  hasMark(key: string): Promise<boolean>;
}

interface SourceRow {
  id: number;
  url: string;
  title: string;
  language: string | null;
  enabled: number;
  poll_interval_seconds: number;
  created_at: number;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_status: number | null;
  items_seen: number;
  items_new: number;
  entries_kept: number | null;
  entries_repaired: number | null;
  entries_dropped: number | null;
  entry_problems: string | null;
  document_problems: string | null;
  consecutive_errors: number;
  last_error_code: string | null;
  last_error_message: string | null;
  next_poll_at: number;
  disabled_reason: string | null;
}

interface ItemRow {
  id: number;
  url: string | null;
  title: string;
  summary: string;
  content_html: string;
  authors: string;
  categories: string;
  language: string | null;
  published_at: number;
  updated_at: number;
  image_url: string | null;
  image_type: string | null;
  image_length: number | null;
  cluster_id: number | null;
  first_seen_at: number;
  title_derived: number;
}

const itemColumns =
  'i.id, i.url, i.title, i.summary, i.content_html, i.authors, i.categories, i.language, i.published_at, i.updated_at, i.image_url, i.image_type, i.image_length, i.cluster_id, i.first_seen_at, i.title_derived';

/** How many items a source brought on one UTC day (`day` null for a source with none in the window). */
export interface SourceDayItems {
  id: number;
  title: string;
  url: string;
  day: string | null;
  items: number;
}

/** SQL implementation of IngestStore over SQLite or D1. */
export function createIngestStore(db: SqlClient): IngestStore {
  return {
    async listSources() {
      return (await db.all<SourceRow>('SELECT * FROM sources ORDER BY id')).map(toSource);
    },

    async getSource(id) {
      const row = await db.first<SourceRow>('SELECT * FROM sources WHERE id = ?', [id]);
      return row ? toSource(row) : undefined;
    },

    async findSourceByUrl(url) {
      const row = await db.first<SourceRow>('SELECT * FROM sources WHERE url = ?', [url]);
      return row ? toSource(row) : undefined;
    },

    async addSources(inputs, now) {
      const before = new Set((await db.all<{ id: number }>('SELECT id FROM sources')).map((row) => row.id));
      await db.batch(
        inputs.map((input) => ({
          sql: `INSERT OR IGNORE INTO sources (url, title, language, enabled, poll_interval_seconds, created_at, next_poll_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)`,
          params: [
            input.url,
            input.title,
            input.language ?? null,
            input.enabled === false ? 0 : 1,
            input.pollIntervalSeconds ?? 1800,
            now,
            now,
          ],
        })),
      );
      return (await db.all<{ id: number }>('SELECT id FROM sources ORDER BY id')).map((row) => row.id).filter((id) => !before.has(id));
    },

    async updateSource(id, patch) {
      const sets: string[] = [];
      const params: SqlValue[] = [];
      const set = (column: string, value: SqlValue) => {
        sets.push(`${column} = ?`);
        params.push(value);
      };
      if (patch.url !== undefined) set('url', patch.url);
      if (patch.title !== undefined) set('title', patch.title);
      if (patch.language !== undefined) set('language', patch.language);
      if (patch.pollIntervalSeconds !== undefined) set('poll_interval_seconds', patch.pollIntervalSeconds);
      if (patch.enabled !== undefined) {
        set('enabled', patch.enabled ? 1 : 0);
        // Re-enabling clears the reason it was disabled and polls it soon.
        if (patch.enabled) sets.push('disabled_reason = NULL', 'consecutive_errors = 0', 'next_poll_at = 0');
      }
      if (sets.length === 0) return;
      await db.batch([{ sql: `UPDATE sources SET ${sets.join(', ')} WHERE id = ?`, params: [...params, id] }]);
    },

    async deleteSource(id) {
      // Which items it carried goes with it (ON DELETE CASCADE); the items stay.
      await db.batch([{ sql: 'DELETE FROM sources WHERE id = ?', params: [id] }]);
    },

    async claimDueSources(now, limit, until) {
      const rows = await db.all<{ id: number }>(
        `UPDATE sources SET next_poll_at = ? WHERE id IN
           (SELECT id FROM sources WHERE enabled = 1 AND next_poll_at <= ? ORDER BY next_poll_at, id LIMIT ?)
         RETURNING id`,
        [until, now, limit],
      );
      return rows.map((row) => row.id).sort((a, b) => a - b);
    },

    async dueSources(now, limit) {
      const rows = await db.all<SourceRow>(
        'SELECT * FROM sources WHERE enabled = 1 AND next_poll_at <= ? ORDER BY next_poll_at, id LIMIT ?',
        [now, limit],
      );
      return rows.map(toSource);
    },

    async recordPoll(id, r) {
      await db.batch([
        {
          sql: `UPDATE sources SET
                  last_attempt_at = ?, last_status = ?, consecutive_errors = ?, next_poll_at = ?,
                  last_success_at = CASE WHEN ? THEN ? ELSE last_success_at END,
                  etag = CASE WHEN ? THEN ? ELSE etag END,
                  last_modified = CASE WHEN ? THEN ? ELSE last_modified END,
                  url = COALESCE(?, url),
                  items_seen = COALESCE(?, items_seen), items_new = COALESCE(?, items_new),
                  entries_kept = COALESCE(?, entries_kept), entries_repaired = COALESCE(?, entries_repaired),
                  entries_dropped = COALESCE(?, entries_dropped), entry_problems = COALESCE(?, entry_problems),
                  document_problems = COALESCE(?, document_problems),
                  last_error_code = ?, last_error_message = ?,
                  enabled = CASE WHEN ? IS NULL THEN enabled ELSE 0 END,
                  disabled_reason = COALESCE(?, disabled_reason)
                WHERE id = ?`,
          params: [
            r.attemptAt,
            r.status,
            r.consecutiveErrors,
            r.nextPollAt,
            r.success ? 1 : 0,
            r.attemptAt,
            r.etag !== undefined ? 1 : 0,
            r.etag ?? null,
            r.lastModified !== undefined ? 1 : 0,
            r.lastModified ?? null,
            r.url ?? null,
            r.itemsSeen ?? null,
            r.itemsNew ?? null,
            r.entries?.kept ?? null,
            r.entries?.repaired ?? null,
            r.entries?.dropped ?? null,
            r.entries ? JSON.stringify(r.entries.problems) : null,
            r.entries ? JSON.stringify(r.entries.document) : null,
            r.errorCode ?? null,
            r.errorMessage ?? null,
            r.disable ?? null,
            r.disable ?? null,
            id,
          ],
        },
      ]);
    },

    async findItem(sourceId, key, url) {
      const own = await db.first<{ item_id: number }>('SELECT item_id FROM item_sources WHERE source_id = ? AND source_key = ?', [
        sourceId,
        key,
      ]);
      if (own) return own.item_id;
      if (!url) return undefined;
      return (await db.first<{ id: number }>('SELECT id FROM items WHERE url = ?', [url]))?.id;
    },

    async clusterCandidates(sourceId, words, from, to) {
      const rows = await db.all<{ id: number; cluster_id: number | null; title_key: string }>(
        `SELECT DISTINCT i.id, i.cluster_id, i.title_key FROM item_title_words w JOIN items i ON i.id = w.item_id
         WHERE w.word IN (SELECT value FROM json_each(?)) AND w.published_at BETWEEN ? AND ?
           AND NOT EXISTS (SELECT 1 FROM item_sources s WHERE s.item_id = i.id AND s.source_id = ?)
         ORDER BY i.published_at DESC LIMIT 5000`,
        [JSON.stringify(words), from, to, sourceId],
      );
      return rows.map((row) => ({ id: row.id, clusterId: row.cluster_id, titleKey: row.title_key }));
    },

    async updateItem(id, sourceId, { item, titleKey, prefixWords }, now) {
      await db.batch([
        {
          sql: `UPDATE items SET title = ?, title_key = ?, summary = ?, content_html = ?, authors = ?, categories = ?, language = ?,
                  published_at = ?, updated_at = ?, image_url = ?, image_type = ?, image_length = ?, title_derived = ?, last_seen_at = ? WHERE id = ?`,
          params: [...itemFields(item, titleKey), now, id],
        },
        {
          sql: 'INSERT OR IGNORE INTO item_sources (source_id, source_key, item_id, first_seen_at) VALUES (?, ?, ?, ?)',
          params: [sourceId, item.key, id, now],
        },
        { sql: 'DELETE FROM item_title_words WHERE item_id = ?', params: [id] },
        {
          sql: 'INSERT OR IGNORE INTO item_title_words (word, published_at, item_id) SELECT value, ?, ? FROM json_each(?)',
          params: [item.publishedAt, id, JSON.stringify(prefixWords)],
        },
      ]);
    },

    async insertItem(sourceId, { item, titleKey, prefixWords }, clusterId, now) {
      // The new row's id is not known before the insert: statements after it name it by last_insert_rowid().
      await db.batch([
        {
          sql: `INSERT INTO items (url, title, title_key, summary, content_html, authors, categories, language, published_at, updated_at,
                  image_url, image_type, image_length, title_derived, cluster_id, first_seen_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          params: [item.url ?? null, ...itemFields(item, titleKey), clusterId ?? null, now, now],
        },
        // item_title_words is WITHOUT ROWID, so last_insert_rowid() still names the new item afterwards.
        {
          sql: 'INSERT OR IGNORE INTO item_title_words (word, published_at, item_id) SELECT value, ?, last_insert_rowid() FROM json_each(?)',
          params: [item.publishedAt, JSON.stringify(prefixWords)],
        },
        { sql: 'UPDATE items SET cluster_id = id WHERE id = last_insert_rowid() AND cluster_id IS NULL' },
        {
          sql: 'INSERT INTO item_sources (source_id, source_key, item_id, first_seen_at) VALUES (?, ?, last_insert_rowid(), ?)',
          params: [sourceId, item.key, now],
        },
      ]);
      const row = await db.first<{ item_id: number }>('SELECT item_id FROM item_sources WHERE source_id = ? AND source_key = ?', [
        sourceId,
        item.key,
      ]);
      return row!.item_id;
    },

    async getItem(id) {
      return (await this.listItems({ id, limit: 1 }))[0];
    },

    async listItems({ id, sourceId, q, limit, after }) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (id !== undefined) {
        where.push('i.id = ?');
        params.push(id);
      }
      if (sourceId !== undefined) {
        where.push('EXISTS (SELECT 1 FROM item_sources s WHERE s.item_id = i.id AND s.source_id = ?)');
        params.push(sourceId);
      }
      if (q) {
        where.push("(i.title LIKE ? ESCAPE '\\' OR i.summary LIKE ? ESCAPE '\\')");
        const pattern = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
        params.push(pattern, pattern);
      }
      if (after) {
        where.push('(i.published_at, i.id) < (?, ?)');
        params.push(after.publishedAt, after.id);
      }
      const rows = await db.all<ItemRow>(
        `SELECT ${itemColumns} FROM items i ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY i.published_at DESC, i.id DESC LIMIT ?`,
        [...params, limit],
      );
      if (rows.length === 0) return [];
      const sources = await db.all<{ item_id: number; source_id: number; source_key: string; title: string }>(
        `SELECT s.item_id, s.source_id, s.source_key, src.title FROM item_sources s JOIN sources src ON src.id = s.source_id
         WHERE s.item_id IN (SELECT value FROM json_each(?)) ORDER BY s.first_seen_at`,
        [JSON.stringify(rows.map((row) => row.id))],
      );
      return rows.map((row) =>
        toItem(
          row,
          sources.filter((s) => s.item_id === row.id).map((s) => ({ id: s.source_id, title: s.title, key: s.source_key })),
        ),
      );
    },

    async hasMark(key) {
      return (await db.first('SELECT 1 FROM app_state WHERE key = ?', [key])) !== undefined;
    },

    async markOnce(key, now) {
      const existing = await db.first<{ value: string }>('SELECT value FROM app_state WHERE key = ?', [key]);
      if (existing) return false;
      await db.batch([{ sql: 'INSERT OR IGNORE INTO app_state (key, value) VALUES (?, ?)', params: [key, String(now)] }]);
      return true;
    },

    async itemsPerSourceDay(from) {
      return db.all<SourceDayItems>(
        `SELECT s.id, s.title, s.url, strftime('%Y-%m-%d', i.first_seen_at / 1000, 'unixepoch') AS day, count(i.item_id) AS items
           FROM sources s LEFT JOIN item_sources i ON i.source_id = s.id AND i.first_seen_at >= ?
          GROUP BY s.id, day ORDER BY s.id, day`,
        [from],
      );
    },

    async newestItemIds(limit) {
      const rows = await db.all<{ id: number }>('SELECT id FROM items ORDER BY id DESC LIMIT ?', [limit]);
      return rows.map((row) => row.id);
    },

    async itemHeadlines(ids) {
      const rows = await db.all<{
        id: number;
        url: string | null;
        title: string;
        language: string | null;
        published_at: number;
        source: string | null;
        cluster_id: number | null;
        outlets: number;
        languages: number;
      }>(
        `SELECT i.id, i.url, i.title, i.language, i.published_at, i.cluster_id,
                (SELECT src.title FROM item_sources s JOIN sources src ON src.id = s.source_id WHERE s.item_id = i.id ORDER BY s.first_seen_at LIMIT 1) AS source,
                (SELECT count(DISTINCT s.source_id) FROM items c JOIN item_sources s ON s.item_id = c.id WHERE c.cluster_id = i.cluster_id) AS outlets,
                (SELECT count(DISTINCT coalesce(c.language, '')) FROM items c WHERE c.cluster_id = i.cluster_id) AS languages
         FROM items i WHERE i.id IN (SELECT value FROM json_each(?))`,
        [JSON.stringify(ids)],
      );
      return new Map(
        rows.map((row) => [
          row.id,
          {
            id: row.id,
            url: row.url,
            title: row.title,
            language: row.language,
            publishedAt: row.published_at,
            source: row.source,
            clusterId: row.cluster_id ?? row.id,
            coverage: { outlets: Math.max(1, row.outlets), languages: Math.max(1, row.languages) },
          },
        ]),
      );
    },

    async joinStories(itemId, otherId) {
      const rows = await db.all<{ cluster: number }>('SELECT coalesce(cluster_id, id) AS cluster FROM items WHERE id IN (?, ?)', [
        itemId,
        otherId,
      ]);
      const clusters = [...new Set(rows.map((row) => row.cluster))].sort((a, b) => a - b);
      const [kept, merged] = clusters;
      if (kept === undefined) return [];
      if (merged !== undefined)
        await db.batch([{ sql: 'UPDATE items SET cluster_id = ? WHERE cluster_id = ? OR id = ?', params: [kept, merged, merged] }]);
      return (await db.all<{ id: number }>('SELECT id FROM items WHERE cluster_id = ? OR id = ? ORDER BY id', [kept, kept])).map(
        (row) => row.id,
      );
    },

    async storyMembers(ids) {
      const rows = await db.all<{ item: number; member: number }>(
        `SELECT i.id AS item, m.id AS member FROM items i JOIN items m ON m.cluster_id = coalesce(i.cluster_id, i.id) OR m.id = i.id
         WHERE i.id IN (SELECT value FROM json_each(?))`,
        [JSON.stringify(ids)],
      );
      const members = new Map<number, number[]>();
      for (const row of rows) {
        const list = members.get(row.item) ?? [];
        if (!list.includes(row.member)) list.push(row.member);
        members.set(row.item, list);
      }
      return members;
    },

    async itemsPublishedBefore(cutoff) {
      return (await db.all<{ id: number }>('SELECT id FROM items WHERE published_at < ?', [cutoff])).map((row) => row.id);
    },

    async deleteItems(ids) {
      if (ids.length === 0) return;
      await db.batch([{ sql: 'DELETE FROM items WHERE id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] }]);
    },
  };
}

function itemFields(item: ItemToStore['item'], titleKey: string): SqlValue[] {
  return [
    item.title,
    titleKey,
    item.summary,
    item.contentHtml,
    JSON.stringify(item.authors),
    JSON.stringify(item.categories),
    item.language ?? null,
    item.publishedAt,
    item.updatedAt,
    item.image?.url ?? null,
    item.image?.type ?? null,
    item.image?.length ?? null,
    item.titleDerived ? 1 : 0,
  ];
}

function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    language: row.language,
    enabled: row.enabled === 1,
    pollIntervalSeconds: row.poll_interval_seconds,
    createdAt: row.created_at,
    etag: row.etag,
    lastModified: row.last_modified,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastStatus: row.last_status,
    itemsSeen: row.items_seen,
    itemsNew: row.items_new,
    entries:
      row.entries_kept === null
        ? null
        : {
            kept: row.entries_kept,
            repaired: row.entries_repaired ?? 0,
            dropped: row.entries_dropped ?? 0,
            problems: JSON.parse(row.entry_problems ?? '{}') as Record<string, number>,
            document: JSON.parse(row.document_problems ?? '[]') as string[],
          },
    consecutiveErrors: row.consecutive_errors,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    nextPollAt: row.next_poll_at,
    disabledReason: row.disabled_reason,
  };
}

function toItem(row: ItemRow, sources: StoredItem['sources']): StoredItem {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    titleDerived: row.title_derived === 1,
    summary: row.summary,
    contentHtml: row.content_html,
    authors: JSON.parse(row.authors) as string[],
    categories: JSON.parse(row.categories) as string[],
    language: row.language,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    image: row.image_url ? { url: row.image_url, type: row.image_type, length: row.image_length } : null,
    clusterId: row.cluster_id,
    firstSeenAt: row.first_seen_at,
    sources,
  };
}
