-- The conversation records index: one row per ticket, kept current by the ticket's Conversation
-- object as things happen (its `seq` is the conversation sequence of the change it reflects: a
-- late update never overwrites a newer one). Every table is keyed by site first, so that a site's
-- records can move to a database of their own (one D1 database holds at most 10 GB) without a
-- change to any query: each query names exactly one site.
CREATE TABLE IF NOT EXISTS records (
  -- A stable integer key: the ticket's document in record_text has the same rowid.
  id INTEGER PRIMARY KEY,
  site_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  ticket INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  -- production | test (a site's test origins, the widget's preview mode)
  environment TEXT NOT NULL DEFAULT 'production',
  -- widget | api
  channel TEXT NOT NULL DEFAULT 'widget',
  -- the flow that handled it; '' until flows exist
  flow TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  visitor_name TEXT,
  visitor_email TEXT,
  visitor_phone TEXT,
  visitor_external_id TEXT,
  assignee TEXT,
  -- the first thing the visitor said, for the results list
  first_line TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  first_response_at INTEGER,
  solved_at INTEGER,
  closed_at INTEGER,
  visitor_messages INTEGER NOT NULL DEFAULT 0,
  agent_messages INTEGER NOT NULL DEFAULT 0,
  bot_messages INTEGER NOT NULL DEFAULT 0,
  files INTEGER NOT NULL DEFAULT 0,
  transfers INTEGER NOT NULL DEFAULT 0,
  reopenings INTEGER NOT NULL DEFAULT 0,
  active_ms INTEGER NOT NULL DEFAULT 0,
  csat INTEGER,
  nps INTEGER,
  UNIQUE (site_id, conversation_id, ticket)
);
-- Newest first within a site and environment: the order of every results page (keyset paging
-- on created_at, conversation_id, ticket), and of the filters that narrow it.
CREATE INDEX IF NOT EXISTS records_newest
  ON records (site_id, environment, created_at DESC, conversation_id DESC, ticket DESC);
CREATE INDEX IF NOT EXISTS records_status
  ON records (site_id, environment, status, created_at DESC);
CREATE INDEX IF NOT EXISTS records_csat
  ON records (site_id, environment, csat, created_at DESC) WHERE csat IS NOT NULL;

-- Every agent who was assigned a ticket or replied in it: the "agent" filter.
CREATE TABLE IF NOT EXISTS record_agents (
  site_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  ticket INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, conversation_id, ticket, agent_id)
);
CREATE INDEX IF NOT EXISTS record_agents_by_agent
  ON record_agents (site_id, agent_id, created_at DESC);

-- Full-text search: one document per ticket (rowid = records.id) holding the visitor's name,
-- email, phone and external id and every message, appended as they come (a visitor is still
-- found by a name they gave before). One document per ticket lets a search for several words find
-- them in different messages with one MATCH, joined to its row by integer key. The trigram
-- tokenizer finds words inside any script, Chinese included (which has no spaces between words),
-- and ignores accents, so "cartao" finds "cartão".
CREATE VIRTUAL TABLE IF NOT EXISTS record_text USING fts5(
  body,
  tokenize = 'trigram remove_diacritics 1'
);
