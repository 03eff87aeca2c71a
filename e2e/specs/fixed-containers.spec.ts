// Journey: host pages whose <body> or <html> has a `transform`, `filter`, `perspective` or
// `contain` (which make that element, not the viewport, the box `position: fixed` is laid out
// in): the launcher still sits in the corner of the window, takes the click, and the panel opens
// inside the window, even with the page scrolled.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';

const SHOTS = path.join(__dirname, '..', 'screenshots');
const RULES: Array<[string, string]> = [
  ['transform', 'translateX(0)'],
  ['filter', 'brightness(1)'],
  ['perspective', '500px'],
  ['contain', 'paint'],
];

function tallPage(element: string, rule: string): string {
  const style = `${element}{${rule}}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Moved fixed</title>
<style>${style} .tall{height:3000px;background:linear-gradient(#fff,#ccd)}
::backdrop{background:rgba(255,0,0,.5)}</style></head>
<body><h1>A page with ${style}</h1><div class="tall"></div>
<button style="position:sticky;bottom:200px" onclick="this.dataset.clicks=(+this.dataset.clicks||0)+1">Page button</button>
<script src="/widget.js?site=demo" async></script>
</body></html>`;
}

for (const element of ['body', 'html']) {
  for (const [property, value] of RULES) {
    test(`${property} on <${element}>: launcher and panel stay in the window`, async ({ page }) => {
      // Served on the edge's own origin, which the demo site's frame allows.
      await page.route('**/moved-fixed', (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: tallPage(element, `${property}:${value}`),
        }),
      );
      const host = new HostPage(page);
      await host.goto('/moved-fixed');
      await page.evaluate(() => window.scrollTo(0, 1200));
      const view = page.viewportSize()!;
      const launcher = await host.launcher.boundingBox();
      expect(launcher).toEqual({
        x: view.width - 20 - 56,
        y: view.height - 20 - 56,
        width: 56,
        height: 56,
      });
      // click() fails unless the launcher itself receives the click at that point.
      await host.open();
      const panel = (await host.widget.locator('.p').boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.y).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(view.width);
      expect(panel.y + panel.height).toBeLessThanOrEqual(view.height);
      await host.panel.input.click();
      await expect(host.panel.input).toBeFocused();
      // The page itself is still there to use: no backdrop (the page styles one) covers it.
      const own = page.getByRole('button', { name: 'Page button' });
      await own.click();
      await expect(own).toHaveAttribute('data-clicks', '1');
      if (element === 'body' && property === 'transform') {
        await page.screenshot({ path: path.join(SHOTS, 'fixed-body-transform.png') });
      }
    });
  }
}
