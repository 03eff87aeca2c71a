import { expect, type Locator, type Page } from '@playwright/test';

/** A new account, as the invite form takes it. */
export interface Invite {
  name: string;
  email: string;
  role: 'agent' | 'operator' | 'admin';
  skills: string;
  capacity: number;
  password: string;
}

/** The admin screens: team (`#/team`) and canned responses (`#/canned`). */
export class ConsoleAdmin {
  readonly page: Page;
  readonly team: Locator;
  readonly inviteForm: Locator;
  readonly canned: Locator;
  readonly cannedForm: Locator;
  readonly forbidden: Locator;

  constructor(page: Page) {
    this.page = page;
    this.team = page.locator('table.team');
    this.inviteForm = page.getByRole('form', { name: 'Invite someone' });
    this.canned = page.locator('table.canned');
    this.cannedForm = page.getByRole('form', { name: 'Add or change a response' });
    this.forbidden = page.getByText('Only admins can see this page.');
  }

  async openTeam() {
    await this.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Team' }).click();
    await expect(this.team).toBeVisible();
  }

  async openCanned() {
    await this.page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Canned responses' })
      .click();
    await expect(this.canned).toBeVisible();
  }

  /** A team member's row. */
  member(agentId: string): Locator {
    return this.team.locator(`tr[data-agent="${agentId}"]`);
  }

  /** Fills and sends the invite form; waits for its confirmation. */
  async invite(who: Invite) {
    const f = this.inviteForm;
    await f.getByLabel('Name').fill(who.name);
    await f.getByLabel('Email').fill(who.email);
    await f.getByLabel('Role').selectOption(who.role);
    await f.getByLabel('Skills (comma separated)').fill(who.skills);
    await f.getByLabel('Capacity').fill(String(who.capacity));
    await f.getByLabel('Initial password (at least 10 characters)').fill(who.password);
    await f.getByRole('button', { name: 'Invite' }).click();
    await expect(f.getByRole('status')).toContainText(who.email);
  }

  /** Edits a member's role, skills and capacity. */
  async edit(agentId: string, name: string, changes: { role?: string; skills?: string; capacity?: number }) {
    await this.member(agentId).getByRole('button', { name: `Edit ${name}` }).click();
    const f = this.page.getByRole('form', { name: `Edit ${name}` });
    if (changes.role) await f.getByLabel('Role').selectOption(changes.role);
    if (changes.skills !== undefined) await f.getByLabel('Skills (comma separated)').fill(changes.skills);
    if (changes.capacity !== undefined) await f.getByLabel('Capacity').fill(String(changes.capacity));
    await f.getByRole('button', { name: 'Save' }).click();
    await expect(f).toHaveCount(0);
  }

  /** A canned response's row. */
  response(shortcut: string): Locator {
    return this.canned.locator(`tr[data-shortcut="${shortcut}"]`);
  }

  /** Creates or replaces a canned response. */
  async saveResponse(shortcut: string, text: string) {
    await this.cannedForm.getByLabel('Shortcut').fill(shortcut);
    await this.cannedForm.getByLabel('Text').fill(text);
    await this.cannedForm.getByRole('button', { name: 'Save' }).click();
    await expect(this.response(shortcut)).toContainText(text);
  }

  async deleteResponse(shortcut: string) {
    await this.response(shortcut).getByRole('button', { name: `Delete /${shortcut}` }).click();
    await expect(this.response(shortcut)).toHaveCount(0);
  }
}
