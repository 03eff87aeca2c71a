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
