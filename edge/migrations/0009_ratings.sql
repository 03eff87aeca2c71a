-- Whether a solved ticket's rating asks NPS (0–10) after CSAT (1–5): off unless an admin turns
-- it on (PUT /v1/console/site-settings). CSAT is always asked.
ALTER TABLE sites ADD COLUMN nps_enabled INTEGER NOT NULL DEFAULT 0;
-- The site's own rating questions per language; empty: the default language's, else the
-- widget's own.
ALTER TABLE site_texts ADD COLUMN csat_question TEXT NOT NULL DEFAULT '';
ALTER TABLE site_texts ADD COLUMN nps_question TEXT NOT NULL DEFAULT '';
