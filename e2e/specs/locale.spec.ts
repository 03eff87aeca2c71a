// Journey: the panel speaks the site's language (`data-locale` on the script tag), else the
// browser's; the frame document carries `lang` and `dir` for screen readers and layout.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { PANEL_STRINGS } from '../pages/chat-panel';

for (const locale of ['pt-BR', 'zh-CN'] as const) {
  test(`data-locale="${locale}" shows the panel in that language`, async ({ page }) => {
    const strings = PANEL_STRINGS[locale];
    const host = new HostPage(page, strings);
    await host.gotoWithLocale(locale);
    await host.open();
    await expect(host.panel.documentRoot()).toHaveAttribute('lang', locale);
    await expect(host.panel.documentRoot()).toHaveAttribute('dir', 'ltr');
    await expect(host.panel.title).toHaveText(strings.title);
    await expect(host.panel.log).toContainText(strings.welcome);
    await expect(host.panel.input).toHaveAttribute('placeholder', strings.placeholder);
    await expect(host.panel.sendButton).toBeVisible();
    await expect(host.panel.closeButton).toBeVisible();
    // No English left in the panel's own text.
    await expect(host.panel.root).not.toContainText(PANEL_STRINGS.en.title);
  });
}

test.describe('without data-locale', () => {
  test.use({ locale: 'es-ES' });

  test("the browser's language is used", async ({ page }) => {
    const host = new HostPage(page, PANEL_STRINGS.es);
    await host.goto();
    await host.open();
    await expect(host.panel.documentRoot()).toHaveAttribute('lang', 'es');
    await expect(host.panel.title).toHaveText(PANEL_STRINGS.es.title);
  });
});

test('an English browser on a page without data-locale gets English', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await expect(host.panel.documentRoot()).toHaveAttribute('lang', 'en');
  await expect(host.panel.title).toHaveText(PANEL_STRINGS.en.title);
});
