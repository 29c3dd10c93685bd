-- How many published translations each category and tag holds, kept by triggers as translation_terms changes, so a
-- paged term feed can link its last page (RFC 5005 §3) without counting a large tag's rows on every render.
CREATE TABLE term_counts (
  lang TEXT NOT NULL,
  kind TEXT NOT NULL,
  slug TEXT NOT NULL,
  published INTEGER NOT NULL,
  PRIMARY KEY (lang, kind, slug)
);

INSERT INTO term_counts (lang, kind, slug, published)
  SELECT lang, kind, slug, count(*) FROM translation_terms WHERE status = 'published' GROUP BY lang, kind, slug;

CREATE TRIGGER term_counts_insert AFTER INSERT ON translation_terms WHEN NEW.status = 'published'
BEGIN
  INSERT INTO term_counts (lang, kind, slug, published) VALUES (NEW.lang, NEW.kind, NEW.slug, 1)
    ON CONFLICT (lang, kind, slug) DO UPDATE SET published = published + 1;
END;

CREATE TRIGGER term_counts_delete AFTER DELETE ON translation_terms WHEN OLD.status = 'published'
BEGIN
  UPDATE term_counts SET published = published - 1 WHERE lang = OLD.lang AND kind = OLD.kind AND slug = OLD.slug;
END;

CREATE TRIGGER term_counts_update AFTER UPDATE ON translation_terms
  WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
  UPDATE term_counts SET published = published - 1
    WHERE OLD.status = 'published' AND lang = OLD.lang AND kind = OLD.kind AND slug = OLD.slug;
  INSERT INTO term_counts (lang, kind, slug, published) SELECT NEW.lang, NEW.kind, NEW.slug, 1 WHERE NEW.status = 'published'
    ON CONFLICT (lang, kind, slug) DO UPDATE SET published = published + 1;
END;
