import { expect, type Locator, type Page } from '@playwright/test';

export type InboxView = 'mine' | 'unassigned' | 'all';
export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved';

/** The console's inbox panel: offers, view and status tabs with counts, the ticket list. */
export class ConsoleInbox {
  readonly root: Locator;
  readonly offers: Locator;
  readonly tickets: Locator;

  constructor(page: Page) {
    this.root = page.locator('section.inbox');
    this.offers = page.getByRole('region', { name: 'Offered to you' });
    this.tickets = this.root.getByRole('list', { name: 'Tickets' });
  }

  /** The offer card of a conversation (shown while it is offered to me and nobody took it). */
  offer(conversationId: string): Locator {
    return this.root.locator(`.offer[data-conversation="${conversationId}"]`);
  }

  /** Accepts the offer of a conversation; the console opens it. */
  async accept(conversationId: string) {
    await this.offer(conversationId).getByRole('button', { name: 'Accept' }).click();
    await expect(this.offer(conversationId)).toHaveCount(0);
  }

  viewTab(view: InboxView): Locator {
    return this.root.locator(`button[data-view="${view}"]`);
  }

  statusTab(status: TicketStatus | 'any'): Locator {
    return this.root.locator(`button[data-status="${status}"]`);
  }

  async chooseView(view: InboxView) {
    await this.viewTab(view).click();
    await expect(this.viewTab(view)).toHaveAttribute('aria-pressed', 'true');
  }

  async chooseStatus(status: TicketStatus | 'any') {
    await this.statusTab(status).click();
    await expect(this.statusTab(status)).toHaveAttribute('aria-pressed', 'true');
  }

  /** Waits until a tab shows `count`. */
  async expectCount(tab: Locator, count: number) {
    await expect(tab.locator('.count')).toHaveText(String(count));
  }

  /** A conversation's row in the list under the chosen tabs. */
  ticket(conversationId: string): Locator {
    return this.root.locator(`a.ticket[data-conversation="${conversationId}"]`);
  }

  /** Opens a conversation from the list. */
  async open(conversationId: string) {
    await this.ticket(conversationId).click();
  }
}
