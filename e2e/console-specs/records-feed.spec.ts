// Journey: a visitor chats in the widget on the demo page; the demo's admin (who may read the
// records, as an operator may) opens Records in the console and finds that conversation's row by
// a word the visitor said, with their first line and its status. Then they finish it from the
// conversation's options menu, by keyboard and after a confirmation, and the row says Closed.
// The row is written by the conversation itself, as things happen (nothing is seeded).
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { ADMIN, ConsolePage } from '../pages/console';
import { resetSite } from '../pages/console-fixtures';
import { ConsoleRecords } from '../pages/console-records';
import { HostPage } from '../pages/host-page';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

/** Searches for `words` until the results are `expected` (the index may be a second behind). */
async function searchUntil(records: ConsoleRecords, words: string, expected: string[]) {
  await records.search.fill(words);
  await expect
    .poll(
      async () => {
        await records.submit.click();
        await records.expectAnswered();
        return records.listed();
      },
      { timeout: 15_000 },
    )
    .toEqual(expected);
}

test('a widget conversation is in the records as it happens, and finishes from its menu', async ({
  browser,
  page,
}) => {
  test.slow();
  // A word no other run said.
  const word = `girassol${Date.now().toString(36)}`;
  const firstLine = `My parcel ${word} never arrived`;
  const host = new HostPage(page);
  await host.goto();
  const id = await host.startConversation(firstLine);
  await host.panel.send('It was due on Monday');
  await host.panel.expectStored('It was due on Monday');

  const admin = await ConsolePage.open(browser, ADMIN);
  const records = new ConsoleRecords(admin.page);
  await admin.nav.getByRole('link', { name: 'Records' }).click();
  await expect(records.heading).toBeVisible();
  // Found by a word of the first message, and by one of the second.
  await searchUntil(records, word, [`${id}#1`]);
  const [row] = await records.shown();
  expect(row.firstLine).toBe(firstLine);
  expect(row.status).toBe('New');
  await admin.page.screenshot({ path: 'test-results/records-feed-new.png', fullPage: true });
  await searchUntil(records, `${word} Monday`, [`${id}#1`]);

  // Finish it from the conversation's options menu, by keyboard.
  const c = admin.conversation;
  await c.open(id);
  // A click elsewhere closes the menu.
  await c.optionsButton.click();
  await expect(c.finishButton).toBeVisible();
  await c.title.click();
  await expect(c.finishButton).toBeHidden();
  await c.optionsButton.focus();
  await admin.page.keyboard.press('ArrowDown');
  await expect(c.finishButton).toBeFocused();
  await expect(c.optionsButton).toHaveAttribute('aria-expanded', 'true');
  await admin.page.screenshot({ path: 'test-results/records-feed-menu.png' });
  await admin.page.keyboard.press('Enter');
  await expect(c.finishDialog).toBeVisible();
  await expect(c.finishDialog).toContainText('stays in the records');
  await expect(c.finishDialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await admin.page.screenshot({ path: 'test-results/records-feed-confirm.png' });
  await expectNoAxeViolations(admin.page, 'finish confirmation');
  // Escape changes nothing, back on the menu's button.
  await admin.page.keyboard.press('Escape');
  await expect(c.finishDialog).toBeHidden();
  await expect(c.optionsButton).toBeFocused();
  await c.expectStatus('new');
  await admin.page.keyboard.press('Enter');
  await expect(c.finishButton).toBeFocused();
  await admin.page.keyboard.press('Enter');
  await admin.page.keyboard.press('Tab');
  await expect(c.finishDialog.getByRole('button', { name: 'Finish conversation' })).toBeFocused();
  await admin.page.keyboard.press('Enter');
  await c.expectStatus(null);
  await expect(c.optionsButton).toHaveCount(0);

  // The finished ticket stays in the records, closed; the visitor's next message opens ticket 2.
  await host.panel.newConversationButton.click();
  await host.panel.send(`Another question, ${word}`);
  await host.panel.expectStored(`Another question, ${word}`);
  await admin.nav.getByRole('link', { name: 'Records' }).click();
  await searchUntil(records, word, [`${id}#2`, `${id}#1`]);
  const shown = await records.shown();
  expect(shown.map((r) => [r.firstLine, r.status])).toEqual([
    [`Another question, ${word}`, 'New'],
    [firstLine, 'Closed'],
  ]);
  await admin.page.screenshot({ path: 'test-results/records-feed-closed.png', fullPage: true });
  await admin.close();
});
