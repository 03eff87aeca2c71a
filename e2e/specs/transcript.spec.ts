// Journey: the visitor downloads the conversation's transcript from the panel's header.
import fs from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { HostPage } from '../pages/host-page';
import { finishAsAdmin } from '../pages/visitor-extras';

test('the transcript downloads with the visitor’s message in it', async ({ page, baseURL }) => {
  const host = new HostPage(page);
  await host.goto();
  await host.open();
  // Nothing to download before there is a conversation.
  await expect(host.panel.transcriptButton).toBeHidden();
  await host.panel.send('Please keep a copy of this <chat>');
  await host.panel.expectStored('Please keep a copy of this <chat>');
  const id = await host.panel.conversationId();

  await expect(host.panel.transcriptButton).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    host.panel.transcriptButton.click(),
  ]);
  expect(download.suggestedFilename()).toBe(`conversation-${id}.html`);
  const file = await download.path();
  const html = await fs.readFile(file, 'utf8');
  expect(html).toContain('Please keep a copy of this &lt;chat&gt;');

  await finishAsAdmin(baseURL ?? '', id);
});
