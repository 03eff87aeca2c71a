// Journey: once the last ticket is closed (here the agent finishes the conversation), the panel
// says so and offers "start a new conversation" instead of the composer; the visitor's next
// message opens a new ticket in the same thread, the old one still above it.
import { expect, test } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

test('after a finished conversation the visitor starts a new one', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  const id = await host.startConversation('My order is late');
  await expect(host.panel.ended).toBeHidden();
  await agent.reply(id, 'Sorted: it ships today.');
  await agent.finish(id);

  await expect(host.panel.ended).toBeVisible();
  await expect(host.panel.log.locator('.status[data-status="closed"]')).toHaveCount(1);
  await expect(host.panel.input).toBeHidden();
  // The composer the visitor was in is gone: the focus moves to what took its place.
  await expect(host.panel.newConversationButton).toBeFocused();

  // A reload finds it closed too.
  await host.goto();
  await host.launcher.click();
  await expect(host.panel.ended).toBeVisible();
  await expect(host.panel.theirs()).toHaveText(['Sorted: it ships today.']);
  await expect(host.panel.input).toBeHidden();

  // Keyboard: opening puts the focus on the button, Enter presses it.
  await expect(host.panel.newConversationButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(host.panel.ended).toBeHidden();
  await expect(host.panel.input).toBeFocused();
  await host.panel.input.pressSequentially('One more question');
  await host.panel.input.press('Enter');
  await host.panel.expectStored('One more question');
  await expect(host.panel.log.locator('.divider[data-ticket="2"]')).toBeVisible();
  expect(await host.panel.conversationId()).toBe(id);
  await expect(host.panel.mine()).toHaveText(['My order is late', 'One more question']);
  await expect(host.panel.theirs()).toHaveText(['Sorted: it ships today.']);
});

test('a solved ticket that may still reopen keeps the composer', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  const id = await host.startConversation('Thanks for the help');
  await agent.reply(id, 'Glad to help!');
  // The demo site's style keeps a solved ticket open to the visitor for a day.
  await agent.setStatus(id, 'solved');
  await expect(host.panel.log.locator('.status[data-status="solved"]')).toHaveCount(1);
  await expect(host.panel.ended).toBeHidden();
  await expect(host.panel.input).toBeVisible();
});
