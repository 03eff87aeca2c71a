// Journey: an operator opens a conversation's record from the Records list (edge/seed/e2e.sql,
// site e2e_records) and reads its figures and visitor; then the record of a live conversation
// (on site e2e_detail)
// written in Portuguese, Spanish, Chinese and English, with who said what and where its status
// changed, and its printable transcript, saved as a PDF; an agent is refused.
import { expect, request as playwrightRequest, test, type Browser, type BrowserContextOptions } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { type Account, ConsolePage } from '../pages/console';
import { ConsoleRecords } from '../pages/console-records';
import { ConsoleRecordDetail, LiveConversation } from '../pages/console-reports';

const SITE = 'e2e_records';
/** The live conversation's site: its record must not join e2e_records' seeded set. */
const LIVE_SITE = 'e2e_detail';
const PASSWORD = 'porchlight-admin';
const OLGA: Account = { id: 'olga', name: 'Olga Operator', email: 'olga@e2e-records.test', password: PASSWORD };
const ANA: Account = { id: 'ana', name: 'Ana Agent', email: 'ana@e2e-records.test', password: PASSWORD };
const VIEWER: BrowserContextOptions = { locale: 'en-US', timezoneId: 'America/Sao_Paulo' };

async function signIn(browser: Browser, account: Account, site = SITE) {
  const context = await browser.newContext(VIEWER);
  const page = await context.newPage();
  const consolePage = new ConsolePage(page);
  await consolePage.goto(site);
  await consolePage.signIn(account, site);
  return { console: consolePage, detail: new ConsoleRecordDetail(page), close: () => context.close() };
}

/** A request context signed in to `site` as `account`. */
async function api(baseURL: string, account: Account, site = SITE) {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const r = await ctx.post('/v1/console/login', {
    data: { site_id: site, email: account.email, password: account.password },
  });
  expect(r.status(), await r.text()).toBe(200);
  return ctx;
}

test('a records row opens its record: figures, ratings and visitor from the index', async ({ browser }, testInfo) => {
  const { console: olga, detail, close } = await signIn(browser, OLGA);
  const records = new ConsoleRecords(olga.page);
  await olga.gotoHash('#/records?q=cobrado');
  await records.expectListed(['cv_rec_maria#1']);
  await records.rows.first().getByRole('link', { name: 'Maria Silva' }).click();
  await expect(detail.heading).toHaveText('Conversation with Maria Silva');
  expect(new URL(olga.page.url()).hash).toBe('#/records/cv_rec_maria');
  // Ticket 1 (edge/seed/e2e.sql): created 10:30 UTC, answered 30 s later, solved after
  // 10 min, closed after 20 min; 3 + 2 messages; CSAT 5, NPS 10; Olga's.
  expect(await detail.ticket(1)).toMatchObject({
    ticket: '1',
    status: 'Closed',
    created: 'Dec 1, 2025, 7:30 AM',
    duration: '20 min',
    interactions: '5',
    'first response': '30 s',
    resolution: '10 min',
    csat: '5/5',
    nps: '10',
    agents: 'Olga Operator',
  });
  expect(await detail.ticket(2)).toMatchObject({ status: 'New', 'first response': '—', csat: '—', nps: '—' });
  await expect(detail.field('Email')).toHaveText('maria@example.com');
  await expect(detail.field('Phone')).toHaveText('+5511987654321');
  await expect(detail.history).toContainText("The conversation's messages are not available");
  await expect(detail.files).toContainText('1 file was exchanged; the message that carries it is not available.');
  await expectNoAxeViolations(olga.page, 'record detail (index only)');
  await olga.page.screenshot({ path: testInfo.outputPath('record-detail-index.png'), fullPage: true });
  // Back to the search it was opened from.
  await olga.page.getByRole('link', { name: 'Back to records' }).click();
  expect(new URL(olga.page.url()).hash).toBe('#/records?q=cobrado');
  await records.expectListed(['cv_rec_maria#1']);
  await close();
});

test('a live conversation in four languages: who said what, status events, and its transcript as a PDF', async ({
  browser,
  baseURL,
}, testInfo) => {
  test.slow();
  const origin = baseURL ?? '';
  const visitorApi = await playwrightRequest.newContext({ baseURL: origin });
  const ana = await api(origin, ANA, LIVE_SITE);
  const olgaApi = await api(origin, OLGA, LIVE_SITE);
  const live = await LiveConversation.start(visitorApi, LIVE_SITE, origin);
  const said = {
    pt: 'Olá! Meu cartão foi cobrado duas vezes.',
    es: 'Hola, ¿me das el número del pedido?',
    zh: '订单号是 12345，谢谢！',
    en: 'Thanks, the second charge is refunded.',
  };
  await live.say(said.pt);
  await live.reply(ana, said.es);
  await live.say(said.zh);
  const invoice = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const fileId = await live.sendFile('fatura.pdf', 'application/pdf', invoice);
  await live.transferTo(ana, 'olga');
  await live.reply(olgaApi, said.en);
  await live.setStatus(olgaApi, 'solved');

  const { console: olga, detail, close } = await signIn(browser, OLGA, LIVE_SITE);
  await olga.gotoHash(`#/records/${live.id}`);
  await expect(detail.heading).toHaveText('Conversation with Visitor');
  const lines = await detail.lines();
  expect(lines[0]).toBe('# Ticket 1 · Solved');
  expect(lines).toContain('~ Ticket created (New) by Visitor');
  const messages = lines.filter((l) => !l.startsWith('#') && !l.startsWith('~'));
  expect(messages).toEqual([
    `Visitor: ${said.pt}`,
    `Ana Agent (agent): ${said.es}`,
    `Visitor: ${said.zh}`,
    'Visitor: ',
    `Olga Operator (agent): ${said.en}`,
  ]);
  expect(lines).toContain('~ Transferred to Olga Operator, by Ana Agent');
  expect(lines).toContain('~ Status Open → Solved, by Olga Operator');
  // Where each event happened: the transfer after the Chinese message, Solved last.
  expect(lines.indexOf('~ Transferred to Olga Operator, by Ana Agent')).toBeGreaterThan(
    lines.indexOf(`Visitor: ${said.zh}`),
  );
  expect(lines[lines.length - 1]).toBe('~ Status Open → Solved, by Olga Operator');
  const first = await detail.ticket(1);
  expect(first).toMatchObject({ status: 'Solved', interactions: '5', agents: 'Ana Agent, Olga Operator' });
  expect(first['first response']).toMatch(/^\d+ s$/);
  // The file, in the files and in its message; it opens.
  const file = detail.files.getByRole('link', { name: 'fatura.pdf' });
  await expect(file).toHaveAttribute('href', `/v1/attachments/${live.id}/${fileId}`);
  await expect(detail.files).toContainText('PDF');
  await expect(detail.history.getByRole('link', { name: 'fatura.pdf' })).toBeVisible();
  const opened = await olga.page.request.get((await file.getAttribute('href')) ?? '');
  expect(opened.status()).toBe(200);
  expect(opened.headers()['content-type']).toBe('application/pdf');
  expect((await opened.body()).equals(invoice)).toBe(true);
  await expectNoAxeViolations(olga.page, 'record detail (live)');
  await olga.page.screenshot({ path: testInfo.outputPath('record-detail-live.png'), fullPage: true });

  // The printable transcript: every message in its language, authors, times with their zone.
  const [transcript] = await Promise.all([olga.page.waitForEvent('popup'), detail.transcriptLink.click()]);
  await transcript.waitForLoadState();
  const text = await transcript.locator('body').innerText();
  for (const line of Object.values(said)) expect(text).toContain(line);
  expect(text).toContain('Ticket #1');
  expect(text).toContain('Ana Agent');
  expect(text).toContain('Olga Operator');
  expect(text).toContain('transferred to agent Olga Operator');
  expect(text).toContain('fatura.pdf (application/pdf');
  expect(text).toContain('open → solved');
  expect(text).toContain('Times are in the time zone America/Sao_Paulo.');
  await expectNoAxeViolations(transcript, 'printable transcript');
  await transcript.emulateMedia({ media: 'print' });
  await expect(transcript.getByText('Save as PDF')).toBeHidden();
  await transcript.screenshot({ path: testInfo.outputPath('transcript-print.png'), fullPage: true });
  const pdf = await transcript.pdf({ path: testInfo.outputPath('transcript.pdf'), format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await close();
  await Promise.all([visitorApi.dispose(), ana.dispose(), olgaApi.dispose()]);
});

test('an agent is refused a record and its transcript', async ({ browser }) => {
  const { console: ana, detail, close } = await signIn(browser, ANA);
  await ana.gotoHash('#/records/cv_rec_maria');
  await expect(detail.main.getByRole('alert')).toHaveText('Only operators and admins can see conversation records.');
  for (const path of ['/v1/console/records/cv_rec_maria', '/v1/console/records/cv_rec_maria/transcript']) {
    const r = await ana.page.request.get(path);
    expect(r.status(), path).toBe(403);
    expect((await r.json()).error.code).toBe('forbidden');
  }
  await close();
});
