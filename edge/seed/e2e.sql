-- Browser journeys only (`cargo xtask serve-e2e`, after demo.sql, with `{port}` replaced by the
-- server's port): a site embedded from another origin than the edge's, `http://localhost:{port}`
-- (the edge answers on 127.0.0.1), with a page the journeys serve themselves. TEST CREDENTIALS ONLY.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at,
  widget_color, widget_position, away_message, expected_wait, privacy_text, consent_required, prechat_fields)
VALUES ('e2e_shop', 'Shop on another origin', '["http://localhost:{port}"]', 'returning_customer', 86400,
        'test-secret-e2e-shop', 0, '#2563eb', 'right', '', '', '', 0, '[]');

-- Agent token pl_e2e_shop_agent (only its SHA-256 is stored).
INSERT OR REPLACE INTO agent_tokens (token_sha256, site_id, agent_id, name) VALUES
  ('060d7a28a526c2464daf3ae71c0daf2b966e0b83a06bc978e1ec4f73ef6079ff', 'e2e_shop', 'sam', 'Sam');

-- A site whose texts a journey writes per language from the console, so that no other journey
-- sees them: served from the edge's own demo page. Its admin's password is `porchlight-admin`
-- (the demo admin's hash).
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at,
  away_message, expected_wait, privacy_text, default_locale)
VALUES ('e2e_texts', 'Site texts per language', '["http://127.0.0.1:{port}","http://localhost:{port}"]',
        'returning_customer', 86400, 'test-secret-e2e-texts', 0,
        'Nobody is online.', 'We reply within the hour.', '', 'en');
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('e2e_texts', 'tess', 'tess@e2e-texts.test', 'Tess Admin', 'admin', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0);

-- A site that asks for consent and a pre-chat form, embedded from another origin than the edge's
-- (`http://localhost:{port}`), for the consent journey (what the browser sends before and after
-- consent; the consent on record in the console). Its admin's password is `porchlight-admin`.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at,
  widget_color, widget_position, away_message, expected_wait, privacy_text, consent_required, prechat_fields)
VALUES ('e2e_consent', 'Consent on another origin', '["http://localhost:{port}"]', 'returning_customer', 86400,
        'test-secret-e2e-consent', 0, '#2563eb', 'right', '', '',
        'We keep this conversation to answer you.', 1, '["name","email","phone"]');
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('e2e_consent', 'cora', 'cora@e2e-consent.test', 'Cora Admin', 'admin', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0);

-- The records journey's site: an operator, an agent and an admin (password `porchlight-admin`
-- for each), and a records index of six production tickets and one test ticket, written as the
-- Conversation objects write them: a mix of channels, statuses, ratings, agents, files and dates
-- (2025-10-15 to 2025-12-01, UTC) for the filter combinations.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at)
VALUES ('e2e_records', 'Records', '["http://127.0.0.1:{port}"]', 'messaging', 345600,
        'test-secret-e2e-records', 0);
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('e2e_records', 'olga', 'olga@e2e-records.test', 'Olga Operator', 'operator', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0),
  ('e2e_records', 'ana', 'ana@e2e-records.test', 'Ana Agent', 'agent', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0),
  ('e2e_records', 'rita', 'rita@e2e-records.test', 'Rita Admin', 'admin', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0);
DELETE FROM record_text WHERE rowid IN (SELECT id FROM records WHERE site_id = 'e2e_records');
DELETE FROM records WHERE site_id = 'e2e_records';
DELETE FROM record_agents WHERE site_id = 'e2e_records';
INSERT INTO records (site_id, conversation_id, ticket, seq, environment, channel, status, visitor_name,
  visitor_email, visitor_phone, visitor_external_id, assignee, first_line, created_at, first_response_at,
  solved_at, closed_at, visitor_messages, agent_messages, files, csat, nps) VALUES
  ('e2e_records', 'cv_rec_maria', 2, 14, 'production', 'widget', 'new', 'Maria Silva', 'maria@example.com',
   '+5511987654321', NULL, NULL, 'Another question about the refund', 1764586800000, NULL, NULL, NULL,
   1, 0, 0, NULL, NULL),
  ('e2e_records', 'cv_rec_maria', 1, 9, 'production', 'widget', 'closed', 'Maria Silva', 'maria@example.com',
   '+5511987654321', NULL, 'olga', 'Meu cartão foi cobrado duas vezes', 1764585000000, 1764585030000,
   1764585600000, 1764586200000, 3, 2, 1, 5, 10),
  ('e2e_records', 'cv_rec_wang', 1, 4, 'production', 'widget', 'open', '王小明', NULL, NULL, NULL, 'ana',
   '我的卡被扣了两次', 1764489600000, 1764489660000, NULL, NULL, 1, 1, 0, NULL, NULL),
  ('e2e_records', 'cv_rec_api', 1, 5, 'production', 'api', 'solved', '=cmd|x', NULL, NULL, NULL, NULL,
   'Hello, "quoted", world', 1764255600000, 1764255660000, 1764256200000, NULL, 2, 1, 0, 2, 3),
  ('e2e_records', 'cv_rec_lucia', 1, 12, 'production', 'widget', 'solved', 'Lucía Gómez', 'lucia@example.es',
   NULL, NULL, 'ana', '¿Dónde está mi pedido?', 1763640000000, 1763640120000, 1763643600000, NULL,
   4, 3, 2, 4, 8),
  ('e2e_records', 'cv_rec_cust', 1, 6, 'production', 'widget', 'pending', NULL, NULL, '+14155550123', 'cust-77',
   'olga', 'I need a copy of my invoice, please', 1760518800000, 1760518900000, NULL, NULL, 2, 2, 0, NULL, NULL),
  ('e2e_records', 'cv_rec_test', 1, 2, 'test', 'widget', 'new', 'Preview', NULL, NULL, NULL, NULL,
   'test from the preview', 1764579600000, NULL, NULL, NULL, 1, 0, 0, NULL, NULL);
INSERT INTO record_text (rowid, body) SELECT id,
    coalesce(visitor_name, '') || char(10) || coalesce(visitor_email, '') || char(10) ||
    coalesce(visitor_phone, '') || char(10) || coalesce(visitor_external_id, '') || char(10) ||
    first_line || char(10) || CASE conversation_id || '#' || ticket
      WHEN 'cv_rec_maria#1' THEN 'Obrigada, resolvido'
      WHEN 'cv_rec_lucia#1' THEN 'El paquete llegó dañado'
      ELSE '' END
  FROM records WHERE site_id = 'e2e_records';
INSERT INTO record_agents (site_id, conversation_id, ticket, agent_id, created_at) VALUES
  ('e2e_records', 'cv_rec_maria', 1, 'olga', 1764585000000),
  ('e2e_records', 'cv_rec_wang', 1, 'ana', 1764489600000),
  ('e2e_records', 'cv_rec_lucia', 1, 'ana', 1763640000000),
  ('e2e_records', 'cv_rec_lucia', 1, 'olga', 1763640000000),
  ('e2e_records', 'cv_rec_cust', 1, 'olga', 1760518800000);
-- Each row's copy of its agents, as the live feed keeps it (migration 0008).
UPDATE records SET agents = COALESCE((
  SELECT ' ' || group_concat(a.agent_id, ' ') || ' ' FROM record_agents a
  WHERE a.site_id = records.site_id AND a.conversation_id = records.conversation_id
    AND a.ticket = records.ticket
), '') WHERE site_id = 'e2e_records';

-- The rating journey's site: it asks NPS after CSAT (site settings `nps`), served from the edge's
-- own demo page. Agent token pl_e2e_rating_agent (only its SHA-256 is stored); its admin's
-- password is `porchlight-admin`.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at,
  nps_enabled)
VALUES ('e2e_rating', 'Ratings', '["http://127.0.0.1:{port}","http://localhost:{port}"]',
        'returning_customer', 86400, 'test-secret-e2e-rating', 0, 1);
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('e2e_rating', 'rosa', 'rosa@e2e-rating.test', 'Rosa Admin', 'admin', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0);
INSERT OR REPLACE INTO agent_tokens (token_sha256, site_id, agent_id, name) VALUES
  ('d4ecf9319956c7dccdd07693b4272f7b04f317379054d1e382fbcaa76ac2a24e', 'e2e_rating', 'rosa', 'Rosa Admin');
-- Its own CSAT question in Portuguese (the other texts, and NPS's question, are the widget's).
INSERT OR REPLACE INTO site_texts (site_id, locale, csat_question, updated_at) VALUES
  ('e2e_rating', 'pt-BR', 'Como foi o atendimento da Rosa?', 0);

-- The record-detail journey's live conversation: a site of its own, so that its record (the
-- conversations feed the index as they happen) never joins the records journeys' seeded set.
-- The same operator and agent as e2e_records (password `porchlight-admin`).
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at)
VALUES ('e2e_detail', 'Record detail', '["http://127.0.0.1:{port}"]', 'messaging', 345600,
        'test-secret-e2e-detail', 0);
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('e2e_detail', 'olga', 'olga@e2e-records.test', 'Olga Operator', 'operator', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0),
  ('e2e_detail', 'ana', 'ana@e2e-records.test', 'Ana Agent', 'agent', '[]', 3,
   'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0);
