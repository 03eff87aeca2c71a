// Journey: an operator reads the reports of the seeded records site (edge/seed/e2e.sql, site
// e2e_records) for a period in their time zone, production then test, checks them against the
// records list of the same filters, and downloads a chart's table as CSV; an agent is refused.
//
// The viewer is in São Paulo (UTC−3) on 1 December 2025 at 09:00. The last 7 days (25 Nov to
// 1 Dec, local) hold four production tickets: Maria's two (1 Dec, 07:30 and 08:00), Wang's
// (30 Nov, 05:00) and the API one (27 Nov, 12:00). By hand from the seed:
// - solved: Maria's first (1 Dec) and the API one (27 Nov): 2;
// - first responses 30 s, 60 s, 60 s: median (nearest rank) 1 min, p90 1 min;
// - resolutions 10 min and 10 min;
// - CSAT 5 and 2: 3.5 of 5; NPS 10 (promoter) and 3 (detractor): 0;
// - channels: widget 3, API 1; agents: unassigned 2, Ana 1, Olga 1.
import { expect, test, type Browser, type BrowserContextOptions } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { type Account, ConsolePage } from '../pages/console';
import { ConsoleRecords, parseCsv } from '../pages/console-records';
import { ConsoleReports } from '../pages/console-reports';

const SITE = 'e2e_records';
const PASSWORD = 'porchlight-admin';
const OLGA: Account = { id: 'olga', name: 'Olga Operator', email: 'olga@e2e-records.test', password: PASSWORD };
const ANA: Account = { id: 'ana', name: 'Ana Agent', email: 'ana@e2e-records.test', password: PASSWORD };
const NOW = new Date('2025-12-01T12:00:00Z');
const VIEWER: BrowserContextOptions = { locale: 'en-US', timezoneId: 'America/Sao_Paulo' };

async function signIn(browser: Browser, account: Account) {
  const context = await browser.newContext(VIEWER);
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  const consolePage = new ConsolePage(page);
  await consolePage.goto(SITE);
  await consolePage.signIn(account, SITE);
  return { console: consolePage, reports: new ConsoleReports(page), close: () => context.close() };
}

test('the last 7 days, as a person reads them, equal the records list', async ({ browser }, testInfo) => {
  test.slow();
  const { console: olga, reports, close } = await signIn(browser, OLGA);
  await olga.nav.getByRole('link', { name: 'Reports' }).click();
  await expect(reports.heading).toBeVisible();
  // The last 7 days unless the address says otherwise.
  await expect(reports.from).toHaveValue('2025-11-25T00:00');
  await expect(reports.to).toHaveValue('2025-12-02T00:00');
  await expect(reports.summary).toBeVisible();
  expect(await reports.figures()).toEqual({
    'tickets created': '4',
    solved: '2',
    'first response': '1 min · p90 1 min',
    resolution: '10 min · p90 10 min',
    'csat average': '3.5 of 5 · 2 answers',
    nps: '0 · 2 answers',
  });
  const perDay = await reports.table('Tickets created and solved per day');
  expect(perDay).toEqual([
    ['Tue, Nov 25', '0', '0'],
    ['Wed, Nov 26', '0', '0'],
    ['Thu, Nov 27', '1', '1'],
    ['Fri, Nov 28', '0', '0'],
    ['Sat, Nov 29', '0', '0'],
    ['Sun, Nov 30', '1', '0'],
    ['Mon, Dec 1', '2', '1'],
  ]);
  expect(await reports.table('First response and resolution time')).toEqual([
    ['First response', '1 min', '1 min', '3'],
    ['Resolution', '10 min', '10 min', '2'],
  ]);
  expect(await reports.table('CSAT distribution')).toEqual([
    ['5 of 5', '1'],
    ['4 of 5', '0'],
    ['3 of 5', '0'],
    ['2 of 5', '1'],
    ['1 of 5', '0'],
  ]);
  expect(await reports.table('NPS bands')).toEqual([
    ['Promoters (9–10)', '1'],
    ['Passives (7–8)', '0'],
    ['Detractors (0–6)', '1'],
  ]);
  expect(await reports.table('Volume by channel')).toEqual([
    ['Chat widget', '3'],
    ['API', '1'],
  ]);
  expect(await reports.table('Volume by flow')).toEqual([['No flow', '4']]);
  expect(await reports.table('Volume by agent')).toEqual([
    ['Unassigned', '2'],
    ['Ana Agent', '1'],
    ['Olga Operator', '1'],
  ]);
  const hours = await reports.table('Busiest hours');
  expect(hours.filter((h) => h[1] !== '0')).toEqual([
    ['05:00', '1'],
    ['07:00', '1'],
    ['08:00', '1'],
    ['12:00', '1'],
  ]);
  // Each chart is drawn: the per-day chart has a bar for each day with a number above zero.
  await expect(reports.chart('Tickets created and solved per day').locator('svg rect.bar[height]:not([height="0.0"])')).toHaveCount(5);
  await expectNoAxeViolations(olga.page, 'reports');
  await olga.page.setViewportSize({ width: 1280, height: 1100 });
  await olga.page.screenshot({ path: testInfo.outputPath('reports.png'), fullPage: true });
  for (const [title, file] of [
    ['Volume by agent', 'reports-agents.png'],
    ['Busiest hours', 'reports-hours.png'],
  ]) {
    await reports.chart(title).scrollIntoViewIfNeeded();
    await reports.chart(title).screenshot({ path: testInfo.outputPath(file) });
  }

  // A table's CSV holds its numbers.
  const csv = parseCsv(await reports.csv('Volume by agent'));
  expect(csv).toEqual([
    ['Agent', 'Tickets'],
    ['Unassigned', '2'],
    ['Ana Agent', '1'],
    ['Olga Operator', '1'],
  ]);
  const times = parseCsv(await reports.csv('First response and resolution time'));
  expect(times[1]).toEqual(['First response', '60', '60', '3']);

  // The same filters in the records list: the same four tickets.
  await reports.toRecords.click();
  const records = new ConsoleRecords(olga.page);
  await records.expectListed(['cv_rec_maria#2', 'cv_rec_maria#1', 'cv_rec_wang#1', 'cv_rec_api#1']);
  await expect(records.found).toContainText('4 conversations');
  await olga.page.goBack();

  // Today; then test traffic; then 30 days.
  await reports.preset('Today').click();
  await expect.poll(async () => (await reports.figures())['tickets created']).toBe('2');
  await reports.traffic.selectOption('test');
  await reports.show.click();
  await expect.poll(async () => (await reports.figures())['tickets created']).toBe('1');
  expect(new URL(olga.page.url()).hash).toContain('env=test');
  await reports.traffic.selectOption('production');
  await reports.preset('Last 30 days').click();
  await expect.poll(async () => (await reports.figures())['tickets created']).toBe('5');
  await close();
});

test('an agent has no Reports link and is refused the reports', async ({ browser }) => {
  const { console: ana, reports, close } = await signIn(browser, ANA);
  await expect(ana.nav.getByRole('link', { name: 'Reports' })).toHaveCount(0);
  await ana.gotoHash('#/reports');
  await expect(reports.heading).toBeVisible();
  await expect(ana.page.getByRole('main').getByRole('alert')).toHaveText(
    'Only operators and admins can see conversation records.',
  );
  const r = await ana.page.request.get('/v1/console/reports?from=0&to=86400000&tz=UTC');
  expect(r.status()).toBe(403);
  expect((await r.json()).error.code).toBe('forbidden');
  await close();
});
