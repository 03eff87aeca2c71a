// Journey: the visitor reloads (or comes back later) and finds the same thread; before they open
// the chat, a reply raises the unread badge.
import { expect, test } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

test('reload keeps the history', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await host.open();
  await host.panel.send('first question');
  await host.panel.expectStored('first question');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();
  await agent.reply(id, 'an answer');
  await expect(host.panel.theirs()).toHaveText(['an answer']);
  await host.panel.send('second question');
  await host.panel.expectStored('second question');

  await page.reload();
  await expect(host.launcher).toBeVisible();
  // A returning visitor's frame loads at idle, without a click, and connects.
  await expect(host.widget.locator('iframe')).toHaveCount(1);
  await host.panel.expectLive();
  // So a reply that comes before the visitor opens the chat raises the badge.
  await expect(host.badge).toBeHidden();
  await agent.reply(id, 'still there?');
  await expect(host.badge).toHaveText('1');
  await host.open();
  await expect(host.badge).toBeHidden();
  await expect(host.panel.mine()).toHaveText(['first question', 'second question']);
  await expect(host.panel.theirs()).toHaveText(['an answer', 'still there?']);
  await expect(host.panel.log.locator('.divider')).toHaveCount(1);
  expect(await host.panel.conversationId()).toBe(id);

  // The thread goes on in the same conversation after the reload.
  await agent.reply(id, 'welcome back');
  await expect(host.panel.theirs()).toHaveText(['an answer', 'still there?', 'welcome back']);
});
