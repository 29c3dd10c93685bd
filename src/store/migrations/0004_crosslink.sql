-- Full-text indexes for cross-linking (FTS5, BM25 ranking). Text is folded by the tokenizer
-- (case and diacritics), so "Japón" finds "Japon". One row per article (rowid = articles.rowid,
-- holding the text of all its published translations, so an item in any language can match it)
-- and one per item (rowid = items.id).
CREATE VIRTUAL TABLE article_fts USING fts5 (
  title,
  body,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE item_fts USING fts5 (
  title,
  body,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Entities mentioned in each document: which documents share an entity, and how rare it is.
CREATE TABLE article_entities (
  article_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  mentions INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, entity)
) WITHOUT ROWID;

CREATE INDEX article_entities_by_entity ON article_entities (entity, published_at);

CREATE TABLE item_entities (
  item_id INTEGER NOT NULL,
  entity TEXT NOT NULL,
  mentions INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (item_id, entity)
) WITHOUT ROWID;

CREATE INDEX item_entities_by_entity ON item_entities (entity, published_at);

-- Links between our articles (all their translations share them) and external items.
-- state: auto (found by matching, replaced by re-matching), pinned or blocked (an editor's choice, kept).
CREATE TABLE article_links (
  article_id TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  score REAL NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('auto', 'pinned', 'blocked')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, item_id)
) WITHOUT ROWID;

CREATE INDEX article_links_by_item ON article_links (item_id);
