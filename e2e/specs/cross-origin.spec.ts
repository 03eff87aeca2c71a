// Journey: the setup of a real customer: the host page on its own origin
// (`http://localhost:PORT`, served by this test) and the widget from the edge's
// (`http://127.0.0.1:PORT`). Loader and frame talk across origins through postMessage; events,
// identity and the unread badge work; the visitor's token never reaches the host page's storage,
// cookies or URLs.
import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { AgentApi } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';

/** edge/seed/e2e.sql: test credentials only. */
const SHOP_SECRET = 'test-secret-e2e-shop';
const SHOP_AGENT_TOKEN = 'pl_e2e_shop_agent';

// The shop page is not really served from loopback (the test answers for it), so Chromium treats
// it as a public page reaching a loopback server and asks the visitor first; a real shop is
// public and so is its edge.
test.use({ permissions: ['local-network-access'] });

function shopPage(edge: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>Your account</h1>
<script src="${edge}/widget.js" data-site="e2e_shop" async></script>
</body></html>`;
}

test('embedded from another origin: chat, events, identity; nothing of it on the host', async ({
  page,
  request,
  baseURL,
}) => {
  // The edge's port, on the other loopback name: another origin (edge/seed/e2e.sql allows it).
  const edge = new URL(baseURL ?? '');
  const SHOP = `http://localhost:${edge.port}/shop`;
  await page.route(`${SHOP}/**`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: shopPage(baseURL ?? '') }),
  );
  const host = new HostPage(page);
  await host.goto(`${SHOP}/account`);
  await page.evaluate(() => {
    const w = window as any;
    w.events = [];
    for (const name of ['open', 'close', 'message', 'unread']) {
      w.Porchlight.on(name, (arg: any) => w.events.push([name, arg?.text ?? arg ?? null]));
    }
  });
  const hash = createHmac('sha256', SHOP_SECRET).update('cust-77').digest('hex');
  await page.evaluate(
    (h) => (window as any).Porchlight.identify({ id: 'cust-77', name: 'Rui', hash: h }),
    hash,
  );

  const id = await host.startConversation('Hello from the shop');
  const agent = new AgentApi(request, SHOP_AGENT_TOKEN);
  await expect
    .poll(() => agent.visitorProfile(id))
    .toMatchObject({ verified: true, verified_id: 'cust-77', name: 'Rui' });
  const profile = await agent.visitorProfile(id);
  expect((profile as any).page_url).toBe(`${SHOP}/account`);

  await host.panel.closeButton.click();
  await agent.reply(id, 'Hi Rui, how can I help?');
  await expect(host.badge).toHaveText('1');
  await expect
    .poll(() => page.evaluate(() => (window as any).events))
    .toEqual([
      ['open', null],
      ['unread', 0],
      ['message', 'Hello from the shop'],
      ['close', null],
      ['message', 'Hi Rui, how can I help?'],
      ['unread', 1],
    ]);

  // Nothing of the conversation is on the host page's side: its storage holds a "has written
  // before" flag only, it has no cookie, and the frame's URL carries no token. (The frame keeps
  // the token in its own storage where the browser allows a third-party frame any; this
  // browser context blocks it, and the chat still works for the page's lifetime.)
  expect(await page.evaluate(() => Object.entries(localStorage))).toEqual([
    ['porchlight:e2e_shop:returning', '1'],
  ]);
  expect(await page.evaluate(() => document.cookie)).toBe('');
  const src = new URL((await host.widget.locator('iframe').getAttribute('src')) ?? '');
  // Nor anything about the page: its address is posted to the frame, never in the frame's URL.
  expect([...src.searchParams.keys()].sort()).toEqual(['host', 'site']);
});
