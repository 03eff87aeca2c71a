// What the edge serves for the widget: exact types, nosniff, caching, and a frame that only the
// site's allowed origins may embed.
import { expect, test } from '@playwright/test';

const FILES: Array<[string, string, string]> = [
  ['/widget.js', 'text/javascript; charset=utf-8', 'cross-origin'],
  ['/widget/porchlight_widget.js', 'text/javascript; charset=utf-8', 'same-origin'],
  ['/widget/porchlight_widget_bg.wasm', 'application/wasm', 'same-origin'],
  ['/widget/frame.css', 'text/css; charset=utf-8', 'same-origin'],
];

test('widget files have exact types and nosniff', async ({ request }) => {
  for (const [path, type, corp] of FILES) {
    const resp = await request.get(path);
    expect(resp.status(), path).toBe(200);
    expect(resp.headers()['content-type'], path).toBe(type);
    expect(resp.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(resp.headers()['cross-origin-resource-policy'], path).toBe(corp);
    expect(resp.headers()['cache-control'], path).toBeTruthy();
  }
  // Only the widget's own kinds of file are served from the assets directory.
  const other = await request.get('/widget/.gitkeep');
  expect(other.status()).toBe(404);
  expect(other.headers()['x-content-type-options']).toBe('nosniff');
});

test('the frame names its embedders and refuses other hosts', async ({ request, baseURL }) => {
  const ok = await request.get(`/widget/frame.html?site=demo&host=${encodeURIComponent(baseURL!)}`);
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-type']).toBe('text/html; charset=utf-8');
  const policy = ok.headers()['content-security-policy'];
  // The demo site's allowed origins (edge/seed/demo.sql), then the edge itself.
  expect(policy).toMatch(/frame-ancestors (https?:\/\/[^\s;]+ )*'self'$/);
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(policy).not.toContain('unsafe-inline');

  const evil = await request.get('/widget/frame.html?site=demo&host=https%3A%2F%2Fevil.example');
  expect(evil.status()).toBe(403);
  expect((await evil.json()).error.code).toBe('origin_not_allowed');
  const unknown = await request.get('/widget/frame.html?site=nosuchsite');
  expect(unknown.status()).toBe(404);
});

test('the API answers carry nosniff too', async ({ request }) => {
  const resp = await request.post('/v1/visitor/session', { data: { site_id: 'demo' } });
  expect(resp.status()).toBe(200);
  expect(resp.headers()['x-content-type-options']).toBe('nosniff');
  expect(resp.headers()['content-type']).toBe('application/json');
});
