// Journey: an agent answers (HTTP agent API) and the visitor sees the reply live.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

test('an agent reply is seen live', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await page.evaluate(() => {
    const w = window as unknown as { events: unknown[]; Porchlight: any };
    w.events = [];
    w.Porchlight.on('message', (m: unknown) => w.events.push(m));
  });
  await host.open();
  await host.panel.send('I need help with my order');
  await host.panel.expectStored('I need help with my order');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();
  expect((await agent.tickets()).map((t) => t.conversation_id)).toContain(id);

  await agent.reply(id, 'Hi! Alice here, happy to help.');
  await expect(host.panel.theirs()).toHaveText(['Hi! Alice here, happy to help.']);
  await expect(host.panel.log.locator('.msg.theirs .author-name')).toHaveText(['Alice']);
  // Replying accepted the ticket: the status change shows in the thread.
  await expect(host.panel.log.locator('.status[data-status="open"]')).toHaveCount(1);
  await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'panel-reply.png') });
  // The host page heard both messages through Porchlight.on('message').
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { events: any[] }).events.map((e) => e.text)))
    .toEqual(['I need help with my order', 'Hi! Alice here, happy to help.']);
});

test('a reply while the panel is closed raises the unread badge', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await host.open();
  await host.panel.send('Are you there?');
  await host.panel.expectStored('Are you there?');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();

  await host.panel.closeButton.click();
  await expect(host.launcher).toHaveAttribute('aria-expanded', 'false');
  await expect(host.launcher).toBeFocused();
  await expect(host.badge).toBeHidden();
  await agent.reply(id, 'Yes! One moment.');
  await agent.reply(id, 'Found your order.');
  await expect(host.badge).toHaveText('2');

  await host.open();
  await expect(host.panel.theirs()).toHaveText(['Yes! One moment.', 'Found your order.']);
  await expect(host.badge).toBeHidden();
});
