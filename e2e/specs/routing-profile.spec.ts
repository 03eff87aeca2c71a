// Journey: the widget reports the visitor's locale and page before the first message is routed,
// so a `pt-BR` visitor's ticket needs the `pt` skill (the demo site routes by language).
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { PANEL_STRINGS } from '../pages/chat-panel';
import { ADMIN } from '../pages/console';
import { signedIn } from '../pages/console-fixtures';

test('a pt-BR visitor’s ticket needs the pt skill', async ({ page, baseURL }) => {
  const host = new HostPage(page, PANEL_STRINGS['pt-BR']);
  await host.gotoWithLocale('pt-BR');
  await host.open();
  await host.panel.send('Olá, preciso de ajuda com meu pedido');
  await host.panel.expectStored('Olá, preciso de ajuda com meu pedido');
  const conversationId = await host.panel.conversationId();

  const admin = await signedIn(baseURL ?? '', ADMIN);
  try {
    type Ticket = { conversation_id: string; skills: string[] };
    const ticket = async (): Promise<Ticket | undefined> => {
      const inbox = await (await admin.get('/v1/console/inbox')).json();
      return (inbox.tickets as Ticket[]).find((t) => t.conversation_id === conversationId);
    };
    await expect.poll(async () => (await ticket())?.skills).toEqual(['pt']);
    // The agent's visitor panel shows what the widget reported: the locale and the host page.
    const panel = await (await admin.get(`/v1/agent/conversations/${conversationId}/visitor`)).json();
    expect(panel.profile.locale).toBe('pt-BR');
    expect(panel.profile.page_url).toBe(`${baseURL}/demo`);
  } finally {
    // The console journeys run next on the same site: leave no live ticket to be offered there.
    const resp = await admin.post(`/v1/agent/conversations/${conversationId}/finish`);
    expect([200, 409], await resp.text()).toContain(resp.status());
    await admin.dispose();
  }
});
