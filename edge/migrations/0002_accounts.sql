-- Console accounts, sessions, sign-in throttling, canned responses and language routing.

-- Passwords are stored as `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` (WebCrypto PBKDF2,
-- 100 000 iterations: the most Workers allow).
CREATE TABLE IF NOT EXISTS agents (
  site_id TEXT NOT NULL REFERENCES sites(id),
  id TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  -- agent | operator | admin
  role TEXT NOT NULL,
  -- JSON array of skills
  skills TEXT NOT NULL DEFAULT '[]',
  capacity INTEGER NOT NULL DEFAULT 3,
  password TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, id),
  UNIQUE (site_id, email)
);

-- Only the SHA-256 of a session token is stored; the token lives in an HttpOnly cookie.
CREATE TABLE IF NOT EXISTS sessions (
  token_sha256 TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Failed sign-ins per (site, email), to slow down guessing.
CREATE TABLE IF NOT EXISTS login_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS canned_responses (
  site_id TEXT NOT NULL,
  shortcut TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (site_id, shortcut)
);

-- When 1, the language of the widget's locale is a skill every new ticket needs.
ALTER TABLE sites ADD COLUMN route_by_language INTEGER NOT NULL DEFAULT 0;
