// Journey: the visitor reloads (or comes back later) and finds the same thread. A returning
// visitor's page view loads none of the chat app (frame page, glue, wasm, CSS) until they open the
// chat: a tiny frame follows the conversation, and a reply that came while they were away, or
// comes while they stay on the page, shows on the launcher's badge.
import { expect, test, type Page } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

/** Paths of the chat app's files the page (or any of its frames) asks for, from now on. */
function appRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/widget\/(frame\.html|[^/]+\.(wasm|css)|porchlight_widget[^/]*\.js)$/.test(path)) seen.push(path);
  });
  return seen;
}

/** Whether the page asked for the loader's second part (`/widget/panel-HASH.js`) from now on. */
function panelRequested(page: Page): () => boolean {
  let asked = false;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/widget/panel-')) asked = true;
  });
  return () => asked;
}

/** The unread frame's next socket, once the edge has sent it the replies the visitor missed. */
async function unreadFollowed(page: Page) {
  const socket = await page.waitForEvent('websocket', (w) => w.url().includes('/v1/visitor/ws?watch=1'));
  await socket.waitForEvent('framereceived', (f) => String(f.payload).includes('"type":"sync"'));
  return socket;
}

test('reload keeps the history; a returning visitor loads no app code until they open the chat', async ({
  page,
  request,
}) => {
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

  // Back with nothing waiting: the edge is followed, no badge, no app code, not even the
  // loader's second part.
  const app = appRequests(page);
  let panel = panelRequested(page);
  let followed = unreadFollowed(page);
  await page.reload();
  await expect(host.launcher).toBeVisible();
  await followed;
  await expect(host.badge).toBeHidden();
  await expect(host.launcher).toHaveAttribute('aria-label', 'Open chat');
  expect(app).toEqual([]);
  expect(panel()).toBe(false);

  // A reply while the visitor stays on the page with the chat closed: the badge shows it at
  // once, still without the app.
  await agent.reply(id, 'still there?');
  await expect(host.badge).toHaveText('1');
  await expect(host.launcher).toHaveAttribute('aria-label', 'Open chat, unread messages: 1');
  expect(panel()).toBe(true);
  expect(app).toEqual([]);

  // The next page view shows it too.
  followed = unreadFollowed(page);
  await page.reload();
  await followed;
  await expect(host.badge).toHaveText('1');
  await expect(host.launcher).toHaveAttribute('aria-label', 'Open chat, unread messages: 1');
  await page.screenshot({ path: 'test-results/returning-visitor-badge.png' });
  expect(app).toEqual([]);

  // Opening loads the app, with the whole thread, and reads the reply.
  await host.open();
  expect(app.some((p) => p.endsWith('.wasm'))).toBe(true);
  await expect(host.badge).toBeHidden();
  await expect(host.panel.mine()).toHaveText(['first question', 'second question']);
  await expect(host.panel.theirs()).toHaveText(['an answer', 'still there?']);
  await expect(host.panel.log.locator('.divider')).toHaveCount(1);
  expect(await host.panel.conversationId()).toBe(id);

  // The thread goes on in the same conversation after the reload.
  await agent.reply(id, 'welcome back');
  await expect(host.panel.theirs()).toHaveText(['an answer', 'still there?', 'welcome back']);

  // Read now: the next page view has nothing waiting.
  followed = unreadFollowed(page);
  await page.reload();
  await followed;
  await expect(host.launcher).toHaveAttribute('aria-label', 'Open chat');
  await expect(host.badge).toBeHidden();
});

test('a reply read in another tab leaves the badge of this one', async ({ page, context, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await host.open();
  await host.panel.send('hello from the first tab');
  await host.panel.expectStored('hello from the first tab');
  const id = await host.panel.conversationId();

  // This tab comes back with the chat closed; a reply arrives and shows on its badge.
  const followed = unreadFollowed(page);
  await page.reload();
  await followed;
  await agent.reply(id, 'an answer for you');
  await expect(host.badge).toHaveText('1');

  // The visitor reads it in another tab: this tab's badge goes.
  const other = new HostPage(await context.newPage());
  await other.goto();
  await other.open();
  await expect(other.panel.theirs()).toHaveText(['an answer for you']);
  await expect(host.badge).toBeHidden();
  await expect(host.launcher).toHaveAttribute('aria-label', 'Open chat');
});
