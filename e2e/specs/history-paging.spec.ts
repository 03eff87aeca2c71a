// Journey: a long conversation opens on its newest page; earlier messages load on demand (the
// button, or scrolling up to the top), in order, without duplicates.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

const replies = Array.from({ length: 55 }, (_, i) => `reply ${i + 1}`);

/** A visitor whose conversation is longer than one page, reopened after a reload. */
async function longThread(page: Page, request: APIRequestContext): Promise<HostPage> {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await host.open();
  await host.panel.send('start of a long thread');
  await host.panel.expectStored('start of a long thread');
  const id = await host.panel.conversationId();
  for (const text of replies) await agent.reply(id, text);
  await expect(host.panel.theirs()).toHaveCount(55);
  await page.reload();
  await host.open();
  return host;
}

test('a long history loads newest first, earlier pages on demand', async ({ page, request }) => {
  const host = await longThread(page, request);
  // The edge's default page is 50 items: the oldest replies and the first message are not there.
  await expect(host.panel.theirs().last()).toHaveText('reply 55');
  const firstPage = await host.panel.theirs().count();
  expect(firstPage).toBeLessThan(55);
  await expect(host.panel.mine()).toHaveCount(0);

  // The button itself, without scrolling the log: reaching the top loads the page by itself (the
  // next journey), which would leave a real click waiting on a button that went away.
  await host.panel.frame.getByRole('button', { name: 'Earlier messages' }).dispatchEvent('click');
  await expect(host.panel.theirs()).toHaveText(replies);
  await expect(host.panel.mine()).toHaveText(['start of a long thread']);
  await expect(host.panel.frame.getByRole('button', { name: 'Earlier messages' })).toBeHidden();
});

test('scrolling up to the top loads earlier messages and keeps the reading place', async ({ page, request }) => {
  const host = await longThread(page, request);
  await expect(host.panel.theirs().last()).toBeInViewport();
  await expect(host.panel.mine()).toHaveCount(0);
  const oldestShown = (await host.panel.theirs().first().textContent()) ?? '';

  await host.panel.log.evaluate((log) => log.scrollTo({ top: 0, behavior: 'instant' }));
  await expect(host.panel.theirs()).toHaveText(replies);
  await expect(host.panel.mine()).toHaveText(['start of a long thread']);
  // The rows that were at the top are still in view; the older ones arrived above them.
  await expect(host.panel.theirs().filter({ hasText: new RegExp(`^${oldestShown}$`) })).toBeInViewport();
  await expect(host.panel.mine()).not.toBeInViewport();
});
