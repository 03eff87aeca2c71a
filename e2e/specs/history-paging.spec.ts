// Journey: a long conversation opens on its newest page; earlier messages load on demand, in
// order, without duplicates.
import { expect, test } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

test('a long history loads newest first, earlier pages on demand', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await host.open();
  await host.panel.send('start of a long thread');
  await host.panel.expectStored('start of a long thread');
  const id = await host.panel.conversationId();
  const replies = Array.from({ length: 55 }, (_, i) => `reply ${i + 1}`);
  for (const text of replies) await agent.reply(id, text);
  await expect(host.panel.theirs()).toHaveCount(55);

  await page.reload();
  await host.open();
  // The edge's default page is 50 items: the oldest replies and the first message are not there.
  await expect(host.panel.theirs().last()).toHaveText('reply 55');
  const firstPage = await host.panel.theirs().count();
  expect(firstPage).toBeLessThan(55);
  await expect(host.panel.mine()).toHaveCount(0);

  await host.panel.frame.getByRole('button', { name: 'Earlier messages' }).click();
  await expect(host.panel.theirs()).toHaveText(replies);
  await expect(host.panel.mine()).toHaveText(['start of a long thread']);
  await expect(host.panel.frame.getByRole('button', { name: 'Earlier messages' })).toBeHidden();
});
