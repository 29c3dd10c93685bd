-- A translation's categories and tags, also kept on its own row (JSON, in the editor's order), so a listing reads
-- each translation with its terms in one index range; translation_terms stays the index of the term feeds.
ALTER TABLE translations ADD COLUMN terms TEXT NOT NULL DEFAULT '{"categories":[],"tags":[]}';

UPDATE translations SET terms = json_object(
  'categories', (SELECT json_group_array(json_object('name', name, 'slug', slug)) FROM (
    SELECT name, slug FROM translation_terms x
    WHERE x.article_id = translations.article_id AND x.lang = translations.lang AND x.kind = 'category' ORDER BY x.position)),
  'tags', (SELECT json_group_array(json_object('name', name, 'slug', slug)) FROM (
    SELECT name, slug FROM translation_terms x
    WHERE x.article_id = translations.article_id AND x.lang = translations.lang AND x.kind = 'tag' ORDER BY x.position))
);
