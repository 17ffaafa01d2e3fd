// Keeping the binder's keys: the recovery code shown once at creation, a passphrase change that
// re-wraps the key, unlocking with the recovery code when the passphrase is forgotten, and locking
// by itself after a while without use or in the background.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordedContext, shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { PASSPHRASE, addMedication, assertAccessible, button, byLabel, medicationNames, openPart } from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const NEW_PASSPHRASE = 'a much better passphrase';

// Mary's binder with one medication; the page's clock is faked (time still flows) so the idle lock
// can be tested without waiting minutes. The recovery code card stays up for the test to read.
async function newBinder() {
  const patient = await newPatient(suite, 'Mary Jackson', {
    viewport: { width: 1280, height: 900 }, keepRecoveryCard: true, beforeCreate: (page) => page.clock.install(),
  });
  const card = patient.page.getByRole('region', { name: /Write down the recovery code/ });
  const recoveryCode = await card.getByLabel('Recovery code').innerText();
  await button(card, 'I have written it down').click();
  await addMedication(patient.page, { name: 'Atorvastatin', strength: '20 mg', amount: '1', unit: 'tablet', kind: 'Prescription' });
  return { ...patient, card, recoveryCode };
}

async function unlock(p, passphrase) {
  await byLabel(p, 'Passphrase').fill(passphrase);
  await button(p, 'Unlock').click();
}

test('a new binder shows its recovery code once', async () => {
  const { page, context } = await newPatient(suite, 'Mary Jackson', { keepRecoveryCard: true });
  const card = page.getByRole('region', { name: /Write down the recovery code/ });
  const recoveryCode = await card.getByLabel('Recovery code').innerText();
  assert.match(recoveryCode, /^([A-Z2-7]{4}-){6}[A-Z2-7]{2}$/);
  await assertAccessible(page, 'recovery code');
  await shot(page, 'patient-recovery-code');
  await button(card, 'I have written it down').click();
  assert.equal(await card.count(), 0);
  await addMedication(page, { name: 'Atorvastatin', strength: '20 mg', amount: '1', unit: 'tablet', kind: 'Prescription' });
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(recoveryCode.replaceAll('-', '')), 'the recovery code is not stored');
  await page.reload();
  await unlock(page, PASSPHRASE);
  await page.getByRole('heading', { name: "Mary Jackson's health binder" }).waitFor({ timeout: 30000 });
  assert.equal(await card.count(), 0, 'the code is not shown again');
  await context.close();
});

test('a weak new passphrase is refused with the reason, and the list it is checked against is not part of the first screen', async () => {
  const { context } = await recordedContext(suite.browser, { viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // The page's own requests (the service worker also keeps a copy for offline use, in the
  // background, which the first screen does not wait for).
  const asked = [];
  page.on('request', (r) => asked.push(r.url()));
  const listFetched = () => asked.some((url) => url.endsWith('/kdf/common-passwords.txt'));
  await page.goto(suite.relay.url);
  await page.getByRole('heading', { name: 'Create your health binder' }).waitFor();
  assert.ok(!listFetched(), 'the common-password list is not fetched for the first screen');
  await byLabel(page, 'Whose binder is this?').fill('Mary Jackson');
  const strength = page.locator('#create-strength');
  const attempts = [
    ['Password1!', /One of the commonest passwords/],
    ['p@ssw0rd123', /One of the commonest passwords/],
    ['MaryJackson1960', /Built from your name/],
    ['short', /Too short/],
  ];
  for (const [weak, reason] of attempts) {
    await byLabel(page, 'Passphrase').fill(weak);
    await strength.getByText(reason).waitFor({ timeout: 10000 });
    await byLabel(page, 'Type the passphrase again').fill(weak);
    await button(page, 'Create binder').click();
    await page.getByRole('alert').getByText(reason).waitFor({ timeout: 10000 });
  }
  assert.ok(listFetched(), 'the list was fetched once a passphrase was typed');
  await shot(page, 'patient-weak-passphrase');
  await assertAccessible(page, 'create, weak passphrase');
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hb/v1/')));
  assert.deepEqual(stored, [], 'nothing was created');

  await byLabel(page, 'Passphrase').fill('correct horse');
  await strength.getByText(/^Fair/).waitFor();
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await strength.getByText('Strong.').waitFor();
  await byLabel(page, 'Type the passphrase again').fill(PASSPHRASE);
  await button(page, 'Create binder').click();
  await page.getByRole('heading', { name: "Mary Jackson's health binder" }).waitFor({ timeout: 30000 });
  await context.close();
});

test('changing the passphrase: the old one stops working, the binder is intact', async () => {
  const { page, context } = await newBinder();
  await openPart(page, 'Security & backup');
  // Someone at the unlocked device who does not know the passphrase changes nothing.
  const stored = () => page.evaluate(() => JSON.stringify(Object.entries(localStorage).filter(([k]) => k.startsWith('hb/v1/')).sort()));
  const before = await stored();
  await byLabel(page, 'Current passphrase or recovery code').fill('a guess at the passphrase');
  await byLabel(page, 'New passphrase').fill(NEW_PASSPHRASE);
  await byLabel(page, 'Type the new passphrase again').fill(NEW_PASSPHRASE);
  await button(page, 'Change passphrase').click();
  await page.getByRole('alert').getByText('That is not the current passphrase or recovery code of this binder. Nothing was changed.').waitFor({ timeout: 30000 });
  await button(page, 'Make a new recovery code').click();
  // The same refusal is still on screen from the first attempt: wait for this one to finish.
  await page.getByRole('status').getByText('Making a new recovery code').waitFor({ state: 'detached', timeout: 30000 });
  await page.getByRole('alert').getByText('That is not the current passphrase or recovery code').waitFor({ timeout: 30000 });
  assert.equal(await page.getByRole('region', { name: /Write down the recovery code/ }).count(), 0, 'no new code');
  assert.equal(await stored(), before, 'storage byte-identical after the refused changes');

  await byLabel(page, 'Current passphrase or recovery code').fill(PASSPHRASE);
  // A new passphrase built from the patient's name is refused, whoever asks.
  await byLabel(page, 'New passphrase').fill('Jackson Mary!');
  await byLabel(page, 'Type the new passphrase again').fill('Jackson Mary!');
  await button(page, 'Change passphrase').click();
  await page.getByRole('alert').getByText(/Built from your name/).waitFor({ timeout: 30000 });
  assert.equal(await stored(), before, 'storage byte-identical after a refused new passphrase');

  await byLabel(page, 'New passphrase').fill(NEW_PASSPHRASE);
  await byLabel(page, 'Type the new passphrase again').fill(NEW_PASSPHRASE);
  await button(page, 'Change passphrase').click();
  // Two key derivations now: proving the current secret, then the new passphrase.
  await page.getByText('Passphrase changed. Use the new one next time.').waitFor({ timeout: 60000 });

  await page.reload();
  await unlock(page, PASSPHRASE);
  await page.getByRole('alert').getByText('That passphrase does not open this binder').waitFor({ timeout: 30000 });
  await unlock(page, NEW_PASSPHRASE);
  await page.getByRole('heading', { name: "Mary Jackson's health binder" }).waitFor({ timeout: 30000 });
  assert.deepEqual(await medicationNames(page), ['Atorvastatin 20 mg']);
  await context.close();
});

test('the passphrase handed to the key worker leaves no copy in a JavaScript array of the page', async () => {
  const { page, context } = await newBinder();
  // Keep every message the page posts to a worker, as anything in the page could.
  await page.evaluate(() => {
    window.__posted = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, transfer) {
      window.__posted.push(message);
      return post.call(this, message, transfer);
    };
  });
  await openPart(page, 'Security & backup');
  await byLabel(page, 'Current passphrase or recovery code').fill(PASSPHRASE);
  await byLabel(page, 'New passphrase').fill(NEW_PASSPHRASE);
  await byLabel(page, 'Type the new passphrase again').fill(NEW_PASSPHRASE);
  await button(page, 'Change passphrase').click();
  await page.getByText('Passphrase changed. Use the new one next time.').waitFor({ timeout: 60000 });
  // What the page's array still holds (a moved buffer is detached: 0 bytes).
  const left = await page.evaluate(() => window.__posted.map((m) => m[5].byteLength));
  assert.ok(left.length >= 2, `the page asked the worker for its derivations (${left.length})`);
  assert.deepEqual(left, left.map(() => 0), 'the secret was moved to the worker, not copied: the arrays in the page are empty');
  await context.close();
});

test('a forgotten passphrase: the recovery code, typed loosely, opens the binder', async () => {
  const { page, context, recoveryCode } = await newBinder();
  await page.reload();
  await button(page, 'Forgot your passphrase? Use your recovery code').click();
  await byLabel(page, /^Recovery code/).fill('WRONG-CODE');
  await button(page, 'Unlock with recovery code').click();
  await page.getByRole('alert').getByText('That recovery code does not open this binder').waitFor({ timeout: 30000 });
  await assertAccessible(page, 'unlock with recovery code');

  await byLabel(page, /^Recovery code/).fill(recoveryCode.toLowerCase().replaceAll('-', ' '));
  await button(page, 'Unlock with recovery code').click();
  await page.getByText('Opened with your recovery code. Choose a new passphrase under Security.').waitFor({ timeout: 30000 });
  assert.deepEqual(await medicationNames(page), ['Atorvastatin 20 mg']);
  await context.close();
});

test('the binder locks itself after the chosen time without use, and forgets what it showed', async () => {
  const { page, context } = await newBinder();
  await openPart(page, 'Security & backup');
  await byLabel(page, 'Lock by itself after').selectOption({ label: '1 minute without use' });
  await openPart(page, 'Medicines & allergies');
  await page.clock.fastForward('00:30');
  assert.deepEqual(await medicationNames(page), ['Atorvastatin 20 mg'], 'still open after 30 s');
  await page.clock.fastForward('00:45');
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();
  await page.getByText('Locked after 1 minute without use.').waitFor();
  assert.ok(!(await page.content()).includes('Atorvastatin'), 'nothing of the binder is left on the page');
  await shot(page, 'patient-idle-locked');
  await context.close();
});

test('the binder locks when the page has been in the background a while', async () => {
  const { page, context } = await newBinder();
  await openPart(page, 'Security & backup');
  await byLabel(page, 'Lock by itself after').selectOption({ label: '30 minutes without use' });
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await page.clock.fastForward('02:10');
  await page.getByText('Locked because the page was in the background.').waitFor();
  await context.close();
});

test('a damaged newest save is reported and the previous one opens: nothing is silently lost', async () => {
  const { page: p, context } = await newPatient(suite, 'Dorothy Vaughan');
  await addMedication(p, { name: 'Warfarin', strength: '5 mg', amount: '1', unit: 'tablet' });
  await addMedication(p, { name: 'Omeprazole', strength: '20 mg', amount: '1', unit: 'capsule' });
  assert.deepEqual(await medicationNames(p), ['Warfarin 5 mg', 'Omeprazole 20 mg']);

  // Flip one bit in the newest sealed generation, as a failing disk or a meddler would.
  const damaged = await p.evaluate(() => {
    const head = Object.keys(localStorage).find((k) => k.endsWith('/head'));
    const generation = localStorage.getItem(head);
    const key = head.replace(/head$/, `gen/${generation}`);
    const sealed = JSON.parse(localStorage.getItem(key));
    const bytes = atob(sealed.ciphertext.replaceAll('-', '+').replaceAll('_', '/'));
    const flipped = String.fromCharCode(bytes.charCodeAt(20) ^ 1);
    const b64 = btoa(bytes.slice(0, 20) + flipped + bytes.slice(21));
    sealed.ciphertext = b64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    localStorage.setItem(key, JSON.stringify(sealed));
    return generation;
  });
  await p.reload();
  await byLabel(p, 'Passphrase').fill(PASSPHRASE);
  await button(p, 'Unlock').click();
  await p.getByRole('alert').getByText(`The latest save of Dorothy Vaughan's binder (number ${damaged}) could not be read`).waitFor({ timeout: 30000 });
  assert.deepEqual(await medicationNames(p), ['Warfarin 5 mg'], 'the previous generation opened');
  await shot(p, 'patient-damaged-generation');
  await context.close();
});
