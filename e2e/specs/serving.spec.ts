// What the edge serves for the widget: exact types, nosniff, caching, and a frame that only the
// site's allowed origins may embed.
import { expect, test } from '@playwright/test';

/** The app's files the frame page names (content-hashed), with their type. */
async function appFiles(request: import('@playwright/test').APIRequestContext, baseURL: string) {
  const page = await (
    await request.get(`/widget/frame.html?site=demo&host=${encodeURIComponent(baseURL)}`)
  ).text();
  const paths = [...page.matchAll(/"(\/widget\/[^"]+)"/g)].map((m) => m[1]);
  const types: Record<string, string> = {
    js: 'text/javascript; charset=utf-8',
    wasm: 'application/wasm',
    css: 'text/css; charset=utf-8',
  };
  return [...new Set(paths)].map((p) => [p, types[p.split('.').pop()!]] as [string, string]);
}

test('widget files have exact types, nosniff and their caching', async ({ request, baseURL }) => {
  const app = await appFiles(request, baseURL!);
  expect(app).toHaveLength(3);
  const files: Array<[string, string, string, string]> = [
    ['/widget.js', 'text/javascript; charset=utf-8', 'cross-origin', 'public, max-age=300'],
    ['/widget.js?site=demo', 'text/javascript; charset=utf-8', 'cross-origin', 'public, max-age=300'],
    ['/widget/unread.js', 'text/javascript; charset=utf-8', 'cross-origin', 'public, max-age=300'],
    ...app.map(
      ([path, type]) =>
        [path, type, 'same-origin', 'public, max-age=31536000, immutable'] as [string, string, string, string],
    ),
  ];
  for (const [path, type, corp, cache] of files) {
    const resp = await request.get(path);
    expect(resp.status(), path).toBe(200);
    expect(resp.headers()['content-type'], path).toBe(type);
    expect(resp.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(resp.headers()['cross-origin-resource-policy'], path).toBe(corp);
    expect(resp.headers()['cache-control'], path).toBe(cache);
  }
  // Only the current names of the widget's own kinds of file are served.
  for (const path of [
    '/widget/.gitkeep',
    '/widget/porchlight_widget.js',
    '/widget/frame.css',
    // The form of a hashed name, which the static-assets server answers without the Worker.
    '/widget/porchlight_widget-0123456789abcdef.js',
    '/widget/panel-0123456789abcdef.js',
  ]) {
    const other = await request.get(path);
    expect(other.status(), path).toBe(404);
    expect(other.headers()['x-content-type-options']).toBe('nosniff');
  }
});

test("the loader for a site carries the site's launcher settings", async ({ request }) => {
  // demo_consent: teal, bottom left (edge/seed/demo.sql).
  const baked = await (await request.get('/widget.js?site=demo_consent')).text();
  expect(baked).toContain('{"color":"#0f766e","position":"left","site":"demo_consent"}');
  expect(baked).not.toContain('__PORCHLIGHT_SITE__');
  const plain = await (await request.get('/widget.js')).text();
  expect(plain).toContain('"__PORCHLIGHT_SITE__"');
  const unknown = await request.get('/widget.js?site=nosuchsite');
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe('unknown_site');
  const bad = await request.get('/widget.js?site=%3Cscript%3E');
  expect(bad.status()).toBe(400);
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
