-- The demo site for `cargo xtask dev`. DEVELOPMENT CREDENTIALS ONLY: the secret and the agent
-- tokens below are public; never seed them into a deployed database.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at)
VALUES ('demo', 'Porchlight demo', '["http://localhost:8787","http://127.0.0.1:8787"]',
        'returning_customer', 86400, 'dev-secret-demo-not-for-production', 0);

-- Agent tokens (only their SHA-256 is stored): pl_dev_demo_alice and pl_dev_demo_bob.
INSERT OR REPLACE INTO agent_tokens (token_sha256, site_id, agent_id, name) VALUES
  ('03cba55e48c9e3dd07563ebbb96869538d11e4d1892b636b4090ee9862d3007c', 'demo', 'alice', 'Alice'),
  ('173277a23784295f289c435f085b6a00ab90d4b5da0f81d376521f61129843b2', 'demo', 'bob', 'Bob');

-- Console accounts (passwords: porchlight-admin, porchlight-alice, porchlight-bruno).
UPDATE sites SET route_by_language = 1 WHERE id = 'demo';
INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) VALUES
  ('demo', 'admin', 'admin@demo.test', 'Ada Admin', 'admin', '[]', 3, 'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=', 0),
  ('demo', 'alice', 'alice@demo.test', 'Alice', 'agent', '["en"]', 2, 'pbkdf2-sha256$100000$ZGVtby1zYWx0LWFsaWNlMQ==$6uCJyDq2AUavOic/zDPK3ZKx7xu2O2Bfz0APFwzG2+g=', 0),
  ('demo', 'bruno', 'bruno@demo.test', 'Bruno', 'agent', '["pt","billing"]', 1, 'pbkdf2-sha256$100000$ZGVtby1zYWx0LWJydW5vMQ==$XWYuGfyzNDHvZBEx/4ogt2DzzwNmgfo+a/wbMvv6vSw=', 0);

INSERT OR REPLACE INTO canned_responses (site_id, shortcut, text) VALUES
  ('demo', 'hello', 'Hi! Thanks for reaching out. How can I help?'),
  ('demo', 'thanks', 'Thanks for your patience. Is there anything else I can do for you?');

-- Widget settings (English texts). No consent step or pre-chat form on `demo`, so that every
-- journey starts by writing; `demo_consent` (same origins) asks for both.
UPDATE sites SET widget_color = '#2563eb', widget_position = 'right',
  away_message = 'No one is online right now. Leave a message and we will get back to you by email.',
  expected_wait = 'We usually reply in a few minutes.',
  privacy_text = 'We store this conversation to answer you. See our privacy policy for how we use your data.',
  consent_required = 0, prechat_fields = '[]'
WHERE id = 'demo';
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at,
  widget_color, widget_position, away_message, expected_wait, privacy_text, consent_required, prechat_fields)
VALUES ('demo_consent', 'Porchlight demo (consent and pre-chat form)',
        '["http://localhost:8787","http://127.0.0.1:8787"]', 'returning_customer', 86400,
        'dev-secret-demo-consent-not-for-production', 0,
        '#0f766e', 'left',
        'No one is online right now. Leave a message and we will get back to you by email.',
        'We usually reply in a few minutes.',
        'We store this conversation to answer you. See our privacy policy for how we use your data.',
        1, '["name","email","phone"]');

-- The same texts in the demo's other languages (the console's "Site texts" screen edits these),
-- so that a Portuguese, Spanish or Chinese visitor reads the site in their language. English
-- stays in the columns above, the default language's fallback.
INSERT OR REPLACE INTO site_texts (site_id, locale, welcome, away_message, expected_wait, privacy_text, updated_at)
SELECT s.id, t.locale, '', t.away_message, t.expected_wait, t.privacy_text, 0
FROM sites AS s, (
  SELECT 'pt-BR' AS locale,
         'Não há ninguém online agora. Deixe uma mensagem e responderemos por e-mail.' AS away_message,
         'Costumamos responder em poucos minutos.' AS expected_wait,
         'Guardamos esta conversa para responder a você. Veja na nossa política de privacidade como usamos seus dados.' AS privacy_text
  UNION ALL SELECT 'es',
         'No hay nadie conectado ahora. Deja un mensaje y te responderemos por correo.',
         'Solemos responder en unos minutos.',
         'Guardamos esta conversación para responderte. Consulta en nuestra política de privacidad cómo usamos tus datos.'
  UNION ALL SELECT 'zh-CN',
         '目前没有客服在线。请留言，我们会通过电子邮件回复您。',
         '我们通常在几分钟内回复。',
         '我们保存此对话以便答复您。有关我们如何使用您的数据，请参阅我们的隐私政策。'
) AS t
WHERE s.id IN ('demo', 'demo_consent');
