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

  // The message carries no text: it is the image alone, with no empty bubble (a coloured pill)
  // drawn above it. Every box in the message is either the image, its container or a mark.
  const row = host.panel.log.locator('.msg.mine[data-delivery="sent"]:has(.attachments img)');
  await expect(row.locator('.bubble')).toHaveCount(0);
  const boxes = await row.evaluate((li) =>
    Array.from(li.querySelectorAll('*')).flatMap((el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const painted = style.backgroundColor !== 'rgba(0, 0, 0, 0)' && r.width > 0 && r.height > 0;
      return painted && (el.textContent ?? '').trim() === '' && el.tagName !== 'IMG' ? [el.className] : [];
    }),
  );
  expect(boxes, 'painted boxes with no text and no image').toEqual([]);
  const imageTop = (await image.boundingBox())?.y ?? 0;
  const rowTop = (await row.boundingBox())?.y ?? 0;
  expect(imageTop - rowTop, 'the image is at the top of its message').toBeLessThan(12);

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
