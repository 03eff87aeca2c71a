import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { ChatPanel } from './chat-panel';

/** A customer page that embeds the widget with the real script tag (the edge's `/demo`). */
export class HostPage {
  readonly page: Page;
  /** The element the loader adds to the page; its shadow root holds launcher and panel. */
  readonly widget: Locator;
  readonly launcher: Locator;
  readonly badge: Locator;
  readonly frame: FrameLocator;
  readonly panel: ChatPanel;

  constructor(page: Page) {
    this.page = page;
    // Playwright's CSS locators pierce open shadow roots.
    this.widget = page.locator('[data-porchlight]');
    this.launcher = this.widget.locator('button.l');
    this.badge = this.widget.locator('.b');
    this.frame = this.widget.locator('iframe').contentFrame();
    this.panel = new ChatPanel(this.frame);
  }

  async goto(path = '/demo') {
    await this.page.goto(path);
    await expect(this.launcher).toBeVisible();
  }

  /** Opens the chat with the launcher and waits until the composer can be used. */
  async open() {
    await this.launcher.click();
    await expect(this.launcher).toHaveAttribute('aria-expanded', 'true');
    await expect(this.panel.input).toBeEditable();
  }

  /** How many chat frames the page has (0 until the first open or an idle load). */
  async frameCount(): Promise<number> {
    return this.widget.locator('iframe').count();
  }
}
