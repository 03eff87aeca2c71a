// Journey: a new visitor opens the launcher and writes; the message appears and is stored.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test('first contact: open the launcher, send a message, it appears', async ({ page }) => {
  const host = new HostPage(page);
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  // /demo runs under a strict policy (script-src and frame-src: the edge only; styles by hash),
  // and the frame under its own: neither may report a violation.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });

  await host.goto();
  // A visitor who has not opened the chat loads the loader and nothing else: no frame, no wasm.
  await page.waitForLoadState('networkidle');
  expect(await host.frameCount()).toBe(0);
  expect(requested).toEqual(['/demo', '/widget.js']);
  await expect(host.launcher).toHaveAttribute('aria-label', 'Open chat');
  await page.screenshot({ path: path.join(SHOTS, 'launcher.png') });

  await host.open();
  await host.panel.send('Hello, is anyone there?');
  await expect(host.panel.mine()).toHaveText(['Hello, is anyone there?']);
  await host.panel.expectStored('Hello, is anyone there?');
  await expect(host.panel.input).toHaveValue('');
  await expect(host.panel.input).toBeFocused();
  await page.screenshot({ path: path.join(SHOTS, 'panel.png') });
  expect(violations).toEqual([]);
});

test('Enter sends, Shift+Enter starts a new line, blank text is not sent', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.input.press('Enter');
  await host.panel.input.pressSequentially('   ');
  await host.panel.input.press('Enter');
  await host.panel.input.fill('');
  await host.panel.input.pressSequentially('line one');
  await host.panel.input.press('Shift+Enter');
  await host.panel.input.pressSequentially('line two');
  await expect(host.panel.input).toHaveValue('line one\nline two');
  await host.panel.input.press('Enter');
  await host.panel.expectStored('line one');
  await expect(host.panel.mine()).toHaveCount(1);
  expect(await host.panel.mine().innerText()).toBe('line one\nline two');
  // The composer's text is 16px, so iOS does not zoom in on focus.
  expect(await host.panel.input.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
});

test('text is rendered as text, never as HTML', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  const hostile = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b>';
  await host.panel.send(hostile);
  await host.panel.expectStored('<b>bold</b>');
  await expect(host.panel.mine()).toHaveText([hostile]);
  await expect(host.panel.log.locator('img, b')).toHaveCount(0);
  expect(await page.title()).not.toBe('pwned');
});
