// Sharing as SMART Health Links receivers expect it: the patient chooses sections, passcode, label
// and link type; the clinician's viewer and kill-the-clipboard (an independent implementation)
// read every kind of link we make; our viewer reads links kill-the-clipboard made on its own
// server; the patient pauses, re-arms and watches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SHLViewer } from 'kill-the-clipboard';
import { startKtcServer } from '../support/ktc-server.mjs';
import { decodeQr, shot } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { addMedication, assertAccessible, button, byLabel, openAsClinician, realProblems, shareLink } from '../support/ui.mjs';

// Loopback servers are not HTTPS: let the viewer fetch from them as it would from https: ones.
const suite = useRelayAndBrowser({ relay: { env: { HB_VIEWER_CONNECT_SRC: 'https: http://127.0.0.1:*' } } });

async function newBinder() {
  const patient = await newPatient(suite, 'Grace Hopper', { viewport: { width: 1280, height: 900 } });
  await addMedication(patient.page, { name: 'Lisinopril', strength: '10 mg', amount: '1', unit: 'tablet', kind: 'Prescription', reason: 'Blood pressure' });
  return patient;
}

// A link without allergies, with passcode 4711, at most 3 openings and a label shown beforehand.
const passcodeShare = (page) => shareLink(page, async (panel) => {
  await panel.getByLabel('Allergies').uncheck();
  await panel.getByText('More options').click();
  await byLabel(panel, /^Label/).fill('For the pharmacist');
  await panel.getByLabel(/Show the label before the link is opened/).check();
  await byLabel(panel, /^Passcode/).fill('4711');
  await byLabel(panel, /^Most openings/).fill('3');
});

const payloadOf = (link) => JSON.parse(Buffer.from(link.split('#shlink:/')[1], 'base64url').toString());

test('a passcode link withholds what the patient left out and shows the label only if asked', async () => {
  const { page, context } = await newBinder();
  const passcodeLink = await passcodeShare(page);
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

  const clinician = await newClinician(suite);
  const { view } = clinician;
  await view.goto(passcodeLink);
  await view.getByText('For the pharmacist').waitFor();
  await openAsClinician(view, passcodeLink, { passcode: '0000' });
  await view.getByRole('alert').getByText('That passcode is not right. 9 attempts are left').waitFor();
  await assertAccessible(view, 'viewer with wrong passcode');
  await byLabel(view, /^Passcode/).fill('4711');
  await button(view, 'Open record').click();
  await view.getByRole('rowheader', { name: 'Lisinopril 10 mg' }).waitFor();
  await view.getByRole('region', { name: 'Allergies' }).getByText('Allergies: withheld by the patient.').waitFor();
  assert.equal(await view.getByText(/no known allergies/i).count(), 0);
  await view.getByText('For the pharmacist').waitFor();
  await shot(view, 'clinician-passcode-summary');
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();
  await context.close();
});

test('kill-the-clipboard resolves our passcode link, and refuses a wrong passcode', async () => {
  const { page, context } = await newBinder();
  const passcodeLink = await passcodeShare(page);
  await assert.rejects(new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'ktc wrong', passcode: 'nope' }));
  const resolved = await new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'ktc passcode', passcode: '4711' });
  const bundle = resolved.fhirResources.find((r) => r.resourceType === 'Bundle');
  const meds = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'MedicationStatement');
  assert.deepEqual(meds.map((m) => m.medicationCodeableConcept.text), ['Lisinopril 10 mg']);
  await context.close();
});

test('the patient sees opens and wrong passcodes, pauses the link, and re-arms it', async () => {
  const { page, context } = await newBinder();
  const passcodeLink = await passcodeShare(page);
  // A wrong passcode and an opening from our viewer, the same from kill-the-clipboard.
  const clinician = await newClinician(suite);
  await openAsClinician(clinician.view, passcodeLink, { passcode: '0000' });
  await clinician.view.getByRole('alert').getByText('That passcode is not right').waitFor();
  await byLabel(clinician.view, /^Passcode/).fill('4711');
  await button(clinician.view, 'Open record').click();
  await clinician.view.getByRole('rowheader', { name: 'Lisinopril 10 mg' }).waitFor();
  await clinician.context.close();
  await assert.rejects(new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'ktc wrong', passcode: 'nope' }));
  await new SHLViewer({ shlinkURI: passcodeLink }).resolveSHL({ recipient: 'ktc passcode', passcode: '4711' });

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
  await context.close();
});

test('a manifest link (no U) opens in our viewer and in kill-the-clipboard', async () => {
  const { page, context } = await newBinder();
  const link = await shareLink(page, async (panel) => {
    await panel.getByText('More options').click();
    await panel.getByLabel(/Make a manifest link/).check();
  });
  const payload = payloadOf(link);
  // Written though empty: the connectathon IPS viewer reads `flag` unchecked and throws without it.
  assert.equal(payload.flag, '', 'a manifest link has neither U nor P');
  assert.equal(payload.label, undefined, 'no label in the link unless asked');

  const resolved = await new SHLViewer({ shlinkURI: link }).resolveSHL({ recipient: 'ktc manifest', embeddedLengthMax: 100 });
  assert.ok(resolved.fhirResources.some((r) => r.resourceType === 'Bundle'), 'fetched through a location URL');

  const { view, context: clinicianContext } = await newClinician(suite, { viewport: { width: 1280, height: 720 } });
  await openAsClinician(view, link);
  await view.getByRole('rowheader', { name: 'Lisinopril 10 mg' }).waitFor();
  await view.getByRole('region', { name: 'Allergies', exact: true }).getByText('Allergies: not recorded. Ask the patient.').waitFor();
  await clinicianContext.close();
  await context.close();
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
    const link = `${suite.relay.url}view#${ktc.shl.toURI()}`;
    const clinician = await newClinician(suite, { viewport: { width: 1280, height: 720 } });
    const { view } = clinician;
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
  const bundle = JSON.parse(readFileSync(new URL('../../core/tests/fixtures/ips/validated/IPS_IG-bundle-01.json', import.meta.url), 'utf8'));
  const ktc = await startKtcServer(bundle);
  try {
    const clinician = await newClinician(suite);
    const { view } = clinician;
    await openAsClinician(view, `${suite.relay.url}view#${ktc.shl.toURI()}`, { name: 'Dr Mae Jemison' });
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
