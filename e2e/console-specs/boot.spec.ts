// Journey: the console's app file fails to download (a dropped connection, a server restart).
// Twice (the preload and the first try), and the console still starts; every time, and the page
// says so with a way to reload rather than staying blank.
import { expect, test } from '@playwright/test';
import { ConsolePage } from '../pages/console';

const WASM = '**/console/porchlight_console_bg.wasm';

test('a failed download of the app is tried again', async ({ page }) => {
  let failures = 0;
  await page.route(WASM, async (route) => {
    if (failures < 2) {
      failures += 1;
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  const consolePage = new ConsolePage(page);
  await page.goto('/console?site=demo');
  await expect(consolePage.signInButton).toBeVisible();
  expect(failures).toBe(2);
});

test('an app that cannot be downloaded says so and offers a reload', async ({ page }) => {
  await page.route(WASM, (route) => route.abort('connectionreset'));
  await page.goto('/console?site=demo');
  await expect(page.getByRole('alert')).toHaveText(
    'The console could not load. Check your connection, then reload the page.',
  );
  await page.unroute(WASM);
  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
