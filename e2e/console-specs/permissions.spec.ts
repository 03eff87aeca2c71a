// Journey: roles are checked by the edge, not only hidden in the UI, and a signed-out browser
// can neither read the console API nor open its sockets.
import { expect, test } from '@playwright/test';
import { ALICE, ConsolePage } from '../pages/console';
import { resetSite, signedIn, VisitorApi } from '../pages/console-fixtures';

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('an agent cannot use the admin endpoints or screens', async ({ browser, baseURL }) => {
  const api = await signedIn(baseURL!, ALICE);
  const invite = await api.post('/v1/console/agents', {
    data: { email: 'mallory@demo.test', name: 'Mallory', role: 'admin', skills: [], capacity: 1, password: 'mallory-password' },
  });
  expect(invite.status()).toBe(403);
  expect((await invite.json()).error.code).toBe('forbidden');
  const promote = await api.patch('/v1/console/agents/alice', { data: { role: 'admin' } });
  expect(promote.status()).toBe(403);
  expect((await api.put('/v1/console/canned/evil', { data: { text: 'x' } })).status()).toBe(403);
  expect((await api.delete('/v1/console/canned/hello')).status()).toBe(403);
  // Reading the team is allowed (needed to transfer).
  expect((await api.get('/v1/console/agents')).status()).toBe(200);
  await api.dispose();

  const alice = await ConsolePage.open(browser, ALICE);
  await expect(alice.adminLinks()).toHaveCount(0);
  await alice.gotoHash('#/team');
  await expect(alice.admin.forbidden).toBeVisible();
  await expect(alice.admin.team).toHaveCount(0);
  await alice.close();
});

test('a signed-out browser cannot read the API or open a socket', async ({ page, request }) => {
  const visitor = await VisitorApi.start(request, { locale: 'en' });
  await visitor.say('Is anyone there?');
  await page.goto('/console?site=demo');
  expect((await page.request.get('/v1/console/me')).status()).toBe(401);
  expect((await page.request.get('/v1/console/inbox')).status()).toBe(401);
  expect((await page.request.get(`/v1/agent/conversations/${visitor.conversationId}/history`)).status()).toBe(401);
  const outcome = await page.evaluate(async (id) => {
    const tryOpen = (path: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}${path}`, ['porchlight.v1']);
        ws.onopen = () => resolve('open');
        ws.onclose = () => resolve('closed');
        setTimeout(() => resolve('timeout'), 5000);
      });
    return [await tryOpen('/v1/console/ws'), await tryOpen(`/v1/agent/conversations/${id}/ws`)];
  }, visitor.conversationId);
  expect(outcome).toEqual(['closed', 'closed']);
});
