import { expect, type Locator, type Page } from '@playwright/test';
import type { TicketStatus } from './console-inbox';

/** The console's conversation view: ticket actions, history, composer, visitor panel. */
export class ConsoleConversation {
  readonly page: Page;
  readonly root: Locator;
  readonly title: Locator;
  readonly badge: Locator;
  readonly ticketLine: Locator;
  readonly toolbar: Locator;
  readonly acceptButton: Locator;
  readonly transferButton: Locator;
  /** The options menu's button: shown when the agent may finish the conversation. */
  readonly optionsButton: Locator;
  readonly finishButton: Locator;
  readonly finishDialog: Locator;
  readonly error: Locator;
  readonly log: Locator;
  readonly typing: Locator;
  readonly composer: Locator;
  readonly replyMode: Locator;
  readonly noteMode: Locator;
  readonly replyInput: Locator;
  readonly noteInput: Locator;
  readonly suggestions: Locator;
  readonly visitor: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.locator('section.conversation');
    this.title = this.root.getByRole('heading', { level: 2 });
    this.badge = this.root.locator('[data-ticket-status]');
    this.ticketLine = this.root.locator('.ticket-line');
    this.toolbar = page.getByRole('toolbar', { name: 'Ticket actions' });
    this.acceptButton = this.toolbar.getByRole('button', { name: 'Accept' });
    this.transferButton = this.toolbar.getByRole('button', { name: 'Transfer…' });
    this.optionsButton = this.toolbar.getByRole('button', { name: 'Options' });
    this.finishButton = this.page.getByRole('menuitem', { name: 'Finish conversation' });
    this.finishDialog = this.page.getByRole('dialog', { name: 'Finish this conversation?' });
    this.error = this.root.locator('.conversation-head').getByRole('alert');
    this.log = page.getByRole('log', { name: 'History' });
    this.typing = this.root.locator('.typing');
    this.composer = this.root.locator('form.composer');
    this.replyMode = this.composer.getByRole('button', { name: 'Reply', exact: true });
    this.noteMode = this.composer.getByRole('button', { name: 'Internal note', exact: true });
    this.replyInput = page.getByRole('textbox', { name: 'Reply to the visitor' });
    this.noteInput = page.getByRole('textbox', { name: 'Internal note' });
    this.suggestions = page.getByRole('list', { name: 'Canned responses' });
    this.visitor = page.getByRole('region', { name: 'Visitor' });
  }

  /** Opens a conversation by its URL fragment and waits until its socket is in sync. */
  async open(conversationId: string) {
    await this.page.evaluate((id) => {
      window.location.hash = `#/c/${id}`;
    }, conversationId);
    await this.expectOpen(conversationId);
  }

  /** Waits until `conversationId` is shown and live. */
  async expectOpen(conversationId: string) {
    await expect(this.root).toHaveAttribute('data-conversation', conversationId);
    await expect(this.root).toHaveAttribute('data-link', 'live');
  }

  /** Waits until the live ticket has this status (`null`: no live ticket). */
  async expectStatus(status: TicketStatus | null) {
    if (status === null) {
      await expect(this.ticketLine).toHaveAttribute('data-live', 'false');
    } else {
      await expect(this.badge).toHaveAttribute('data-ticket-status', status);
    }
  }

  /** The button that sets `status` (present only when the change is valid). */
  statusButton(status: TicketStatus): Locator {
    return this.toolbar.locator(`[data-set-status="${status}"]`);
  }

  async setStatus(status: TicketStatus) {
    await this.statusButton(status).click();
    await this.expectStatus(status);
  }

  async accept() {
    await this.acceptButton.click();
    await this.expectStatus('open');
  }

  /** Finishes the conversation from its options menu, confirming. */
  async finish() {
    await this.optionsButton.click();
    await this.finishButton.click();
    await this.finishDialog.getByRole('button', { name: 'Finish conversation' }).click();
    await this.expectStatus(null);
  }

  /** Transfers to a team member, chosen by agent id. */
  async transferToAgent(agentId: string) {
    await this.transferButton.click();
    const form = this.page.getByRole('form', { name: 'Transfer the ticket' });
    await form.getByLabel('A team member').check();
    await form.getByLabel('Team member', { exact: true }).selectOption(agentId);
    await form.getByRole('button', { name: 'Transfer', exact: true }).click();
    await expect(form).toHaveCount(0);
  }

  /** Transfers to a department (a skill). */
  async transferToDepartment(skill: string) {
    await this.transferButton.click();
    const form = this.page.getByRole('form', { name: 'Transfer the ticket' });
    await form.getByLabel('A department').check();
    await form.getByLabel('Department (skill)').fill(skill);
    await form.getByRole('button', { name: 'Transfer', exact: true }).click();
    await expect(form).toHaveCount(0);
  }

  /** Writes a reply and sends it with Enter; waits until the edge stored it. */
  async reply(text: string) {
    await this.replyMode.click();
    await this.replyInput.fill(text);
    await this.replyInput.press('Enter');
    await this.expectStored('reply', text);
  }

  /** Writes an internal note and adds it with Enter; waits until the edge stored it. */
  async note(text: string) {
    await this.noteMode.click();
    await this.noteInput.fill(text);
    await this.noteInput.press('Enter');
    await this.expectStored('note', text);
  }

  /** Messages of a kind in the history (`reply` covers the visitor's messages too). */
  messages(kind: 'reply' | 'note'): Locator {
    return this.log.locator(`li.msg[data-kind="${kind}"]`);
  }

  /** The visitor's messages. */
  visitorMessages(): Locator {
    return this.log.locator('li.msg.from-visitor .bubble');
  }

  async expectStored(kind: 'reply' | 'note', text: string) {
    await expect(
      this.log.locator(`li.msg[data-kind="${kind}"][data-delivery="sent"]`).filter({ hasText: text }),
    ).toHaveCount(1);
  }

  /** Status events in the history, by the status they changed to. */
  statusEvents(to: TicketStatus | 'closed'): Locator {
    return this.log.locator(`li.event[data-status="${to}"]`);
  }

  /** Transfer events in the history. */
  transfers(): Locator {
    return this.log.locator('li.event[data-kind="transfer"]');
  }

  /** The boundary line where ticket `n` starts. */
  ticketStart(n: number): Locator {
    return this.log.locator(`li.divider[data-ticket="${n}"]`);
  }
}
