// What the edge serves for the console: the page under a strict policy, and the app's files
// with exact types and nosniff. Nothing else under /console/.
import { expect, test } from '@playwright/test';

const FILES: Array<[string, string]> = [
  ['/console/boot.js', 'text/javascript; charset=utf-8'],
  ['/console/porchlight_console.js', 'text/javascript; charset=utf-8'],
  ['/console/porchlight_console_bg.wasm', 'application/wasm'],
  ['/console/console.css', 'text/css; charset=utf-8'],
];

test('the console page has a strict policy and loads only its own files', async ({ request, page }) => {
  const resp = await request.get('/console');
  expect(resp.status()).toBe(200);
  const h = resp.headers();
  expect(h['content-type']).toBe('text/html; charset=utf-8');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['cache-control']).toBe('no-store');
  const csp = h['content-security-policy'];
  for (const directive of [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "connect-src 'self' ws: wss:",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(csp).not.toContain('unsafe-inline');

  const requested: string[] = [];
  const violations: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text());
  });
  await page.goto('/console?site=demo');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(violations).toEqual([]);
  for (const [path] of FILES) {
    expect(requested).toContain(path);
  }
  expect(requested.every((p) => p === '/console' || p.startsWith('/console/') || p.startsWith('/v1/console/'))).toBe(true);
});

test('console files have exact types; nothing else is served there', async ({ request }) => {
  for (const [path, type] of FILES) {
    const resp = await request.get(path);
    expect(resp.status(), path).toBe(200);
    expect(resp.headers()['content-type'], path).toBe(type);
    expect(resp.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(resp.headers()['cross-origin-resource-policy'], path).toBe('same-origin');
  }
  for (const path of ['/console/index.html', '/console/boot.js.map', '/console/x.js', '/console/a/b.js']) {
    expect((await request.get(path)).status(), path).toBe(404);
  }
});
