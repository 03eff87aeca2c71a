// Journey: a newcomer follows the demo page alone. It says to answer from the agent console,
// links to it with the demo site filled in, and lists the demo accounts; signing in with the one
// it names for English visitors, the newcomer is offered the conversation and answers it.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ConsolePage } from '../pages/console';
import { resetSite } from '../pages/console-fixtures';
import { HostPage } from '../pages/host-page';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('the demo page leads to the console and its accounts work', async ({ page, context }) => {
  const host = new HostPage(page);
  await host.goto();
  const link = page.getByRole('link', { name: 'agent console' });
  await expect(link).toBeVisible();
  expect(new URL((await link.getAttribute('href'))!, page.url()).pathname).toBe('/console');
  expect(new URL((await link.getAttribute('href'))!, page.url()).searchParams.get('site')).toBe('demo');
  await expect(page.locator('body')).toContainText('accept the conversation and answer');

  // The accounts, as the page lists them (not as this test knows them).
  const accounts = page.getByRole('table', { name: /Demo accounts/ });
  await expect(accounts).toBeVisible();
  const rows = accounts.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  const english = rows.filter({ hasText: 'English' });
  const [email, password] = await english.locator('td code').allTextContents();
  expect(email).toContain('@demo.test');
  await page.screenshot({ path: path.join(SHOTS, 'demo-page.png'), fullPage: true });

  const id = await host.startConversation('Hello from the demo page');

  // The link, followed in a new tab of the same browser as a newcomer would.
  const tab = await context.newPage();
  await tab.goto((await link.getAttribute('href'))!);
  const agent = new ConsolePage(tab);
  await expect(agent.site).toHaveValue('demo');
  await agent.email.fill(email);
  await agent.password.fill(password);
  await agent.signInButton.click();
  await agent.expectLive();
  await agent.inbox.accept(id);
  await agent.conversation.expectOpen(id);
  await agent.conversation.reply('Hi! Answered from the console.');
  await expect(host.panel.theirs()).toHaveText(['Hi! Answered from the console.']);
  await tab.close();
});
