-- What follows from a deletion is the database's job, not a store's: rows that belong to an article or an item
-- go with it (ON DELETE CASCADE), and cross-linking's search index and entity counts follow its own document rows
-- (triggers; full-text tables cannot hold foreign keys). Cross-linking records the documents it indexed with their
-- publication time, so it never reads the article or item tables.
-- SQLite cannot add a foreign key to a table, so tables are rebuilt; renaming first keeps the references consistent
-- while foreign keys are enforced (they always are on D1).

-- Translations and their terms go with their article.
ALTER TABLE translation_terms RENAME TO translation_terms_old;
ALTER TABLE translations RENAME TO translations_old;

CREATE TABLE translations (
  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  slug TEXT NOT NULL,
  guid TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  content_html TEXT NOT NULL,
  authors TEXT NOT NULL,
  image_url TEXT,
  image_type TEXT,
  image_length INTEGER,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  published_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, lang),
  UNIQUE (lang, slug)
);

INSERT INTO translations (article_id, lang, slug, guid, title, summary, content_html, authors, image_url, image_type, image_length, status, published_at, updated_at)
SELECT article_id, lang, slug, guid, title, summary, content_html, authors, image_url, image_type, image_length, status, published_at, updated_at
FROM translations_old;

CREATE TABLE translation_terms (
  article_id TEXT NOT NULL,
  lang TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('category', 'tag')),
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  status TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, lang, kind, slug),
  FOREIGN KEY (article_id, lang) REFERENCES translations (article_id, lang) ON DELETE CASCADE
);

INSERT INTO translation_terms (article_id, lang, kind, slug, name, position, status, published_at)
SELECT article_id, lang, kind, slug, name, position, status, published_at FROM translation_terms_old;

DROP TABLE translation_terms_old;
DROP TABLE translations_old;

CREATE INDEX translations_by_time ON translations (lang, status, published_at DESC, article_id DESC);
CREATE INDEX translation_terms_by_time ON translation_terms (lang, kind, slug, status, published_at DESC, article_id DESC);

-- Links go with their article or their item.
ALTER TABLE article_links RENAME TO article_links_old;

CREATE TABLE article_links (
  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  score REAL NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('auto', 'pinned', 'blocked')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, item_id)
) WITHOUT ROWID;

INSERT INTO article_links (article_id, item_id, score, reason, state, updated_at)
SELECT article_id, item_id, score, reason, state, updated_at FROM article_links_old
WHERE article_id IN (SELECT id FROM articles) AND item_id IN (SELECT id FROM items);

DROP TABLE article_links_old;
CREATE INDEX article_links_by_item ON article_links (item_id);

-- The documents cross-linking indexed: an article's full-text row is article_documents.rowid, an item's its id.
CREATE TABLE article_documents (
  rowid INTEGER PRIMARY KEY,
  article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
  published_at INTEGER NOT NULL
);

INSERT INTO article_documents (rowid, article_id, published_at)
SELECT a.rowid, a.id, coalesce((SELECT min(t.published_at) FROM translations t WHERE t.article_id = a.id AND t.status = 'published'), 0)
FROM articles a WHERE a.rowid IN (SELECT rowid FROM article_fts);

DELETE FROM article_fts WHERE rowid NOT IN (SELECT rowid FROM article_documents);

CREATE TABLE item_documents (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  published_at INTEGER NOT NULL
);

INSERT INTO item_documents (item_id, published_at) SELECT id, published_at FROM items WHERE id IN (SELECT rowid FROM item_fts);

DELETE FROM item_fts WHERE rowid NOT IN (SELECT item_id FROM item_documents);

-- Entities go with the document that mentions them.
ALTER TABLE article_entities RENAME TO article_entities_old;
ALTER TABLE item_entities RENAME TO item_entities_old;

CREATE TABLE article_entities (
  article_id TEXT NOT NULL REFERENCES article_documents (article_id) ON DELETE CASCADE,
  entity TEXT NOT NULL,
  mentions INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, entity)
) WITHOUT ROWID;

INSERT INTO article_entities (article_id, entity, mentions, published_at)
SELECT article_id, entity, mentions, published_at FROM article_entities_old WHERE article_id IN (SELECT article_id FROM article_documents);

CREATE TABLE item_entities (
  item_id INTEGER NOT NULL REFERENCES item_documents (item_id) ON DELETE CASCADE,
  entity TEXT NOT NULL,
  mentions INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (item_id, entity)
) WITHOUT ROWID;

INSERT INTO item_entities (item_id, entity, mentions, published_at)
SELECT item_id, entity, mentions, published_at FROM item_entities_old WHERE item_id IN (SELECT item_id FROM item_documents);

DROP TABLE article_entities_old;
DROP TABLE item_entities_old;

CREATE INDEX article_entities_by_entity ON article_entities (entity, published_at);
CREATE INDEX item_entities_by_entity ON item_entities (entity, published_at);

-- Entity counts, recounted (deletions used to leave them behind) and from now on kept by triggers.
DELETE FROM entity_counts;

INSERT INTO entity_counts (entity, documents)
SELECT entity, count(*) FROM (SELECT entity FROM article_entities UNION ALL SELECT entity FROM item_entities) GROUP BY entity;

INSERT INTO entity_counts (entity, documents) VALUES ('#articles', (SELECT count(*) FROM article_documents));
INSERT INTO entity_counts (entity, documents) VALUES ('#items', (SELECT count(*) FROM item_documents));

CREATE TRIGGER article_documents_inserted AFTER INSERT ON article_documents BEGIN
  UPDATE entity_counts SET documents = documents + 1 WHERE entity = '#articles';
END;

CREATE TRIGGER article_documents_deleted AFTER DELETE ON article_documents BEGIN
  DELETE FROM article_fts WHERE rowid = old.rowid;
  UPDATE entity_counts SET documents = documents - 1 WHERE entity = '#articles';
END;

CREATE TRIGGER item_documents_inserted AFTER INSERT ON item_documents BEGIN
  UPDATE entity_counts SET documents = documents + 1 WHERE entity = '#items';
END;

CREATE TRIGGER item_documents_deleted AFTER DELETE ON item_documents BEGIN
  DELETE FROM item_fts WHERE rowid = old.item_id;
  UPDATE entity_counts SET documents = documents - 1 WHERE entity = '#items';
END;

CREATE TRIGGER article_entities_inserted AFTER INSERT ON article_entities BEGIN
  INSERT INTO entity_counts (entity, documents) VALUES (new.entity, 1)
  ON CONFLICT (entity) DO UPDATE SET documents = documents + 1;
END;

CREATE TRIGGER article_entities_deleted AFTER DELETE ON article_entities BEGIN
  UPDATE entity_counts SET documents = documents - 1 WHERE entity = old.entity;
END;

CREATE TRIGGER item_entities_inserted AFTER INSERT ON item_entities BEGIN
  INSERT INTO entity_counts (entity, documents) VALUES (new.entity, 1)
  ON CONFLICT (entity) DO UPDATE SET documents = documents + 1;
END;

CREATE TRIGGER item_entities_deleted AFTER DELETE ON item_entities BEGIN
  UPDATE entity_counts SET documents = documents - 1 WHERE entity = old.entity;
END;
