// On paper: the whole binder prints on A4 and on Letter, every section, with the print date and
// the private-information notice on every page; the wallet card prints at card size, and both its
// QR codes read from the PDF rendered at 300 dpi — the link opens the card's long-lived share in
// the viewer, and the other holds the card's text itself. Pages are rendered to PNG to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, shot } from '../support/browser.mjs';
import { pdfPageTexts, pdfToPng, readQrCodes } from '../support/pdf.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  addMedication, assertAccessible, button, byLabel, fillForm, horizontalOverflowAtPhoneWithLargeText, openAsClinician,
  openPart,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
// A large portal export (core/tests/fixtures/ips, with its licence), so the binder takes pages.
const PORTAL_EXPORT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'tests', 'fixtures', 'ips',
  'validated', 'AT_ELGA_GmbH_01.json');

const ENTRIES = [
  ['History', 'Conditions', 'condition', [['Condition', 'Type 2 diabetes'], ['Since', '2015']]],
  ['History', 'Conditions', 'condition', [['Condition', 'Asthma'], ['Since', '1990']]],
  ['History', 'Procedures and surgeries', 'procedure', [['Procedure or surgery', 'Appendectomy'], ['When', '1990']]],
  ['History', 'Immunizations', 'immunization', [['Vaccine', 'Influenza 2026/27'], ['When', 'October 2026']]],
  ['Results', 'Test results', 'result', [['Test', 'HbA1c'], ['Result', '7.1'], ['Unit', '%'], ['Date of the test', '2026-10-02']]],
  ['Appointments', 'Appointments', 'appointment', [['Date and time', '2026-12-03T09:30'], ['Purpose', 'Diabetes review']]],
  ['Vitals', 'Vitals log', 'reading', [['Reading', '138/86']]],
  ['Notes', 'Notes and symptom journal', 'note', [['Note', 'Dizzy after lunch']]],
  ['Care team', 'Care team', 'provider', [['Name', 'Dr Priya Patel'], ['Role or specialty', 'GP'], ['Phone', '+44 20 7946 0000']]],
];

async function fillBinder(page) {
  await openPart(page, 'About me');
  await button(page, 'Edit details').click();
  await fillForm(page.locator('form'), [['Date of birth', '14 March 1950'], ['Emergency contact', 'Byron Lovelace'],
    ["Emergency contact's relationship to you", 'son'], ["Emergency contact's phone", '+44 20 7946 0001']]);
  await button(page, 'Save details').click();
  await page.getByRole('button', { name: 'Edit details' }).waitFor();
  await openPart(page, 'Medicines & allergies');
  for (const [name, strength, times] of [['Metformin', '500 mg', 2], ['Lisinopril', '10 mg', 1], ['Atorvastatin', '40 mg', 1]]) {
    await addMedication(page, { name, strength, amount: '1', unit: 'tablet', times, reason: 'Private reason' });
  }
  await button(page, 'Add allergy').click();
  await byLabel(page, /^Substance/).fill('Penicillin');
  await button(page, 'Save allergy').click();
  await page.getByRole('region', { name: 'Allergies' }).getByRole('heading', { name: 'Penicillin' }).waitFor();
  for (const [part, region, item, fields] of ENTRIES) {
    await openPart(page, part);
    const section = page.getByRole('region', { name: region, exact: true });
    await button(section, `Add ${item}`).click();
    await fillForm(section.locator('form'), fields);
    await button(section, `Save ${item}`).click();
    await section.locator('form').waitFor({ state: 'detached' });
  }
}

async function importPortalExport(page) {
  await openPart(page, 'Import & export');
  await page.getByLabel('FHIR file or SMART Health Card file').setInputFiles(PORTAL_EXPORT);
  await button(page, 'Read it').click();
  await button(page, 'Add the ticked lines to my binder').click();
  await page.getByText(/^Added \d+ entries from file AT_ELGA_GmbH_01\.json/).waitFor();
}

// A day as the app writes it on paper: in the browser's language and time zone, through Intl
// ("December 5, 2026" in en-US). Today by default.
const today = (page, [year, month, day] = []) => page.evaluate(([y, m, d]) => (y ? new Date(y, m - 1, d) : new Date())
  .toLocaleDateString(navigator.language, { day: 'numeric', month: 'long', year: 'numeric' }), [year, month, day]);

test('the whole binder prints on A4 and Letter: every section, the date and the notice on every page', async () => {
  const patient = await newPatient(suite, 'Ada Paper');
  const { page, problems } = patient;
  await fillBinder(page);
  await importPortalExport(page);
  await openPart(page, 'Emergency & paper');
  await button(page, 'Print my binder').click();
  await page.getByRole('heading', { name: 'Health binder of Ada Paper' }).waitFor();
  await assertAccessible(page, 'the binder\'s print preview');
  const phone = await horizontalOverflowAtPhoneWithLargeText(page);
  assert.ok(phone.overflow <= 0, `the print preview scrolls sideways by ${phone.overflow}px at 390 px, 200 % text`);
  await phone.restore();

  const printed = `Printed ${await today(page)}`;
  const born = await today(page, [1950, 3, 14]);
  for (const format of ['A4', 'Letter']) {
    const file = join(ARTIFACTS, `binder-${format}.pdf`);
    writeFileSync(file, await page.pdf({ format }));
    pdfToPng(file, join(ARTIFACTS, `binder-${format}`));
    const pages = pdfPageTexts(file);
    assert.ok(pages.length >= 2, `${format}: ${pages.length} pages`);
    pages.forEach((text, i) => {
      assert.ok(text.includes('Private health information'), `${format} page ${i + 1} has no notice`);
      assert.ok(text.includes(printed), `${format} page ${i + 1} has no print date`);
      assert.ok(text.includes(`Page ${i + 1} of ${pages.length}`), `${format} page ${i + 1} is not numbered`);
    });
    const all = pages.join('\n');
    for (const expected of ['Health binder of Ada Paper', 'Keep this printout safe', 'About me', born,
      'Byron Lovelace', 'Allergies', 'Penicillin', 'Medications', 'Metformin 500 mg', 'Conditions', 'Type 2 diabetes',
      'Procedures and surgeries', 'Appendectomy', 'Immunizations', 'Influenza 2026/27', 'Test results', 'HbA1c',
      'Vitals log', '138/86 mmHg', 'Appointments', 'Diabetes review', 'Notes and symptom journal', 'Dizzy after lunch',
      'Care team', 'Dr Priya Patel']) {
      assert.ok(all.includes(expected), `${format}: "${expected}" is not printed`);
    }
    assert.ok(!/Print my binder|Close the preview|Lock/.test(all), `${format}: a control was printed`);
  }
  await button(page, 'Close the preview').click();
  await page.getByRole('heading', { name: 'Print your binder' }).waitFor();
  assert.deepEqual(problems, []);
  await patient.context.close();
});

test('the wallet card prints at card size, and both QR codes read from the PDF at 300 dpi', async () => {
  const patient = await newPatient(suite, 'Ada Wallet');
  const { page, problems } = patient;
  await fillBinder(page);
  // Enough that the card's text meets its budget, as a long medication list would.
  await importPortalExport(page);
  await openPart(page, 'Emergency & paper');
  const panel = page.getByRole('region', { name: 'Wallet card' });
  await assertAccessible(page, 'the wallet card panel');
  await button(panel, 'Make the card').click();
  await page.getByRole('heading', { name: 'Print your wallet card' }).waitFor();
  await shot(page, 'wallet-card-preview');
  await assertAccessible(page, 'the wallet card\'s print preview');
  const phone = await horizontalOverflowAtPhoneWithLargeText(page);
  assert.ok(phone.overflow <= 0, `the wallet card preview scrolls sideways by ${phone.overflow}px at 390 px, 200 % text`);
  await shot(page, 'wallet-card-preview-phone');
  await phone.restore();

  const file = join(ARTIFACTS, 'wallet-card.pdf');
  writeFileSync(file, await page.pdf({ format: 'A4' }));
  pdfToPng(file, join(ARTIFACTS, 'wallet-card'), 150);
  const [text] = pdfPageTexts(file, { layout: false });
  const printedOn = await today(page);
  assert.ok(text.includes(`Printed ${printedOn}`), 'the card says when it was printed');
  assert.match(text, /until\s+(\d{1,2}\s+\w+|\w+\s+\d{1,2},)\s+20\d\d/, 'the card says when its link ends');

  const codes = readQrCodes(file, { dpi: 300, heightMm: 100 });
  assert.equal(codes.length, 2, `QR codes read from the page: ${JSON.stringify(codes.map((c) => c.data.slice(0, 40)))}`);
  for (const code of codes) {
    console.log(`# figure: wallet card QR: version ${code.version} (${17 + 4 * code.version} modules), ${code.widthMm.toFixed(1)} mm wide, ${code.pixelsPerModule.toFixed(1)} px a module at 300 dpi, ${Buffer.byteLength(code.data)} bytes`);
    assert.ok(code.widthMm <= 40, `a QR code ${code.widthMm.toFixed(1)} mm wide does not fit the card`);
    assert.ok(code.pixelsPerModule >= 4.5, `${code.pixelsPerModule.toFixed(1)} px a module at 300 dpi is too fine to print`);
  }
  const link = codes.find((c) => c.data.includes('#shlink:/'));
  const own = codes.find((c) => c.data.startsWith('EMERGENCY HEALTH INFORMATION'));
  assert.ok(link && own, 'one link and one self-contained text');
  for (const expected of ['Name: Ada Wallet', `Born: ${await today(page, [1950, 3, 14])}`, 'Allergies: Penicillin',
    'Conditions: Type 2 diabetes; Asthma', 'Metformin 500 mg, 1 tablet twice a day', 'Call: Byron Lovelace (son) +44 20 7946 0001',
    `Written by the patient, ${printedOn}.`]) {
    assert.ok(own.data.includes(expected), `"${expected}" is not in the card's own QR:\n${own.data}`);
  }
  assert.ok(!own.data.includes('Private reason'), 'only the card\'s fields');
  assert.ok(Buffer.byteLength(own.data) <= 450, 'within the text budget');
  assert.match(own.data, /; and \d+ more\n/, 'a list cut to the budget says how much it left out');
  // The link lasts as long as the relay allows (31 days by default).
  const payload = JSON.parse(Buffer.from(link.data.split('#shlink:/')[1], 'base64url'));
  const days = (payload.exp * 1000 - Date.now()) / 86400000;
  assert.ok(days > 30.9 && days <= 31, `the link lasts ${days.toFixed(2)} days`);
  assert.equal(payload.label, undefined, 'no label in the link: it stays short');

  // The printed link opens the card's summary in the viewer.
  const clinician = await newClinician(suite);
  await openAsClinician(clinician.view, link.data);
  await clinician.view.getByRole('heading', { name: 'Active medications' }).waitFor();
  assert.ok(await clinician.view.getByText('Penicillin').first().isVisible());

  // A new link revokes the old one: the printed card's link stops opening.
  await button(page, 'Close the preview').click();
  await button(panel, 'Make a new link').click();
  await page.getByRole('heading', { name: 'Print your wallet card' }).waitFor();
  const again = await newClinician(suite);
  await openAsClinician(again.view, link.data);
  await again.view.getByText(/no longer active/).waitFor();
  assert.deepEqual(problems, []);
  await patient.context.close();
  await clinician.context.close();
  await again.context.close();
});
