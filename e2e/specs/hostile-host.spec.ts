// Journey: a host page whose CSS fights everything (global `all: unset`, huge fonts, z-index
// wars) leaves the widget intact: the launcher and the panel live in a shadow root and a frame.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';

const SHOTS = path.join(__dirname, '..', 'screenshots');

const HOSTILE_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Hostile host</title>
<style>
  * { all: unset; }
  html, body { display: block; font-size: 48px !important; line-height: 3 !important;
    font-family: fantasy !important; color: #f0f !important; }
  div, button, iframe, span, svg { z-index: 99999 !important; box-sizing: content-box !important;
    width: 12px !important; height: 12px !important; padding: 30px !important;
    border: 9px dashed red !important; }
  .war { display: block; position: fixed; right: 0; bottom: 0; width: 50vw; height: 50vh;
    z-index: 2147483647; background: rgba(255, 0, 0, .25); }
</style></head>
<body>
  <p style="display:block">A page with global resets and a z-index war.</p>
  <div class="war"></div>
  <script src="/widget.js" data-site="demo" async></script>
</body></html>`;

test('a host page with hostile CSS leaves the widget intact', async ({ page }) => {
  // Served on the edge's own origin, which the demo site's frame allows (frame-ancestors 'self').
  await page.route('**/hostile-host', (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: HOSTILE_PAGE }),
  );
  const host = new HostPage(page);
  await host.goto('/hostile-host');
  const box = await host.launcher.boundingBox();
  expect(box?.width).toBe(56);
  expect(box?.height).toBe(56);
  // click() checks that the launcher, not the overlay, receives the click.
  await host.open();
  await host.panel.send('still works');
  await host.panel.expectStored('still works');
  const panel = await host.widget.locator('.p').boundingBox();
  expect(panel?.width).toBe(380);
  expect(await host.panel.input.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
  await page.screenshot({ path: path.join(SHOTS, 'hostile-host.png') });
});
