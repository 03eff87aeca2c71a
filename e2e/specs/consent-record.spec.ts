// Journey: a shop page on its own origin, opened with an order number and campaign tags in its
// address, embeds a site that asks for consent and a pre-chat form (`e2e_consent`,
// edge/seed/e2e.sql). Every request and socket frame the browser sends is recorded: nothing about
// the page leaves before consent, and neither the query string nor the fragment ever does. A
// malformed email and phone are flagged beside their fields (and nothing is sent); once fixed,
// the consent goes on record, and the console's visitor panel shows it with the page's path.
import { expect, test, type Request } from '@playwright/test';
import { expectNoAxeViolations } from '../axe';
import { ConsolePage, type Account } from '../pages/console';
import { HostPage } from '../pages/host-page';

const SITE = 'e2e_consent';
const CORA: Account = { id: 'cora', name: 'Cora Admin', email: 'cora@e2e-consent.test', password: 'porchlight-admin' };
const SECRETS = ['order=1234', 'utm_source', '#x', 'order%3D1234', 'utm_source%3D'];

// The shop is not really on loopback (the test answers for it): see cross-origin.spec.ts.
test.use({ permissions: ['local-network-access'] });
// A visitor, then an admin's console in another context, on a shared 2-core machine.
test.setTimeout(90_000);

/** One thing the browser sent, as text: where, what, and the Referer it carried. */
interface Sent {
  what: string;
  text: string;
}

test('nothing about the page before consent, never its query; the consent on record', async ({
  page,
  browser,
  baseURL,
}) => {
  const edge = new URL(baseURL ?? '');
  const shop = `http://localhost:${edge.port}`;
  const address = `${shop}/shop/orders?order=1234&utm_source=mail#x`;
  await page.route(`${shop}/shop/**`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your order</title></head>
<body><h1>Order 1234</h1><script src="${baseURL}/widget.js?site=${SITE}" async></script></body></html>`,
    }),
  );

  const sent: Sent[] = [];
  const record = async (r: Request) => {
    // The shop's own page load is the shop's business, not the widget's.
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) return;
    const headers = await r.allHeaders();
    sent.push({
      what: `${r.method()} ${r.url()}`,
      text: [r.url(), r.postData() ?? '', headers.referer ?? ''].join('\n'),
    });
  };
  page.on('request', (r) => void record(r));
  page.on('websocket', (ws) => {
    sent.push({ what: `WS ${ws.url()}`, text: ws.url() });
    ws.on('framesent', (f) => sent.push({ what: 'WS frame', text: String(f.payload) }));
  });
  const leaks = (needles: string[]) =>
    sent.filter((s) => needles.some((n) => s.text.includes(n))).map((s) => s.what);

  const host = new HostPage(page);
  await host.goto(address);
  await host.launcher.click();
  const form = host.frame.locator('form.prechat');
  await expect(form).toBeVisible();

  // A malformed email and phone, with consent: flagged beside each field, nothing sent.
  const email = host.frame.getByLabel('Email', { exact: true });
  const phone = host.frame.getByLabel('Phone', { exact: true });
  await host.frame.getByLabel('Name', { exact: true }).fill('Maria Souza');
  await email.fill('maria@example');
  await phone.fill('call me maybe ###');
  await host.frame.getByRole('checkbox').check();
  await host.frame.getByRole('button', { name: 'Start chat' }).click();
  await expect(form).toBeVisible();
  const emailError = host.frame.locator('#email-error');
  const phoneError = host.frame.locator('#phone-error');
  await expect(emailError).toBeVisible();
  await expect(emailError).toHaveText('Enter an email address like name@example.com.');
  await expect(phoneError).toHaveText('Enter the number with + and the country code, like +1 415 555 0100.');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAttribute('aria-describedby', 'email-error');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAttribute('aria-describedby', 'phone-error');
  // Screen readers hear the message with the field.
  await expect(email).toHaveAccessibleDescription('Enter an email address like name@example.com.');
  await expect(email).toBeFocused();
  // The message sits beside its field: just under it, at its left edge.
  const fieldBox = (await email.boundingBox())!;
  const errorBox = (await emailError.boundingBox())!;
  expect(errorBox.y).toBeGreaterThanOrEqual(fieldBox.y + fieldBox.height - 1);
  expect(errorBox.y).toBeLessThan(fieldBox.y + fieldBox.height + 24);
  expect(Math.abs(errorBox.x - fieldBox.x)).toBeLessThan(4);
  await page.screenshot({ path: test.info().outputPath('prechat-invalid.png') });

  await page.waitForTimeout(300);
  // Before consent took effect: no call to the visitor API, and nothing about the page at all
  // (its path, its query, its fragment) in any request, header or frame.
  expect(sent.filter((s) => s.what.includes('/v1/visitor/')).map((s) => s.what)).toEqual([]);
  expect(leaks([...SECRETS, '/shop/orders'])).toEqual([]);
  expect(sent.length).toBeGreaterThan(0);

  // Fixed: a real address, a number as people type it.
  await email.fill('maria@example.com');
  await phone.fill('+55 (11) 91234-5678');
  await host.frame.getByRole('button', { name: 'Start chat' }).click();
  await expect(form).toBeHidden();
  await expect(emailError).toBeHidden();
  await host.panel.send('Where is my order?');
  await host.panel.expectStored('Where is my order?');
  const id = await host.panel.conversationId();

  // After consent: the page's path went with the profile, never its query or fragment.
  const profiles = sent.filter((s) => s.what.startsWith('PUT ') && s.what.endsWith('/v1/visitor/profile'));
  expect(profiles.length).toBeGreaterThan(0);
  const config = await (await page.request.get(`${baseURL}/v1/visitor/config?site_id=${SITE}`)).json();
  const profile = JSON.parse(profiles[0].text.split('\n')[1]);
  expect(profile).toMatchObject({
    page_url: `${shop}/shop/orders`,
    name: 'Maria Souza',
    email: 'maria@example.com',
    attributes: { phone: '+5511912345678' },
    consent: { privacy_version: config.privacy_version, locale: 'en' },
  });
  expect(sent.some((s) => s.what === 'WS frame')).toBe(true);
  expect(leaks(SECRETS)).toEqual([]);

  // The console (its viewer in Portuguese): the page without its query, the consent on record
  // with its date in the viewer's language.
  const cora = await ConsolePage.open(browser, undefined, { locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  await cora.goto(SITE);
  await cora.signIn(CORA, SITE);
  await cora.conversation.open(id);
  const panel = cora.conversation.visitor;
  await expect(panel.locator('dd.url')).toHaveText(`${shop}/shop/orders`);
  const consent = panel.locator('dd.consent');
  await expect(consent).toContainText('Consent given');
  const at = Date.parse((await consent.locator('time').getAttribute('datetime')) ?? '');
  expect(Math.abs(at - Date.now())).toBeLessThan(120_000);
  const written = await cora.page.evaluate(
    (t) =>
      new Intl.DateTimeFormat([], {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
      }).format(t),
    at,
  );
  expect(written).toMatch(/de/);
  await expect(consent).toHaveText(`Consent given ${written} · privacy text v${config.privacy_version} · en`);
  await expect(panel).toContainText('+5511912345678');
  await expect(panel).not.toContainText('order=1234');
  await panel.screenshot({ path: test.info().outputPath('console-consent.png') });
  await cora.close();
});

test('the messages beside the fields speak the visitor’s language', async ({ browser, baseURL }) => {
  const edge = new URL(baseURL ?? '');
  const shop = `http://localhost:${edge.port}`;
  const context = await browser.newContext({ locale: 'pt-BR', permissions: ['local-network-access'] });
  const page = await context.newPage();
  await page.route(`${shop}/shop/**`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Pedido</title></head>
<body><main><h1>Pedido</h1></main><script src="${baseURL}/widget.js?site=${SITE}" async></script></body></html>`,
    }),
  );
  const calls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/v1/visitor/')) calls.push(r.url());
  });
  const host = new HostPage(page);
  await host.goto(`${shop}/shop/pedido`);
  await host.launcher.click();
  await host.frame.getByLabel('E-mail', { exact: true }).fill('maria@example');
  await host.frame.getByLabel('Telefone', { exact: true }).fill('11 91234-5678');
  await host.frame.getByRole('checkbox').check();
  await host.frame.getByRole('button', { name: 'Iniciar conversa' }).click();
  await expect(host.frame.locator('#email-error')).toHaveText('Informe um e-mail como nome@exemplo.com.');
  await expect(host.frame.locator('#phone-error')).toHaveText(
    'Informe o número com + e o código do país, como +55 11 91234 5678.',
  );
  await expect(host.frame.locator('form.prechat')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('prechat-invalid-pt-BR.png') });
  await expectNoAxeViolations(page, 'pre-chat form with its error messages');
  expect(calls).toEqual([]);
  await context.close();
});

test('a page that sends its full address as Referer still tells the frames only its origin', async ({
  page,
  baseURL,
}) => {
  const edge = new URL(baseURL ?? '');
  const shop = `http://localhost:${edge.port}`;
  await page.route(`${shop}/shop/**`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      headers: { 'Referrer-Policy': 'unsafe-url' },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your order</title></head>
<body><h1>Order 1234</h1><script src="${baseURL}/widget.js?site=${SITE}" async></script></body></html>`,
    }),
  );
  const referers: string[] = [];
  page.on('request', async (r) => {
    if (r.isNavigationRequest() && r.frame() !== page.mainFrame()) {
      referers.push((await r.allHeaders()).referer ?? '');
    }
  });
  const host = new HostPage(page);
  await host.goto(`${shop}/shop/orders?order=1234&utm_source=mail`);
  await host.launcher.click();
  await expect(host.frame.locator('form.prechat')).toBeVisible();
  expect(referers.length).toBeGreaterThan(0);
  for (const referer of referers) {
    expect(referer).toBe(`${shop}/`);
  }
});
