// Journey: a site that asks for consent and a pre-chat form. Nothing reaches the edge's API (the
// site's settings come with the frame page) before the visitor submits with consent; then the session starts and the profile holds
// what they gave.
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin, gotoDemoFor } from '../pages/visitor-extras';

test('consent and pre-chat form come before anything is stored', async ({ page, baseURL }) => {
  const visitorCalls: string[] = [];
  const profiles: unknown[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/v1/visitor/')) visitorCalls.push(`${r.method()} ${url.pathname}`);
    if (r.method() === 'PUT' && url.pathname === '/v1/visitor/profile') profiles.push(r.postDataJSON());
  });
  const host = new HostPage(page);
  await gotoDemoFor(host, 'demo_consent');
  // The site's position (left) and colour apply.
  await host.launcher.click();
  const form = host.frame.locator('form.prechat');
  await expect(form).toBeVisible();
  // The site's settings reached the launcher: left corner, its colour.
  await expect(host.widget.locator('div.left')).toHaveCount(1);
  await expect(host.launcher).toHaveCSS('background-color', 'rgb(15, 118, 110)');
  const name = host.frame.getByLabel('Name', { exact: true });
  const email = host.frame.getByLabel('Email', { exact: true });
  const phone = host.frame.getByLabel('Phone', { exact: true });
  const consent = host.frame.getByRole('checkbox');
  for (const input of [name, email, phone]) {
    await expect(input).toBeVisible();
    await expect(input).toHaveCSS('font-size', '16px');
  }
  await expect(form.locator('.privacy')).toHaveText(
    'We store this conversation to answer you. See our privacy policy for how we use your data.',
  );
  await expect(host.panel.input).toBeHidden();

  // Keyboard only: type, tab through, submitting without consent is refused by the form.
  await name.focus();
  await page.keyboard.type('Joana Silva');
  await page.keyboard.press('Tab');
  await expect(email).toBeFocused();
  await page.keyboard.type('joana@example.com');
  await page.keyboard.press('Tab');
  await expect(phone).toBeFocused();
  await page.keyboard.type('+55 11 5555-0100');
  await page.keyboard.press('Tab');
  await expect(consent).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(form).toBeVisible();
  await page.waitForTimeout(300);
  // The site's settings came with the frame page: no API call at all yet.
  expect(visitorCalls).toEqual([]);
  // Nothing stored in the frame either.
  expect(
    await host.frame
      .locator('html')
      .evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('porchlight:demo_consent:'))),
  ).toEqual([]);

  await page.keyboard.press('Space');
  await expect(consent).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(form).toBeHidden();
  await expect(host.panel.input).toBeEditable();
  const id = await host.panel.conversationId();
  await expect.poll(() => visitorCalls).toContain('PUT /v1/visitor/profile');
  await expect.poll(() => visitorCalls).toContain('POST /v1/visitor/session');

  await host.panel.send('Hello with consent');
  await host.panel.expectStored('Hello with consent');
  // What the visitor gave went into the profile, the phone as an attribute (in E.164), with the
  // consent: which privacy text, in which language.
  expect(profiles.length).toBeGreaterThan(0);
  expect(profiles[0]).toMatchObject({
    name: 'Joana Silva',
    email: 'joana@example.com',
    attributes: { phone: '+551155550100' },
    consent: { privacy_version: expect.stringMatching(/^[0-9a-f]{8}$/), locale: 'en' },
  });
  await finishAsAdmin(baseURL ?? '', id).catch(() => undefined);
});
