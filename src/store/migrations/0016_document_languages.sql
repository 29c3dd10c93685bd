-- The languages of each indexed document (an article's published translations; an item's language), so cross-linking
-- knows when two documents cannot share wording and must be judged by their entities and figures alone.
ALTER TABLE article_documents ADD COLUMN languages TEXT NOT NULL DEFAULT '';
ALTER TABLE item_documents ADD COLUMN language TEXT NOT NULL DEFAULT '';
