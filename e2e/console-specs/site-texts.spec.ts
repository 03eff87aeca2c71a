// Journey: an admin writes the site's texts in Portuguese from the console; a visitor reading
// Portuguese sees them, a visitor reading Spanish (no Spanish texts) sees the default language's.
import { expect, test, type Browser } from '@playwright/test';
import { PANEL_STRINGS } from '../pages/chat-panel';
import { type Account, ConsolePage } from '../pages/console';
import { HostPage } from '../pages/host-page';
import { gotoDemoFor } from '../pages/visitor-extras';

const SITE = 'e2e_texts';
const TESS: Account = { id: 'tess', name: 'Tess Admin', email: 'tess@e2e-texts.test', password: 'porchlight-admin' };

async function visitor(browser: Browser, baseURL: string, locale: 'pt-BR' | 'es') {
  const context = await browser.newContext({ baseURL, locale });
  const host = new HostPage(await context.newPage(), PANEL_STRINGS[locale]);
  await gotoDemoFor(host, SITE);
  await host.open();
  return { host, close: () => context.close() };
}

test('site texts per language, with the default language standing in', async ({ browser, baseURL }) => {
  const admin = await ConsolePage.open(browser);
  await admin.goto(SITE);
  await admin.signIn(TESS, SITE);
  await expect(admin.nav.getByRole('link', { name: 'Site texts' })).toBeVisible();
  await admin.nav.getByRole('link', { name: 'Site texts' }).click();
  const form = admin.page.getByRole('form', { name: 'Site texts' });
  const language = form.getByLabel('Language');
  const welcome = form.getByLabel('Welcome');
  const away = form.getByLabel('Away message (no agent online)');
  // The default language shows what visitors read today.
  await expect(language).toHaveValue('en');
  await expect(away).toHaveValue('Nobody is online.');

  // By keyboard: the language, then the texts, then Save.
  await language.focus();
  await language.selectOption('pt-BR');
  await expect(away).toHaveValue('');
  await welcome.fill('Olá! Como podemos ajudar?');
  await away.fill('Ninguém online agora. Deixe sua mensagem.');
  await away.press('Tab');
  await expect(form.getByLabel('Expected wait')).toBeFocused();
  await form.getByRole('button', { name: 'Save' }).focus();
  await admin.page.keyboard.press('Enter');
  await expect(form.getByRole('status')).toHaveText(
    'Saved the Português (Brasil) texts. Visitors see them on their next page view.',
  );
  // Too long: refused, named, nothing stored.
  await welcome.fill('x'.repeat(501));
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toHaveText('welcome is limited to 500 characters');
  // The edge refuses the same, and a language it does not write in, with their codes.
  const long = await admin.page.request.put('/v1/console/site-texts/pt-BR', { data: { welcome: 'x'.repeat(501) } });
  expect(long.status()).toBe(413);
  expect((await long.json()).error.code).toBe('too_large');
  const french = await admin.page.request.put('/v1/console/site-texts/fr', { data: { welcome: 'Bonjour' } });
  expect(french.status()).toBe(400);
  expect((await french.json()).error.code).toBe('invalid_field');
  const stored = await admin.page.request.get('/v1/console/site-texts');
  const pt = (await stored.json()).locales.find((l: { locale: string }) => l.locale === 'pt-BR');
  expect(pt.welcome).toBe('Olá! Como podemos ajudar?');

  // The default language's welcome.
  await language.selectOption('en');
  await welcome.fill('Hello from the shop!');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toContainText('Saved the English texts.');
  await admin.page.screenshot({ path: 'test-results/site-texts-console.png' });
  await admin.close();

  const ptVisitor = await visitor(browser, baseURL ?? '', 'pt-BR');
  await expect(ptVisitor.host.frame.locator('.intro .welcome')).toHaveText('Olá! Como podemos ajudar?');
  await expect(ptVisitor.host.frame.locator('.away-message')).toHaveText('Ninguém online agora. Deixe sua mensagem.');
  // Not written in Portuguese: the default language's.
  await expect(ptVisitor.host.frame.locator('.intro .wait')).toHaveText('We reply within the hour.');
  await ptVisitor.host.panel.root.screenshot({ path: 'test-results/site-texts-pt-BR.png' });
  await ptVisitor.close();

  const esVisitor = await visitor(browser, baseURL ?? '', 'es');
  await expect(esVisitor.host.frame.locator('.intro .welcome')).toHaveText('Hello from the shop!');
  await expect(esVisitor.host.frame.locator('.away-message')).toHaveText('Nobody is online.');
  await esVisitor.close();
});
