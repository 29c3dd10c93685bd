-- Articles are groups of translations; feeds, pages and the API read translations.
CREATE TABLE articles (
  id TEXT PRIMARY KEY
);

-- Times are milliseconds since the Unix epoch (UTC).
CREATE TABLE translations (
  article_id TEXT NOT NULL REFERENCES articles (id),
  lang TEXT NOT NULL,
  slug TEXT NOT NULL,
  -- The feed entry id: minted once, kept across edits so readers never see an edit as a new entry.
  guid TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  content_html TEXT NOT NULL,
  authors TEXT NOT NULL, -- JSON array of names
  image_url TEXT,
  image_type TEXT,
  image_length INTEGER,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  published_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, lang),
  UNIQUE (lang, slug)
);

CREATE INDEX translations_by_time ON translations (lang, status, published_at DESC, article_id DESC);

-- Categories and tags of a translation. Status and time are copied from the translation
-- (rewritten with it) so a category or tag feed reads one index range, whatever the archive size.
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
  FOREIGN KEY (article_id, lang) REFERENCES translations (article_id, lang)
);

CREATE INDEX translation_terms_by_time ON translation_terms (lang, kind, slug, status, published_at DESC, article_id DESC);
