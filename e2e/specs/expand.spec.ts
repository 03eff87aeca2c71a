// Journey: the visitor makes the panel bigger and back (the frame asks the loader to resize it
// over the postMessage protocol). On a small screen the panel is already full screen: no button.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';

test('the visitor expands the panel and shrinks it back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  const box = () => host.widget.locator('.p').boundingBox();
  expect((await box())?.width).toBe(380);

  const expand = host.panel.expandButton;
  await expect(expand).toHaveAccessibleName(host.panel.strings.expand);
  await expect(expand).toHaveAttribute('aria-pressed', 'false');
  await expand.click();
  await expect.poll(async () => (await box())?.width).toBe(720);
  expect((await box())?.height).toBe(800 - 108);
  await expect(expand).toHaveAccessibleName(host.panel.strings.shrink);
  await expect(expand).toHaveAttribute('aria-pressed', 'true');
  // Still the same chat, usable as before.
  await host.panel.send('Bigger is better');
  await host.panel.expectStored('Bigger is better');

  await expand.click();
  await expect.poll(async () => (await box())?.width).toBe(380);
  await expect(expand).toHaveAccessibleName(host.panel.strings.expand);
});

test.describe('on a small screen', () => {
  test.use({ viewport: { width: 390, height: 760 } });

  test('there is nothing to expand', async ({ page }) => {
    const host = new HostPage(page);
    await host.goto();
    await host.open();
    await expect(host.panel.closeButton).toBeVisible();
    await expect(host.panel.expandButton).toBeHidden();
  });
});
