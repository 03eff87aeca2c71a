import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { ChatPanel, PANEL_STRINGS, type PanelStrings } from './chat-panel';

/** A customer page that embeds the widget with the real script tag (the edge's `/demo`). */
export class HostPage {
  readonly page: Page;
  /** The element the loader adds to the page; its shadow root holds launcher and panel. */
  readonly widget: Locator;
  readonly launcher: Locator;
  readonly badge: Locator;
  readonly frame: FrameLocator;
  readonly panel: ChatPanel;

  /** `strings`: the language the panel is expected in (English unless a journey sets a locale). */
  constructor(page: Page, strings: PanelStrings = PANEL_STRINGS.en) {
    this.page = page;
    // Playwright's CSS locators pierce open shadow roots.
    this.widget = page.locator('[data-porchlight]');
    this.launcher = this.widget.locator('button.l');
    this.badge = this.widget.locator('.b');
    this.frame = this.widget.locator('iframe').contentFrame();
    this.panel = new ChatPanel(this.frame, strings);
  }

  async goto(path = '/demo') {
    await this.page.goto(path);
    await expect(this.launcher).toBeVisible();
  }

  /**
   * Opens the demo page with `data-locale` on its script tag. The edge serves one demo page: this
   * is that page, headers (its strict CSP) and all, with the attribute added on the way in.
   */
  async gotoWithLocale(locale: string) {
    await this.page.route('**/demo', async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      const tag = 'widget.js?site=demo"';
      expect(html).toContain(tag);
      await route.fulfill({ response, body: html.replace(tag, `${tag} data-locale="${locale}"`) });
    });
    await this.goto('/demo');
  }

  /** Opens the chat with the launcher and waits until the composer can be used. */
  async open() {
    await this.launcher.click();
    await expect(this.launcher).toHaveAttribute('aria-expanded', 'true');
    await expect(this.panel.input).toBeEditable();
  }

  /**
   * Opens the chat, writes `text` and waits until the edge stored it and the socket is live;
   * returns the conversation's id.
   */
  async startConversation(text: string): Promise<string> {
    await this.open();
    await this.panel.send(text);
    await this.panel.expectStored(text);
    await this.panel.expectLive();
    return this.panel.conversationId();
  }

  /** How many chat frames the page has (0 until the first open or an idle load). */
  async frameCount(): Promise<number> {
    return this.widget.locator('iframe').count();
  }
}
