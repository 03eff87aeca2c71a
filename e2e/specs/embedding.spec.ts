// Journey: the site owner's side of the embed: one launcher however often the tag is pasted,
// calls made before the loader arrived are replayed, events reach the page.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';

test('a second copy of the script does nothing', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  await page.evaluate(() => ((window as any).Porchlight.marker = 'first'));
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.src = '/widget.js';
    s.dataset.site = 'demo';
    document.body.appendChild(s);
    return new Promise((resolve) => (s.onload = resolve));
  });
  await expect(host.widget).toHaveCount(1);
  // The first copy's API object is still the one on the page.
  expect(await page.evaluate(() => (window as any).Porchlight.marker)).toBe('first');
});

test('calls queued before the loader ran are replayed; open and close are events', async ({ page }) => {
  // The stub a site may paste before the tag, exactly as documented in widget/loader/widget.js.
  await page.addInitScript(() => {
    const w = window as any;
    w.Porchlight = w.Porchlight || { q: [] };
    ['open', 'close', 'toggle', 'on'].forEach((n) => {
      w.Porchlight[n] =
        w.Porchlight[n] ||
        function () {
          w.Porchlight.q.push([n, arguments]);
        };
    });
    w.seen = [];
    w.Porchlight.on('open', () => w.seen.push('open'));
    w.Porchlight.on('close', () => w.seen.push('close'));
    w.Porchlight.on('ready', () => w.seen.push('ready'));
    w.Porchlight.open();
  });
  const host = new HostPage(page);
  await host.goto();
  await expect(host.launcher).toHaveAttribute('aria-expanded', 'true');
  await expect(host.panel.input).toBeEditable();
  await page.evaluate(() => (window as any).Porchlight.toggle());
  await expect(host.launcher).toHaveAttribute('aria-expanded', 'false');
  expect(await page.evaluate(() => (window as any).seen)).toEqual(['open', 'ready', 'close']);
});
