-- Where in a document an entity appears: 1 in the title or lead, 0.5 further down, 0.25 in a dateline (context, not
-- subject). Documents indexed before count every entity as prominent until they are indexed again.
ALTER TABLE article_entities ADD COLUMN prominence REAL NOT NULL DEFAULT 1;
ALTER TABLE item_entities ADD COLUMN prominence REAL NOT NULL DEFAULT 1;
