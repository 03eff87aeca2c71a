-- Sites for the edge runtime tests and the benchmark: one per conversation style, with timers of
-- seconds (outside the ranges an admin may choose, on purpose) so that real alarms fire in a test.
-- Test credentials only. Agent tokens are pl_dev_<site>_agent1 and pl_dev_<site>_agent2.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at) VALUES
  ('t_live', 'Test t_live', '["https://allowed.example"]', 'live_chat', 0, 'test-secret-t_live', 0),
  ('t_live_delay', 'Test t_live_delay', '["https://allowed.example"]', 'live_chat', 2, 'test-secret-t_live_delay', 0),
  ('t_return', 'Test t_return', '["https://allowed.example"]', 'returning_customer', 3, 'test-secret-t_return', 0),
  ('t_msg', 'Test t_msg', '["https://allowed.example"]', 'messaging', 3, 'test-secret-t_msg', 0),
  ('t_bench', 'Test t_bench', '["https://allowed.example"]', 'messaging', 345600, 'test-secret-t_bench', 0);

INSERT OR REPLACE INTO agent_tokens (token_sha256, site_id, agent_id, name) VALUES
  ('a7153451df9c63f9109c36a465af4ff4b5b29904c780c2ea5ececc82a6c1b3c7', 't_live', 'agent1', 'Agent1'),
  ('1ac7c44c22c94029cb24747ed6c83036c4a75f410c6fd37ae54211863717b542', 't_live', 'agent2', 'Agent2'),
  ('54bc1336777810924a003467a928f31337ec9122ca21880349db55f7e400ae35', 't_live_delay', 'agent1', 'Agent1'),
  ('c7b8b8893700758059b266afb4f605528888fe1dddba9878c7c3e9aca85efabd', 't_live_delay', 'agent2', 'Agent2'),
  ('ecd89dac1c3586f17cf36446ff7a6e2632496f22b697524a3abe2f670cfef865', 't_return', 'agent1', 'Agent1'),
  ('5ecead20c649068fed58256b90ad843039b2574b975ef1d68b6337320428491a', 't_return', 'agent2', 'Agent2'),
  ('074d955f6c37276af871274d98deb68c2a1bb13fd642ebe33c54a41fd635e338', 't_msg', 'agent1', 'Agent1'),
  ('435a6547c78b312137d9b1a42222964800485f12a857cee31f0ced0122b2f2bf', 't_msg', 'agent2', 'Agent2'),
  ('14de6a36a55c994d7ff65d5284c9a33d034ae60b92cabfa7bec37d69b5b65d3c', 't_bench', 'agent1', 'Agent1'),
  ('7730c7e52d07f4c39c6910acd08b0cf2ce44752f510dc3da9d1e63a28e6c75e6', 't_bench', 'agent2', 'Agent2');

-- Console: a site routed by language, and an admin on it and on the benchmark site (password
-- test-admin-password). Tests create every other account through the admin API.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at, route_by_language)
VALUES ('t_team', 'Test t_team', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team', 0, 1);
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('t_team', 'admin', 'admin@t_team.test', 'Team Admin', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRfdGVhbQ==$/VeP+AgqCLkM3XUXcr0hqlvKW5H3Izj28d68z/LnRh8=', 0),
  ('t_bench', 'admin', 'admin@t_bench.test', 'Bench Admin', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRfYmVuY2g=$jwaYmVnWMdd4I+O4yaPZ2ZbDGnUW/GDbreb0GTuyGZ4=', 0);

-- One site per console test case (each its own team, so cases run in parallel without routing
-- each other's tickets), all routing by language, each with an admin (test-admin-password).
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at, route_by_language) VALUES
  ('t_team_a', 'Test t_team_a', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_a', 0, 1),
  ('t_team_b', 'Test t_team_b', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_b', 0, 1),
  ('t_team_c', 'Test t_team_c', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_c', 0, 1),
  ('t_team_d', 'Test t_team_d', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_d', 0, 1),
  ('t_team_e', 'Test t_team_e', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_e', 0, 1),
  ('t_team_f', 'Test t_team_f', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_f', 0, 1),
  ('t_team_g', 'Test t_team_g', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_g', 0, 1),
  ('t_team_h', 'Test t_team_h', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_h', 0, 1),
  ('t_team_i', 'Test t_team_i', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_team_i', 0, 1);
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('t_team_a', 'admin', 'admin@t_team_a.test', 'Admin A', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_b', 'admin', 'admin@t_team_b.test', 'Admin B', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_c', 'admin', 'admin@t_team_c.test', 'Admin C', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_d', 'admin', 'admin@t_team_d.test', 'Admin D', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_e', 'admin', 'admin@t_team_e.test', 'Admin E', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_f', 'admin', 'admin@t_team_f.test', 'Admin F', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_g', 'admin', 'admin@t_team_g.test', 'Admin G', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_h', 'admin', 'admin@t_team_h.test', 'Admin H', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0),
  ('t_team_i', 'admin', 'admin@t_team_i.test', 'Admin I', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0);

-- The widget's edge features: a site configured like the demo, with an admin
-- (test-admin-password) whose console socket makes it "online".
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at,
  widget_color, widget_position, away_message, expected_wait, privacy_text, consent_required, prechat_fields) VALUES
  ('t_widget', 'Test t_widget', '["https://allowed.example"]', 'returning_customer', 3600, 'test-secret-t_widget', 0,
   '#112233', 'left', 'No one is online right now.', 'We usually reply in a few minutes.',
   'We store this conversation to answer you.', 1, '["name","email","phone"]');
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('t_widget', 'admin', 'admin@t_widget.test', 'Widget Admin', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0);
INSERT OR REPLACE INTO agent_tokens (token_sha256, site_id, agent_id, name) VALUES
  ('1740c6784f7439c9de79c669e9a651fedcd01a803d0192714d27639c073ed173', 't_widget', 'agent1', 'Agent1'),
  -- t_team_h's admin, for a script that answers as them.
  ('7c730c38e96a5cf0a222da6347945c294df3509141feef9da81163ca0465db53', 't_team_h', 'admin', 'Admin H'),
  -- t_team_i's admin, likewise (the watch-socket case, beside the availability case on t_team_h).
  ('0da01b832860cceea0fe0d2629b3a42e35a53cfc92f3a9619e688343a064908a', 't_team_i', 'admin', 'Admin I');

-- Records: a site whose index holds three production tickets and one test ticket, written as the
-- Conversation objects write them (the records runtime case reads them through the console API).
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at) VALUES
  ('t_records', 'Test t_records', '["https://allowed.example"]', 'messaging', 345600, 'test-secret-t_records', 0);
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('t_records', 'admin', 'admin@t_records.test', 'Records Admin', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0);
DELETE FROM record_text WHERE rowid IN (SELECT id FROM records WHERE site_id = 't_records');
DELETE FROM records WHERE site_id = 't_records';
DELETE FROM record_agents WHERE site_id = 't_records';
INSERT INTO records (site_id, conversation_id, ticket, seq, environment, channel, status, visitor_name,
  visitor_email, assignee, first_line, created_at, first_response_at, solved_at, closed_at,
  visitor_messages, agent_messages, files, csat, nps, consent_at, consent_version, consent_locale) VALUES
  ('t_records', 'cv_r1', 1, 9, 'production', 'widget', 'closed', 'Maria Silva', 'maria@example.com', 'admin',
   'Meu cartão foi cobrado duas vezes', 1764424920000, 1764424950000, 1764425520000, 1764428520000, 3, 2, 1, 5, 10,
   1764424900000, '3f2a9c1e', 'pt-BR'),
  ('t_records', 'cv_r2', 1, 4, 'production', 'widget', 'open', '王小明', NULL, 'admin',
   '我的卡被扣了两次', 1764500000000, NULL, NULL, NULL, 1, 0, 0, NULL, NULL, NULL, NULL, NULL),
  ('t_records', 'cv_r3', 1, 5, 'production', 'api', 'solved', '=cmd|x', NULL, NULL,
   'Hello, "quoted", world', 1764600000000, 1764600060000, 1764600600000, NULL, 2, 1, 0, 2, 3, NULL, NULL, NULL),
  ('t_records', 'cv_rt', 1, 2, 'test', 'widget', 'new', 'Preview', NULL, NULL,
   'test from the preview', 1764700000000, NULL, NULL, NULL, 1, 0, 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO record_text (rowid, body) SELECT id, CASE conversation_id
    WHEN 'cv_r1' THEN 'Maria Silva maria@example.com' || char(10) || 'Meu cartão foi cobrado duas vezes'
    WHEN 'cv_r2' THEN '王小明' || char(10) || '我的卡被扣了两次'
    WHEN 'cv_r3' THEN '=cmd|x' || char(10) || 'Hello, "quoted", world'
    ELSE 'Preview' || char(10) || 'test from the preview' END
  FROM records WHERE site_id = 't_records';
INSERT INTO record_agents (site_id, conversation_id, ticket, agent_id, created_at) VALUES
  ('t_records', 'cv_r1', 1, 'admin', 1764424920000),
  ('t_records', 'cv_r2', 1, 'admin', 1764500000000);
-- Each row's copy of its agents, as the live feed keeps it (migration 0008).
UPDATE records SET agents = COALESCE((
  SELECT ' ' || group_concat(a.agent_id, ' ') || ' ' FROM record_agents a
  WHERE a.site_id = records.site_id AND a.conversation_id = records.conversation_id
    AND a.ticket = records.ticket
), '') WHERE site_id = 't_records';

-- The records feed: a site whose Conversation objects fill the index as things happen (the records
-- runtime suite reads it back), returning-customer style with a 3-second reopen window, an admin
-- (test-admin-password) and two development agent tokens.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at, privacy_text, consent_required) VALUES
  ('t_feed', 'Test t_feed', '["https://allowed.example"]', 'returning_customer', 3, 'test-secret-t_feed', 0,
   'We keep this conversation to answer you.', 0);
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('t_feed', 'admin', 'admin@t_feed.test', 'Feed Admin', 'admin', '[]', 0, 'pbkdf2-sha256$100000$dGVzdC1zYWx0LXRlYW1z$0+B4dvMAhfSpSmCzYhaTkMRlj0BVfeK6al1stSoap+k=', 0);
INSERT OR REPLACE INTO agent_tokens (token_sha256, site_id, agent_id, name) VALUES
  ('74f091dcdf892292b835a71e141dd454b0f0b64cbf5d3a040ee12726a50a5166', 't_feed', 'agent1', 'Agent1'),
  ('aacc149d0c107fd43d8c2190bf212b6090adaa05efb56667f3f4a78845a127d9', 't_feed', 'agent2', 'Agent2');
DELETE FROM record_text WHERE rowid IN (SELECT id FROM records WHERE site_id = 't_feed');
DELETE FROM records WHERE site_id = 't_feed';
DELETE FROM record_agents WHERE site_id = 't_feed';
