import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

/** The console's Records screen (operators and admins): search form, results, export. */
export class ConsoleRecords {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly form: Locator;
  readonly search: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly traffic: Locator;
  readonly status: Locator;
  readonly channel: Locator;
  readonly agent: Locator;
  readonly csat: Locator;
  readonly nps: Locator;
  readonly files: Locator;
  readonly flow: Locator;
  readonly submit: Locator;
  readonly clear: Locator;
  readonly found: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly loadMore: Locator;
  readonly exportLink: Locator;
  readonly bom: Locator;
  readonly mask: Locator;
  readonly notAllowed: Locator;
  readonly formError: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1, name: 'Records' });
    this.form = page.getByRole('search', { name: 'Search the records' });
    this.search = this.form.getByLabel('Search', { exact: true });
    this.from = this.form.getByLabel('From');
    this.to = this.form.getByLabel('To', { exact: true });
    this.traffic = this.form.getByLabel('Traffic');
    this.status = this.form.getByLabel('Status');
    this.channel = this.form.getByLabel('Channel');
    this.agent = this.form.getByLabel('Agent');
    this.csat = this.form.getByLabel('CSAT');
    this.nps = this.form.getByLabel('NPS');
    this.files = this.form.getByLabel('Files');
    this.flow = this.form.getByLabel('Flow');
    this.submit = this.form.getByRole('button', { name: 'Search' });
    this.clear = this.form.getByRole('link', { name: 'Clear filters' });
    this.found = page.locator('.found');
    this.table = page.getByRole('table', { name: 'Conversations, newest first' });
    this.rows = this.table.locator('tbody tr');
    this.loadMore = page.getByRole('button', { name: 'Load more' });
    this.exportLink = page.getByRole('link', { name: 'Export CSV' });
    this.bom = page.getByLabel('BOM for spreadsheets');
    this.mask = page.getByLabel('Mask emails and phones');
    this.notAllowed = this.main.getByRole('alert');
    this.formError = this.form.getByRole('alert');
  }

  /** Waits until a search has answered (its count is shown). */
  async expectAnswered() {
    await expect(this.found).toBeVisible();
  }

  /** The tickets listed, in order, as `conversation#ticket`. */
  async listed(): Promise<string[]> {
    return this.rows.evaluateAll((trs) =>
      trs.map((tr) => `${tr.getAttribute('data-conversation')}#${tr.getAttribute('data-ticket')}`),
    );
  }

  /** Waits until exactly `expected` are listed, in that order. */
  async expectListed(expected: string[]) {
    await expect(this.found).toBeVisible();
    await expect.poll(() => this.listed()).toEqual(expected);
  }

  /** What each listed row shows, cell by cell, as read on screen. */
  async shown(): Promise<ShownRow[]> {
    return this.rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = Array.from(tr.querySelectorAll('th, td'));
        const text = (i: number) => (cells[i]?.textContent ?? '').trim();
        const time = (i: number) => cells[i]?.querySelector('time')?.getAttribute('datetime') ?? '';
        // `PT90S` → 90; absent → null.
        const seconds = (i: number) => {
          const d = time(i).match(/^PT(\d+)S$/);
          return d ? Number(d[1]) : null;
        };
        return {
          conversation: tr.getAttribute('data-conversation') ?? '',
          ticket: tr.getAttribute('data-ticket') ?? '',
          visitor: (cells[0]?.querySelector('a')?.textContent ?? '').trim(),
          visitorDetails: (cells[0]?.querySelector('.visitor-details')?.textContent ?? '').trim(),
          firstLine: text(1),
          agent: text(2),
          status: text(3),
          created: time(4),
          firstResponse: text(5),
          firstResponseSeconds: seconds(5),
          resolution: text(6),
          resolutionSeconds: seconds(6),
          ratings: text(7),
        };
      }),
    );
  }

  /** Clicks "Export CSV" and returns the file the browser downloaded, as bytes. */
  async download(): Promise<{ download: Download; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.exportLink.click()]);
    const path = await download.path();
    return { download, bytes: await readFile(path) };
  }
}

/** A results row as the screen shows it. */
export interface ShownRow {
  conversation: string;
  ticket: string;
  visitor: string;
  visitorDetails: string;
  firstLine: string;
  agent: string;
  status: string;
  created: string;
  /** As written ("30 s"), and in seconds from its `datetime` (null when there is none). */
  firstResponse: string;
  firstResponseSeconds: number | null;
  resolution: string;
  resolutionSeconds: number | null;
  ratings: string;
}

/** RFC 4180: fields separated by commas, rows by CRLF, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
