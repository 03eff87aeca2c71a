// Journey: the connection drops; the visitor sees "reconnecting", what they write meanwhile is
// queued, and on reconnect the thread resumes from its last sequence number (named in the socket's
// URL, `?after_seq=`): the agent's reply sent during the drop arrives once, the queued message is
// stored once.
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

test('network drop and resume: nothing lost, nothing duplicated', async ({ page, context, request }) => {
  const agent = new AgentApi(request);
  // Every socket of the frame goes through this route, so the test can cut the line.
  let offline = false;
  const open: WebSocketRoute[] = [];
  const urls: string[] = [];
  await context.routeWebSocket(/\/v1\/visitor\/ws(\?|$)/, (ws) => {
    urls.push(ws.url());
    if (offline) {
      ws.close({ code: 4000, reason: 'test: offline' });
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });

  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.send('before the drop');
  await host.panel.expectStored('before the drop');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();

  offline = true;
  for (const ws of open.splice(0)) await ws.close({ code: 4000, reason: 'test: drop' });
  await expect(host.panel.root).toHaveAttribute('data-connection', 'reconnecting');
  await expect(host.panel.frame.getByRole('status')).toHaveText('Reconnecting…');

  await agent.reply(id, 'sent while you were away');
  await host.panel.send('written while offline');
  await expect(
    host.panel.log.locator('.msg.mine[data-delivery="sending"]').filter({ hasText: 'written while offline' }),
  ).toHaveCount(1);

  offline = false;
  await host.panel.expectLive();
  await expect(host.panel.theirs()).toHaveText(['sent while you were away']);
  await host.panel.expectStored('written while offline');
  await expect(host.panel.mine()).toHaveText(['before the drop', 'written while offline']);
  await expect(host.panel.frame.getByRole('status')).toHaveCount(0);
  // The first socket had nothing to resume from; the one that came back named what it had.
  expect(new URL(urls[0]).searchParams.get('after_seq')).toBe('0');
  expect(Number(new URL(urls[urls.length - 1]).searchParams.get('after_seq'))).toBeGreaterThan(0);

  // The edge stored each message once.
  const resp = await request.get(`/v1/agent/conversations/${id}/history`, {
    headers: { Authorization: 'Bearer pl_dev_demo_alice' },
  });
  const texts = (await resp.json()).items
    .filter((i: any) => i.kind === 'message')
    .map((i: any) => i.body.text)
    .reverse();
  expect(texts).toEqual(['before the drop', 'sent while you were away', 'written while offline']);
});
