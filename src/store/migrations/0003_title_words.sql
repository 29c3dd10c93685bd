-- Prefix filtering for near-duplicate titles (Chaudhuri et al., ICDE 2006): with words in one global
-- order, two titles whose Jaccard similarity is at least t share a word among the first
-- |x| - ceil(t * |x|) + 1 words of each. Only those words are indexed, so finding the candidates for
-- a new title reads a few index ranges instead of every item in the time window.
-- WITHOUT ROWID: inserting here leaves last_insert_rowid() pointing at the item just inserted.
CREATE TABLE item_title_words (
  word TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  PRIMARY KEY (word, published_at, item_id)
) WITHOUT ROWID;

CREATE INDEX item_title_words_by_item ON item_title_words (item_id);
