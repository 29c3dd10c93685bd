import type { SqlClient, SqlStatement, SqlValue } from '../store/sql-client.ts';
import type { ArticleLink, Candidate, DocumentEntity, LinkState, NewLink } from './model.ts';
import { ftsQuery } from './query.ts';

export interface CrosslinkStore {
  /** Replaces an article's text and entities in the indexes (nothing when it has no published translation). */
  indexArticle(
    articleId: string,
    text: { title: string; body: string } | undefined,
    entities: Map<string, DocumentEntity>,
    publishedAt: number,
    languages: string[],
  ): Promise<void>;
  indexItem(
    itemId: number,
    text: { title: string; body: string },
    entities: Map<string, DocumentEntity>,
    publishedAt: number,
    languages: string[],
  ): Promise<void>;
  /** The indexed titles and leads (the first line of the body: the summary) of items. */
  itemLeads(itemIds: number[]): Promise<Map<number, { title: string; lead: string }>>;
  /** An indexed article's full-text rank (-bm25, 0 when it does not match) for each query, as its index ranks it. */
  articleTextRanks(articleId: string, queries: string[][]): Promise<number[]>;
  /** How many documents there are, and how many mention each of the given entities. */
  entityCounts(entities: string[]): Promise<{ documents: number; mentioning: Map<string, number> }>;
  /** Articles found by full-text search for the query's telling terms, or sharing an entity within [from, to]. */
  articleCandidates(terms: string[], entities: string[], from: number, to: number, limit: number): Promise<Candidate<string>[]>;
  itemCandidates(terms: string[], entities: string[], from: number, to: number, limit: number): Promise<Candidate<number>[]>;
  /** Replaces the automatic links of an item (pinned and blocked ones stay), keeping each article's best `maxLinks`. */
  replaceItemLinks(itemId: number, links: NewLink[], maxLinks: number, now: number): Promise<string[]>;
  /** Replaces the automatic links of an article (pinned and blocked ones stay); true when the links it shows changed. */
  replaceArticleLinks(articleId: string, links: NewLink[], now: number): Promise<boolean>;
  setLinkState(articleId: string, itemId: number, state: LinkState | undefined, now: number): Promise<void>;
  /** The links the given articles show (not the blocked ones), pinned first, then best first. */
  shownLinks(articleIds: string[]): Promise<ArticleLink[]>;
  /** Every link of an article (pinned and blocked ones too), best first. */
  linksOfArticle(articleId: string): Promise<ArticleLink[]>;
  /** Every link of these items (blocked ones too), best first. */
  linksOfItems(itemIds: number[]): Promise<ArticleLink[]>;
  /** Of these items, those with any link (pinned and blocked ones too). */
  linkedItems(itemIds: number[]): Promise<Set<number>>;
  /** Of these items and articles, those in the indexes. */
  indexedItems(itemIds: number[]): Promise<Set<number>>;
  indexedArticles(articleIds: string[]): Promise<Set<string>>;
}

type IndexName = 'articles' | 'items';

/**
 * How many documents of an index hold each term. FTS5's vocabulary table counts them by walking each term's postings,
 * which takes milliseconds for common terms in a large index, so counts are kept until the index has changed size by
 * a twentieth (they move with it, and only need to tell rare words from common ones).
 */
function createTermFrequencies(db: SqlClient) {
  const known = new Map<string, { documents: number; indexSize: number }>();
  return async (index: IndexName, terms: string[], indexSize: number): Promise<Map<string, number>> => {
    const fresh = (term: string) => {
      const entry = known.get(`${index}:${term}`);
      return entry !== undefined && Math.abs(indexSize - entry.indexSize) <= entry.indexSize * 0.05 + 10;
    };
    const missing = terms.filter((term) => !fresh(term));
    if (missing.length) {
      if (known.size > 200_000) known.clear();
      const vocabulary = index === 'articles' ? 'article_fts_terms' : 'item_fts_terms';
      const rows = await db.all<{ term: string; doc: number }>(
        `SELECT term, doc FROM ${vocabulary} WHERE term IN (SELECT value FROM json_each(?))`,
        [JSON.stringify(missing)],
      );
      const counted = new Map(rows.map((row) => [row.term, row.doc]));
      for (const term of missing) known.set(`${index}:${term}`, { documents: counted.get(term) ?? 0, indexSize });
    }
    return new Map(terms.map((term) => [term, known.get(`${index}:${term}`)!.documents]));
  };
}

/**
 * The terms worth ranking by: those held by at most 2% of documents (and any while the index is small), rarest
 * first. Common words are left to the entity signal: ranking thousands of documents that share "bitcoin" costs time
 * and tells nothing.
 */
async function telling(
  frequencies: ReturnType<typeof createTermFrequencies>,
  index: IndexName,
  total: number,
  terms: string[],
): Promise<string[]> {
  if (terms.length === 0) return [];
  const counts = await frequencies(index, terms, total);
  const limit = Math.max(50, total * 0.02);
  return (
    terms
      .filter((term) => (counts.get(term) ?? 0) > 0 && counts.get(term)! <= limit)
      // Rarest first; alphabetical among equals, as the vocabulary lists them.
      .sort((a, b) => counts.get(a)! - counts.get(b)! || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, 12)
  );
}

/** Where the documents on one side of a link (our articles, or external items) are indexed. */
interface Side {
  index: IndexName;
  entityTable: 'article_entities' | 'item_entities';
  entityKey: string;
  rankSql: string;
  rankParams: (query: string, from: number, to: number, limit: number) => SqlValue[];
  timesSql: string;
}

// Articles are few: rank them all (the time decay scores the far ones down). Items are filtered to the window.
const articleSide: Side = {
  index: 'articles',
  entityTable: 'article_entities',
  entityKey: 'article_id',
  rankSql: `SELECT d.article_id AS key, -bm25(article_fts) AS rank FROM article_fts JOIN article_documents d ON d.rowid = article_fts.rowid
            WHERE article_fts MATCH ? ORDER BY bm25(article_fts) LIMIT ?`,
  rankParams: (query, _from, _to, limit) => [query, limit],
  timesSql: 'SELECT article_id AS key, published_at, languages FROM article_documents WHERE article_id IN (SELECT value FROM json_each(?))',
};

const itemSide: Side = {
  index: 'items',
  entityTable: 'item_entities',
  entityKey: 'item_id',
  rankSql: `SELECT item_fts.rowid AS key, -bm25(item_fts) AS rank FROM item_fts JOIN item_documents d ON d.item_id = item_fts.rowid
            WHERE item_fts MATCH ? AND d.published_at BETWEEN ? AND ? ORDER BY bm25(item_fts) LIMIT ?`,
  rankParams: (query, from, to, limit) => [query, from, to, limit],
  timesSql:
    'SELECT item_id AS key, published_at, language AS languages FROM item_documents WHERE item_id IN (SELECT value FROM json_each(?))',
};

/** SQL implementation over SQLite or D1 (FTS5 is available in both). */
export function createCrosslinkStore(db: SqlClient): CrosslinkStore {
  const json = (values: unknown[]) => JSON.stringify(values);
  const frequencies = createTermFrequencies(db);
  /** How many documents an index holds (kept by the entity counts' triggers). */
  const indexSize = async (index: IndexName) =>
    (await db.first<{ n: number }>('SELECT documents AS n FROM entity_counts WHERE entity = ?', [`#${index}`]))?.n ?? 0;

  async function entitiesOf(table: 'article_entities' | 'item_entities', column: string, keys: unknown[]) {
    const rows = await db.all<{ key: string | number; entity: string; prominence: number }>(
      `SELECT ${column} AS key, entity, prominence FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?))`,
      [json(keys)],
    );
    const byKey = new Map<string | number, Map<string, number>>();
    for (const row of rows) {
      const entities = byKey.get(row.key) ?? new Map<string, number>();
      entities.set(row.entity, row.prominence);
      byKey.set(row.key, entities);
    }
    return byKey;
  }

  /**
   * Documents found by full-text search for the telling terms (BM25, best first) or sharing an entity
   * published within [from, to], with their rank, entities and publication time.
   */
  async function candidates<Key extends string | number>(
    side: Side,
    terms: string[],
    entities: string[],
    from: number,
    to: number,
    limit: number,
  ): Promise<Candidate<Key>[]> {
    const query = terms.length ? ftsQuery(await telling(frequencies, side.index, await indexSize(side.index), terms)) : '';
    const ranked = query ? await db.all<{ key: Key; rank: number }>(side.rankSql, side.rankParams(query, from, to, limit)) : [];
    const byEntity = await db.all<{ key: Key }>(
      `SELECT DISTINCT ${side.entityKey} AS key FROM ${side.entityTable}
       WHERE entity IN (SELECT value FROM json_each(?)) AND published_at BETWEEN ? AND ? LIMIT ?`,
      [json(entities), from, to, limit],
    );
    const keys = [...new Set([...ranked.map((row) => row.key), ...byEntity.map((row) => row.key)])];
    if (keys.length === 0) return [];
    const times = await db.all<{ key: Key; published_at: number; languages: string }>(side.timesSql, [json(keys)]);
    const entityMap = await entitiesOf(side.entityTable, side.entityKey, keys);
    const rank = new Map(ranked.map((row) => [row.key, row.rank]));
    return times.map((row) => ({
      key: row.key,
      textRank: rank.get(row.key) ?? 0,
      entities: entityMap.get(row.key) ?? new Map(),
      publishedAt: row.published_at,
      languages: row.languages ? row.languages.split(',') : [],
    }));
  }

  return {
    // The full-text row, entities and counts follow the document row (ON DELETE CASCADE and triggers, migration 0007).
    async indexArticle(articleId, text, entities, publishedAt, languages) {
      const statements: SqlStatement[] = [{ sql: 'DELETE FROM article_documents WHERE article_id = ?', params: [articleId] }];
      if (text) {
        statements.push(
          {
            sql: 'INSERT INTO article_documents (article_id, published_at, languages) VALUES (?, ?, ?)',
            params: [articleId, publishedAt, languages.join(',')],
          },
          {
            sql: 'INSERT INTO article_fts (rowid, title, body) VALUES ((SELECT rowid FROM article_documents WHERE article_id = ?), ?, ?)',
            params: [articleId, text.title, text.body],
          },
          ...[...entities].map(([entity, { mentions, prominence }]) => ({
            sql: 'INSERT INTO article_entities (article_id, entity, mentions, prominence, published_at) VALUES (?, ?, ?, ?, ?)',
            params: [articleId, entity, mentions, prominence, publishedAt],
          })),
        );
      }
      await db.batch(statements);
    },

    async indexItem(itemId, text, entities, publishedAt, languages) {
      await db.batch([
        { sql: 'DELETE FROM item_documents WHERE item_id = ?', params: [itemId] },
        {
          sql: 'INSERT INTO item_documents (item_id, published_at, language) VALUES (?, ?, ?)',
          params: [itemId, publishedAt, languages.join(',')],
        },
        { sql: 'INSERT INTO item_fts (rowid, title, body) VALUES (?, ?, ?)', params: [itemId, text.title, text.body] },
        ...[...entities].map(([entity, { mentions, prominence }]) => ({
          sql: 'INSERT INTO item_entities (item_id, entity, mentions, prominence, published_at) VALUES (?, ?, ?, ?, ?)',
          params: [itemId, entity, mentions, prominence, publishedAt],
        })),
      ]);
    },

    async entityCounts(entities) {
      const rows = await db.all<{ entity: string; documents: number }>(
        `SELECT entity, documents FROM entity_counts WHERE entity IN (SELECT value FROM json_each(?)) OR entity IN ('#articles', '#items')`,
        [json(entities)],
      );
      const counts = new Map(rows.map((row) => [row.entity, row.documents]));
      const documents = (counts.get('#articles') ?? 0) + (counts.get('#items') ?? 0);
      counts.delete('#articles');
      counts.delete('#items');
      return { documents, mentioning: counts };
    },

    async itemLeads(itemIds) {
      const rows = await db.all<{ id: number; title: string; head: string }>(
        'SELECT rowid AS id, title, substr(body, 1, 1000) AS head FROM item_fts WHERE rowid IN (SELECT value FROM json_each(?))',
        [json(itemIds)],
      );
      return new Map(rows.map((row) => [row.id, { title: row.title, lead: row.head.split('\n', 1)[0]! }]));
    },

    async articleTextRanks(articleId, queries) {
      // The index's size is read once for all the queries.
      const total = await indexSize('articles');
      return Promise.all(
        queries.map(async (terms) => {
          const query = ftsQuery(await telling(frequencies, 'articles', total, terms));
          if (!query) return 0;
          const row = await db.first<{ rank: number }>(
            `SELECT -bm25(article_fts) AS rank FROM article_fts
             WHERE article_fts MATCH ? AND rowid = (SELECT rowid FROM article_documents WHERE article_id = ?)`,
            [query, articleId],
          );
          return row?.rank ?? 0;
        }),
      );
    },

    articleCandidates: (terms, entities, from, to, limit) => candidates(articleSide, terms, entities, from, to, limit),
    itemCandidates: (terms, entities, from, to, limit) => candidates(itemSide, terms, entities, from, to, limit),

    async replaceItemLinks(itemId, links, maxLinks, now) {
      const before = await db.all<{ article_id: string }>("SELECT article_id FROM article_links WHERE item_id = ? AND state = 'auto'", [
        itemId,
      ]);
      const statements: SqlStatement[] = [{ sql: "DELETE FROM article_links WHERE item_id = ? AND state = 'auto'", params: [itemId] }];
      for (const link of links) statements.push(upsertAuto(link, now));
      // Each article keeps only its best automatic links.
      for (const link of links) {
        statements.push({
          sql: `DELETE FROM article_links WHERE article_id = ? AND state = 'auto' AND item_id NOT IN (
                  SELECT item_id FROM article_links WHERE article_id = ? AND state = 'auto' ORDER BY score DESC, item_id LIMIT ?)`,
          params: [link.articleId, link.articleId, maxLinks],
        });
      }
      await db.batch(statements);
      return [...new Set([...before.map((row) => row.article_id), ...links.map((link) => link.articleId)])];
    },

    async replaceArticleLinks(articleId, links, now) {
      // The links an article shows, in the order it shows them (see relatedItems).
      const shown = async () =>
        (
          await db.all<{ item_id: number }>(
            "SELECT item_id FROM article_links WHERE article_id = ? AND state != 'blocked' ORDER BY state = 'pinned' DESC, score DESC, item_id",
            [articleId],
          )
        )
          .map((row) => row.item_id)
          .join(',');
      const before = await shown();
      await db.batch([
        { sql: "DELETE FROM article_links WHERE article_id = ? AND state = 'auto'", params: [articleId] },
        ...links.map((link) => upsertAuto(link, now)),
      ]);
      return (await shown()) !== before;
    },

    async setLinkState(articleId, itemId, state, now) {
      if (state === undefined) {
        await db.batch([
          { sql: "DELETE FROM article_links WHERE article_id = ? AND item_id = ? AND state != 'auto'", params: [articleId, itemId] },
        ]);
        return;
      }
      await db.batch([
        {
          sql: `INSERT INTO article_links (article_id, item_id, score, reason, state, updated_at) VALUES (?, ?, 1, ?, ?, ?)
                ON CONFLICT (article_id, item_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
          params: [articleId, itemId, state === 'pinned' ? 'pinned by an editor' : 'blocked by an editor', state, now],
        },
      ]);
    },

    async shownLinks(articleIds) {
      const rows = await db.all<LinkRow>(
        `SELECT article_id, item_id, score, reason, state FROM article_links
         WHERE article_id IN (SELECT value FROM json_each(?)) AND state != 'blocked'
         ORDER BY state = 'pinned' DESC, score DESC, item_id`,
        [json(articleIds)],
      );
      return rows.map(toArticleLink);
    },

    async linkedItems(itemIds) {
      const rows = await db.all<{ item_id: number }>(
        'SELECT DISTINCT item_id FROM article_links WHERE item_id IN (SELECT value FROM json_each(?))',
        [json(itemIds)],
      );
      return new Set(rows.map((row) => row.item_id));
    },

    async indexedItems(itemIds) {
      const rows = await db.all<{ item_id: number }>(
        'SELECT item_id FROM item_documents WHERE item_id IN (SELECT value FROM json_each(?))',
        [json(itemIds)],
      );
      return new Set(rows.map((row) => row.item_id));
    },

    async indexedArticles(articleIds) {
      const rows = await db.all<{ article_id: string }>(
        'SELECT article_id FROM article_documents WHERE article_id IN (SELECT value FROM json_each(?))',
        [json(articleIds)],
      );
      return new Set(rows.map((row) => row.article_id));
    },

    async linksOfArticle(articleId) {
      const rows = await db.all<LinkRow>(
        'SELECT article_id, item_id, score, reason, state FROM article_links WHERE article_id = ? ORDER BY score DESC, item_id',
        [articleId],
      );
      return rows.map(toArticleLink);
    },

    async linksOfItems(itemIds) {
      const rows = await db.all<LinkRow>(
        `SELECT article_id, item_id, score, reason, state FROM article_links WHERE item_id IN (SELECT value FROM json_each(?))
         ORDER BY score DESC, item_id`,
        [json(itemIds)],
      );
      return rows.map(toArticleLink);
    },
  };
}

interface LinkRow {
  article_id: string;
  item_id: number;
  score: number;
  reason: string;
  state: LinkState;
}

function toArticleLink(row: LinkRow): ArticleLink {
  return { articleId: row.article_id, itemId: row.item_id, score: row.score, reason: row.reason, state: row.state };
}

function upsertAuto(link: NewLink, now: number): SqlStatement {
  return {
    sql: `INSERT INTO article_links (article_id, item_id, score, reason, state, updated_at) VALUES (?, ?, ?, ?, 'auto', ?)
          ON CONFLICT (article_id, item_id) DO UPDATE SET score = excluded.score, reason = excluded.reason, updated_at = excluded.updated_at
          WHERE article_links.state = 'auto'`,
    params: [link.articleId, link.itemId, link.score, link.reason, now],
  };
}
