// Journey: axe-core finds nothing on any screen of the widget: the host page with the launcher
// closed, the empty panel (welcome card, away notice, composer), the pre-chat form, and a
// conversation holding every kind of row (the visitor's messages, files, an agent's reply with
// quick replies, status events, a ticket's end and the next ticket's divider). The chat frame is
// analysed with the page.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { AgentApi, DEMO_AGENT_TOKEN } from '../pages/agent-api';
import { pdf, png } from '../pages/files';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin, gotoDemoFor } from '../pages/visitor-extras';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test('the launcher, the empty panel and a conversation pass axe', async ({ page, request, baseURL }) => {
  test.setTimeout(90_000);
  const host = new HostPage(page);
  await host.goto();
  await page.screenshot({ path: path.join(SHOTS, 'a11y-host-page-launcher-closed.png') });
  await expectNoAxeViolations(page, 'host page, launcher closed');

  await host.open();
  await expect(host.panel.root).toContainText(host.panel.strings.welcome);
  await page.screenshot({ path: path.join(SHOTS, 'a11y-empty-panel.png') });
  await expectNoAxeViolations(page, 'empty panel');

  await host.panel.send('Hello, a question about my order');
  await host.panel.expectStored('Hello, a question about my order');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();
  await host.panel.fileInput.setInputFiles([
    { name: 'receipt.png', mimeType: 'image/png', buffer: png(2, 2) },
    { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: pdf() },
  ]);
  await expect(host.panel.log.locator('.msg.mine[data-delivery="sent"] .attachments img')).toHaveCount(1);
  await expect(host.panel.log.locator('.msg.mine[data-delivery="sent"] .attachment-file')).toHaveCount(1);
  // An agent answers (which accepts the ticket: a status event), offers quick replies, and sets
  // the ticket pending (another event).
  const agent = new AgentApi(request);
  await agent.reply(id, 'Happy to help!');
  const offered = await request.post(`/v1/agent/conversations/${id}/messages`, {
    headers: { Authorization: `Bearer ${DEMO_AGENT_TOKEN}` },
    data: {
      client_id: `e2e-axe-${Date.now()}`,
      body: { text: 'Which is it about?', choices: [{ id: 'billing', label: 'Billing' }, { id: 'tech', label: 'Technical' }] },
    },
  });
  expect(offered.status(), await offered.text()).toBe(200);
  await agent.setStatus(id, 'pending');
  await expect(host.panel.theirs()).toHaveText(['Happy to help!', 'Which is it about?']);
  await expect(host.panel.log.locator('.status[data-status="pending"]')).toHaveCount(1);
  await page.screenshot({ path: path.join(SHOTS, 'a11y-conversation-with-messages-files-quick-r.png') });
  await expectNoAxeViolations(page, 'conversation with messages, files, quick replies and status events');

  // The ticket ends: "start a new conversation"; then ticket 2's divider.
  await agent.finish(id);
  await expect(host.panel.newConversationButton).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'a11y-conversation-ended.png') });
  await expectNoAxeViolations(page, 'conversation ended');
  await host.panel.newConversationButton.click();
  await host.panel.send('One more thing');
  await expect(host.panel.log.locator('.divider[data-ticket="2"]')).toHaveCount(1);
  await page.screenshot({ path: path.join(SHOTS, 'a11y-second-ticket.png') });
  await expectNoAxeViolations(page, 'second ticket');
  await finishAsAdmin(baseURL ?? '', id);
});

test('the pre-chat form passes axe', async ({ page }) => {
  const host = new HostPage(page);
  await gotoDemoFor(host, 'demo_consent');
  await host.launcher.click();
  await expect(host.frame.locator('form.prechat')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'a11y-pre-chat-form.png') });
  await expectNoAxeViolations(page, 'pre-chat form');
});
