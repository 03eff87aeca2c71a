// Journey: the visitor's message goes from delivered to read when an agent's receipt arrives,
// and the widget sends its own receipt for the agent's reply it shows.
import { expect, test } from '@playwright/test';
import { AgentApi, AgentSocket } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

test('delivered, then read by the agent; the visitor reads the reply', async ({ page, browser, request, baseURL }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.send('Did you get this?');
  await host.panel.expectStored('Did you get this?');
  await host.panel.expectLive();
  const mine = host.panel.log.locator('.msg.mine').filter({ hasText: 'Did you get this?' });
  const receipt = mine.locator('.receipt');
  await expect(receipt).toHaveAttribute('data-receipt', 'delivered');
  await expect(receipt).toHaveText('Delivered');
  const seq = Number(await mine.getAttribute('data-seq'));
  const id = await host.panel.conversationId();

  const agentContext = await browser.newContext({ baseURL });
  const agentPage = await agentContext.newPage();
  const agent = await AgentSocket.open(agentPage, id);
  await agentPage.evaluate((seq) => {
    (window as unknown as { agentWs: WebSocket }).agentWs.send(JSON.stringify({ id: 'rd1', type: 'read', seq }));
  }, seq);
  await expect(receipt).toHaveAttribute('data-receipt', 'read');
  await expect(receipt).toHaveText('Read');
  void agent;

  // The agent replies; the open panel shows it and tells the agents it was read.
  await new AgentApi(request).reply(id, 'Yes, reading it now.');
  await expect(host.panel.theirs()).toHaveText(['Yes, reading it now.']);
  await expect
    .poll(() =>
      agentPage.evaluate(() =>
        (window as unknown as { agentFrames: Array<{ type: string; by?: { kind: string }; seq?: number }> }).agentFrames
          .filter((f) => f.type === 'read' && f.by?.kind === 'visitor')
          .map((f) => f.seq ?? 0),
      ),
    )
    .toContainEqual(expect.any(Number));
  await agentContext.close();
  await finishAsAdmin(baseURL ?? '', id);
});
