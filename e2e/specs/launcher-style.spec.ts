// Journey: a site whose launcher colour and corner are not the defaults (`demo_consent`: #0f766e,
// bottom left; edge/seed/demo.sql) gets its launcher drawn in them from the first paint, on every
// page view, with no request before the chat is opened; opening the chat moves nothing.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { gotoDemoFor } from '../pages/visitor-extras';

const TEAL = 'rgb(15, 118, 110)';
const SHOTS = path.join(__dirname, '..', 'screenshots');

/**
 * Records the launcher's colour and place at the moment the loader puts it into the page: a
 * mutation observer's callback runs before the browser paints anything of it.
 */
async function recordFirstPaint(page: Page) {
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const button = document.querySelector('[data-porchlight]')?.shadowRoot?.querySelector('button.l');
      if (!button) return;
      const box = button.getBoundingClientRect();
      (window as any).firstPaint = {
        color: getComputedStyle(button).backgroundColor,
        left: box.left,
        bottom: innerHeight - box.bottom,
      };
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
}

test("the launcher has the site's colour and corner from its first paint, on every page view", async ({
  page,
}) => {
  await recordFirstPaint(page);
  const asked: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/v1/') || path.startsWith('/widget/')) asked.push(path);
  });
  const host = new HostPage(page);
  await gotoDemoFor(host, 'demo_consent');
  for (const view of ['first page view', 'next page view']) {
    const first = await page.evaluate(() => (window as any).firstPaint);
    expect(first, view).toEqual({ color: TEAL, left: 20, bottom: 20 });
    // Nothing was asked of the edge for it: the loader came with the settings in.
    expect(asked, view).toEqual([]);
    const before = await host.launcher.boundingBox();
    expect(before?.x, view).toBe(20);

    await host.launcher.click();
    await expect(host.launcher).toHaveAttribute('aria-expanded', 'true');
    // The frame has the site's settings once its pre-chat form shows.
    await expect(host.frame.locator('form.prechat')).toBeVisible();
    expect(await host.launcher.boundingBox(), view).toEqual(before);
    expect(await host.launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(TEAL);
    await page.screenshot({ path: path.join(SHOTS, `launcher-style-${view.split(' ')[0]}.png`) });

    asked.length = 0;
    await page.reload();
    await expect(host.launcher).toBeVisible();
  }
});
