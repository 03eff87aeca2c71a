// Journey: the console names conversations as people would: by the visitor's name, or by a
// friendly name derived from the conversation ("Visitor 4821", the same in the inbox, the offer,
// the heading and after a reload), with the visitor's language and page; never by the raw id.
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('an unnamed visitor gets a stable friendly name with language and page', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const visitor = await VisitorApi.start(request, {
    locale: 'en',
    page_url: 'https://shop.example/pricing?ref=ad',
  });
  await visitor.say('Do you ship to Canada?');
  const id = visitor.conversationId;

  const offer = alice.inbox.offer(id);
  await expect(offer).toContainText(/Visitor \d{4}/);
  await expect(offer).not.toContainText('cv_');
  const name = (await offer.textContent())!.match(/Visitor \d{4}/)![0];
  await expect(offer).toContainText('en · shop.example/pricing');

  await alice.inbox.accept(id);
  await alice.conversation.expectOpen(id);
  await expect(alice.conversation.title).toHaveText(name);
  await expect(alice.conversation.root.locator('.conversation-context')).toHaveText('en · shop.example/pricing');
  const row = alice.inbox.ticket(id);
  await expect(row.locator('.ticket-title')).toHaveText(name);
  await expect(row).toContainText('en · shop.example/pricing');
  await expect(row).not.toContainText('cv_');
  // The visitor's messages are signed with the same name.
  await expect(alice.conversation.log.locator('li.msg.from-visitor .author')).toContainText(name);

  await alice.page.reload();
  await alice.conversation.expectOpen(id);
  await expect(alice.conversation.title).toHaveText(name);
  await expect(alice.inbox.ticket(id).locator('.ticket-title')).toHaveText(name);
  await alice.close();
});

test('a visitor who gave a name is called by it', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const visitor = await VisitorApi.start(request, { locale: 'en', name: 'Nora Quinn' });
  await visitor.say('Hello');
  await expect(alice.inbox.offer(visitor.conversationId)).toContainText('Nora Quinn');
  await alice.inbox.accept(visitor.conversationId);
  await expect(alice.conversation.title).toHaveText('Nora Quinn');
  await expect(alice.inbox.ticket(visitor.conversationId).locator('.ticket-title')).toHaveText('Nora Quinn');
  await alice.close();
});
