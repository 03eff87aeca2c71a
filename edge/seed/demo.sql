-- The demo site for `cargo xtask dev`. DEVELOPMENT CREDENTIALS ONLY: the secret and the agent
-- tokens below are public; never seed them into a deployed database.
INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, created_at)
VALUES ('demo', 'Porchlight demo', '["http://localhost:8787","http://127.0.0.1:8787"]',
        'returning_customer', 86400, 'dev-secret-demo-not-for-production', 0);

-- Agent tokens (only their SHA-256 is stored): pl_dev_demo_alice and pl_dev_demo_bob.
INSERT OR REPLACE INTO agent_tokens (token_sha256, site_id, agent_id, name) VALUES
  ('03cba55e48c9e3dd07563ebbb96869538d11e4d1892b636b4090ee9862d3007c', 'demo', 'alice', 'Alice'),
  ('173277a23784295f289c435f085b6a00ab90d4b5da0f81d376521f61129843b2', 'demo', 'bob', 'Bob');
