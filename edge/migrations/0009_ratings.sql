-- Whether a solved ticket's rating asks NPS (0–10) after CSAT (1–5): off unless an admin turns
-- it on (PUT /v1/console/site-settings). CSAT is always asked.
ALTER TABLE sites ADD COLUMN nps_enabled INTEGER NOT NULL DEFAULT 0;
