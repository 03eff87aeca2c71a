-- Per-site widget settings, read by `GET /v1/visitor/config`. Every site gets the defaults.
ALTER TABLE sites ADD COLUMN widget_color TEXT NOT NULL DEFAULT '#2563eb';
-- left | right
ALTER TABLE sites ADD COLUMN widget_position TEXT NOT NULL DEFAULT 'right';
ALTER TABLE sites ADD COLUMN away_message TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN expected_wait TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN privacy_text TEXT NOT NULL DEFAULT '';
-- When 1, nothing is stored or connected before the visitor consents.
ALTER TABLE sites ADD COLUMN consent_required INTEGER NOT NULL DEFAULT 0;
-- JSON array among "name", "email", "phone", in the order the form asks.
ALTER TABLE sites ADD COLUMN prechat_fields TEXT NOT NULL DEFAULT '[]';
