// Journey: once an agent has answered and solved the ticket, the widget asks how the visitor
// rates the conversation (CSAT with its words, then NPS on a site that asks it, and a comment);
// the answer reaches the agent's view of the ticket and can be changed until the ticket closes.
// A ticket nobody answered is never rated.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { AgentApi } from '../pages/agent-api';
import { ConsolePage } from '../pages/console';
import { ConsoleConversation } from '../pages/console-conversation';
import { PANEL_STRINGS } from '../pages/chat-panel';
import { HostPage } from '../pages/host-page';
import { gotoDemoFor } from '../pages/visitor-extras';

const TOKEN = 'pl_e2e_rating_agent';
/** The rating site's admin (edge/seed/e2e.sql). */
const ROSA = { id: 'rosa', name: 'Rosa Admin', email: 'rosa@e2e-rating.test', password: 'porchlight-admin' };

async function ticketOf(request: import('@playwright/test').APIRequestContext, id: string) {
  const resp = await request.get(`/v1/agent/conversations/${id}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  expect(resp.status()).toBe(200);
  return (await resp.json()).ticket as {
    status: string;
    rateable?: boolean;
    rating?: { csat: number; nps?: number; comment?: string };
  };
}

test('a solved ticket is rated from the widget, by keyboard, and the rating can be changed', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  const host = new HostPage(page);
  await gotoDemoFor(host, 'e2e_rating');
  const id = await host.startConversation('My parcel has not arrived');
  const agent = new AgentApi(request, TOKEN);
  const card = host.frame.locator('.rating');
  await expect(card).toBeHidden();
  await agent.reply(id, 'It leaves the warehouse today.');
  await expect(card).toBeHidden();
  await agent.setStatus(id, 'solved');

  // The question, the five answers with their words, and NPS (this site asks it).
  await expect(card.getByRole('heading', { name: 'How would you rate this conversation?' })).toBeVisible();
  const csat = card.getByRole('group', { name: 'How would you rate this conversation?' });
  for (const [n, words] of [
    ['1', 'Very unsatisfied'],
    ['3', 'Neutral'],
    ['5', 'Very satisfied'],
  ]) {
    await expect(csat.getByRole('radio', { name: `${n} ${words}` })).toBeVisible();
  }
  const nps = card.getByRole('group', { name: 'How likely are you to recommend us to a friend?' });
  await expect(nps.getByRole('radio')).toHaveCount(11);
  await expect(card).toContainText('0 = Not at all likely');
  await host.panel.root.screenshot({ path: 'test-results/rating-asked.png' });
  await expectNoAxeViolations(page, 'the rating card');

  // By keyboard: the first CSAT answer, then the arrow keys move within the scale.
  await csat.getByRole('radio', { name: '1 Very unsatisfied' }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(csat.getByRole('radio', { name: '4 Satisfied' })).toBeChecked();
  await nps.getByRole('radio', { name: '9' }).check();
  await card.getByRole('textbox', { name: 'Anything to add? (optional)' }).fill('Quick and kind');
  await card.getByRole('button', { name: 'Send rating' }).press('Enter');

  await expect(card.getByRole('status')).toHaveText('Thank you for your rating.');
  await expect(card.getByRole('button', { name: 'Send rating' })).toBeHidden();
  await expect.poll(async () => (await ticketOf(request, id)).rating).toEqual({
    csat: 4,
    nps: 9,
    comment: 'Quick and kind',
  });

  // Changed while the ticket is still solved: the form comes back with the answer in it.
  await card.getByRole('button', { name: 'Change rating' }).click();
  await expect(csat.getByRole('radio', { name: '4 Satisfied' })).toBeChecked();
  await expect(card.getByRole('textbox', { name: 'Anything to add? (optional)' })).toHaveValue('Quick and kind');
  await csat.getByRole('radio', { name: '5 Very satisfied' }).check();
  await card.getByRole('button', { name: 'Send rating' }).click();
  await expect(card.getByRole('status')).toHaveText('Thank you for your rating.');
  await expect.poll(async () => (await ticketOf(request, id)).rating?.csat).toBe(5);
  await host.panel.root.screenshot({ path: 'test-results/rating-thanks.png' });

  // The agent reads it on the ticket, in the console.
  const context = await browser.newContext({ baseURL });
  const consolePage = await context.newPage();
  const console_ = new ConsolePage(consolePage);
  await console_.goto('e2e_rating');
  await console_.signIn(ROSA, 'e2e_rating');
  const conversation = new ConsoleConversation(consolePage);
  await conversation.open(id);
  await expect(conversation.root.locator('.ticket-rating')).toHaveText(
    'Rated 5/5 (Very satisfied) · NPS 9 · “Quick and kind”',
  );
  await conversation.root.locator('.conversation-head').screenshot({ path: 'test-results/rating-console.png' });
  await context.close();

  // Closed: nothing more to rate.
  await agent.finish(id);
  await expect(card).toBeHidden();
});

test('a ticket solved without an answer asks for no rating', async ({ page, request }) => {
  const host = new HostPage(page);
  await gotoDemoFor(host, 'e2e_rating');
  const id = await host.startConversation('Never mind, found it');
  const agent = new AgentApi(request, TOKEN);
  await agent.setStatus(id, 'solved');
  await expect.poll(async () => (await ticketOf(request, id)).status).toBe('solved');
  expect((await ticketOf(request, id)).rateable ?? false).toBe(false);
  await expect(host.frame.locator('.open-until')).toBeVisible();
  await expect(host.frame.locator('.rating')).toBeHidden();
  await agent.finish(id);
});

test.describe('in Portuguese', () => {
  test.use({ locale: 'pt-BR' });

  test('the site’s own question is asked in the visitor’s language, the rest in the widget’s', async ({
    page,
    request,
  }) => {
    const host = new HostPage(page, PANEL_STRINGS['pt-BR']);
    await gotoDemoFor(host, 'e2e_rating');
    const id = await host.startConversation('Meu pedido não chegou');
    const agent = new AgentApi(request, TOKEN);
    await agent.reply(id, 'Sai hoje do depósito.');
    await agent.setStatus(id, 'solved');
    const card = host.frame.locator('.rating');
    await expect(card.getByRole('heading', { name: 'Como foi o atendimento da Rosa?' })).toBeVisible();
    const csat = card.getByRole('group', { name: 'Como foi o atendimento da Rosa?' });
    await expect(csat.getByRole('radio', { name: '5 Muito satisfeito' })).toBeVisible();
    await expect(
      card.getByRole('group', { name: 'Qual a probabilidade de você nos recomendar a um amigo?' }),
    ).toBeVisible();
    await csat.getByRole('radio', { name: '3 Neutro' }).check();
    await card.getByRole('button', { name: 'Enviar avaliação' }).click();
    await expect(card.getByRole('status')).toHaveText('Obrigado pela sua avaliação.');
    await expect.poll(async () => (await ticketOf(request, id)).rating).toEqual({ csat: 3 });
    await host.panel.root.screenshot({ path: 'test-results/rating-pt-BR.png' });
    await agent.finish(id);
  });
});
