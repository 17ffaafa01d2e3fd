// Sharing as SMART Health Links receivers expect it: the patient chooses sections, passcode, label
// and link type; the clinician's viewer and kill-the-clipboard (an independent implementation)
// read every kind of link we make; our viewer reads links kill-the-clipboard made on its own
// server; the patient pauses, re-arms and watches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHLViewer } from 'kill-the-clipboard';
import { startRelay } from '../support/relay.mjs';
import { startKtcServer } from '../support/ktc-server.mjs';
import { decodeQr, launch, recordedContext, shot } from '../support/browser.mjs';
import { addMedication, assertAccessible, button, byLabel, createBinder, openAsClinician, openPart, realProblems } from '../support/ui.mjs';

let relay, browser, patient, page;

before(async () => {
  // Loopback servers are not HTTPS: let the viewer fetch from them as it would from https: ones.
  relay = await startRelay({ env: { HB_VIEWER_CONNECT_SRC: 'https: http://127.0.0.1:*' } });
  browser = await launch();
  patient = await recordedContext(browser, { viewport: { width: 1280, height: 900 } });
  page = await patient.context.newPage();
  await createBinder(page, relay.url, 'Grace Hopper');
  await addMedication(page, { name: 'Lisinopril', strength: '10 mg', amount: '1', unit: 'tablet', kind: 'Prescription', reason: 'Blood pressure' });
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

async function share(choose) {
  await openPart(page, 'Share');
  const panel = page.locator('section.share');
  if (await button(panel, 'Done').count()) await button(panel, 'Done').click();
  await choose(panel);
  await button(panel, 'Show to my clinician').click();
  await panel.getByRole('img', { name: /QR code of the share link/ }).waitFor();
  return byLabel(panel, 'Link').inputValue();
}

const payloadOf = (link) => JSON.parse(Buffer.from(link.split('#shlink:/')[1], 'base64url').toString());

let passcodeLink;

test('a passcode link withholds what the patient left out and shows the label only if asked', async () => {
  passcodeLink = await share(async (panel) => {
    await panel.getByLabel('Allergies').uncheck();
    await panel.getByText('More options').click();
    await byLabel(panel, /^Label/).fill('For the pharmacist');
    await panel.getByLabel(/Show the label before the link is opened/).check();
    await byLabel(panel, /^Passcode/).fill('4711');
    await byLabel(panel, /^Most openings/).fill('3');
  });
  const payload = payloadOf(passcodeLink);
  assert.equal(payload.flag, 'P');
  assert.equal(payload.label, 'For the pharmacist');
  await page.getByText('Tell the clinician the passcode: 4711').waitFor();
  await assertAccessible(page, 'share result with passcode');

  // Full screen, for a scanner at arm's length: the big QR carries the same link.
  await button(page, 'Show full screen').click();
  const dialog = page.getByRole('dialog', { name: 'QR code, full screen' });
  const big = dialog.getByRole('img');
  await big.waitFor();
  assert.equal(await decodeQr(big), passcodeLink);
  const box = await big.boundingBox();
  assert.ok(box.width > 600, `the full-screen QR is large (${box.width}px)`);
  await shot(page, 'patient-share-fullscreen');
  await button(dialog, 'Close').click();

  const clinician = await recordedContext(browser, { viewport: { width: 390, height: 844 } });
  const view = await clinician.context.newPage();
  await view.goto(passcodeLink);
  await view.getByText('For the pharmacist').waitFor();
  await openAsClinician(view, passcodeLink, { passcode: '0000' });
  await view.getByRole('alert').getByText('That passcode is not right. 9 attempts are left').waitFor();
  await assertAccessible(view, 'viewer with wrong passcode');
  await byLabel(view, /^Passcode/).fill('4711');
  await button(view, 'Open record').click();
  await view.getByRole('rowheader', { name: 'Lisinopril 10 mg' }).waitFor();
  await view.getByText('Allergies: withheld by the patient.').waitFor();
  assert.equal(await view.getByText(/no known allergies/i).count(), 0);
  await view.getByText('For the pharmacist').waitFor();
  await shot(view, 'clinician-passcode-summary');
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();
});

test('kill-the-clipboard resolves our passcode link, and refuses a wrong passcode', async () => {
  await assert.rejects(new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'ktc wrong', passcode: 'nope' }));
  const resolved = await new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'ktc passcode', passcode: '4711' });
  const bundle = resolved.fhirResources.find((r) => r.resourceType === 'Bundle');
  const meds = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'MedicationStatement');
  assert.deepEqual(meds.map((m) => m.medicationCodeableConcept.text), ['Lisinopril 10 mg']);
});

test('the patient sees opens and wrong passcodes, pauses the link, and re-arms it', async () => {
  const item = page.locator('.share-item').first();
  await item.getByText('passcode · at most 3 openings').waitFor();
  await item.getByRole('button', { name: 'Who opened it?' }).click();
  const status = item.getByRole('status');
  await status.getByText('Opened 2 times.').waitFor();
  await status.getByText('Dr Grace Hopper, GP (wrong passcode)').waitFor();
  // One wrong passcode from our viewer, one from kill-the-clipboard: 10 − 2.
  await status.getByText('8 wrong passcode attempts left.').waitFor();

  await item.getByRole('button', { name: 'Pause' }).click();
  await status.getByText('Paused: nobody can open it until you re-arm it.').waitFor();
  await assert.rejects(new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'while paused', passcode: '4711' }));
  await shot(page, 'patient-share-paused');

  await item.getByRole('button', { name: 'Re-arm' }).click();
  await item.getByRole('button', { name: 'Pause' }).waitFor();
  const resolved = await new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'after re-arm', passcode: '4711' });
  assert.ok(resolved.fhirResources.some((r) => r.resourceType === 'Bundle'));

  // That was the third opening of three: the link is used up.
  await assert.rejects(new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'one too many', passcode: '4711' }));
});

test('a manifest link (no U) opens in our viewer and in kill-the-clipboard', async () => {
  const link = await share(async (panel) => {
    // The form keeps the previous share's choices: put Allergies back.
    await panel.getByLabel('Allergies').check();
    await panel.getByText('More options').click();
    await byLabel(panel, /^Passcode/).fill('');
    await byLabel(panel, /^Most openings/).fill('');
    await byLabel(panel, /^Label/).fill('');
    await panel.getByLabel(/Make a manifest link/).check();
  });
  const payload = payloadOf(link);
  // Written though empty: the connectathon IPS viewer reads `flag` unchecked and throws without it.
  assert.equal(payload.flag, '', 'a manifest link has neither U nor P');
  assert.equal(payload.label, undefined, 'no label in the link unless asked');

  const resolved = await new SHLViewer({ shlinkURI: link }).resolveSHL({ recipient: 'ktc manifest', embeddedLengthMax: 100 });
  assert.ok(resolved.fhirResources.some((r) => r.resourceType === 'Bundle'), 'fetched through a location URL');

  const clinician = await recordedContext(browser);
  const view = await clinician.context.newPage();
  await openAsClinician(view, link);
  await view.getByRole('rowheader', { name: 'Lisinopril 10 mg' }).waitFor();
  await view.getByRole('region', { name: 'Allergies', exact: true }).getByText('Allergies: not recorded. Ask the patient.').waitFor();
  await clinician.context.close();
});

test('our viewer opens a link kill-the-clipboard made and hosts itself (compressed file)', async () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'urn:uuid:0c3b1c2e-0000-4000-8000-000000000001', resource: { resourceType: 'Patient', name: [{ given: ['Katherine'], family: 'Johnson' }] } },
      {
        fullUrl: 'urn:uuid:0c3b1c2e-0000-4000-8000-000000000002',
        resource: {
          resourceType: 'MedicationStatement',
          status: 'active',
          medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361', display: 'Amlodipine 5 MG Oral Tablet' }] },
          dosage: [{ text: '1 tablet daily', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } }],
        },
      },
    ],
  };
  const ktc = await startKtcServer(bundle, { label: 'From another SHL server' });
  try {
    const link = `${relay.url}view#${ktc.shl.toURI()}`;
    const clinician = await recordedContext(browser);
    const view = await clinician.context.newPage();
    await openAsClinician(view, link, { name: 'Dr Dorothy Vaughan' });
    await view.getByRole('rowheader', { name: 'Amlodipine 5 MG Oral Tablet' }).waitFor();
    await view.getByRole('heading', { name: 'Katherine Johnson' }).waitFor();
    await view.getByText('once a day').waitFor();
    assert.deepEqual(ktc.requests, [{ recipient: 'Dr Dorothy Vaughan' }]);
    assert.deepEqual(realProblems(clinician.problems), []);
    await shot(view, 'clinician-ktc-link');
    await clinician.context.close();
  } finally {
    await ktc.close();
  }
});

test('our viewer shows a real IPS from a connectathon (every section as text, allergies first)', async () => {
  const fixture = new URL('../../core/tests/fixtures/ips/validated/IPS_IG-bundle-01.json', import.meta.url);
  const bundle = JSON.parse(await (await import('node:fs/promises')).readFile(fixture, 'utf8'));
  const ktc = await startKtcServer(bundle);
  try {
    const clinician = await recordedContext(browser, { viewport: { width: 390, height: 844 } });
    const view = await clinician.context.newPage();
    await openAsClinician(view, `${relay.url}view#${ktc.shl.toURI()}`, { name: 'Dr Mae Jemison' });
    await view.getByRole('heading', { name: 'Martha DeLarosa' }).waitFor();
    const headings = await view.getByRole('heading', { level: 2 }).allInnerTexts();
    assert.deepEqual(headings.slice(0, 2), ['Allergies', 'Active medications'], 'allergies and medications come first');
    const allergies = view.getByRole('region', { name: 'Allergies' });
    await allergies.getByText(/penicillin/i).first().waitFor();
    await view.getByRole('rowheader', { name: /anastrozole/i }).waitFor();
    await view.getByText(/Hemoglobin A1c/).first().waitFor();
    assert.equal(await view.locator('main img, main script, main iframe').count(), 0, 'nothing from the payload rendered as markup');
    await assertAccessible(view, 'viewer with a connectathon IPS');
    await shot(view, 'clinician-connectathon-ips');
    await clinician.context.close();
  } finally {
    await ktc.close();
  }
});
