import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

/** One conversation's record in the console (`#/records/<conversation>`). */
export class ConsoleRecordDetail {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly tickets: Locator;
  readonly visitor: Locator;
  readonly files: Locator;
  readonly history: Locator;
  readonly transcriptLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1 });
    this.tickets = page.getByRole('region', { name: 'Tickets' }).getByRole('table');
    this.visitor = page.getByRole('region', { name: 'Visitor' });
    this.files = page.getByRole('region', { name: 'Files exchanged' });
    this.history = page.getByRole('region', { name: 'History' });
    this.transcriptLink = page.getByRole('link', { name: 'Printable transcript (PDF)' });
  }

  /** A ticket's row as read: header name → cell text. */
  async ticket(number: number): Promise<Record<string, string>> {
    const headers = await this.tickets.locator('thead th').allInnerTexts();
    const cells = await this.tickets.locator(`tbody tr[data-ticket="${number}"]`).locator('th, td').allInnerTexts();
    return Object.fromEntries(headers.map((h, i) => [h.trim().toLowerCase(), cells[i].trim()]));
  }

  /** A visitor field's value. */
  field(name: string): Locator {
    return this.visitor.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
  }

  /** The history, line by line, as read: `# heading`, `who (tag): text` messages, `~ event`. */
  async lines(): Promise<string[]> {
    return this.history.locator('ol > li').evaluateAll((items) =>
      items.map((li) => {
        if (li.classList.contains('ticket-start')) return `# ${li.textContent?.trim()}`;
        if (li.classList.contains('history-event')) return `~ ${(li.textContent ?? '').split(' · ')[0].trim()}`;
        const who = li.querySelector('.sender')?.textContent?.trim();
        const tags = [...li.querySelectorAll('.badge')].map((b) => b.textContent?.trim());
        const text = li.querySelector('.pre')?.textContent?.trim() ?? '';
        return `${[who, ...tags.map((t) => `(${t})`)].join(' ')}: ${text}`;
      }),
    );
  }
}

/** The console's Reports screen (`#/reports?…`). */
export class ConsoleReports {
  readonly page: Page;
  readonly heading: Locator;
  readonly form: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly traffic: Locator;
  readonly show: Locator;
  readonly toRecords: Locator;
  readonly summary: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Reports' });
    this.form = page.getByRole('form', { name: 'Period' });
    this.from = this.form.getByLabel('From');
    this.to = this.form.getByLabel('To', { exact: true });
    this.traffic = this.form.getByLabel('Traffic');
    this.show = this.form.getByRole('button', { name: 'Show' });
    this.toRecords = page.getByRole('link', { name: 'See these conversations in Records' });
    this.summary = page.getByRole('region', { name: 'Summary' });
  }

  preset(name: 'Today' | 'Last 7 days' | 'Last 30 days'): Locator {
    return this.form.getByRole('button', { name });
  }

  /** The headline figures: label → value. */
  async figures(): Promise<Record<string, string>> {
    const terms = await this.summary.locator('dt').allInnerTexts();
    const values = await this.summary.locator('dd').allInnerTexts();
    return Object.fromEntries(terms.map((t, i) => [t.trim().toLowerCase(), values[i].trim()]));
  }

  /** A chart's section. */
  chart(title: string): Locator {
    return this.page.getByRole('region', { name: title, exact: true });
  }

  /** A chart's table, as read: one array of cell texts per body row. */
  async table(title: string): Promise<string[][]> {
    return this.chart(title)
      .getByRole('table')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
  }

  /** Downloads a chart's CSV and returns its text. */
  async csv(title: string): Promise<string> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.chart(title).getByRole('link', { name: /Download CSV/ }).click(),
    ]);
    return (await readFile(await download.path())).toString('utf8');
  }
}

/** A conversation made through the HTTP APIs on `site`: the visitor writes from the site's
 * origin; `agent` (a signed-in request context) answers and changes the status. */
export class LiveConversation {
  constructor(
    readonly id: string,
    private readonly visitor: APIRequestContext,
    private readonly token: string,
    private readonly origin: string,
  ) {}

  static async start(visitor: APIRequestContext, site: string, origin: string): Promise<LiveConversation> {
    const r = await visitor.post('/v1/visitor/session', { data: { site_id: site }, headers: { Origin: origin } });
    expect(r.status(), await r.text()).toBe(200);
    const body = await r.json();
    return new LiveConversation(body.conversation_id, visitor, body.token, origin);
  }

  async say(text: string) {
    const r = await this.visitor.post('/v1/visitor/messages', {
      headers: { Origin: this.origin, Authorization: `Bearer ${this.token}` },
      data: { client_id: `v-${Date.now()}-${Math.floor(Math.random() * 1e9)}`, body: { text } },
    });
    expect(r.status(), await r.text()).toBe(200);
  }

  /** Uploads a file and sends it in a message of its own; returns its attachment id. */
  async sendFile(name: string, contentType: string, bytes: Buffer): Promise<string> {
    const up = await this.visitor.post(`/v1/visitor/attachments?name=${encodeURIComponent(name)}`, {
      headers: { Origin: this.origin, Authorization: `Bearer ${this.token}`, 'Content-Type': contentType },
      data: bytes,
    });
    expect(up.status(), await up.text()).toBe(201);
    const ref = await up.json();
    const r = await this.visitor.post('/v1/visitor/messages', {
      headers: { Origin: this.origin, Authorization: `Bearer ${this.token}` },
      data: { client_id: `f-${Date.now()}-${Math.floor(Math.random() * 1e9)}`, body: { text: '', attachments: [ref] } },
    });
    expect(r.status(), await r.text()).toBe(200);
    return ref.id;
  }

  async reply(agent: APIRequestContext, text: string) {
    const r = await agent.post(`/v1/agent/conversations/${this.id}/messages`, {
      data: { client_id: `a-${Date.now()}-${Math.floor(Math.random() * 1e9)}`, body: { text } },
    });
    expect(r.status(), await r.text()).toBe(200);
  }

  async setStatus(agent: APIRequestContext, to: string) {
    const r = await agent.post(`/v1/agent/conversations/${this.id}/status`, { data: { to } });
    expect(r.status(), await r.text()).toBe(200);
  }

  async transferTo(agent: APIRequestContext, agentId: string) {
    const r = await agent.post(`/v1/agent/conversations/${this.id}/transfer`, {
      data: { to: 'agent', agent_id: agentId },
    });
    expect(r.status(), await r.text()).toBe(200);
  }
}
