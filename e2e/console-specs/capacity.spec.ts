// Journey: Bruno (capacity 1) holds one Open ticket; the next Portuguese visitor waits in the
// queue; when Bruno sets his ticket to Pending (which frees capacity) the waiting one is offered
// to him. The queued ticket shows in "unassigned", never as an offer.
import { expect, test } from '@playwright/test';
import { BRUNO, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('capacity full, queued, freed, offered', async ({ browser, request }) => {
  const bruno = await ConsolePage.open(browser, BRUNO);

  const first = await VisitorApi.start(request, { locale: 'pt-BR', name: 'Primeira' });
  await first.say('Preciso de ajuda');
  await bruno.inbox.accept(first.conversationId);
  await bruno.conversation.expectStatus('open');

  const second = await VisitorApi.start(request, { locale: 'pt-BR', name: 'Segunda' });
  await second.say('Alguém aí?');
  await bruno.inbox.chooseView('unassigned');
  await expect(bruno.inbox.ticket(second.conversationId)).toBeVisible();
  await expect(bruno.inbox.ticket(second.conversationId)).toContainText('Unassigned');
  await expect(bruno.inbox.offer(second.conversationId)).toHaveCount(0);

  // Pending frees Bruno's capacity: the queue moves.
  await bruno.conversation.setStatus('pending');
  await expect(bruno.inbox.offer(second.conversationId)).toBeVisible();
  await bruno.inbox.accept(second.conversationId);
  await bruno.conversation.expectOpen(second.conversationId);

  // A visitor reply to the Pending ticket reopens it, still Bruno's.
  await first.say('Voltei');
  await bruno.inbox.chooseView('mine');
  await expect(bruno.inbox.ticket(first.conversationId)).toHaveAttribute('data-status', 'open');
  await bruno.close();
});
