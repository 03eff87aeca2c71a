// Journey: with Alice (skills en, capacity 2) and Bruno (pt and billing, capacity 1) online, a
// visitor's first message is offered to the agent whose skills match the visitor's language,
// shown prominently in that agent's inbox only.
import { expect, test } from '@playwright/test';
import { ALICE, BRUNO, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('a first message is offered to the agent with the right skills', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const bruno = await ConsolePage.open(browser, BRUNO);

  const ana = await VisitorApi.start(request, { locale: 'pt-BR', name: 'Ana' });
  await ana.say('Olá, meu pedido atrasou');
  await expect(bruno.inbox.offer(ana.conversationId)).toBeVisible();
  await expect(bruno.inbox.offer(ana.conversationId)).toContainText('needs pt');
  // Offered, not yet taken: in Bruno's "mine" and everyone's "unassigned", never Alice's offers.
  await expect(bruno.inbox.ticket(ana.conversationId)).toContainText('Offered to you');
  await expect(alice.inbox.offer(ana.conversationId)).toHaveCount(0);
  await alice.inbox.chooseView('unassigned');
  await expect(alice.inbox.ticket(ana.conversationId)).toContainText('Offered to Bruno');

  const emma = await VisitorApi.start(request, { locale: 'en-GB', name: 'Emma' });
  await emma.say('Hello, where is my parcel?');
  await expect(alice.inbox.offer(emma.conversationId)).toBeVisible();
  await expect(bruno.inbox.offer(emma.conversationId)).toHaveCount(0);

  // Counts follow: Bruno's "mine" holds the offer to him.
  await bruno.inbox.expectCount(bruno.inbox.viewTab('mine'), 1);
  await bruno.inbox.expectCount(bruno.inbox.statusTab('new'), 1);

  await bruno.inbox.accept(ana.conversationId);
  await bruno.conversation.expectOpen(ana.conversationId);
  await bruno.conversation.expectStatus('open');
  await expect(bruno.conversation.visitorMessages()).toHaveText(['Olá, meu pedido atrasou']);
  await expect(bruno.conversation.visitor).toContainText('Ana');
  await expect(bruno.conversation.visitor).toContainText('pt-BR');
  await expect(bruno.conversation.visitor).toContainText('Not verified');
  // Alice sees the change live.
  await alice.inbox.chooseView('all');
  await expect(alice.inbox.ticket(ana.conversationId)).toHaveAttribute('data-status', 'open');
  await expect(alice.inbox.ticket(ana.conversationId)).toContainText('Bruno');

  await alice.close();
  await bruno.close();
});

test('an agent who is away gets no offers until back online', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  await alice.setPresence('away');
  const emma = await VisitorApi.start(request, { locale: 'en', name: 'Emma' });
  await emma.say('Anyone there?');
  await alice.inbox.chooseView('unassigned');
  await expect(alice.inbox.ticket(emma.conversationId)).toContainText('Unassigned');
  await expect(alice.inbox.offer(emma.conversationId)).toHaveCount(0);
  // Coming online re-evaluates the queue.
  await alice.setPresence('online');
  await expect(alice.inbox.offer(emma.conversationId)).toBeVisible();
  await alice.close();
});
