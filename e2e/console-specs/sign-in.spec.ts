// Journey: an agent signs in (a wrong password gets the same answer as an unknown account),
// lands online in the inbox, keeps the session across a reload, and signs out.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite } from '../pages/console-fixtures';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('sign in, stay signed in across a reload, sign out', async ({ page }) => {
  const agent = new ConsolePage(page);
  await agent.goto();
  await expect(agent.site).toHaveValue('demo');
  await page.screenshot({ path: path.join(SHOTS, 'console-sign-in.png') });

  await agent.fillSignIn(ALICE.email, 'not-the-password');
  await agent.signInButton.click();
  await expect(agent.signInError).toHaveText('Wrong email or password for this site.');
  const wrongPassword = await agent.signInError.textContent();
  await agent.fillSignIn('nobody@demo.test', 'not-the-password');
  await agent.signInButton.click();
  await expect(agent.signInError).toHaveText(wrongPassword!);

  await agent.fillSignIn(ALICE.email, ALICE.password);
  await agent.signInButton.click();
  await agent.expectLive();
  // Opening the console is coming online.
  await agent.expectPresence('online');
  await expect(page.locator('.who')).toContainText('Alice');
  await expect(agent.adminLinks()).toHaveCount(0);
  await expect(agent.inbox.viewTab('mine')).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: path.join(SHOTS, 'console-inbox.png') });

  await page.reload();
  await agent.expectLive();
  await expect(page.locator('.who')).toContainText('Alice');

  await agent.setPresence('away');
  await agent.setPresence('online');

  await agent.signOut();
  await page.reload();
  await expect(agent.signInButton).toBeVisible();
  expect((await page.request.get('/v1/console/me')).status()).toBe(401);
});

test('the sign-in form is usable with the keyboard and labelled', async ({ page }) => {
  const agent = new ConsolePage(page);
  await agent.goto();
  await agent.site.focus();
  await page.keyboard.press('Tab');
  await expect(agent.email).toBeFocused();
  await page.keyboard.type(ALICE.email);
  await page.keyboard.press('Tab');
  await expect(agent.password).toBeFocused();
  await page.keyboard.type(ALICE.password);
  await page.keyboard.press('Enter');
  await agent.expectLive();
});
