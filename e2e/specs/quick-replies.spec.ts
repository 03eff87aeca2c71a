// Journey: an agent offers quick replies; the visitor picks one, which is stored as their message
// (the choice's label, answering the offer) and disables the offer's buttons.
import { expect, test } from '@playwright/test';
import { DEMO_AGENT_TOKEN } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

test('the visitor answers an agent with a quick reply', async ({ page, request, baseURL }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.send('I have a question');
  await host.panel.expectStored('I have a question');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();
  const headers = { Authorization: `Bearer ${DEMO_AGENT_TOKEN}` };

  const offered = await request.post(`/v1/agent/conversations/${id}/messages`, {
    headers,
    data: {
      client_id: `e2e-qr-${Date.now()}`,
      body: {
        text: 'Which is it about?',
        choices: [
          { id: 'billing', label: 'Billing' },
          { id: 'tech', label: 'Technical <b>help</b>' },
        ],
      },
    },
  });
  expect(offered.status(), await offered.text()).toBe(200);
  const offerSeq = (await offered.json()).message.seq as number;

  const buttons = host.panel.choices('Which is it about?');
  // Labels are text, never markup.
  await expect(buttons).toHaveText(['Billing', 'Technical <b>help</b>']);
  await expect(buttons.first()).toBeEnabled();
  await buttons.filter({ hasText: 'Technical' }).click();

  await host.panel.expectStored('Technical <b>help</b>');
  await expect(host.panel.mine()).toHaveText(['I have a question', 'Technical <b>help</b>']);
  await expect(buttons).toHaveCount(2);
  for (const b of await buttons.all()) await expect(b).toBeDisabled();

  // The stored history has the visitor's answer, with the label as its text.
  const history = await request.get(`/v1/agent/conversations/${id}/history`, { headers });
  expect(history.status()).toBe(200);
  const items = (await history.json()).items as Array<{
    kind: string;
    author?: { kind: string };
    body?: { text: string; reply_to?: { seq: number; choice_id: string } };
  }>;
  const answer = items.find((i) => i.kind === 'message' && i.author?.kind === 'visitor' && i.body?.reply_to);
  expect(answer?.body).toEqual({ text: 'Technical <b>help</b>', reply_to: { seq: offerSeq, choice_id: 'tech' } });

  // After a reload the offer still shows as answered.
  await page.reload();
  await host.open();
  await expect(host.panel.choices('Which is it about?')).toHaveCount(2);
  for (const b of await host.panel.choices('Which is it about?').all()) await expect(b).toBeDisabled();

  await finishAsAdmin(baseURL ?? '', id);
});
