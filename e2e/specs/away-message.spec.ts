// Journey: the widget reads the site's settings; with no agent online it shows the away message
// and still takes messages, with an agent's console open it does not.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { agentsOnline, finishAsAdmin, openConsoleSocket } from '../pages/visitor-extras';

const AWAY = 'No one is online right now. Leave a message and we will get back to you by email.';
const WAIT = 'We usually reply in a few minutes.';

// One after the other: the second journey brings an agent online for the whole site.
test.describe.configure({ mode: 'serial' });

test('no agent online: the away message shows and messages are still accepted', async ({ page, baseURL }) => {
  expect(await agentsOnline(page)).toBe(false);
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  const away = host.frame.locator('.away-message');
  await expect(away).toHaveText(AWAY);
  await expect(host.frame.locator('.away .wait')).toHaveText(WAIT);
  // The site's colour is the panel's accent.
  await expect
    .poll(() => host.panel.documentRoot().evaluate((e) => getComputedStyle(e).getPropertyValue('--accent').trim()))
    .toBe('#2563eb');
  await host.panel.send('Anyone there?');
  await host.panel.expectStored('Anyone there?');
  await expect(away).toBeVisible();
  await finishAsAdmin(baseURL ?? '', await host.panel.conversationId());
});

test('an agent online: no away message', async ({ page, browser, baseURL }) => {
  const agent = await openConsoleSocket(browser, baseURL ?? '');
  try {
    await expect.poll(() => agentsOnline(page)).toBe(true);
    const host = new HostPage(page);
    await host.goto();
    await host.open();
    await expect(host.frame.locator('.away .wait')).toHaveText(WAIT);
    await expect(host.frame.locator('.away-message')).toHaveCount(0);
  } finally {
    await agent.close();
  }
  await expect.poll(() => agentsOnline(page)).toBe(false);
});
