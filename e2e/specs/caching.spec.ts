// Journey: the app's files (glue, wasm, CSS: content-hashed names) are downloaded once. A second
// open on the same page and a later page view in the same browser ask the edge for none of them:
// not even a revalidation. Only the frame page itself, which names them, is fetched again.
import { expect, test, type Response } from '@playwright/test';
import { HostPage } from '../pages/host-page';

/** The app's files as the frame loaded them: path and bytes that came over the network. */
async function appFiles(host: HostPage): Promise<Array<[string, number]>> {
  return host.frame.locator('html').evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => [new URL(e.name).pathname, (e as PerformanceResourceTiming).transferSize] as [string, number])
      .filter(([path]) => /^\/widget\/[^/]+\.(js|wasm|css)$/.test(path)),
  );
}

test('a second open and a later page view make no request for the app files', async ({ page }) => {
  const answers: Response[] = [];
  page.on('response', (r) => {
    if (/^\/widget\/[^/]+\.(js|wasm|css)$/.test(new URL(r.url()).pathname)) answers.push(r);
  });
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  const first = await appFiles(host);
  expect(first.map(([path]) => path.split('.').pop()).sort()).toEqual(['css', 'js', 'wasm']);
  for (const [path, bytes] of first) {
    // Names carry a hash of the content.
    expect(path).toMatch(/-[0-9a-f]{16}\.(js|wasm|css)$/);
    expect(bytes, path).toBeGreaterThan(0);
  }
  // Besides the app's three files, the host page loaded the loader's second part (when the
  // pointer reached the launcher): content-hashed too.
  expect(answers.map((r) => new URL(r.url()).pathname).filter((p) => p.startsWith('/widget/panel-'))).toHaveLength(1);
  expect(answers.map((r) => r.status())).toEqual([200, 200, 200, 200]);
  for (const r of answers) {
    expect(r.headers()['cache-control'], r.url()).toBe('public, max-age=31536000, immutable');
  }

  // Closed and opened again: the same frame, nothing loaded.
  answers.length = 0;
  await page.evaluate(() => (window as any).Porchlight.close());
  await host.open();
  expect(answers).toEqual([]);

  // Another page view: a new frame page, its files straight from the browser's cache.
  await host.goto();
  await host.open();
  const later = await appFiles(host);
  expect(later.map(([path]) => path).sort()).toEqual(first.map(([path]) => path).sort());
  for (const [path, bytes] of later) expect(bytes, `${path} came from the network`).toBe(0);
  // Nothing reached the edge for them: the browser's own record says no byte came over the network
  // (above). Playwright reports cache hits as responses too: none of them is a revalidation.
  expect(answers.map((r) => r.status())).toEqual([200, 200, 200, 200]);
});
