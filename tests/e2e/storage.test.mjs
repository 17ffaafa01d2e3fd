// A full device: when the browser refuses to store a save, the patient is told, nothing in memory
// is lost, and the next save after space is freed keeps everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { PASSPHRASE, addMedication, button, byLabel, medicationNames } from '../support/ui.mjs';

const suite = useRelayAndBrowser();

test('storage full: the save is refused with a clear message, and nothing in memory is lost', async () => {
  const patient = await newPatient(suite, 'Gladys West');
  const { page } = patient;
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet' });

  // Fill what is left of localStorage with filler, as other sites' data or old saves would.
  const filled = await page.evaluate(() => {
    const chunk = 'x'.repeat(64 * 1024);
    let n = 0;
    for (let size = chunk.length; size >= 16; ) {
      try { localStorage.setItem(`filler/${n++}`, chunk.slice(0, size)); } catch { size = Math.floor(size / 2); }
    }
    return n;
  });
  assert.ok(filled > 10, 'storage was filled');

  await addMedication(page, { name: 'Lisinopril', strength: '10 mg', amount: '1', unit: 'tablet' });
  await page.getByRole('alert').getByText(/^Not saved: This device's storage refused to save/).waitFor();
  assert.deepEqual(await medicationNames(page), ['Metformin 500 mg', 'Lisinopril 10 mg'], 'the change is still on screen');
  await shot(page, 'storage-full');

  // Space freed, the next change saves the whole binder, the refused change included.
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler/')).forEach((k) => localStorage.removeItem(k)));
  await addMedication(page, { name: 'Vitamin D3', strength: '1000 IU', amount: '1', unit: 'capsule' });
  assert.equal(await page.getByText('Not saved:').count(), 0, 'the warning goes once a save works again');
  await page.reload();
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  await page.getByRole('heading', { name: "Gladys West's health binder" }).waitFor({ timeout: 30000 });
  assert.deepEqual(await medicationNames(page), ['Metformin 500 mg', 'Lisinopril 10 mg', 'Vitamin D3 1000 IU']);
  await patient.context.close();
});
