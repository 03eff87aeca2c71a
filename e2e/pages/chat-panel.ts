import { expect, type FrameLocator, type Locator } from '@playwright/test';

/** The chat panel inside the widget's frame. */
export class ChatPanel {
  readonly frame: FrameLocator;
  readonly root: Locator;
  readonly log: Locator;
  readonly input: Locator;
  readonly sendButton: Locator;
  readonly closeButton: Locator;

  constructor(frame: FrameLocator) {
    this.frame = frame;
    this.root = frame.locator('.panel');
    this.log = frame.getByRole('log');
    this.input = frame.getByRole('textbox', { name: 'Message' });
    this.sendButton = frame.getByRole('button', { name: 'Send' });
    this.closeButton = frame.getByRole('button', { name: 'Close chat' });
  }

  /** Types `text` and presses Enter. */
  async send(text: string) {
    await this.input.fill(text);
    await this.input.press('Enter');
  }

  /** The visitor's own messages (right side). */
  mine(): Locator {
    return this.log.locator('.msg.mine .bubble');
  }

  /** Messages from the site's side (left side). */
  theirs(): Locator {
    return this.log.locator('.msg.theirs .bubble');
  }

  /** Waits until the socket is connected and in sync. */
  async expectLive() {
    await expect(this.root).toHaveAttribute('data-connection', 'live');
  }

  /** Waits until the visitor's message `text` is stored by the edge (it has a sequence number). */
  async expectStored(text: string) {
    await expect(
      this.log.locator('.msg.mine[data-delivery="sent"]').filter({ hasText: text }),
    ).toHaveCount(1);
  }

  /** The conversation id the edge gave this visitor. */
  async conversationId(): Promise<string> {
    await expect(this.root).toHaveAttribute('data-conversation', /^cv_/);
    return (await this.root.getAttribute('data-conversation')) ?? '';
  }
}
