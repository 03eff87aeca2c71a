// Journey: loading the console before signing in (and with a session that has ended) leaves the
// browser's console clean: no failed request, no error message. The page says who is signed in,
// so the app does not have to ask with a request that fails.
import { expect, test, type Page } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';

/** Every error the browser reports on `page`: console errors, uncaught exceptions, 4xx/5xx answers. */
function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  return errors;
}

test('no error on a load before sign-in, after sign-out, or with an ended session', async ({ browser, baseURL }) => {
  const agent = await ConsolePage.open(browser);
  const errors = recordErrors(agent.page);
  const asked: string[] = [];
  agent.page.on('request', (r) => {
    if (r.url().includes('/v1/console/me')) asked.push(r.url());
  });

  // Before sign-in: the form, and nothing else happened.
  await agent.goto();
  await expect(agent.signInForm).toBeVisible();
  await agent.page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);

  // Signed in, a reload goes straight to the console, without asking who is signed in.
  await agent.signIn(ALICE);
  await agent.page.reload();
  await agent.expectLive();
  await expect(agent.signOutButton).toBeVisible();

  // Signed out: the form again on reload.
  await agent.signOut();
  await agent.page.reload();
  await expect(agent.signInForm).toBeVisible();
  await agent.page.waitForLoadState('networkidle');

  // A session that has ended (a cookie the edge does not know): signed out, quietly, and the
  // page clears the cookie.
  const url = new URL(baseURL!);
  await agent.page.context().addCookies([
    { name: 'pl_session', value: 'ended-session-token', domain: url.hostname, path: '/', httpOnly: true, secure: true, sameSite: 'Strict' },
  ]);
  await agent.page.reload();
  await expect(agent.signInForm).toBeVisible();
  await agent.page.waitForLoadState('networkidle');
  const cookies = await agent.page.context().cookies();
  expect(cookies.filter((c) => c.name === 'pl_session')).toEqual([]);

  expect(errors).toEqual([]);
  expect(asked).toEqual([]);
  await agent.close();
});
