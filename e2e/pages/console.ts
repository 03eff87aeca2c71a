import { expect, type Browser, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import { ConsoleAdmin } from './console-admin';
import { ConsoleConversation } from './console-conversation';
import { ConsoleInbox } from './console-inbox';

/** A console account of the demo site (edge/seed/demo.sql; development credentials only). */
export interface Account {
  id: string;
  name: string;
  email: string;
  password: string;
}

/** The seeded demo accounts. */
export const DEMO_SITE = 'demo';
export const ADMIN: Account = { id: 'admin', name: 'Ada Admin', email: 'admin@demo.test', password: 'porchlight-admin' };
/** Agent, skills `en`, capacity 2. */
export const ALICE: Account = { id: 'alice', name: 'Alice', email: 'alice@demo.test', password: 'porchlight-alice' };
/** Agent, skills `pt` and `billing`, capacity 1. */
export const BRUNO: Account = { id: 'bruno', name: 'Bruno', email: 'bruno@demo.test', password: 'porchlight-bruno' };

export type Presence = 'online' | 'away' | 'offline';

/** The agent console at `/console`: sign-in, top bar, and its screens as page objects. */
export class ConsolePage {
  readonly page: Page;
  readonly shell: Locator;
  readonly signInForm: Locator;
  readonly site: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly signInButton: Locator;
  readonly signInError: Locator;
  readonly alert: Locator;
  readonly nav: Locator;
  readonly availability: Locator;
  readonly signOutButton: Locator;
  readonly inbox: ConsoleInbox;
  readonly conversation: ConsoleConversation;
  readonly admin: ConsoleAdmin;
  /** What went wrong in the page (console errors, failed requests), for a failure's message. */
  private readonly trouble: string[] = [];

  constructor(page: Page) {
    this.page = page;
    page.on('console', (m) => {
      if (m.type() === 'error') this.trouble.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.trouble.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => this.trouble.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    this.shell = page.locator('.shell');
    this.signInForm = page.getByRole('form', { name: 'Porchlight console' });
    this.site = page.getByLabel('Site');
    this.email = page.getByLabel('Email');
    this.password = page.getByLabel('Password');
    this.signInButton = page.getByRole('button', { name: 'Sign in' });
    this.signInError = this.signInForm.getByRole('alert');
    this.alert = this.shell.locator('.alert');
    this.nav = page.getByRole('navigation', { name: 'Console' });
    this.availability = page.getByRole('group', { name: 'Availability' });
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
    this.inbox = new ConsoleInbox(page);
    this.conversation = new ConsoleConversation(page);
    this.admin = new ConsoleAdmin(page);
  }

  /**
   * A console in a browser context of its own (its own cookie: one agent per context);
   * `options` sets the context's language and time zone (`locale`, `timezoneId`).
   */
  static async open(
    browser: Browser,
    account?: Account,
    options: BrowserContextOptions = {},
  ): Promise<ConsolePage> {
    const context = await browser.newContext(options);
    const agent = new ConsolePage(await context.newPage());
    await agent.goto();
    if (account) {
      await agent.signIn(account);
    }
    return agent;
  }

  /** Opens `/console?site=…` and waits for the sign-in form or the console. */
  async goto(site = DEMO_SITE, hash = '') {
    await this.page.goto(`/console?site=${encodeURIComponent(site)}${hash}`);
    try {
      await expect(this.signInButton.or(this.signOutButton)).toBeVisible();
    } catch (e) {
      // Say what the page went through: a blank console has no other trace in CI's output.
      throw new Error(`the console did not start; the page saw:\n${this.trouble.join('\n') || '(nothing)'}\n${e}`);
    }
  }

  /** Fills the form and signs in; waits until the console socket is live (inbox snapshot). */
  async signIn(account: Account, site = DEMO_SITE) {
    await this.fillSignIn(account.email, account.password, site);
    await this.signInButton.click();
    await this.expectLive();
  }

  /** Fills the sign-in form without submitting. */
  async fillSignIn(email: string, password: string, site = DEMO_SITE) {
    await this.site.fill(site);
    await this.email.fill(email);
    await this.password.fill(password);
  }

  /** Waits until the console socket is in sync. */
  async expectLive() {
    await expect(this.shell).toHaveAttribute('data-link', 'live');
  }

  async signOut() {
    await this.signOutButton.click();
    await expect(this.signInButton).toBeVisible();
  }

  /** Sets availability with the top bar's switch and waits for the edge to confirm it. */
  async setPresence(presence: 'online' | 'away') {
    await this.availability.getByRole('button', { name: presence === 'online' ? 'Online' : 'Away' }).click();
    await this.expectPresence(presence);
  }

  async expectPresence(presence: Presence) {
    await expect(this.availability.locator('.dot')).toHaveAttribute('data-presence', presence);
  }

  /** The "Team" and "Canned responses" links (admins only). */
  adminLinks(): Locator {
    return this.nav.getByRole('link', { name: /^(Team|Canned responses)$/ });
  }

  /** Goes to a screen by its URL fragment (`#/team`, `#/c/<id>`, …). */
  async gotoHash(hash: string) {
    await this.page.evaluate((h) => {
      window.location.hash = h;
    }, hash);
  }

  async close() {
    await this.page.context().close();
  }
}
