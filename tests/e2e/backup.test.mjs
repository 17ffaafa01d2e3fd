// Backups and caregivers: the whole vault leaves as one encrypted file and comes back in a second,
// fresh browser profile (shares still revocable); bad files and wrong secrets are refused without
// writing anything; a caregiver keeps several binders opened by one passphrase and switches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordedContext, shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  PASSPHRASE, addMedication, assertAccessible, button, byLabel, medicationNames, openPart, realProblems, shareLink,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const files = mkdtempSync(join(tmpdir(), 'hb-backup-'));

const storedKeys = (p) => p.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hb/v1/binder') || k === 'hb/v1/index'));

// A binder with a medication and a share, changed since its last backup.
async function binderWithAShare() {
  const patient = await newPatient(suite, 'Dorothy Vaughan');
  await addMedication(patient.page, { name: 'Warfarin', strength: '5 mg', amount: '1', unit: 'tablet', reason: 'Atrial fibrillation' });
  await shareLink(patient.page);
  return patient;
}

// Downloads a backup from the Security & backup part into `name` under the test's folder.
async function downloadBackup(page, name) {
  await button(page, 'Back up now').click();
  const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Download a backup').click()]);
  const path = join(files, name);
  await download.saveAs(path);
  await page.getByText('Backup downloaded.').waitFor();
  return { path, filename: download.suggestedFilename() };
}

test('a backup downloads as one encrypted file, and the reminder goes away', async () => {
  const patient = await binderWithAShare();
  const { page } = patient;
  await page.getByText('Changes since your last backup.').waitFor();
  const { path, filename } = await downloadBackup(page, 'first-backup.json');
  await assertAccessible(page, 'security and backup');
  assert.match(filename, /^health-binder-backup-\d{4}-\d{2}-\d{2}\.json$/);
  assert.equal(await page.getByText('Your binder changed since your last backup.').count(), 0);
  await shot(page, 'backup-downloaded');

  const text = readFileSync(path, 'utf8');
  assert.match(text, /^\{"format":"health-binder-backup","version":1,/);
  for (const secret of ['Dorothy', 'Warfarin', 'Atrial']) assert.ok(!text.includes(secret), `${secret} is not in the backup`);
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('a second, fresh browser restores it; bad files and wrong secrets change nothing', async () => {
  const patient = await binderWithAShare();
  const { path: backupPath } = await downloadBackup(patient.page, 'backup-to-restore.json');
  await patient.context.close();

  const other = await recordedContext(suite.browser, { viewport: { width: 390, height: 844 } });
  const page = await other.context.newPage();
  await page.goto(suite.relay.url);
  await page.getByText('Restore from a backup').click();
  await assertAccessible(page, 'restore');

  const text = readFileSync(backupPath, 'utf8');
  const cases = [
    ['truncated.json', text.slice(0, Math.floor(text.length / 2)), 'This backup file is incomplete or damaged'],
    ['bundle.json', '{"resourceType":"Bundle","type":"document"}', 'This file is not a Health Binder backup.'],
    ['notes.txt', 'my passwords', 'This file is not a Health Binder backup.'],
    ['backup.json', text, 'That passphrase or recovery code does not open any binder in this backup'],
  ];
  for (const [name, content, message] of cases) {
    const path = join(files, name);
    writeFileSync(path, content);
    await byLabel(page, 'Backup file').setInputFiles(path);
    await byLabel(page, 'Passphrase or recovery code').fill('not the passphrase');
    await button(page, 'Restore').click();
    await page.getByRole('alert').getByText(message).waitFor({ timeout: 30000 });
    assert.deepEqual(await storedKeys(page), [], `${name}: nothing written`);
  }
  await shot(page, 'restore-refused');

  await byLabel(page, 'Passphrase or recovery code').fill(PASSPHRASE);
  await button(page, 'Restore').click();
  await page.getByRole('heading', { name: "Dorothy Vaughan's health binder" }).waitFor({ timeout: 30000 });
  await page.getByText('Restored from your backup.').waitFor();
  assert.deepEqual(await medicationNames(page), ['Warfarin 5 mg']);
  await shot(page, 'restore-done-390');

  // The share's management secret came back with it: the restored binder can still revoke it.
  await openPart(page, 'Share');
  const item = page.locator('.share-item').first();
  await item.getByRole('button', { name: 'Revoke now' }).click();
  await item.getByText(/revoked/i).first().waitFor({ timeout: 10000 });

  // Reloaded, it unlocks from this browser's own storage.
  await page.reload();
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  await page.getByRole('heading', { name: "Dorothy Vaughan's health binder" }).waitFor({ timeout: 30000 });
  assert.deepEqual(realProblems(other.problems), []);
  await other.context.close();
});

test('a caregiver keeps a second binder, opened by the same passphrase, and switches between them', async () => {
  const carer = await newPatient(suite, 'Mary Winston');
  const { page } = carer;
  await addMedication(page, { name: 'Lisinopril', strength: '10 mg', amount: '1', unit: 'tablet' });

  await openPart(page, 'Security & backup');
  await byLabel(page, 'Their name').fill('Levi Jackson');
  await byLabel(page, /^Your passphrase/).fill('wrong passphrase here');
  await button(page, 'Add their binder').click();
  await page.getByRole('alert').getByText('That passphrase does not open this binder').waitFor({ timeout: 30000 });
  await byLabel(page, /^Your passphrase/).fill(PASSPHRASE);
  await button(page, 'Add their binder').click();
  await page.getByRole('heading', { name: "Levi Jackson's health binder" }).waitFor({ timeout: 60000 });
  const card = page.getByRole('region', { name: /recovery code of Levi Jackson's binder/ });
  assert.match(await card.getByLabel('Recovery code').innerText(), /^([A-Z2-7]{4}-){6}[A-Z2-7]{2}$/);
  await button(card, 'I have written it down').click();
  await openPart(page, 'Medicines & allergies');
  assert.deepEqual(await medicationNames(page), []);
  await addMedication(page, { name: 'Donepezil', strength: '5 mg', amount: '1', unit: 'tablet' });
  await assertAccessible(page, 'caregiver with two binders');
  await shot(page, 'caregiver-switcher');

  await byLabel(page, 'Showing the binder of').selectOption({ label: 'Mary Winston' });
  await page.getByRole('heading', { name: "Mary Winston's health binder" }).waitFor();
  assert.deepEqual(await medicationNames(page), ['Lisinopril 10 mg']);

  // One passphrase opens both after a reload; the switcher lists both.
  await page.reload();
  await page.getByText('This device keeps 2 binders. Your passphrase opens the ones it was set for.').waitFor();
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  await page.getByRole('heading', { name: /^(Levi Jackson|Mary Winston)'s health binder$/ }).waitFor({ timeout: 60000 });
  const names = await byLabel(page, 'Showing the binder of').locator('option').allInnerTexts();
  assert.deepEqual(names, ['Levi Jackson', 'Mary Winston']);
  await byLabel(page, 'Showing the binder of').selectOption({ label: 'Levi Jackson' });
  await page.getByRole('heading', { name: "Levi Jackson's health binder" }).waitFor();
  assert.deepEqual(await medicationNames(page), ['Donepezil 5 mg']);
  assert.deepEqual(realProblems(carer.problems), []);
  await carer.context.close();
});
