// Journey: every status change as SPEC.md describes it, on the demo site (returning customer,
// 24 h reopen window): Pending and On hold reopen when the visitor writes; Solved stays solved
// and reopens the same ticket; Finish closes at once and the visitor's next message starts
// ticket 2. Each change is an event in the history; the buttons shown are the valid ones, with
// the ticket's own status among them, pressed.
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('each status change, then finish and a new ticket', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const visitor = await VisitorApi.start(request, { locale: 'en', name: 'Sam' });
  await visitor.say('Question about my order');
  await alice.inbox.offer(visitor.conversationId).getByRole('link', { name: 'Look first' }).click();
  const c = alice.conversation;
  await c.expectOpen(visitor.conversationId);
  await c.expectStatus('new');
  // From New: Accept (not "Reopen"), Pending, On hold, Solved, Finish.
  await expect(c.acceptButton).toBeVisible();
  await expect(c.statusButton('open')).toHaveCount(0);
  await c.accept();
  await expect(c.acceptButton).toHaveCount(0);
  // Accepting in the conversation puts the focus in the reply box, as in the inbox.
  await expect(c.replyInput).toBeFocused();
  // The ticket's own status is shown as a pressed button; the others set theirs.
  await expect(c.statusButton('open')).toHaveAttribute('aria-pressed', 'true');
  await expect(c.statusButton('open')).toHaveText('Open');

  await c.setStatus('pending');
  await expect(c.statusButton('pending')).toHaveAttribute('aria-pressed', 'true');
  await expect(c.statusButton('open')).toHaveAttribute('aria-pressed', 'false');
  await expect(c.statusButton('open')).toHaveText('Reopen');
  await visitor.say('Here is the info you asked for');
  await c.expectStatus('open');

  await c.setStatus('on_hold');
  await visitor.say('Any news?');
  await c.expectStatus('open');

  await c.setStatus('solved');
  await expect(c.ticketLine).toContainText('closes at');
  await visitor.say('Actually, one more question');
  await c.expectStatus('open');
  await expect(c.ticketStart(2)).toHaveCount(0);

  // Reopen by hand from Pending.
  await c.setStatus('pending');
  await c.setStatus('open');

  for (const to of ['pending', 'open', 'on_hold', 'solved'] as const) {
    await expect(c.statusEvents(to).first()).toBeVisible();
  }

  await c.finish();
  await expect(c.statusEvents('closed')).toHaveCount(1);
  await expect(c.optionsButton).toHaveCount(0);
  await expect(c.replyMode).toBeDisabled();
  await alice.inbox.chooseView('all');
  await expect(alice.inbox.ticket(visitor.conversationId)).toHaveCount(0);

  await visitor.say('Hello again, new problem');
  await expect(c.ticketStart(2)).toBeVisible();
  await c.expectStatus('new');
  await expect(alice.inbox.offer(visitor.conversationId)).toBeVisible();
  await alice.close();
});
