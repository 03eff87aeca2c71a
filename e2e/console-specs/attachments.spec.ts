// Journey: a visitor sends a PNG and a PDF from the widget. The agent's console draws the image
// (loaded with the agent's session) and links the PDF with its name and size, with no empty
// bubble, live and again after a reload; the image opens full size from the keyboard; the files
// come with the same safe headers as for the visitor.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite } from '../pages/console-fixtures';
import { pdf, png } from '../pages/files';
import { HostPage } from '../pages/host-page';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('the agent sees the visitor\'s image and PDF, opens the image full size', async ({ browser, page }) => {
  const alice = await ConsolePage.open(browser, ALICE);
  const host = new HostPage(page);
  await host.goto();
  const id = await host.startConversation('Here are my files');
  await alice.inbox.accept(id);
  await alice.conversation.expectOpen(id);

  const image = png(120, 80);
  const invoice = pdf();
  await host.panel.fileInput.setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: image });
  await expect(host.panel.log.locator('.msg.mine[data-delivery="sent"] .attachments img')).toHaveCount(1);
  await host.panel.fileInput.setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: invoice });

  const log = alice.conversation.log;
  const picture = log.getByRole('img', { name: 'screenshot.png', exact: true });
  const link = log.getByRole('link', { name: /invoice\.pdf/ });
  const seen = async () => {
    await expect(picture).toBeVisible();
    // Drawn, not a broken image: its bytes arrived and decoded.
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
    const box = await picture.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(box!.height).toBeGreaterThan(60);
    await expect(link).toBeVisible();
    await expect(link).toContainText('invoice.pdf');
    await expect(link).toContainText(`PDF · ${invoice.length} bytes`);
    // No empty bubbles: the only bubble is the one with text; the files stand alone.
    await expect(log.locator('.bubble')).toHaveText(['Here are my files']);
  };
  await seen();
  await alice.page.screenshot({ path: path.join(SHOTS, 'console-attachments.png') });

  await alice.page.reload();
  await alice.conversation.expectOpen(id);
  await seen();

  // Full size, by keyboard: the thumbnail is a button named after the file.
  const thumbnail = log.getByRole('button', { name: /screenshot\.png/ });
  await thumbnail.focus();
  await alice.page.keyboard.press('Enter');
  const viewer = alice.page.getByRole('dialog', { name: 'screenshot.png' });
  await expect(viewer).toBeVisible();
  const full = viewer.getByRole('img', { name: 'screenshot.png', exact: true });
  await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
  expect((await full.boundingBox())!.width).toBeGreaterThanOrEqual(120);
  await expect(viewer.getByRole('button', { name: 'Close' })).toBeFocused();
  await alice.page.screenshot({ path: path.join(SHOTS, 'console-attachment-full.png') });
  await alice.page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(thumbnail).toBeFocused();

  // The agent's session reads the files, with the headers that keep a browser from running them.
  for (const [href, type, disposition] of [
    [await picture.evaluate((img: HTMLImageElement) => img.src), 'image/png', 'inline; filename="screenshot.png"'],
    [await link.evaluate((a: HTMLAnchorElement) => a.href), 'application/pdf', 'attachment; filename="invoice.pdf"'],
  ]) {
    const resp = await alice.page.request.get(href);
    expect(resp.status(), href).toBe(200);
    expect(resp.headers()['content-type']).toBe(type);
    expect(resp.headers()['content-disposition']).toContain(disposition);
    expect(resp.headers()['x-content-type-options']).toBe('nosniff');
    expect(resp.headers()['content-security-policy']).toBe("default-src 'none'; sandbox");
  }
  await alice.close();
});
