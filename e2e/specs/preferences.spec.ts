// Journey: the panel follows the visitor's system settings: dark colours under
// `prefers-color-scheme: dark`, and no smooth scrolling or message animation under
// `prefers-reduced-motion: reduce`.
import { expect, test, type Locator } from '@playwright/test';
import { HostPage } from '../pages/host-page';

function style(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
}

for (const [scheme, background, text] of [
  ['light', 'rgb(255, 255, 255)', 'rgb(27, 29, 33)'],
  ['dark', 'rgb(29, 31, 35)', 'rgb(236, 238, 241)'],
] as const) {
  test.describe(`${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    test(`the panel is drawn in ${scheme} colours`, async ({ page }) => {
      const host = new HostPage(page);
      await host.goto();
      await host.open();
      const body = host.frame.locator('body');
      expect(await style(body, 'background-color')).toBe(background);
      expect(await style(body, 'color')).toBe(text);
      // The loader's panel box behind the frame matches, so no white edge shows while loading.
      expect(await style(host.widget.locator('.p'), 'background-color')).toBe(background);
    });
  });
}

for (const [motion, scroll, animation] of [
  ['no-preference', 'smooth', 'rise'],
  ['reduce', 'auto', 'none'],
] as const) {
  test.describe(`reduced motion: ${motion}`, () => {
    test.use({ reducedMotion: motion });

    test(`messages ${motion === 'reduce' ? 'appear without' : 'arrive with'} motion`, async ({
      page,
    }) => {
      const host = new HostPage(page);
      await host.goto();
      await host.open();
      await host.panel.send('Hello');
      await host.panel.expectStored('Hello');
      expect(await style(host.panel.log, 'scroll-behavior')).toBe(scroll);
      const message = host.panel.log.locator('.msg.mine').first();
      expect(await style(message, 'animation-name')).toBe(animation);
    });
  });
}
