// Allergies, the first thing a clinician reads: listed ones, or an explicit "no known allergies"
// that the viewer shows as such — never confused with "not recorded".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { assertAccessible, button, byLabel, openAsClinician, openPart, shareLink } from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const WIDE = { width: 1280, height: 900 };

const allergiesSection = (page) => page.getByRole('region', { name: 'Allergies' });

// Shares the binder as it is now and opens the link as a clinician, then goes back to the
// allergies on the patient's side.
async function shareAndOpen(page) {
  const link = await shareLink(page);
  const clinician = await newClinician(suite);
  await openAsClinician(clinician.view, link);
  await clinician.view.getByRole('heading', { name: 'Annie Easley' }).waitFor();
  await openPart(page, 'Medicines & allergies');
  return { view: clinician.view, close: () => clinician.context.close() };
}

test('"no known allergies" is a choice the patient makes, and the clinician sees it as such', async () => {
  const { page, context } = await newPatient(suite, 'Annie Easley', { viewport: WIDE });
  await allergiesSection(page).getByText('Not recorded yet.').waitFor();
  let { view, close } = await shareAndOpen(page);
  await view.getByRole('region', { name: 'Allergies' }).getByText('Allergies: not recorded. Ask the patient.').waitFor();
  await close();

  await button(page, 'I have no known allergies').click();
  await allergiesSection(page).getByText('No known allergies').waitFor();
  ({ view, close } = await shareAndOpen(page));
  const shown = await view.getByRole('region', { name: 'Allergies' }).innerText();
  assert.match(shown, /no known allerg/i);
  assert.doesNotMatch(shown, /not recorded/i);
  await shot(view, 'clinician-no-known-allergies');
  await close();
  await context.close();
});

test('allergies are added, checked, edited and deleted; listing one replaces "none known"', async () => {
  const { page, context } = await newPatient(suite, 'Annie Easley', { viewport: WIDE });
  await button(page, 'I have no known allergies').click();
  await allergiesSection(page).getByText('No known allergies').waitFor();
  await button(page, 'Add allergy').click();
  await button(page, 'Save allergy').click();
  await page.getByRole('alert').getByText('Enter what causes the reaction.').waitFor();
  await assertAccessible(page, 'allergy form with an error');

  await byLabel(page, /^Substance/).fill('Penicillin');
  await byLabel(page, 'Kind').selectOption({ label: 'Medication' });
  await byLabel(page, /^What happens/).fill('hives and throat swelling');
  await byLabel(page, 'How bad').selectOption({ label: 'Severe' });
  await button(page, 'Save allergy').click();
  const section = allergiesSection(page);
  await section.getByRole('heading', { name: 'Penicillin' }).waitFor();
  await section.getByText('Medication · hives and throat swelling · Severe').waitFor();
  assert.equal(await section.getByText('No known allergies').count(), 0, '"none known" is gone once one is listed');
  assert.equal(await button(page, 'I have no known allergies').count(), 0);

  await page.getByRole('button', { name: 'Edit Penicillin' }).click();
  assert.equal(await byLabel(page, /^What happens/).inputValue(), 'hives and throat swelling');
  await byLabel(page, 'How bad').selectOption({ label: 'Moderate' });
  await button(page, 'Save allergy').click();
  await section.getByText('Medication · hives and throat swelling · Moderate').waitFor();
  await assertAccessible(page, 'allergy list');
  await shot(page, 'patient-allergies');

  const { view, close } = await shareAndOpen(page);
  const allergies = view.getByRole('region', { name: 'Allergies' });
  await allergies.getByText('Penicillin').waitFor();
  await allergies.getByText(/hives and throat swelling/).waitFor();
  await close();

  await page.getByRole('button', { name: 'Delete Penicillin' }).click();
  await button(page, 'Yes, delete').click();
  await allergiesSection(page).getByText('Not recorded yet.').waitFor();
  await context.close();
});
