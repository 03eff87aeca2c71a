// Journey: a visitor whom the site identified (HMAC-signed user id, checked by the edge) shows as
// verified in the agent's visitor panel, with the name the site gave; through the API, and
// through the widget's `Porchlight.identify` and `setAttributes` on the demo page.
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';
import { HostPage } from '../pages/host-page';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('an identified visitor shows as verified in the visitor panel', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const visitor = await VisitorApi.start(request, { locale: 'en-US' });
  await visitor.identify('user-4711', 'Grace Hopper');
  await visitor.say('Hi, it is about my subscription');

  await expect(alice.inbox.offer(visitor.conversationId)).toBeVisible();
  await alice.inbox.accept(visitor.conversationId);
  await alice.conversation.expectOpen(visitor.conversationId);
  await expect(alice.conversation.visitor).toContainText('Verified · user user-4711');
  await expect(alice.conversation.visitor).toContainText('Grace Hopper');
  await alice.close();
});

test('the widget: Porchlight.identify and setAttributes reach the visitor panel', async ({
  browser,
  page,
}) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const host = new HostPage(page);
  await host.goto();
  // The demo site's hash of user-981 (README: trying identify on the demo page).
  await page.evaluate(() => {
    const porchlight = (window as any).Porchlight;
    porchlight.identify({
      id: 'user-981',
      name: 'Joana Silva',
      hash: 'f6e5cc56daf550571c46e46835472b1c7e24a27a47efbe74b61e467851595c86',
    });
    porchlight.setAttributes({ plan: 'pro' });
  });
  const id = await host.startConversation('Hi, a question about my order');

  await expect(alice.inbox.offer(id)).toBeVisible();
  await alice.inbox.accept(id);
  await alice.conversation.expectOpen(id);
  await expect(alice.conversation.visitor).toContainText('Verified · user user-981');
  await expect(alice.conversation.visitor).toContainText('Joana Silva');
  await expect(alice.conversation.visitor.locator('dt', { hasText: 'plan' })).toBeVisible();
  await expect(alice.conversation.visitor.locator('dd', { hasText: /^pro$/ })).toBeVisible();
  await alice.close();
});
