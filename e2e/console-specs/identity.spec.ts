// Journey: a visitor whom the site identified (HMAC-signed user id, checked by the edge) shows as
// verified in the agent's visitor panel, with the name the site gave.
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';

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
