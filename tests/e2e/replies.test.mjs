// The clinician's side of the loop, end to end: the clinician opens a share and finds allergies and
// active medications first, reads the SBAR, and sends back new orders, a follow-up and a note (a
// discharge); the patient fetches the reply, reconciles it line by line and accepts some lines;
// the binder shows them with their source; the care transition checklist appears; the visit is
// forwarded to the primary care provider as a share made in one step; and a second holder of the
// same link cannot read the reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { shot } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  addMedication, assertAccessible, button, byLabel, fillForm, horizontalOverflowAtPhoneWithLargeText, openAsClinician,
  openPart, realProblems, shareLink,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const CLINICIAN = 'Dr Grace Hopper, GP';

// "13 December 2026", `days` from now on the browser's clock, as the app writes dates.
const localDate = (page, days) => page.evaluate((d) => {
  const at = new Date(Date.now() + d * 86400000);
  const month = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][at.getMonth()];
  return `${at.getDate()} ${month} ${at.getFullYear()}`;
}, days);

// The same day as the app's translated sentences write it: in the browser's language, through
// Intl ("December 13, 2026" in en-US).
const shownDate = (page, days) => page.evaluate((d) => new Date(Date.now() + d * 86400000)
  .toLocaleDateString(navigator.language, { day: 'numeric', month: 'long', year: 'numeric' }), days);

async function binderWithMedicationsAllergyAndGp(page) {
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2, reason: 'Type 2 diabetes' });
  await addMedication(page, { name: 'Simvastatin', strength: '20 mg', amount: '1', unit: 'tablet', reason: 'Cholesterol' });
  await addMedication(page, { name: 'Aspirin', strength: '81 mg', amount: '1', unit: 'tablet', kind: 'Over-the-counter', reason: 'Heart' });
  await button(page, 'Add allergy').click();
  await byLabel(page, /^Substance/).fill('Penicillin');
  await button(page, 'Save allergy').click();
  await openPart(page, 'Care team');
  const team = page.getByRole('region', { name: 'Care team', exact: true });
  await button(team, 'Add provider').click();
  await fillForm(team.locator('form'), [['Name', 'Dr Priya Patel'], ['Role or specialty', 'GP'], ['This is my primary care provider', { check: true }]]);
  await button(team, 'Save provider').click();
  await team.locator('form').waitFor({ state: 'detached' });
}

test('orders sent back are reconciled line by line, land with their source, add the checklist and go on to the GP', async () => {
  const patient = await newPatient(suite, 'Ada Loop', { viewport: { width: 1100, height: 900 } });
  const { page } = patient;
  await binderWithMedicationsAllergyAndGp(page);
  const link = await shareLink(page);

  // The clinician: safety first, then the hand-off, then the reply at the end.
  const clinician = await newClinician(suite);
  const { view } = clinician;
  await openAsClinician(view, link, { name: CLINICIAN });
  await view.getByRole('heading', { name: 'Active medications' }).waitFor();
  const headings = await view.locator('main h2').allInnerTexts();
  assert.deepEqual(headings.slice(0, 2), ['Allergies', 'Active medications'], headings.join(' | '));
  assert.ok(headings.indexOf("Patient's hand-off summary (SBAR)") > 1, 'the SBAR follows the safety sections');
  await view.getByText('Allergies: Penicillin.').waitFor();
  const reply = view.getByRole('region', { name: 'Reply to the patient' });
  assert.equal(await byLabel(reply, /^Your name and role/).inputValue(), CLINICIAN, 'the name given to open the record');
  const orders = byLabel(reply, /^Medication orders/);
  assert.match(await orders.inputValue(), /^Metformin 500 mg 1 tablet twice a day$/m, 'starts from the shared list');
  assert.ok(await reply.getByLabel(/This is the whole list from now on/).isChecked());
  await orders.fill([
    'Metformin 1000 mg 1 tab BID',
    'Aspirin 81 mg daily',
    'Atorvastatin 40 mg daily',
    'Ramipril 5 mg daily',
    'Amoxicillin 500 mg TID',
  ].join('\n'));
  await reply.getByText('Metformin · 1000 mg · 1 tablet · twice a day').waitFor();
  await reply.getByText('Ramipril · 5 mg · once a day').waitFor();
  await byLabel(reply, /^Follow-ups/).fill('See PCP within 7 days');
  await byLabel(reply, 'Visit note').fill('Admitted with chest pain, MI ruled out. Statin switched.');
  await reply.getByLabel(/A discharge from hospital/).check();
  await assertAccessible(view, 'viewer reply form');
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(view);
  await shot(view, 'clinician-reply-390-text200');
  await restore();
  assert.ok(overflow <= 0, `${overflow}px of sideways scrolling at 390 px with 200 % text`);
  await button(reply, 'Send to the patient').click();
  await reply.getByRole('status').getByText(/^Sent\. Only the patient can read it/).waitFor();
  const posted = clinician.requests.find((r) => r.url.endsWith('/replies') && r.body.includes('jwe'));
  assert.ok(posted, 'the reply went to the relay');
  const jwe = JSON.parse(posted.body).jwe;
  const header = JSON.parse(Buffer.from(jwe.split('.')[0], 'base64url'));
  assert.equal(header.alg, 'ECDH-ES');
  assert.equal(header.enc, 'A256GCM');
  assert.ok(!posted.body.includes('Ramipril') && !posted.body.includes('chest pain'), 'only ciphertext leaves the browser');

  // A second holder of the same link opens the record, but no reply: listing replies takes the
  // management secret only the patient's device has, and the link's key opens nothing of it.
  const second = await newClinician(suite);
  await openAsClinician(second.view, link, { name: 'Someone else' });
  await second.view.getByRole('heading', { name: 'Active medications' }).waitFor();
  const payload = JSON.parse(Buffer.from(link.split('#shlink:/')[1], 'base64url').toString());
  const listed = await fetch(`${payload.url.replace('/shl/', '/api/shares/')}/replies`);
  assert.equal(listed.status, 404);
  const listedWithTheKey = await fetch(`${payload.url.replace('/shl/', '/api/shares/')}/replies`, { headers: { authorization: `Bearer ${payload.key}` } });
  assert.equal(listedWithTheKey.status, 404, 'the link key is no management secret');
  const [protectedB64, , iv, ciphertext, tag] = jwe.split('.');
  const linkKey = await webcrypto.subtle.importKey('raw', Buffer.from(payload.key, 'base64url'), 'AES-GCM', false, ['decrypt']);
  await assert.rejects(webcrypto.subtle.decrypt(
    { name: 'AES-GCM', iv: Buffer.from(iv, 'base64url'), additionalData: Buffer.from(protectedB64) },
    linkKey, Buffer.concat([Buffer.from(ciphertext, 'base64url'), Buffer.from(tag, 'base64url')]),
  ), 'the link key does not open the reply');
  assert.deepEqual(realProblems(second.problems), []);
  await second.context.close();

  // The patient fetches the reply: kept in the vault, gone from the relay.
  await openPart(page, 'Share');
  await button(page, 'Check for replies').click();
  await page.getByRole('status').getByText('1 new reply.').waitFor();
  await page.getByText(`Reply from ${CLINICIAN}`).waitFor();
  await page.getByRole('button', { name: `Review Reply from ${CLINICIAN}` }).click();
  const review = page.getByRole('region', { name: `Review the reply from ${CLINICIAN}` });
  await review.getByText(/^Not verified: anyone who had the link could have sent this/).waitFor();
  const row = (text) => review.locator('li.recon').filter({ hasText: text });
  assert.equal(await row('Metformin 500 mg').locator('.badge').first().innerText(), 'Changed');
  assert.equal(await row('Simvastatin 20 mg').locator('.badge').first().innerText(), 'Stop');
  assert.equal(await row('Aspirin 81 mg').locator('.badge').first().innerText(), 'Continue');
  assert.equal(await row('Atorvastatin').locator('.badge').first().innerText(), 'New');
  assert.deepEqual(await row('Amoxicillin').locator('.badge').allInnerTexts(), ['New', 'Allergy']);
  await row('Amoxicillin').getByText(/amoxicillin is one of the penicillins/).waitFor();
  const accept = (text) => review.getByRole('checkbox', { name: text });
  assert.ok(await accept(/Change to: Metformin 1000 mg 1 tab BID/).isChecked());
  assert.ok(!(await accept(/Start: Amoxicillin 500 mg TID/).isChecked()), 'an allergy line is never ticked for the patient');
  await accept(/Start: Atorvastatin 40 mg daily/).uncheck(); // the patient rejects this one
  assert.ok(await review.getByLabel(/Add the checklist for leaving hospital/).isChecked(), 'offered for a discharge');
  await assertAccessible(page, 'reply review');
  await shot(page, 'patient-reply-review');
  await button(review, 'Save what I accepted').click();
  await review.getByRole('status').getByText('Saved: 1 medication started, 1 medication changed, 1 medication stopped, 1 medication checked, 4 tasks added, 1 note added.').waitFor();
  await button(review, 'Close').click();

  // The binder: what was accepted, with where it came from; nothing of what was not.
  const today = await localDate(page, 0);
  await openPart(page, 'Medicines & allergies');
  const card = (name) => page.locator('li.medication').filter({ has: page.getByRole('heading', { name }) });
  await card('Metformin 1000 mg').getByText(`Verified on ${await shownDate(page, 0)} from a reply by ${CLINICIAN}`).waitFor();
  await card('Simvastatin 20 mg').getByText('Stopped').waitFor();
  await card('Ramipril 5 mg').getByText(`From ${CLINICIAN}, ${today}`).waitFor();
  assert.equal(await page.getByRole('heading', { name: /Atorvastatin|Amoxicillin/ }).count(), 0, 'rejected lines are not added');
  await shot(page, 'patient-medications-after-reply');

  // The care transition checklist and the follow-up, as tasks with due dates until ticked.
  await page.getByText('3 tasks to do').waitFor();
  await button(page, 'See tasks').click();
  const tasks = page.getByRole('region', { name: 'To do' });
  const task = (title) => tasks.locator('li.task').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  await task('Follow-up call').getByText(`Due ${await localDate(page, 3)}`).waitFor();
  await task('Visit your primary care provider (or a home visit)').getByText(`Due ${await localDate(page, 7)}`).waitFor();
  await task('See PCP within 7 days').getByText(`Due ${await localDate(page, 7)}`).waitFor();
  await task('Medication reconciliation after leaving hospital').getByText(`Done ${today}`).waitFor();
  // Ticked, it moves below the open ones (the list is redrawn).
  await task('Follow-up call').getByRole('checkbox', { name: 'Done Follow-up call' }).click();
  await task('Follow-up call').getByText(`Done ${today}`).waitFor();
  await assertAccessible(page, 'tasks');
  await shot(page, 'patient-tasks');
  await openPart(page, 'Notes');
  await page.getByText(`Visit note from ${CLINICIAN}: Admitted with chest pain, MI ruled out. Statin switched.`).waitFor();

  // Forward to the primary care provider: one step, a share of its own.
  await openPart(page, 'Share');
  const sharesBefore = await page.locator('li.share-item').count();
  await page.getByRole('button', { name: `Forward to Dr Priya Patel Reply from ${CLINICIAN}` }).click();
  const forwarded = page.locator('.forwarded');
  await forwarded.getByRole('status').getByText(/A share for your care team is ready/).waitFor();
  const forwardedLink = await byLabel(forwarded, 'Link').inputValue();
  assert.notEqual(forwardedLink, link);
  assert.equal(await page.locator('li.share-item').count(), sharesBefore + 1, 'listed under Your shares');
  await page.locator('li.share-item').first().getByText('“For Dr Priya Patel: visit with Dr Grace Hopper, GP”').waitFor();

  const gp = await newClinician(suite);
  await openAsClinician(gp.view, forwardedLink, { name: 'Dr Priya Patel, GP' });
  const visit = gp.view.getByRole('region', { name: /^From the visit with Dr Grace Hopper, GP/ });
  await visit.getByText('Admitted with chest pain, MI ruled out. Statin switched.').waitFor();
  await visit.getByText('Ramipril 5 mg daily').waitFor();
  await gp.view.getByRole('rowheader', { name: 'Metformin 1000 mg' }).waitFor();
  await shot(gp.view, 'gp-forwarded-visit');

  for (const [who, problems] of [['patient', patient.problems], ['clinician', clinician.problems], ['gp', gp.problems]]) {
    assert.deepEqual(realProblems(problems), [], who);
  }
  await gp.context.close();
  await clinician.context.close();
  await patient.context.close();
});
