-- The visitor's consent on each record row (issue 9: consent goes wherever the conversation's
-- data is exported): when it was given (ms, the edge's clock), the privacy text's version (the
-- first 8 hex digits of its SHA-256) and the locale it was shown in. Empty when the site asks
-- for no consent, or the visitor has not given it.
ALTER TABLE records ADD COLUMN consent_at INTEGER;
ALTER TABLE records ADD COLUMN consent_version TEXT;
ALTER TABLE records ADD COLUMN consent_locale TEXT;
