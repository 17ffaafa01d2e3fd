// Records in: a connectathon IPS from the file picker, reviewed (one line left out), accepted; the
// entries show where they came from; importing the same file again adds nothing; a SMART Health
// Card pasted as QR text; a file that is not a health record refused with the binder unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { shot } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { startKtcServer } from '../support/ktc-server.mjs';
import { assertAccessible, button, openAsClinician, openPart, realProblems } from '../support/ui.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'tests', 'fixtures');
const IPS = join(FIXTURES, 'ips', 'validated', 'IPS_IG-bundle-01.json');
const CARD = readFileSync(join(FIXTURES, 'shc', 'immunizations.shc.txt'), 'utf8');

// Loopback SHL servers are not HTTPS: let the viewer fetch from them as it would from https: ones.
const suite = useRelayAndBrowser({ relay: { env: { HB_VIEWER_CONNECT_SRC: 'https: http://127.0.0.1:*' } } });

async function readFile(page, path) {
  await page.getByLabel('FHIR file or SMART Health Card file').setInputFiles(path);
  await button(page, 'Read it').click();
}

test('import a portal file with review, leave a line out, see the source; a second import adds nothing', async () => {
  const { context, problems, page } = await newPatient(suite, 'Martha Import');
  await openPart(page, 'Import & export');
  await readFile(page, IPS);
  const review = page.getByRole('region', { name: 'Review before saving' });
  await review.waitFor();
  const summary = await review.locator('p').first().innerText();
  assert.match(summary, /^From file IPS_IG-bundle-01\.json: 20 entries in the file\. (\d+) to add, 0 already in your binder, 1 not read\.$/);
  await shot(page, 'import-review');
  await assertAccessible(page, 'import review');
  // Leave the first condition out.
  const conditionLabel = review.locator('label', { hasText: /^Conditions: / }).first();
  const leftOut = (await conditionLabel.innerText()).replace(/^Conditions: /, '');
  await review.getByRole('checkbox', { name: `Conditions: ${leftOut}`, exact: true }).uncheck();
  const kept = await review.getByRole('checkbox', { checked: true }).count();
  await button(page, 'Add the ticked lines to my binder').click();
  await page.getByRole('status').filter({ hasText: `Added ${kept} entries from file IPS_IG-bundle-01.json.` }).waitFor();

  // The entries are in their sections, with their source; the left-out one is not.
  await openPart(page, 'Medicines & allergies');
  const allergies = await page.locator('li.card').allInnerTexts();
  assert.ok(allergies.some((t) => /penicillin/i.test(t) && t.includes('From file IPS_IG-bundle-01.json')), allergies.join('\n'));
  await openPart(page, 'History');
  const conditions = page.getByRole('region', { name: 'Conditions', exact: true });
  const conditionTexts = await conditions.locator('li.entry').allInnerTexts();
  assert.ok(conditionTexts.length >= 1);
  assert.ok(conditionTexts.every((t) => t.includes('From file IPS_IG-bundle-01.json')), conditionTexts.join('\n'));
  assert.ok(conditionTexts.every((t) => !t.startsWith(leftOut + '\n')), `${leftOut} was left out`);
  await shot(page, 'import-history-with-source');

  // The same file again: everything is already there; nothing can be added twice.
  await openPart(page, 'Import & export');
  await readFile(page, IPS);
  await review.waitFor();
  const again = await review.locator('p').first().innerText();
  const [, adding, already] = again.match(/(\d+) to add, (\d+) already in your binder/);
  assert.equal(Number(adding), 1, `only the line left out last time is new: ${again}`);
  assert.equal(Number(already), kept);
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});

test('a SMART Health Card pasted as QR text imports its immunizations, marked as not checked', async () => {
  const { context, problems, page } = await newPatient(suite, 'John Card');
  await openPart(page, 'Import & export');
  await page.getByLabel(/^Or paste a SMART Health Card/).fill(CARD);
  await button(page, 'Read it').click();
  const review = page.getByRole('region', { name: 'Review before saving' });
  await review.waitFor();
  assert.match(await review.innerText(), /SMART Health Card signed by https:\/\/spec\.smarthealth\.cards\/examples\/issuer, not checked/);
  await button(page, 'Add the ticked lines to my binder').click();
  await page.getByRole('status').filter({ hasText: /^Added 3 entries/ }).waitFor();
  await openPart(page, 'History');
  const vaccines = await page.getByRole('region', { name: 'Immunizations', exact: true }).locator('li.entry').allInnerTexts();
  assert.equal(vaccines.length, 3);
  assert.ok(vaccines.some((v) => v.includes('COVID-19 vaccine, mRNA (Moderna)') && v.includes('not checked')), vaccines.join('\n'));
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});

test('a file that is not a health record is refused plainly and changes nothing', async () => {
  const { context, page } = await newPatient(suite, 'Nora Badfile');
  const before = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hb/v1/')).sort().join('\n'));
  await openPart(page, 'Import & export');
  const dir = mkdtempSync(join(tmpdir(), 'hb-import-'));
  const bad = join(dir, 'notes.json');
  writeFileSync(bad, '<html>my notes</html>');
  await readFile(page, bad);
  await page.getByRole('alert').filter({ hasText: 'This file is not JSON, so it is not a FHIR record. Nothing was imported.' }).waitFor();
  writeFileSync(bad, JSON.stringify({ resourceType: 'Patient', id: 'x' }));
  await readFile(page, bad);
  await page.getByRole('alert').filter({ hasText: 'This file is a FHIR Patient, not a Bundle.' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Review before saving' }).count(), 0);
  const after = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hb/v1/')).sort().join('\n'));
  assert.equal(after, before, 'no new save');
  await context.close();
});

test('a link someone else made: the viewer opens it, "Save for my binder" keeps it, the binder imports it', async () => {
  // A SMART Health Link made and hosted by kill-the-clipboard on its own server (compressed file).
  const ktc = await startKtcServer(JSON.parse(readFileSync(IPS, 'utf8')));
  try {
    const { view, context: viewerContext } = await newClinician(suite, { viewport: { width: 1100, height: 800 } });
    await openAsClinician(view, `${suite.relay.url}view#${ktc.shl.toURI()}`, { name: 'Martha, the patient' });
    await view.getByRole('heading', { name: 'Martha DeLarosa' }).waitFor();
    const [download] = await Promise.all([view.waitForEvent('download'), button(view, 'Save for my binder').click()]);
    const dir = mkdtempSync(join(tmpdir(), 'hb-saved-'));
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    assert.match(download.suggestedFilename(), /^health-record-\d{4}-\d{2}-\d{2}\.json$/);
    await viewerContext.close();

    const { page, context, problems, requests } = await newPatient(suite, 'Martha Link');
    await openPart(page, 'Import & export');
    await readFile(page, saved);
    const review = page.getByRole('region', { name: 'Review before saving' });
    await review.waitFor();
    assert.match(await review.locator('p').first().innerText(), /^From file health-record-.*\.json: 20 entries in the file\./);
    await button(page, 'Add the ticked lines to my binder').click();
    await page.getByRole('status').filter({ hasText: /^Added \d+ entries from file health-record-/ }).waitFor();
    await openPart(page, 'Medicines & allergies');
    assert.ok((await page.locator('li.card').allInnerTexts()).some((t) => /penicillin/i.test(t)));
    // The patient's app itself never asked the other server for anything.
    assert.deepEqual(requests.filter((r) => r.url.startsWith(ktc.base)), []);
    assert.deepEqual(realProblems(problems), []);
    await context.close();
  } finally {
    await ktc.close();
  }
});
