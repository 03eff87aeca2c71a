// Journey: the visitor attaches an image; it is uploaded, sent as a message carrying it, and
// shown in the thread from its bytes (fetched with the token into a data: URL).
import zlib from 'node:zlib';
import { expect, test } from '@playwright/test';
import { DEMO_AGENT_TOKEN } from '../pages/agent-api';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

/** A valid 2×2 PNG, built here: signature, IHDR, IDAT (zlib), IEND, each chunk with its CRC. */
function tinyPng(): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.from([0, 255, 0, 0, 0, 0, 255]);
  const raw = Buffer.concat([row, row]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('an attached image is uploaded, sent and previewed', async ({ page, request, baseURL }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  await host.panel.send('Here is a screenshot');
  await host.panel.expectStored('Here is a screenshot');
  await host.panel.expectLive();
  const id = await host.panel.conversationId();

  await expect(host.panel.attachButton).toBeVisible();
  await host.panel.fileInput.setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: tinyPng() });

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
