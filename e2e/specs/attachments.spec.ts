// Journey: the visitor attaches an image; it is uploaded, sent as a message carrying it, and
// shown in the thread from its bytes (fetched with the token into a data: URL).
import { expect, test } from '@playwright/test';
import { DEMO_AGENT_TOKEN } from '../pages/agent-api';
import { png } from '../pages/files';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

test('an attached image is uploaded, sent and previewed', async ({ page, request, baseURL }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.send('Here is a screenshot');
  await host.panel.expectStored('Here is a screenshot');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();

  await expect(host.panel.attachButton).toBeVisible();
  await host.panel.fileInput.setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png(2, 2) });

  const image = host.panel.log.locator('.msg.mine[data-delivery="sent"] .attachments img');
  await expect(image).toHaveCount(1);
  await expect(image).toHaveAttribute('alt', 'dot.png');
  // Fetched with the visitor's token, shown from a blob: URL (an <img> cannot send the token).
  await expect(image).toHaveAttribute('src', /^blob:http:\/\/127\.0\.0\.1:\d+\//);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);

  // The stored message carries the upload's reference.
  const history = await request.get(`/v1/agent/conversations/${id}/history`, {
    headers: { Authorization: `Bearer ${DEMO_AGENT_TOKEN}` },
  });
  expect(history.status()).toBe(200);
  const items = (await history.json()).items as Array<{
    kind: string;
    body?: { attachments?: Array<{ content_type: string; name?: string }> };
  }>;
  const carried = items.flatMap((i) => i.body?.attachments ?? []);
  expect(carried).toEqual([expect.objectContaining({ content_type: 'image/png', name: 'dot.png' })]);

  await finishAsAdmin(baseURL ?? '', id);
});
