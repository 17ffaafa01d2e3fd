// The clinician prints the shared summary: a typical binder (medications, allergies, problems,
// results, vitals, immunizations, procedures, care team) fits on at most two A4 pages, with
// allergies and medications on the first, and the patient's SBAR hand-off on paper too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { addMedication, button, byLabel, fillForm, openAsClinician, openPart } from '../support/ui.mjs';

const suite = useRelayAndBrowser();

const MEDICATIONS = [
  ['Metformin', '500 mg', 2, 'Type 2 diabetes'],
  ['Lisinopril', '10 mg', 1, 'Blood pressure'],
  ['Atorvastatin', '40 mg', 1, 'Cholesterol'],
  ['Amlodipine', '5 mg', 1, 'Blood pressure'],
  ['Omeprazole', '20 mg', 1, 'Reflux'],
  ['Levothyroxine', '75 mcg', 1, 'Thyroid'],
  ['Aspirin', '81 mg', 1, 'Heart'],
  ['Vitamin D3', '1000 IU', 1, 'Bones'],
];

const ENTRIES = [
  ['History', 'Conditions', 'condition', [['Condition', 'Type 2 diabetes'], ['Since', '2015']]],
  ['History', 'Conditions', 'condition', [['Condition', 'High blood pressure'], ['Since', '2012']]],
  ['History', 'Conditions', 'condition', [['Condition', 'Hypothyroidism'], ['Since', '2018']]],
  ['History', 'Procedures and surgeries', 'procedure', [['Procedure or surgery', 'Appendectomy'], ['When', '1990']]],
  ['History', 'Immunizations', 'immunization', [['Vaccine', 'Influenza 2026/27'], ['When', 'October 2026']]],
  ['History', 'Immunizations', 'immunization', [['Vaccine', 'COVID-19 booster'], ['When', 'September 2026']]],
  ['Results', 'Test results', 'result', [['Test', 'HbA1c'], ['Result', '7.1'], ['Unit', '%'], ['Date of the test', '2026-10-02']]],
  ['Results', 'Test results', 'result', [['Test', 'LDL cholesterol'], ['Result', '2.1'], ['Unit', 'mmol/L'], ['Date of the test', '2026-10-02']]],
  ['Results', 'Test results', 'result', [['Test', 'eGFR'], ['Result', '68'], ['Unit', 'mL/min'], ['Date of the test', '2026-10-02']]],
  ['Vitals', 'Vitals log', 'reading', [['Reading', '138/86']]],
  ['Vitals', 'Vitals log', 'reading', [['Reading', '142/88']]],
  ['Care team', 'Care team', 'provider', [['Name', 'Dr Priya Patel'], ['Role or specialty', 'GP'], ['Phone', '+44 20 7946 0000']]],
  ['Care team', 'Care team', 'provider', [['Name', 'Dr Omar Haddad'], ['Role or specialty', 'Endocrinologist']]],
];

test('a typical binder prints on at most two A4 pages, allergies and medications first', async () => {
  const patient = await newPatient(suite, 'Ada Print');
  const { page } = patient;
  for (const [name, strength, times, reason] of MEDICATIONS) {
    await addMedication(page, { name, strength, amount: '1', unit: 'tablet', times, reason });
  }
  for (const substance of ['Penicillin', 'Sulfa drugs']) {
    await button(page, 'Add allergy').click();
    await byLabel(page, /^Substance/).fill(substance);
    await button(page, 'Save allergy').click();
  }
  for (const [part, region, item, fields] of ENTRIES) {
    await openPart(page, part);
    const section = page.getByRole('region', { name: region, exact: true });
    await button(section, `Add ${item}`).click();
    await fillForm(section.locator('form'), fields);
    await button(section, `Save ${item}`).click();
    await section.locator('form').waitFor({ state: 'detached' });
  }
  await openPart(page, 'Share');
  const panel = page.locator('section.share');
  await button(panel, 'Show to my clinician').click();
  const link = await byLabel(panel, 'Link').inputValue();

  const clinician = await newClinician(suite, { viewport: { width: 1280, height: 900 } });
  const { view } = clinician;
  await openAsClinician(view, link);
  await view.getByRole('heading', { name: 'Active medications' }).waitFor();
  await view.getByRole('heading', { name: "Patient's hand-off summary (SBAR)" }).waitFor();
  assert.ok(await view.getByText('Allergies: Penicillin; Sulfa drugs.').isVisible(), 'the SBAR background, as text');
  await view.emulateMedia({ media: 'print' });
  await view.screenshot({ path: join(ARTIFACTS, 'print-viewer.png'), fullPage: true });
  const pdf = await view.pdf({ format: 'A4', printBackground: false });
  writeFileSync(join(ARTIFACTS, 'print-viewer.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
  assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
  // No control prints.
  assert.equal(await view.getByRole('button', { name: 'Print' }).isVisible(), false);
  await patient.context.close();
  await clinician.context.close();
});
