// Journey: the launcher on the host page speaks the visitor's language, like the panel: its
// accessible name (open, close, unread count) in the browser's language, or in `data-locale`'s.
import { expect, test } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';
import { PANEL_STRINGS } from '../pages/chat-panel';
import { finishAsAdmin } from '../pages/visitor-extras';

test.describe('a pt-BR browser', () => {
  test.use({ locale: 'pt-BR' });

  test('the launcher is named in Portuguese, unread count included', async ({
    page,
    request,
    baseURL,
  }) => {
    const host = new HostPage(page, PANEL_STRINGS['pt-BR']);
    await host.goto();
    await expect(host.launcher).toHaveAccessibleName('Abrir chat');
    const id = await host.startConversation('Olá');
    await expect(host.launcher).toHaveAccessibleName('Fechar chat');
    await host.panel.closeButton.click();
    await expect(host.launcher).toHaveAccessibleName('Abrir chat');
    await new AgentApi(request).reply(id, 'Olá! Como posso ajudar?');
    await expect(host.badge).toHaveText('1');
    await expect(host.launcher).toHaveAccessibleName('Abrir chat, mensagens não lidas: 1');
    await finishAsAdmin(baseURL!, id);
  });

  test('data-locale wins over the browser', async ({ page }) => {
    const host = new HostPage(page, PANEL_STRINGS['zh-CN']);
    await host.gotoWithLocale('zh-CN');
    await expect(host.launcher).toHaveAccessibleName('打开聊天');
    await host.launcher.click();
    await expect(host.launcher).toHaveAccessibleName('关闭聊天');
  });
});
