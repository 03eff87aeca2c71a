// Journey: the widget reads the site's settings; with no agent online it shows the away message
// and still takes messages, with an agent's console open it does not.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { AgentApi } from '../pages/agent-api';
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
  await expect(host.frame.locator('.intro .wait')).toHaveText(WAIT);
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
    await expect(host.frame.locator('.intro .wait')).toHaveText(WAIT);
    await expect(host.frame.locator('.away-message')).toHaveCount(0);
  } finally {
    await agent.close();
  }
  await expect.poll(() => agentsOnline(page)).toBe(false);
});

test('the away notice goes the moment an agent comes online, with no reload', async ({ page, browser, baseURL }) => {
  await expect.poll(() => agentsOnline(page)).toBe(false);
  const host = new HostPage(page);
  await host.goto();
  const id = await host.startConversation('Is anyone there?');
  const away = host.frame.locator('.away-message');
  const team = host.frame.locator('.intro .team-online');
  await expect(away).toHaveText(AWAY);
  await expect(team).toBeHidden();

  const agent = await openConsoleSocket(browser, baseURL ?? '');
  try {
    // Pushed to the open panel: no reload, no reopening.
    await expect(away).toHaveCount(0);
    await expect(team).toHaveText('Online now: Alice');
    await expect(host.frame.locator('.intro .faces .avatar')).toHaveText(['A']);
    // Closing and reopening the panel keeps it so.
    await host.panel.closeButton.click();
    await host.open();
    await expect(away).toHaveCount(0);
  } finally {
    await agent.close();
  }
  // The last agent leaves: the visitor is told, live again.
  await expect(away).toHaveText(AWAY);
  await expect(team).toBeHidden();
  await finishAsAdmin(baseURL ?? '', id);
});

test('once an agent has answered, the notice no longer says nobody is there', async ({ page, request, baseURL }) => {
  test.setTimeout(60_000);
  await expect.poll(() => agentsOnline(page)).toBe(false);
  const host = new HostPage(page);
  await host.goto();
  const id = await host.startConversation('Hello?');
  const away = host.frame.locator('.away-message');
  await expect(away).toBeVisible();
  // Answered through the agent API: nobody has a console open, and still someone is there.
  await new AgentApi(request).reply(id, 'Hi, I am here.');
  await expect(host.panel.theirs()).toHaveText(['Hi, I am here.']);
  await expect(away).toHaveCount(0);
  // Also after 15 s and after a reload.
  await page.waitForTimeout(15_000);
  await expect(away).toHaveCount(0);
  await page.reload();
  await host.open();
  await expect(host.panel.theirs()).toHaveText(['Hi, I am here.']);
  await expect(away).toHaveCount(0);
  await finishAsAdmin(baseURL ?? '', id);
});
