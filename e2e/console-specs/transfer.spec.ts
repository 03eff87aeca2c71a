// Journey: Alice hands a ticket to Bruno by name, and Bruno sends it on to the billing
// department; both transfers are recorded in the history that every agent sees.
import { expect, test } from '@playwright/test';
import { ALICE, BRUNO, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('transfer to an agent, then to a department', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const bruno = await ConsolePage.open(browser, BRUNO);
  const visitor = await VisitorApi.start(request, { locale: 'en', name: 'Tom' });
  await visitor.say('My invoice is wrong');
  await alice.inbox.accept(visitor.conversationId);

  await alice.conversation.transferToAgent('bruno');
  await expect(alice.conversation.transfers()).toHaveCount(1);
  // Each agent reads the transfer from their own side.
  await expect(alice.conversation.transfers()).toContainText('You transferred this ticket to Bruno');
  await expect(alice.conversation.transfers()).not.toContainText('from');
  // Drawn like the other events: one centred line, no box around it.
  const line = await alice.conversation.transfers().evaluate((li) => {
    const style = getComputedStyle(li);
    return { height: li.getBoundingClientRect().height, lineHeight: parseFloat(style.lineHeight) || 20, border: style.borderTopWidth };
  });
  expect(line.height).toBeLessThan(line.lineHeight * 1.5);
  expect(line.border).toBe('0px');
  // Bruno now has it (assigned, or offered to him to accept).
  await bruno.inbox.chooseView('mine');
  await expect(bruno.inbox.ticket(visitor.conversationId)).toBeVisible();

  await bruno.conversation.open(visitor.conversationId);
  if (await bruno.conversation.acceptButton.isVisible()) {
    await bruno.conversation.accept();
  }
  await expect(bruno.conversation.transfers()).toHaveCount(1);
  await expect(bruno.conversation.transfers()).toContainText('transferred this ticket to you');
  await bruno.conversation.transferToDepartment('billing');
  await expect(bruno.conversation.transfers()).toHaveCount(2);
  await expect(bruno.conversation.transfers().nth(1)).toContainText('the billing department');
  await expect(alice.conversation.transfers()).toHaveCount(2);

  await alice.close();
  await bruno.close();
});
