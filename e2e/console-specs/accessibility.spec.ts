// Journey: axe-core finds nothing on any console screen (sign-in, inbox with an offer, a
// conversation with every kind of row and the transfer form open, team, canned responses, site
// texts, the page agents may not see), and an agent answers with the keyboard alone: after
// signing in the focus is in the inbox, Accept is a Tab away, the reply box has the focus once
// the ticket is accepted, a status button keeps it, and a skip link leads to the conversation.
import path from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { ADMIN, ALICE, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';
import { pdf, png } from '../pages/files';
import { HostPage } from '../pages/host-page';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

/** Whether the focus is on `locator` or inside it. */
async function holdsFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el.contains(document.activeElement));
}

test('every console screen passes axe', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const alice = await ConsolePage.open(browser);
  await alice.page.screenshot({ path: path.join(SHOTS, 'a11y-sign-in.png') });
  await expectNoAxeViolations(alice.page, 'sign-in');
  await alice.signIn(ALICE);
  await expect(alice.inbox.root).toContainText('No tickets here.');
  await alice.page.screenshot({ path: path.join(SHOTS, 'a11y-empty-inbox.png') });
  await expectNoAxeViolations(alice.page, 'empty inbox');

  const host = new HostPage(page);
  await host.goto();
  const id = await host.startConversation('Hi, my parcel never arrived');
  await host.panel.fileInput.setInputFiles([
    { name: 'label.png', mimeType: 'image/png', buffer: png(2, 2) },
    { name: 'order.pdf', mimeType: 'application/pdf', buffer: pdf() },
  ]);
  await expect(host.panel.log.locator('.msg.mine[data-delivery="sent"] .attachments img')).toHaveCount(1);
  await expect(alice.inbox.offer(id)).toBeVisible();
  await alice.page.screenshot({ path: path.join(SHOTS, 'a11y-inbox-with-an-offer.png') });
  await expectNoAxeViolations(alice.page, 'inbox with an offer');

  await alice.inbox.accept(id);
  await alice.conversation.expectOpen(id);
  await alice.conversation.reply('Sorry to hear that, let me check.');
  await alice.conversation.note('Carrier says delivered');
  await alice.conversation.setStatus('pending');
  await expect(alice.conversation.log.locator('.attachments img')).toHaveCount(1);
  await alice.page.screenshot({ path: path.join(SHOTS, 'a11y-conversation.png') });
  await expectNoAxeViolations(alice.page, 'conversation');
  await alice.conversation.transferButton.click();
  await expect(alice.page.getByRole('form', { name: 'Transfer the ticket' })).toBeVisible();
  await alice.page.screenshot({ path: path.join(SHOTS, 'a11y-conversation-transfer-form-open.png') });
  await expectNoAxeViolations(alice.page, 'conversation, transfer form open');

  // An agent on an admin page.
  await alice.gotoHash('#/team');
  await expect(alice.page.getByText('Only admins can see this page.')).toBeVisible();
  await alice.page.screenshot({ path: path.join(SHOTS, 'a11y-admin-page-seen-by-an-agent.png') });
  await expectNoAxeViolations(alice.page, 'admin page seen by an agent');
  await alice.close();

  const admin = await ConsolePage.open(browser, ADMIN);
  await admin.admin.openTeam();
  await admin.page.screenshot({ path: path.join(SHOTS, 'a11y-team.png') });
  await expectNoAxeViolations(admin.page, 'team');
  await admin.admin.openCanned();
  await admin.page.screenshot({ path: path.join(SHOTS, 'a11y-canned-responses.png') });
  await expectNoAxeViolations(admin.page, 'canned responses');
  await admin.nav.getByRole('link', { name: 'Site texts' }).click();
  await expect(admin.page.getByRole('heading', { name: 'Site texts' })).toBeVisible();
  await admin.page.screenshot({ path: path.join(SHOTS, 'a11y-site-texts.png') });
  await expectNoAxeViolations(admin.page, 'site texts');
  await admin.close();
});

test('an agent answers with the keyboard alone', async ({ browser, page }) => {
  test.setTimeout(60_000);
  const alice = await ConsolePage.open(browser);
  await expect(alice.email).toBeFocused();
  await alice.page.keyboard.type(ALICE.email);
  await alice.page.keyboard.press('Tab');
  await alice.page.keyboard.type(ALICE.password);
  await alice.page.keyboard.press('Enter');
  await alice.expectLive();
  // After signing in, the focus is in the inbox (not lost to the page's body).
  await expect.poll(() => holdsFocus(alice.inbox.root)).toBe(true);

  const host = new HostPage(page);
  await host.goto();
  const id = await host.startConversation('Can you help me by keyboard?');
  const accept = alice.inbox.offer(id).getByRole('button', { name: 'Accept' });
  await expect(accept).toBeVisible();

  // Accept is a Tab or two away.
  let tabs = 0;
  while (!(await accept.evaluate((el) => el === document.activeElement)) && tabs < 3) {
    await alice.page.keyboard.press('Tab');
    tabs += 1;
  }
  await expect(accept).toBeFocused();
  await alice.page.keyboard.press('Enter');
  await alice.conversation.expectOpen(id);
  await alice.conversation.expectStatus('open');
  // The reply box has the focus: write and send at once.
  await expect(alice.conversation.replyInput).toBeFocused();
  await alice.page.keyboard.type('Of course, typed without a mouse.');
  await alice.page.keyboard.press('Enter');
  await expect(host.panel.theirs()).toHaveText(['Of course, typed without a mouse.']);

  // A status button keeps the focus, and shows itself pressed.
  const pending = alice.conversation.statusButton('pending');
  await pending.focus();
  await alice.page.keyboard.press('Enter');
  await alice.conversation.expectStatus('pending');
  await expect(pending).toBeFocused();
  await expect(pending).toHaveAttribute('aria-pressed', 'true');

  // From the top of the page (the conversation's link opened afresh), the first Tab is a link
  // to the conversation.
  await alice.page.reload();
  await alice.conversation.expectOpen(id);
  await alice.page.keyboard.press('Tab');
  const skip = alice.page.getByRole('link', { name: 'Skip to the conversation' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await alice.page.keyboard.press('Enter');
  await expect(alice.conversation.replyInput).toBeFocused();
  await alice.close();
});
