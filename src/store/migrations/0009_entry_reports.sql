-- What became of a source's entries at its last parsed poll: kept, repaired (a bad field left out or replaced)
-- and dropped, with how many entries each problem touched (JSON object) and where the document itself was damaged
-- (JSON array), so an operator sees a feed going bad before it goes empty.
ALTER TABLE sources ADD COLUMN entries_kept INTEGER;
ALTER TABLE sources ADD COLUMN entries_repaired INTEGER;
ALTER TABLE sources ADD COLUMN entries_dropped INTEGER;
ALTER TABLE sources ADD COLUMN entry_problems TEXT;
ALTER TABLE sources ADD COLUMN document_problems TEXT;

-- 1 when the item had no title and its title is its first words.
ALTER TABLE items ADD COLUMN title_derived INTEGER NOT NULL DEFAULT 0;
