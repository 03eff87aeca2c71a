-- Sites: who may embed the widget, how their tickets behave, and the secret that signs tokens.
CREATE TABLE IF NOT EXISTS sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- JSON array of origins, e.g. ["https://shop.example"]
  allowed_origins TEXT NOT NULL DEFAULT '[]',
  -- live_chat | returning_customer | messaging
  style TEXT NOT NULL DEFAULT 'messaging',
  -- the style's one duration in seconds: close delay, reopen window or auto-close
  style_secs INTEGER NOT NULL DEFAULT 345600,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Development-stage agent credentials (replaced by accounts and sessions with the console).
-- Only the SHA-256 of a token is stored.
CREATE TABLE IF NOT EXISTS agent_tokens (
  token_sha256 TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id),
  agent_id TEXT NOT NULL,
  name TEXT NOT NULL
);

-- Index of tickets kept by each Conversation Durable Object, so that "all live tickets of a site"
-- is one query. `seq` is the conversation sequence of the latest change: an older update that
-- arrives late never overwrites a newer one.
CREATE TABLE IF NOT EXISTS tickets (
  site_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  status TEXT NOT NULL,
  assignee TEXT,
  seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, conversation_id, number)
);
CREATE INDEX IF NOT EXISTS tickets_live ON tickets (site_id, updated_at DESC) WHERE status != 'closed';
