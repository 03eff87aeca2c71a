// Journey: an operator searches the conversation records (edge/seed/e2e.sql, site e2e_records:
// six production tickets and one test ticket) by combining filters, shares the search by its
// address, pages through it, opens a conversation, and exports it to CSV; an agent is refused.
import { expect, test, type Browser, type BrowserContextOptions } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { type Account, ConsolePage } from '../pages/console';
import { ConsoleRecords, parseCsv } from '../pages/console-records';

const SITE = 'e2e_records';
const PASSWORD = 'porchlight-admin';
const OLGA: Account = { id: 'olga', name: 'Olga Operator', email: 'olga@e2e-records.test', password: PASSWORD };
const ANA: Account = { id: 'ana', name: 'Ana Agent', email: 'ana@e2e-records.test', password: PASSWORD };
const RITA: Account = { id: 'rita', name: 'Rita Admin', email: 'rita@e2e-records.test', password: PASSWORD };

// The viewer is in São Paulo (UTC−3, no daylight saving) on 1 December 2025 at 09:00 local time:
// "today" starts at 03:00 UTC, so the presets' periods are known.
const NOW = new Date('2025-12-01T12:00:00Z');
const VIEWER: BrowserContextOptions = { locale: 'en-US', timezoneId: 'America/Sao_Paulo' };

// Every production ticket, newest first.
const ALL = [
  'cv_rec_maria#2',
  'cv_rec_maria#1',
  'cv_rec_wang#1',
  'cv_rec_api#1',
  'cv_rec_lucia#1',
  'cv_rec_cust#1',
];

/** A cell as it was typed: the export writes a formula-like text (`=`, `+`, `-`, `@`, tab, CR
 * first) after a `'` so that a spreadsheet does not run it. */
function asTyped(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** A console signed in to the records site, with the browser's clock at `NOW`. */
async function signIn(browser: Browser, account: Account, options = VIEWER) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  const consolePage = new ConsolePage(page);
  await consolePage.goto(SITE);
  await consolePage.signIn(account, SITE);
  return { console: consolePage, records: new ConsoleRecords(page), close: () => context.close() };
}

test('filters combine, live in the address, and survive a reload', async ({ browser }) => {
  test.slow();
  const { console: olga, records, close } = await signIn(browser, OLGA);
  await olga.nav.getByRole('link', { name: 'Records' }).click();
  await expect(records.heading).toBeVisible();
  await expect(olga.nav.getByRole('link', { name: 'Records' })).toHaveAttribute('aria-current', 'page');
  // Production by default, newest first, with the total.
  await records.expectListed(ALL);
  await expect(records.found).toContainText('6 conversations');
  await expect(records.traffic).toHaveValue('production');

  // Words said in the conversation (accents and all), then the visitor's external id.
  await records.search.fill('cobrado');
  await records.search.press('Enter');
  await records.expectListed(['cv_rec_maria#1']);
  await expect(records.found).toContainText('1 conversation');
  await records.search.fill('cust-77');
  await records.submit.click();
  await records.expectListed(['cv_rec_cust#1']);

  // Status and CSAT together.
  await records.clear.click();
  await records.expectListed(ALL);
  await records.status.selectOption('solved');
  await records.submit.click();
  await records.expectListed(['cv_rec_api#1', 'cv_rec_lucia#1']);
  await records.csat.selectOption('4');
  await records.submit.click();
  await records.expectListed(['cv_rec_lucia#1']);

  // An agent who answered (not only the assignee: Olga took part in Lucía's ticket) with files.
  await records.clear.click();
  await records.agent.selectOption({ label: 'Olga Operator' });
  await records.submit.click();
  await records.expectListed(['cv_rec_maria#1', 'cv_rec_lucia#1', 'cv_rec_cust#1']);
  await records.files.selectOption('yes');
  await records.submit.click();
  await records.expectListed(['cv_rec_maria#1', 'cv_rec_lucia#1']);
  await expect(records.found).toContainText('2 conversations');

  // The address holds the search: a reload shows the same filters and the same results.
  expect(new URL(olga.page.url()).hash).toBe('#/records?agent=olga&files=yes');
  await olga.page.reload();
  await records.expectListed(['cv_rec_maria#1', 'cv_rec_lucia#1']);
  await expect(records.agent).toHaveValue('olga');
  await expect(records.files).toHaveValue('yes');
  await expect(records.status).toHaveValue('');

  // An address that is not a search says so, and offers no export in its place.
  await olga.gotoHash('#/records?csat=9');
  await expect(records.main.getByRole('alert')).toHaveText("This search's address is not valid (csat: 1 to 5).");
  await expect(records.exportLink).toBeHidden();
  await records.clear.click();
  await records.expectListed(ALL);
  await expect(records.exportLink).toBeVisible();
  await close();
});

test('bands, channel, periods in the viewer\'s zone, test traffic, and a shared address', async ({ browser }) => {
  // A long journey on a machine that may be busy.
  test.slow();
  const { console: olga, records, close } = await signIn(browser, OLGA);
  await olga.gotoHash('#/records');
  await records.expectListed(ALL);

  // NPS band, channel.
  await records.nps.selectOption('detractor');
  await records.submit.click();
  await records.expectListed(['cv_rec_api#1']);
  await records.nps.selectOption('promoter');
  await records.submit.click();
  await records.expectListed(['cv_rec_maria#1']);
  await records.clear.click();
  await records.channel.selectOption('api');
  await records.submit.click();
  await records.expectListed(['cv_rec_api#1']);

  // The period presets, in the viewer's time zone, combined with a status.
  await records.clear.click();
  await records.form.getByRole('button', { name: 'Last 7 days' }).click();
  await records.expectListed(['cv_rec_maria#2', 'cv_rec_maria#1', 'cv_rec_wang#1', 'cv_rec_api#1']);
  await expect(records.from).toHaveValue('2025-11-25T00:00');
  await records.status.selectOption('open');
  await records.submit.click();
  await records.expectListed(['cv_rec_wang#1']);
  await records.status.selectOption('');
  await records.form.getByRole('button', { name: 'Today' }).click();
  await records.expectListed(['cv_rec_maria#2', 'cv_rec_maria#1']);
  await records.form.getByRole('button', { name: 'Last 30 days' }).click();
  await records.expectListed(ALL.slice(0, 5));
  // A period typed by hand: 27 to 30 November, local time.
  await records.from.fill('2025-11-27T00:00');
  await records.to.fill('2025-11-30T06:00');
  await records.submit.click();
  await records.expectListed(['cv_rec_wang#1', 'cv_rec_api#1']);
  await records.to.fill('2025-11-26T00:00');
  await records.submit.click();
  await expect(records.formError).toHaveText('The period must start before it ends.');

  // Test traffic apart.
  await records.clear.click();
  await records.expectListed(ALL);
  await records.traffic.selectOption('test');
  await records.submit.click();
  await records.expectListed(['cv_rec_test#1']);

  // A shared address opens on the same search, in another browser.
  const shared = `/console?site=${SITE}#/records?q=Maria&status=new`;
  const other = await signIn(browser, OLGA);
  await other.console.page.goto(shared);
  await other.records.expectListed(['cv_rec_maria#2']);
  await expect(other.records.search).toHaveValue('Maria');
  await expect(other.records.status).toHaveValue('new');
  await other.close();
  await close();
});

test('a row shows the ticket as the viewer reads it and opens its record', async ({ browser }, testInfo) => {
  const { console: olga, records, close } = await signIn(browser, OLGA);
  await olga.gotoHash('#/records');

  // What a row shows: visitor, first line, agent by name, status, times in the viewer's
  // language and zone, ratings.
  await records.clear.click();
  await records.expectListed(ALL);
  const shown = await records.shown();
  const maria = shown[1];
  expect(maria).toMatchObject({
    visitor: 'Maria Silva',
    visitorDetails: 'maria@example.com · +5511987654321',
    firstLine: 'Meu cartão foi cobrado duas vezes',
    agent: 'Olga Operator',
    status: 'Closed',
    firstResponse: '30 s',
    resolution: '10 min',
    ratings: 'CSAT 5/5 · NPS 10',
  });
  // Agents by name, the offline ones included.
  expect(shown[2]).toMatchObject({ visitor: '王小明', agent: 'Ana Agent', firstResponse: '1 min', resolution: '—' });
  expect(shown[0].visitorDetails).toContain('Ticket 2');
  expect(shown[5]).toMatchObject({ visitor: '+14155550123', visitorDetails: 'cust-77', ratings: '—' });
  const created = records.rows.nth(1).locator('time').first();
  await expect(created).toHaveText('Dec 1, 2025, 7:30 AM');
  // The screen scrolls inside its main landmark: a tall window shows all of it at once.
  await olga.page.setViewportSize({ width: 1280, height: 1100 });
  await olga.page.screenshot({ path: testInfo.outputPath('records-results.png') });

  // A row opens its conversation's record, which opens it in the inbox; Back comes back to the
  // search.
  await records.search.fill('pedido');
  await records.submit.click();
  await records.expectListed(['cv_rec_lucia#1']);
  await records.rows.first().getByRole('link', { name: 'Lucía Gómez' }).click();
  expect(new URL(olga.page.url()).hash).toBe('#/records/cv_rec_lucia');
  await olga.page.getByRole('link', { name: 'Open in the inbox' }).click();
  expect(new URL(olga.page.url()).hash).toBe('#/c/cv_rec_lucia');
  await olga.page.goBack();
  await olga.page.goBack();
  await records.expectListed(['cv_rec_lucia#1']);
  await expect(records.search).toHaveValue('pedido');
  await close();
});

test('results page on with "Load more", in the viewer\'s language', async ({ browser }, testInfo) => {
  const { console: olga, records, close } = await signIn(browser, OLGA, {
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
  });
  await olga.gotoHash('#/records?limit=2');
  await records.expectListed(ALL.slice(0, 2));
  await expect(records.found).toContainText('Showing 2 of 6');
  await records.loadMore.click();
  await records.expectListed(ALL.slice(0, 4));
  // The focus moves to the first row that came in.
  await expect(records.rows.nth(2).getByRole('link')).toBeFocused();
  await records.loadMore.press('Enter');
  await records.expectListed(ALL);
  await expect(records.loadMore).toHaveCount(0);
  await expect(records.found).toContainText('Showing 6 of 6');
  // Dates in Portuguese (Brazil), São Paulo time.
  await expect(records.rows.nth(1).locator('time').first()).toHaveText(/^1 de dez\.? de 2025,? 0?7:30$/);
  await olga.page.setViewportSize({ width: 1280, height: 1100 });
  await olga.page.screenshot({ path: testInfo.outputPath('records-pt-BR.png') });
  await close();
});

test('the CSV the browser downloads holds the rows on screen', async ({ browser }) => {
  const { console: olga, records, close } = await signIn(browser, OLGA);
  await olga.gotoHash('#/records?agent=olga');
  await records.expectListed(['cv_rec_maria#1', 'cv_rec_lucia#1', 'cv_rec_cust#1']);
  const { download, bytes } = await records.download();
  expect(download.suggestedFilename()).toBe('porchlight-records.csv');
  const text = bytes.toString('utf8');
  expect(text.charCodeAt(0)).not.toBe(0xfeff);
  const [header, ...lines] = parseCsv(text);
  expect(header.slice(0, 3)).toEqual(['conversation_id', 'ticket', 'status']);
  const col = (line: string[], name: string) => line[header.indexOf(name)];
  const shown = await records.shown();
  expect(lines.map((l) => `${col(l, 'conversation_id')}#${col(l, 'ticket')}`)).toEqual(await records.listed());
  shown.forEach((row, i) => {
    const line = lines[i];
    expect(asTyped(col(line, 'visitor_name') || col(line, 'visitor_phone'))).toBe(row.visitor);
    expect(asTyped(col(line, 'first_line'))).toBe(row.firstLine);
    expect(Date.parse(col(line, 'created_at'))).toBe(Date.parse(row.created));
    const seconds = (name: string) => (col(line, name) === '' ? null : Number(col(line, name)));
    expect(seconds('first_response_seconds')).toBe(row.firstResponseSeconds);
    expect(seconds('resolution_seconds')).toBe(row.resolutionSeconds);
    const ratings = [col(line, 'csat') && `CSAT ${col(line, 'csat')}/5`, col(line, 'nps') && `NPS ${col(line, 'nps')}`]
      .filter(Boolean)
      .join(' · ');
    expect(ratings || '—').toBe(row.ratings);
  });
  expect(col(lines[0], 'visitor_email')).toBe('maria@example.com');
  expect(col(lines[0], 'agent')).toBe('olga');
  // The phone starts with `+`: neutralised in the file.
  expect(col(lines[2], 'visitor_phone')).toBe("'+14155550123");

  // The same search with the BOM and masking: every ticket again, emails and phones masked.
  await records.bom.check();
  await records.mask.check();
  await expect(records.exportLink).toHaveAttribute('href', /mask=1&bom=1$/);
  const masked = await records.download();
  expect([...masked.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const maskedText = masked.bytes.toString('utf8');
  expect(maskedText).not.toContain('maria@example.com');
  expect(maskedText).not.toContain('+14155550123');
  const [, ...maskedLines] = parseCsv(maskedText.slice(1));
  expect(maskedLines).toHaveLength(3);
  expect(col(maskedLines[0], 'visitor_email')).toBe('m***@example.com');
  expect(col(maskedLines[2], 'visitor_phone')).toMatch(/0123$/);

  // A formula-like name is neutralised in the file, shown as typed on screen.
  await olga.gotoHash('#/records?channel=api');
  await records.expectListed(['cv_rec_api#1']);
  expect((await records.shown())[0].visitor).toBe('=cmd|x');
  await records.bom.uncheck();
  const api = parseCsv((await records.download()).bytes.toString('utf8'));
  expect(api).toHaveLength(2);
  expect(api[1][api[0].indexOf('visitor_name')]).toBe("'=cmd|x");
  await close();
});

test('an agent has no Records link and is told the page is not for them', async ({ browser }, testInfo) => {
  const { console: ana, records, close } = await signIn(browser, ANA);
  await expect(ana.nav.getByRole('link', { name: 'Inbox' })).toBeVisible();
  await expect(ana.nav.getByRole('link', { name: 'Records' })).toHaveCount(0);
  await ana.gotoHash('#/records?status=open');
  await expect(records.heading).toBeVisible();
  await expect(records.notAllowed).toHaveText('Only operators and admins can see conversation records.');
  await expect(records.table).toHaveCount(0);
  await expect(records.exportLink).toHaveCount(0);
  await ana.page.screenshot({ path: testInfo.outputPath('records-agent.png') });
  // The edge refuses too, whatever the page shows.
  const api = await ana.page.request.get('/v1/console/records');
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe('forbidden');
  expect((await ana.page.request.get('/v1/console/records/export')).status()).toBe(403);
  await close();
});

test('the records screen passes axe with results, for an admin too', async ({ browser }) => {
  const { console: rita, records, close } = await signIn(browser, RITA);
  await rita.nav.getByRole('link', { name: 'Records' }).click();
  await records.expectListed(ALL);
  await expectNoAxeViolations(rita.page, 'records with results');
  // By keyboard alone: type-ahead in a select, Enter in the search box, Tab to the results.
  await records.status.focus();
  await rita.page.keyboard.type('Sol');
  await expect(records.status).toHaveValue('solved');
  await records.search.focus();
  await rita.page.keyboard.type('pedido');
  await rita.page.keyboard.press('Enter');
  await records.expectListed(['cv_rec_lucia#1']);
  expect(new URL(rita.page.url()).hash).toBe('#/records?q=pedido&status=solved');
  await records.traffic.selectOption('test');
  await records.status.selectOption('closed');
  await records.submit.click();
  await expect(records.found).toHaveText('No conversations match.');
  await expectNoAxeViolations(rita.page, 'records with no result');
  await close();
});
