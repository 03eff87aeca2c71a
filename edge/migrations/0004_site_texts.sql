-- A site's own texts for visitors, one row per language it writes in (en, pt-BR, es, zh-CN).
-- An empty text is "not written in this language": the default language's stands in, and
-- before the default language is written, the site's own columns (away_message, expected_wait,
-- privacy_text) do.
ALTER TABLE sites ADD COLUMN default_locale TEXT NOT NULL DEFAULT 'en';
CREATE TABLE IF NOT EXISTS site_texts (
  site_id TEXT NOT NULL REFERENCES sites(id),
  locale TEXT NOT NULL,
  welcome TEXT NOT NULL DEFAULT '',
  away_message TEXT NOT NULL DEFAULT '',
  expected_wait TEXT NOT NULL DEFAULT '',
  privacy_text TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, locale)
);
