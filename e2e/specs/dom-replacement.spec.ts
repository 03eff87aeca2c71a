// Journey: a single-page app that replaces the page under the widget (the body element, the
// body's content, everything in <html>) keeps the launcher, the conversation and an open panel;
// and no call of `window.Porchlight` ever throws into the page.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

const REPLACEMENTS: Array<[string, () => void]> = [
  [
    'the body element is replaced',
    () => {
      const body = document.createElement('body');
      body.innerHTML = '<h1>Next page</h1>';
      document.body.replaceWith(body);
    },
  ],
  [
    "the body's content is replaced",
    () => {
      document.body.innerHTML = '<h1>Next page</h1>';
    },
  ],
  [
    'everything in <html> is replaced',
    () => {
      document.documentElement.innerHTML = '<head><title>Next</title></head><body><h1>Next page</h1></body>';
    },
  ],
];

for (const [name, replace] of REPLACEMENTS) {
  test(`${name}: the launcher stays, the open conversation with it`, async ({ page, baseURL }) => {
    const host = new HostPage(page);
    await host.goto();
    const id = await host.startConversation('Written before the page changed');
    await page.evaluate(replace);
    await expect(page.getByRole('heading', { name: 'Next page' })).toBeVisible();

    // The panel was open and still is, with the conversation in it.
    await expect(host.launcher).toBeVisible();
    await expect(host.launcher).toHaveAttribute('aria-expanded', 'true');
    await expect(host.panel.mine()).toHaveText(['Written before the page changed']);

    // The page's own calls keep working: close (which threw before), then the launcher.
    await page.evaluate(() => (window as any).Porchlight.close());
    await expect(host.launcher).toHaveAttribute('aria-expanded', 'false');
    await host.open();
    await expect(host.panel.mine()).toHaveText(['Written before the page changed']);
    await host.panel.send('And after');
    await host.panel.expectStored('And after');
    await expect(host.widget).toHaveCount(1);
    await finishAsAdmin(baseURL!, id);
  });
}

test('no call of window.Porchlight throws, whatever it is given', async ({ page }) => {
  const host = new HostPage(page);
  await host.goto();
  const thrown = await page.evaluate(() => {
    const P = (window as any).Porchlight;
    const circular: any = { id: 'x' };
    circular.self = circular;
    const calls: Array<() => unknown> = [
      () => P.identify(circular),
      () => P.identify({ id: 1n }),
      () => P.setAttributes({ seats: 2n }),
      () => P.setAttributes(circular),
      () => P.on(),
      () => P.on('open', 'not a function'),
      () => P.on('__proto__', () => {}),
      () => P.open('extra', 'arguments'),
      () => P.toggle(),
      () => P.close(),
      () => P.reset(),
    ];
    return calls.map((call) => {
      try {
        call();
        return null;
      } catch (e) {
        return String(e);
      }
    });
  });
  expect(thrown).toEqual(new Array(thrown.length).fill(null));
  // The widget still works after all that.
  await host.open();
});
