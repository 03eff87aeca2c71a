// Journey: a visitor writes from the widget; the agent accepts the offer, replies (the visitor
// sees it live), adds an internal note (the visitor never receives it), uses a canned response
// with /shortcut, and both sides see each other typing.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';
import { HostPage } from '../pages/host-page';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('accept, reply, note, canned response, typing', async ({ browser, page }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.send('Hi, I was charged twice');
  await host.panel.expectStored('Hi, I was charged twice');
  const id = await host.panel.conversationId();

  await alice.inbox.accept(id);
  await alice.conversation.expectOpen(id);
  await expect(alice.conversation.visitorMessages()).toHaveText(['Hi, I was charged twice']);
  await expect(alice.conversation.statusEvents('open')).toHaveCount(1);

  // The visitor types: the agent sees it.
  await host.panel.input.pressSequentially('One more thing');
  await expect(alice.conversation.typing).toContainText('is typing');
  await host.panel.input.fill('');

  // The agent types: the visitor sees it; the reply arrives live.
  await alice.conversation.replyInput.pressSequentially('Let me');
  await expect(host.frame.locator('.typing')).toContainText('Typing');
  await alice.conversation.replyInput.fill('');
  await alice.conversation.reply('Sorry about that! Refunding the second charge.');
  await expect(host.panel.theirs()).toHaveText(['Sorry about that! Refunding the second charge.']);

  // An internal note: shown to agents as a note, never sent to the visitor.
  await alice.conversation.note('Checked Stripe: duplicate charge confirmed');
  await expect(alice.conversation.messages('note')).toHaveClass(/note/);
  await host.panel.send('Thank you!');
  await expect(alice.conversation.visitorMessages()).toHaveText(['Hi, I was charged twice', 'Thank you!']);
  await expect(host.panel.log).not.toContainText('Stripe');

  // A canned response: typing /thanks offers it, Enter expands it, the next Enter sends it.
  // (The composer stays in note mode after a note: back to replies.)
  await alice.conversation.replyMode.click();
  await alice.conversation.replyInput.fill('/than');
  await expect(alice.conversation.suggestions).toContainText('/thanks');
  await alice.conversation.replyInput.pressSequentially('ks');
  await alice.conversation.replyInput.press('Enter');
  await expect(alice.conversation.replyInput).not.toHaveValue('/thanks');
  const expanded = await alice.conversation.replyInput.inputValue();
  expect(expanded.length).toBeGreaterThan(10);
  await alice.conversation.replyInput.press('Enter');
  await alice.conversation.expectStored('reply', expanded);
  await expect(host.panel.theirs()).toHaveText([
    'Sorry about that! Refunding the second charge.',
    expanded,
  ]);

  // Shift+Enter is a new line, not a send.
  await alice.conversation.replyInput.fill('line one');
  await alice.conversation.replyInput.press('Shift+Enter');
  await alice.conversation.replyInput.pressSequentially('line two');
  await expect(alice.conversation.replyInput).toHaveValue('line one\nline two');

  await alice.page.screenshot({ path: path.join(SHOTS, 'console-conversation.png') });
  await alice.close();
});

test('text from visitors is rendered as text', async ({ browser, page }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  const hostile = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b>';
  await host.panel.send(hostile);
  await host.panel.expectStored('<b>bold</b>');
  const id = await host.panel.conversationId();
  await alice.inbox.accept(id);
  await expect(alice.conversation.visitorMessages()).toHaveText([hostile]);
  await expect(alice.conversation.log.locator('img, b')).toHaveCount(0);
  expect(await alice.page.title()).not.toBe('pwned');
  await alice.close();
});

test('a note never reaches the visitor, not even in the history', async ({ browser, request }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const visitor = await VisitorApi.start(request, { locale: 'en', name: 'Nora' });
  await visitor.say('Hello');
  await alice.inbox.accept(visitor.conversationId);
  await alice.conversation.note('internal: VIP customer');
  await alice.conversation.reply('Hi Nora!');
  const items = await visitor.history();
  expect(items.map((i) => i.kind)).not.toContain('note');
  expect(JSON.stringify(items)).not.toContain('VIP');
  expect(JSON.stringify(items)).toContain('Hi Nora!');
  // After a reload (history from the edge) the note is still there, as a note.
  await alice.page.reload();
  await alice.conversation.expectOpen(visitor.conversationId);
  await expect(alice.conversation.messages('note')).toContainText('internal: VIP customer');
  await alice.close();
});
