-- How many documents (articles and items) mention each entity, kept up to date as documents are
-- indexed, so weighing an entity by rarity reads one row instead of counting every mention.
-- The rows '#articles' and '#items' count the documents in each full-text index.
CREATE TABLE entity_counts (
  entity TEXT PRIMARY KEY,
  documents INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO entity_counts (entity, documents)
SELECT entity, count(*) FROM (SELECT entity FROM article_entities UNION ALL SELECT entity FROM item_entities) GROUP BY entity;

INSERT INTO entity_counts (entity, documents) VALUES ('#articles', (SELECT count(*) FROM article_fts));
INSERT INTO entity_counts (entity, documents) VALUES ('#items', (SELECT count(*) FROM item_fts));

-- Term statistics of the full-text indexes: how many documents hold each word, to leave out
-- words too common to tell stories apart before asking FTS5 to rank.
CREATE VIRTUAL TABLE article_fts_terms USING fts5vocab (article_fts, row);
CREATE VIRTUAL TABLE item_fts_terms USING fts5vocab (item_fts, row);
