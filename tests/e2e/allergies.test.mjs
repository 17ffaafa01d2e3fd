// Allergies, the first thing a clinician reads: listed ones, or an explicit "no known allergies"
// that the viewer shows as such — never confused with "not recorded".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from '../support/relay.mjs';
import { launch, recordedContext, shot } from '../support/browser.mjs';
import { assertAccessible, button, byLabel, createBinder, openAsClinician, openPart } from '../support/ui.mjs';

let relay, browser, page;

before(async () => {
  relay = await startRelay();
  browser = await launch();
  const patient = await recordedContext(browser, { viewport: { width: 1280, height: 900 } });
  page = await patient.context.newPage();
  await createBinder(page, relay.url, 'Annie Easley');
  await button(page, 'I have written it down').click();
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

const allergiesSection = () => page.getByRole('region', { name: 'Allergies' });

async function shareAndOpen() {
  await openPart(page, 'Share');
  const panel = page.locator('section.share');
  if (await button(panel, 'Done').count()) await button(panel, 'Done').click();
  await button(panel, 'Show to my clinician').click();
  const link = await byLabel(panel, 'Link').inputValue();
  const clinician = await recordedContext(browser, { viewport: { width: 390, height: 844 } });
  const view = await clinician.context.newPage();
  await openAsClinician(view, link);
  await view.getByRole('heading', { name: 'Annie Easley' }).waitFor();
  await openPart(page, 'Medicines & allergies');
  return { view, close: () => clinician.context.close() };
}

test('"no known allergies" is a choice the patient makes, and the clinician sees it as such', async () => {
  await allergiesSection().getByText('Not recorded yet.').waitFor();
  let { view, close } = await shareAndOpen();
  await view.getByRole('region', { name: 'Allergies' }).getByText('Allergies: not recorded. Ask the patient.').waitFor();
  await close();

  await button(page, 'I have no known allergies').click();
  await allergiesSection().getByText('No known allergies').waitFor();
  ({ view, close } = await shareAndOpen());
  const shown = await view.getByRole('region', { name: 'Allergies' }).innerText();
  assert.match(shown, /no known allerg/i);
  assert.doesNotMatch(shown, /not recorded/i);
  await shot(view, 'clinician-no-known-allergies');
  await close();
});

test('allergies are added, checked, edited and deleted; listing one replaces "none known"', async () => {
  await button(page, 'Add allergy').click();
  await button(page, 'Save allergy').click();
  await page.getByRole('alert').getByText('Enter what causes the reaction.').waitFor();
  await assertAccessible(page, 'allergy form with an error');

  await byLabel(page, /^Substance/).fill('Penicillin');
  await byLabel(page, 'Kind').selectOption({ label: 'Medication' });
  await byLabel(page, /^What happens/).fill('hives and throat swelling');
  await byLabel(page, 'How bad').selectOption({ label: 'Severe' });
  await button(page, 'Save allergy').click();
  const section = allergiesSection();
  await section.getByRole('heading', { name: 'Penicillin' }).waitFor();
  await section.getByText('Medication · hives and throat swelling · Severe').waitFor();
  assert.equal(await button(page, 'I have no known allergies').count(), 0);

  await page.getByRole('button', { name: 'Edit Penicillin' }).click();
  assert.equal(await byLabel(page, /^What happens/).inputValue(), 'hives and throat swelling');
  await byLabel(page, 'How bad').selectOption({ label: 'Moderate' });
  await button(page, 'Save allergy').click();
  await section.getByText('Medication · hives and throat swelling · Moderate').waitFor();
  await assertAccessible(page, 'allergy list');
  await shot(page, 'patient-allergies');

  const { view, close } = await shareAndOpen();
  const allergies = view.getByRole('region', { name: 'Allergies' });
  await allergies.getByText('Penicillin').waitFor();
  await allergies.getByText(/hives and throat swelling/).waitFor();
  await close();

  await page.getByRole('button', { name: 'Delete Penicillin' }).click();
  await button(page, 'Yes, delete').click();
  await allergiesSection().getByText('Not recorded yet.').waitFor();
});
