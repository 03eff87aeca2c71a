// Journey: the host page tells the widget who its signed-in user is (`Porchlight.identify`, with
// the HMAC its server computed) and sets custom attributes (`Porchlight.setAttributes`). Agents
// see both, the identity marked verified; a wrong hash is never verified; and neither another
// user signing in on the same browser nor whoever comes after `Porchlight.reset()` (sign-out)
// gets to see the first one's conversation.
import { createHmac } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

/** The demo site's secret (edge/seed/demo.sql): development data only. A real site computes the
 * hash on its server; the secret never reaches a browser. */
const DEMO_SECRET = 'dev-secret-demo-not-for-production';

function hash(id: string): string {
  return createHmac('sha256', DEMO_SECRET).update(id).digest('hex');
}

type User = { id: string; name?: string; email?: string; hash: string };

async function identify(page: Page, user: User) {
  await page.evaluate((u) => (window as any).Porchlight.identify(u), user);
}

async function setAttributes(page: Page, attributes: Record<string, unknown>) {
  await page.evaluate((a) => (window as any).Porchlight.setAttributes(a), attributes);
}

test('identify and setAttributes reach the agents, verified', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  // Called before the chat is opened: nothing loads for them yet.
  await identify(page, {
    id: 'user-981',
    name: 'Joana Silva',
    email: 'joana@example.com',
    hash: hash('user-981'),
  });
  await setAttributes(page, { plan: 'pro', seats: 3 });
  expect(await host.frameCount()).toBe(0);

  const id = await host.startConversation('Hello, Joana here');
  await expect
    .poll(() => agent.visitorProfile(id))
    .toMatchObject({
      verified: true,
      verified_id: 'user-981',
      name: 'Joana Silva',
      email: 'joana@example.com',
      attributes: { plan: 'pro', seats: '3' },
    });

  // Later calls apply at once; an empty value removes an attribute.
  await setAttributes(page, { plan: 'enterprise', seats: '' });
  await expect
    .poll(async () => (await agent.visitorProfile(id)).attributes)
    .toEqual({ plan: 'enterprise' });
});

test('a wrong hash is never verified', async ({ page, request }) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await identify(page, { id: 'user-982', name: 'Mallory', hash: hash('user-981') });
  const profile = await agent.visitorProfile(await host.startConversation('Trust me'));
  expect(profile.verified ?? false).toBe(false);
  expect(profile.verified_id).toBeUndefined();
  expect(profile.name).toBeUndefined();
});

test('another signed-in user on the same browser starts a new conversation', async ({
  page,
  request,
}) => {
  const host = new HostPage(page);
  const agent = new AgentApi(request);
  await host.goto();
  await identify(page, { id: 'user-a', name: 'Ana', hash: hash('user-a') });
  const first = await host.startConversation('My account number is 1234');
  await expect.poll(async () => (await agent.visitorProfile(first)).verified_id).toBe('user-a');

  // The same user on the next page keeps the conversation.
  await host.goto();
  await identify(page, { id: 'user-a', name: 'Ana', hash: hash('user-a') });
  await host.open();
  await expect(host.panel.mine()).toHaveText(['My account number is 1234']);

  // Someone else signs in: Ana's messages are not theirs to read.
  await host.goto();
  await identify(page, { id: 'user-b', name: 'Bruno', hash: hash('user-b') });
  await host.open();
  await expect(host.panel.log.getByText(host.panel.strings.welcome)).toBeVisible();
  await expect(host.panel.mine()).toHaveCount(0);
  await host.panel.send('Hi, Bruno here');
  await host.panel.expectStored('Hi, Bruno here');
  await expect(host.panel.mine()).toHaveText(['Hi, Bruno here']);
  const second = await host.panel.conversationId();
  expect(second).not.toBe(first);
  await expect
    .poll(() => agent.visitorProfile(second))
    .toMatchObject({ verified: true, verified_id: 'user-b', name: 'Bruno' });
});

test('Porchlight.reset() on sign-out forgets the conversation in this browser', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  await identify(page, { id: 'user-c', name: 'Carla', hash: hash('user-c') });
  await host.startConversation('My address is 1 Main St');

  // The site's user signs out.
  await page.evaluate(() => (window as any).Porchlight.reset());
  await expect(host.panel.mine()).toHaveCount(0);
  await expect(host.panel.log.getByText(host.panel.strings.welcome)).toBeVisible();
  await expect(host.panel.root).toHaveAttribute('data-connection', 'idle');
  // Nor is this browser "returning" any more: a later page view loads no chat at idle.
  expect(await page.evaluate(() => localStorage.getItem('porchlight:demo:returning'))).toBeNull();
  await host.goto();
  await expect(host.launcher).toBeVisible();
  // The loader's idle load waits for idle time, at most 4 s; give it longer than that.
  await page.waitForTimeout(5_000);
  expect(await host.frameCount()).toBe(0);

  // Whoever uses the browser next finds nothing of it, after a reload too.
  await host.goto();
  await host.open();
  await expect(host.panel.log.getByText(host.panel.strings.welcome)).toBeVisible();
  await expect(host.panel.mine()).toHaveCount(0);
  expect(
    await host.frame.locator('html').evaluate(() => localStorage.getItem('porchlight:demo:token')),
  ).toBeNull();
});
