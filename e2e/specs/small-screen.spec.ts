// Journey: on a phone-sized screen (under 640px) the open chat fills the screen and the composer
// text is 16px, so the browser does not zoom.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';

test.use({ viewport: { width: 390, height: 760 } });

test('under 640px wide the open chat fills the screen', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  const panel = await host.widget.locator('.p').boundingBox();
  expect(panel).toEqual({ x: 0, y: 0, width: 390, height: 760 });
  // The panel has its own close button; the launcher would cover the composer.
  await expect(host.launcher).toBeHidden();
  await host.panel.send('from a phone');
  await host.panel.expectStored('from a phone');
  await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'panel-small-screen.png') });
  await host.panel.closeButton.click();
  await expect(host.launcher).toBeVisible();
});
