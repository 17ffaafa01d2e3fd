// The emergency card: off until the patient turns it on; then the facts they ticked show on the
// first screen without the passphrase (after a reload too), follow every change to the binder,
// and vanish from the device the moment it is turned off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  PASSPHRASE, addMedication, assertAccessible, button, byLabel, horizontalOverflowAtPhoneWithLargeText, openPart,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();

const stored = (page) => page.evaluate(() => JSON.stringify({ ...localStorage }));
const card = (page) => page.getByRole('region', { name: 'Emergency information' });

async function addAllergy(page, substance) {
  await openPart(page, 'Medicines & allergies');
  await button(page, 'Add allergy').click();
  await byLabel(page, /^Substance/).fill(substance);
  await button(page, 'Save allergy').click();
  await page.getByRole('region', { name: 'Allergies' }).getByRole('heading', { name: substance }).waitFor();
}

async function unlock(page) {
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  await page.getByRole('heading', { name: /health binder$/ }).waitFor({ timeout: 30000 });
}

// Ticks exactly `fields` (the settings' own words) and nothing else.
async function choose(panel, fields) {
  for (const box of await panel.getByRole('checkbox').all()) {
    const name = (await box.evaluate((b) => b.closest('label').textContent)).trim();
    if (fields.includes(name)) await box.check(); else await box.uncheck();
  }
}

test('the emergency card shows on the first screen without unlocking, follows each save, and leaves nothing when turned off', async () => {
  const patient = await newPatient(suite, 'Ada Emergency');
  const { page, problems } = patient;
  await addAllergy(page, 'Peanuts');
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2, reason: 'Sugar' });

  await openPart(page, 'Emergency & paper');
  const panel = page.getByRole('region', { name: 'Emergency card on this device' });
  await panel.getByText('The card is off.').waitFor();
  assert.doesNotMatch(await stored(page), /Peanuts|emergency/, 'off by default: nothing stored');
  await assertAccessible(page, 'the Emergency & paper part');
  const phone = await horizontalOverflowAtPhoneWithLargeText(page);
  assert.ok(phone.overflow <= 0, `Emergency & paper scrolls sideways by ${phone.overflow}px at 390 px, 200 % text`);
  await phone.restore();

  await choose(panel, ['Name', 'Allergies', 'Medications you take now']);
  await button(panel, 'Turn on the card').click();
  await panel.getByText('The card is on, showing your binder.').waitFor();
  assert.match(await stored(page), /hb\/v1\/emergency-card.*Peanuts/, 'the card is kept outside the vault');

  // A reload locks the binder: the card is on the first screen, before any passphrase.
  await page.reload();
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();
  await card(page).waitFor();
  const shown = await card(page).innerText();
  for (const expected of ['Ada Emergency', 'Peanuts', 'Metformin 500 mg, 1 tablet twice a day']) {
    assert.ok(shown.includes(expected), `${expected} not on the card:\n${shown}`);
  }
  assert.ok(!shown.includes('Sugar'), 'a medication\'s reason is not on the card');
  await shot(page, 'emergency-card-locked');
  await assertAccessible(page, 'the unlock screen with the emergency card');
  const locked = await horizontalOverflowAtPhoneWithLargeText(page);
  assert.ok(locked.overflow <= 0, `the unlock screen scrolls sideways by ${locked.overflow}px at 390 px, 200 % text`);
  await shot(page, 'emergency-card-locked-phone');
  await locked.restore();

  // Every save rebuilds the card.
  await unlock(page);
  await addAllergy(page, 'Latex');
  await button(page, 'Lock').click();
  await card(page).getByText('Peanuts; Latex').waitFor();

  // Turned off: gone from the device at once, and from the first screen.
  await unlock(page);
  await openPart(page, 'Emergency & paper');
  await button(panel, 'Turn off the card').click();
  await panel.getByText('The card is off.').waitFor();
  const after = await stored(page);
  assert.doesNotMatch(after, /emergency-card|Peanuts|Latex|Metformin/, 'nothing of the card is left in storage');
  await page.reload();
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();
  assert.equal(await card(page).count(), 0, 'no emergency information without the card');
  assert.deepEqual(problems, []);
  await patient.context.close();
});
