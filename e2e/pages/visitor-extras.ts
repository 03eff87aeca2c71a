import { expect, request as playwrightRequest, type Browser, type Page } from '@playwright/test';
import { ADMIN, ALICE, type Account } from './console';
import { HostPage } from './host-page';

/**
 * Opens the demo page for another seeded site: the edge serves one demo page, for `demo`; this is
 * that page with the loader's `?site=` rewritten on the way in (headers and CSP kept).
 */
export async function gotoDemoFor(host: HostPage, site: string) {
  await host.page.route('**/demo', async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    const tag = 'widget.js?site=demo"';
    expect(html).toContain(tag);
    await route.fulfill({ response, body: html.replace(tag, `widget.js?site=${site}"`) });
  });
  await host.goto('/demo');
}

/** A console tab for `account` (signed in, console socket open): the agent is online. */
export async function openConsoleSocket(browser: Browser, baseURL: string, account: Account = ALICE) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const resp = await page.request.post('/v1/console/login', {
    data: { site_id: 'demo', email: account.email, password: account.password },
  });
  expect(resp.status(), await resp.text()).toBe(200);
  await page.goto('/healthz');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/v1/console/ws`, ['porchlight.v1']);
        (window as unknown as { consoleWs: WebSocket }).consoleWs = ws;
        ws.onopen = () => {
          ws.send(JSON.stringify({ type: 'set_presence', presence: 'online' }));
          resolve();
        };
        ws.onclose = () => reject(new Error('console socket closed'));
      }),
  );
  return { page, close: () => context.close() };
}

/** Finishes a conversation's ticket as the admin (so later journeys start with an empty queue). */
export async function finishAsAdmin(baseURL: string, conversationId: string) {
  const admin = await playwrightRequest.newContext({ baseURL });
  const login = await admin.post('/v1/console/login', {
    data: { site_id: 'demo', email: ADMIN.email, password: ADMIN.password },
  });
  expect(login.status(), await login.text()).toBe(200);
  const resp = await admin.post(`/v1/agent/conversations/${conversationId}/finish`);
  expect([200, 409, 404], await resp.text()).toContain(resp.status());
  await admin.dispose();
}

/** The site's config as the widget reads it. */
export async function agentsOnline(page: Page, site = 'demo'): Promise<boolean> {
  const resp = await page.request.get(`/v1/visitor/config?site_id=${site}`);
  expect(resp.status()).toBe(200);
  return (await resp.json()).agents_online;
}
