// Journey: times in the console are in the viewer's time zone and language (the browser's Intl,
// emulated here), with the date whenever it is not today: a ticket solved with a 24 h window
// "closes" tomorrow, so its closing time carries the date.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, ALICE, ConsolePage } from '../pages/console';
import { resetSite, VisitorApi } from '../pages/console-fixtures';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

/** `at` written with `options` for an explicit language and zone, in the page's own Intl. */
function written(page: Page, at: number, locale: string, timeZone: string, options: Intl.DateTimeFormatOptions) {
  return page.evaluate(
    ([at, locale, timeZone, options]) =>
      new Intl.DateTimeFormat(locale as string, { ...(options as object), timeZone: timeZone as string }).format(
        new Date(at as number),
      ),
    [at, locale, timeZone, options] as const,
  );
}

const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const DAY_AND_TIME: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };

test('times and dates follow the viewer\'s zone and language', async ({ browser, request }) => {
  const viewers = [
    { account: ALICE, locale: 'pt-BR', timezoneId: 'Asia/Tokyo' },
    { account: ADMIN, locale: 'en-US', timezoneId: 'America/New_York' },
  ];
  const [alice, admin] = await Promise.all(
    viewers.map((v) => ConsolePage.open(browser, v.account, { locale: v.locale, timezoneId: v.timezoneId })),
  );
  const visitor = await VisitorApi.start(request, { locale: 'en' });
  await visitor.say('When does this close?');
  const id = visitor.conversationId;
  await alice.inbox.accept(id);
  await alice.conversation.setStatus('solved');
  const answer = await alice.page.request.get(`/v1/agent/conversations/${id}`);
  expect(answer.status()).toBe(200);
  const closeAt: number = (await answer.json()).ticket.close_at;
  // The demo site keeps solved tickets 24 h: never the same calendar day.
  expect(closeAt - Date.now()).toBeGreaterThan(23 * 3600_000);

  for (const [i, agent] of [alice, admin].entries()) {
    const { locale, timezoneId } = viewers[i];
    if (agent !== alice) {
      await agent.conversation.open(id);
    }
    await agent.conversation.expectStatus('solved');
    // Today's message: the time alone, as this viewer writes it.
    const stamp = agent.conversation.log.locator('li.msg.from-visitor time');
    const at = Date.parse((await stamp.getAttribute('datetime'))!);
    await expect(stamp).toHaveText(await written(agent.page, at, locale, timezoneId, TIME));
    // Tomorrow: the date too.
    const closes = await written(agent.page, closeAt, locale, timezoneId, DAY_AND_TIME);
    await expect(agent.conversation.ticketLine).toContainText(`closes at ${closes}`);
  }
  // The two viewers really read different things (zone and language apply).
  expect(await alice.conversation.ticketLine.textContent()).not.toBe(await admin.conversation.ticketLine.textContent());
  await alice.page.screenshot({ path: path.join(SHOTS, 'console-dates-pt-BR-tokyo.png') });
  await alice.close();
  await admin.close();
});
