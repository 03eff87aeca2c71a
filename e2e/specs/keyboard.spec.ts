// Journey: keyboard only. Tab reaches the launcher (after the page's own link), Enter opens the
// chat with the cursor in the composer, Enter sends, Escape closes and gives focus back to the
// launcher; Escape on the launcher closes the open chat too.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';

test('the chat works with the keyboard alone', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  // The demo page's own link (to the agent console) comes first, then the launcher.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'agent console' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(host.launcher).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(host.launcher).toHaveAttribute('aria-expanded', 'true');
  await expect(host.panel.input).toBeFocused();
  await page.keyboard.type('typed without a mouse');
  await page.keyboard.press('Enter');
  await host.panel.expectStored('typed without a mouse');
  await page.keyboard.press('Escape');
  await expect(host.launcher).toHaveAttribute('aria-expanded', 'false');
  await expect(host.launcher).toBeFocused();
  await expect(host.widget.locator('.p')).toBeHidden();

  // Open again, the focus back on the launcher: Escape there closes the chat as well.
  await page.keyboard.press('Enter');
  await expect(host.panel.input).toBeFocused();
  await host.launcher.focus();
  await expect(host.widget.locator('.p')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(host.launcher).toHaveAttribute('aria-expanded', 'false');
  await expect(host.widget.locator('.p')).toBeHidden();
  await expect(host.launcher).toBeFocused();
});
