// Journey: typing indicators both ways. The agent's "typing" shows in the panel and goes away
// when they stop or their message arrives; the visitor's typing reaches the agent's socket.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { AgentApi, AgentSocket, DEMO_AGENT_TOKEN } from '../pages/agent-api';

test('typing indicators travel both ways', async ({ page, browser, request }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.send('Anyone typing?');
  await host.panel.expectStored('Anyone typing?');
  await host.panel.expectLive();
  const conversationId = await host.panel.conversationId();

  const agentContext = await browser.newContext();
  try {
    const agent = await AgentSocket.open(await agentContext.newPage(), conversationId);
    const typing = host.panel.typingLine();

    await expect(typing).toHaveText('');
    await agent.typing(true);
    await expect(typing).toHaveText('Typing…');
    await agent.typing(false);
    await expect(typing).toHaveText('');

    // A reply ends the indicator even without a "stopped" from the agent.
    await agent.typing(true);
    await expect(typing).toHaveText('Typing…');
    await new AgentApi(request).reply(conversationId, 'Here I am');
    await expect(host.panel.theirs()).toHaveText(['Here I am']);
    await expect(typing).toHaveText('');

    // The visitor's keystrokes reach the agent.
    await host.panel.input.pressSequentially('abc');
    await expect.poll(() => agent.typingSeen()).toContainEqual(['visitor', true]);
  } finally {
    await agentContext.close();
    // Leave no live ticket for the console journeys, which run next on the same site.
    await host.page.request.post(`/v1/agent/conversations/${conversationId}/finish`, {
      headers: { Authorization: `Bearer ${DEMO_AGENT_TOKEN}` },
    });
  }
});
