// Journey: a visitor in São Paulo reading Portuguese sees times in their own zone and language,
// the date whenever it is not today (a Solved ticket's 24 h window ends tomorrow), and the
// transcript they download says the same, naming the zone.
import fs from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { AgentApi, DEMO_AGENT_TOKEN } from '../pages/agent-api';
import { PANEL_STRINGS } from '../pages/chat-panel';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

// The machine runs in UTC; São Paulo is UTC−3 all year (no daylight saving since 2019).
test.use({ timezoneId: 'America/Sao_Paulo', locale: 'pt-BR' });
const OFFSET_MS = -3 * 3_600_000;
const PT_MONTHS = ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'];

/** `at` as São Paulo's wall clock: hours and minutes, day of month, month. */
function saoPaulo(at: number) {
  const d = new Date(at + OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    hm: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    day: d.getUTCDate(),
    month: PT_MONTHS[d.getUTCMonth()],
  };
}

test('times are the visitor’s own, with the date when it is not today', async ({ page, request, baseURL }) => {
  const host = new HostPage(page, PANEL_STRINGS['pt-BR']);
  await host.goto();
  const id = await host.startConversation('Quando vocês fecham?');
  const agent = new AgentApi(request);
  await agent.reply(id, 'Às 18h.');

  const history = await request.get(`/v1/agent/conversations/${id}/history`, {
    headers: { Authorization: `Bearer ${DEMO_AGENT_TOKEN}` },
  });
  const items = (await history.json()).items as Array<{ kind: string; at: number; body?: { text: string } }>;
  const reply = items.find((i) => i.kind === 'message' && i.body?.text === 'Às 18h.');
  expect(reply).toBeDefined();
  const at = saoPaulo(reply?.at ?? 0);
  // Today: the time alone, São Paulo's (three hours behind the machine's UTC clock).
  const time = host.panel.log.locator('.msg.theirs .time');
  await expect(time).toHaveText(at.hm);

  // Solved, on a site whose tickets stay open for replies for 24 hours: the end is tomorrow, so
  // its date is shown, in Portuguese.
  await agent.setStatus(id, 'solved');
  const ticket = await request.get(`/v1/agent/conversations/${id}`, {
    headers: { Authorization: `Bearer ${DEMO_AGENT_TOKEN}` },
  });
  const closeAt = (await ticket.json()).ticket.close_at as number;
  const until = saoPaulo(closeAt);
  const openUntil = host.frame.locator('.open-until');
  await expect(openUntil).toContainText('Aberta para respostas até');
  await expect(openUntil).toContainText(new RegExp(`\\b${until.day} de ${until.month}`));
  await expect(openUntil).toContainText(until.hm);
  await host.panel.root.screenshot({ path: 'test-results/dates-pt-BR.png' });

  // The transcript: São Paulo times, the zone named, no raw UTC in what is read.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    host.panel.transcriptButton.click(),
  ]);
  const html = await fs.readFile(await download.path(), 'utf8');
  expect(html).toContain('America/Sao_Paulo');
  const text = html.replace(/<[^>]*>/g, ' ');
  expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  expect(text).toContain(at.hm);
  expect(text).toMatch(new RegExp(`${at.day} de ${at.month}`));

  await finishAsAdmin(baseURL ?? '', id);
});

test('a transcript asked for an unknown time zone is refused with its code', async ({ page, baseURL }) => {
  const host = new HostPage(page, PANEL_STRINGS['pt-BR']);
  await host.goto();
  const id = await host.startConversation('Oi');
  const token = await host.frame.locator('html').evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) ?? '';
      if (key.includes('token')) return localStorage.getItem(key);
    }
    return null;
  });
  expect(token).toBeTruthy();
  for (const query of ['tz=Mars/Olympus_Mons', 'tz=%3Cb%3E', 'locale=p']) {
    const resp = await page.request.get(`/v1/visitor/transcript?${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(resp.status(), query).toBe(400);
    expect((await resp.json()).error.code, query).toBe('invalid_field');
  }
  await finishAsAdmin(baseURL ?? '', id);
});
