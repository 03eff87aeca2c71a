// Journey: an agent signs in (a wrong password gets the same answer as an unknown account),
// lands online in the inbox, keeps the session across a reload, and signs out.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite } from '../pages/console-fixtures';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('sign in, stay signed in across a reload, sign out', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.goto();
  await expect(console.site).toHaveValue('demo');
  await page.screenshot({ path: path.join(SHOTS, 'console-sign-in.png') });

  await console.fillSignIn(ALICE.email, 'not-the-password');
  await console.signInButton.click();
  await expect(console.signInError).toHaveText('Wrong email or password for this site.');
  const wrongPassword = await console.signInError.textContent();
  await console.fillSignIn('nobody@demo.test', 'not-the-password');
  await console.signInButton.click();
  await expect(console.signInError).toHaveText(wrongPassword!);

  await console.fillSignIn(ALICE.email, ALICE.password);
  await console.signInButton.click();
  await console.expectLive();
  // Opening the console is coming online.
  await console.expectPresence('online');
  await expect(page.locator('.who')).toContainText('Alice');
  await expect(console.adminLinks()).toHaveCount(0);
  await expect(console.inbox.viewTab('mine')).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: path.join(SHOTS, 'console-inbox.png') });

  await page.reload();
  await console.expectLive();
  await expect(page.locator('.who')).toContainText('Alice');

  await console.setPresence('away');
  await console.setPresence('online');

  await console.signOut();
  await page.reload();
  await expect(console.signInButton).toBeVisible();
  expect((await page.request.get('/v1/console/me')).status()).toBe(401);
});

test('the sign-in form is usable with the keyboard and labelled', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.goto();
  await console.site.focus();
  await page.keyboard.press('Tab');
  await expect(console.email).toBeFocused();
  await page.keyboard.type(ALICE.email);
  await page.keyboard.press('Tab');
  await expect(console.password).toBeFocused();
  await page.keyboard.type(ALICE.password);
  await page.keyboard.press('Enter');
  await console.expectLive();
});
