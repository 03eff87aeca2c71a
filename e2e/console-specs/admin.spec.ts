// Journey: the admin sees the team with presence and load, invites an agent who can then sign
// in, changes that agent's capacity and skills, and manages the canned responses that agents
// insert with /shortcut.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN, ALICE, ConsolePage } from '../pages/console';
import { resetSite } from '../pages/console-fixtures';

const SHOTS = path.join(__dirname, '..', 'screenshots');

test.beforeEach(async ({ baseURL }) => resetSite(baseURL!));

test('team: presence and load, invite, edit', async ({ browser }) => {
  const admin = await ConsolePage.open(browser, ADMIN);
  await expect(admin.adminLinks()).toHaveCount(2);
  await admin.admin.openTeam();
  for (const id of ['admin', 'alice', 'bruno']) {
    await expect(admin.admin.member(id)).toBeVisible();
  }
  await expect(admin.admin.member('alice')).toContainText('Offline');
  const alice = await ConsolePage.open(browser, ALICE);
  await expect(admin.admin.member('alice')).toContainText('Online');
  await expect(admin.admin.member('alice')).toContainText('0 / 2');
  await alice.close();
  // Closing every tab of an agent drops them offline.
  await expect(admin.admin.member('alice')).toContainText('Offline');

  const email = `carol-${Date.now()}@demo.test`;
  await admin.admin.invite({ name: 'Carol', email, role: 'agent', skills: 'zh, en', capacity: 1, password: 'carol-password' });
  const carolRow = admin.admin.team.locator('tr', { hasText: email });
  await expect(carolRow).toContainText('en, zh');
  await expect(carolRow).toContainText('0 / 1');
  const carolId = await carolRow.getAttribute('data-agent');
  await admin.admin.edit(carolId!, 'Carol', { capacity: 3, skills: 'zh' });
  await expect(carolRow).toContainText('0 / 3');
  await expect(carolRow).not.toContainText('en, zh');
  await admin.page.screenshot({ path: path.join(SHOTS, 'console-team.png') });

  const carol = await ConsolePage.open(browser);
  await carol.signIn({ id: carolId!, name: 'Carol', email, password: 'carol-password' });
  await expect(carol.adminLinks()).toHaveCount(0);
  await expect(carolRow).toContainText('Online');
  await carol.close();
  await admin.close();
});

test('canned responses: add, change, delete', async ({ browser }) => {
  const admin = await ConsolePage.open(browser, ADMIN);
  await admin.admin.openCanned();
  const shortcut = `e2e-${Date.now() % 100000}`;
  await admin.admin.saveResponse(shortcut, 'First version');
  await admin.admin.saveResponse(shortcut, 'Second version');
  await expect(admin.admin.response(shortcut)).toContainText('Second version');
  await expect(admin.admin.canned.locator(`tr[data-shortcut="${shortcut}"]`)).toHaveCount(1);
  // A malformed shortcut is refused before anything is sent.
  await admin.admin.cannedForm.getByLabel('Shortcut').fill('Not Valid');
  await admin.admin.cannedForm.getByLabel('Text').fill('x');
  await admin.admin.cannedForm.getByRole('button', { name: 'Save' }).click();
  await expect(admin.admin.cannedForm.getByRole('alert')).toBeVisible();
  await admin.admin.deleteResponse(shortcut);
  await admin.close();
});
