// Journey: agents answer; the visitor sees each one by their display name with their initials,
// never by the account's internal id, in the panel and in the downloaded transcript.
import fs from 'node:fs/promises';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { ADMIN } from '../pages/console';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

test('replies show the agent’s name and initials, not their id', async ({ page, request, baseURL }) => {
  const host = new HostPage(page);
  await host.goto();
  const id = await host.startConversation('Who am I talking to?');

  // Alice answers with the agent API (her token), Ada Admin from a console session.
  await new AgentApi(request).reply(id, 'Hi, Alice here.');
  const admin = await playwrightRequest.newContext({ baseURL });
  const login = await admin.post('/v1/console/login', {
    data: { site_id: 'demo', email: ADMIN.email, password: ADMIN.password },
  });
  expect(login.status(), await login.text()).toBe(200);
  const sent = await admin.post(`/v1/agent/conversations/${id}/messages`, {
    data: { client_id: `names-${Date.now()}`, body: { text: 'And Ada here, too.' } },
  });
  expect(sent.status(), await sent.text()).toBe(200);
  await admin.dispose();

  const replies = host.panel.log.locator('.msg.theirs');
  await expect(replies).toHaveCount(2);
  await expect(replies.locator('.author-name')).toHaveText(['Alice', 'Ada Admin']);
  await expect(replies.locator('.author .avatar')).toHaveText(['A', 'AA']);
  // The internal ids are nowhere in what the visitor reads.
  const visible = await host.panel.log.innerText();
  expect(visible).not.toMatch(/\balice\b|\badmin\b/);
  // The name sits above its bubble, the initials left of the name.
  const name = await replies.first().locator('.author-name').boundingBox();
  const face = await replies.first().locator('.author .avatar').boundingBox();
  const bubble = await replies.first().locator('.bubble').boundingBox();
  expect(face && name && face.x < name.x).toBe(true);
  expect(name && bubble && name.y < bubble.y).toBe(true);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    host.panel.transcriptButton.click(),
  ]);
  const html = await fs.readFile(await download.path(), 'utf8');
  expect(html).toContain('<b>Alice</b>');
  expect(html).toContain('<b>Ada Admin</b>');
  expect(html).not.toContain('Agent alice');
  expect(html).not.toContain('Agent admin');

  await finishAsAdmin(baseURL ?? '', id);
});
