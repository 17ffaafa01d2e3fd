// A share is managed at the relay that keeps it, wherever the app is served from: a binder made
// on relay B and restored from its backup into the app on relay A revokes its share at B (and B's
// link stops working); with B stopped, the app says it could not reach B — never "revoked".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay } from '../support/relay.mjs';
import { launch, recordedContext, shot } from '../support/browser.mjs';
import { PASSPHRASE, addMedication, button, byLabel, createBinder, openPart, realProblems } from '../support/ui.mjs';

let relayA, relayB, browser;
const files = mkdtempSync(join(tmpdir(), 'hb-relays-'));

before(async () => {
  // A serves the app and may talk to other relays on this machine; B keeps the shares and lets
  // A's app manage them (CORS for A's origin only).
  relayA = await startRelay({ env: { HB_APP_CONNECT_SRC: 'http://127.0.0.1:*' } });
  relayB = await startRelay({ env: { HB_APP_ORIGINS: new URL(relayA.url).origin } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await relayA?.stop();
  await relayB?.stop();
});

const shlUrlOf = (link) => JSON.parse(Buffer.from(link.split('#shlink:/')[1], 'base64url').toString()).url;
const opens = async (url) => (await fetch(`${url}?recipient=test`)).status;

test('a share restored into another relay\'s app is revoked at its own relay, and an unreachable relay is said as such', async () => {
  // On B: a binder with two shares, backed up.
  const onB = await recordedContext(browser);
  const pageB = await onB.context.newPage();
  await createBinder(pageB, relayB.url, 'Katherine Johnson');
  await button(pageB, 'I have written it down').click();
  await addMedication(pageB, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet' });
  await openPart(pageB, 'Share');
  const panel = pageB.locator('section.share');
  const links = [];
  for (let n = 0; n < 2; n++) {
    if (await button(panel, 'Done').count()) await button(panel, 'Done').click();
    await button(panel, 'Show to my clinician').click();
    await panel.getByRole('img', { name: /QR code of the share link/ }).waitFor();
    links.push(await byLabel(panel, 'Link').inputValue());
  }
  const [first, second] = links.map(shlUrlOf);
  assert.ok(first.startsWith(relayB.url) && second.startsWith(relayB.url), 'both shares live on B');
  assert.equal(await opens(first), 200);
  await button(pageB, 'Back up now').click();
  const [download] = await Promise.all([pageB.waitForEvent('download'), button(pageB, 'Download a backup').click()]);
  const backupPath = join(files, 'backup.json');
  await download.saveAs(backupPath);
  await onB.context.close();

  // On A: restored from that backup.
  const onA = await recordedContext(browser);
  const page = await onA.context.newPage();
  await page.goto(relayA.url);
  await page.getByText('Restore from a backup').click();
  await byLabel(page, 'Backup file').setInputFiles(backupPath);
  await byLabel(page, 'Passphrase or recovery code').fill(PASSPHRASE);
  await button(page, 'Restore').click();
  await page.getByRole('heading', { name: "Katherine Johnson's health binder" }).waitFor({ timeout: 30000 });
  await openPart(page, 'Share');
  // Newest first: the second share, then the first.
  const [newest, oldest] = [page.locator('.share-item').nth(0), page.locator('.share-item').nth(1)];

  // Revoked at B, from A's app: B's link stops working.
  await oldest.getByRole('button', { name: 'Revoke now' }).click();
  await oldest.getByText('Revoked').waitFor({ timeout: 10000 });
  assert.equal(await opens(first), 404, 'the link is dead at the relay that served it');
  assert.equal(await opens(second), 200, 'the other share is untouched');

  // B goes away: the app says it could not reach B, and does not call the share revoked.
  const hostB = new URL(relayB.url).host;
  await relayB.stop();
  relayB = undefined;
  await newest.getByRole('button', { name: 'Revoke now' }).click();
  const alert = newest.getByRole('alert');
  await alert.getByText(`Could not reach ${hostB}`, { exact: false }).waitFor({ timeout: 10000 });
  await shot(page, 'revoke-unreachable-relay');
  assert.equal(await newest.getByText('Revoked').count(), 0, 'never "revoked" when the relay did not say so');
  assert.ok(await newest.getByRole('button', { name: 'Revoke now' }).isVisible(), 'the patient can try again');
  await newest.getByRole('button', { name: 'Who opened it?' }).click();
  await newest.getByRole('alert').getByText(`Could not reach ${hostB}`, { exact: false }).waitFor();

  // The failed requests to the stopped relay are the only console errors.
  assert.deepEqual(realProblems(onA.problems).filter((p) => !p.includes('ERR_CONNECTION_REFUSED')), []);
  await onA.context.close();
});
