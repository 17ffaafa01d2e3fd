// Languages (docs/languages.md): the patient's app in English or Spanish, the choice kept on the
// device and shown in <html lang>; the clinician's viewer in the clinician's browser language.
// Spanish runs about a fifth longer than English, so its screens are checked at 390 px with 200 %
// text and with axe as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordedContext, shot } from '../support/browser.mjs';
import { useRelayAndBrowser } from '../support/setup.mjs';
import {
  PASSPHRASE, assertAccessible, button, byLabel, horizontalOverflowAtPhoneWithLargeText, realProblems,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const htmlLang = (p) => p.evaluate(() => document.documentElement.lang);

async function assertFitsPhone(p, name) {
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(p);
  await shot(p, `${name}-390-text200`);
  await restore();
  assert.ok(overflow <= 0, `${name}: ${overflow}px of horizontal scrolling at 390 px with 200 % text`);
}

test('the first screen switches to Spanish and back, and the choice survives a reload', async () => {
  const patient = await recordedContext(suite.browser, { locale: 'en-US' });
  const page = await patient.context.newPage();
  await page.goto(suite.relay.url);
  await page.getByRole('heading', { name: 'Create your health binder' }).waitFor();
  assert.equal(await htmlLang(page), 'en');

  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Cree su carpeta de salud' }).waitFor();
  assert.equal(await htmlLang(page), 'es', 'screen readers read the page as Spanish');
  // Every text of the screen, not only the heading: labels, button, the restore panel.
  await byLabel(page, '¿De quién es esta carpeta?').waitFor();
  await byLabel(page, 'Escriba de nuevo la frase de contraseña').waitFor();
  await button(page, 'Crear la carpeta').waitFor();
  await page.getByText('Restaurar desde una copia de seguridad').waitFor();
  assert.equal(await page.getByText('Create binder').count(), 0, 'no English left on the screen');
  // The language named in itself stays "English" in the Spanish picker.
  assert.deepEqual(await byLabel(page, 'Idioma').locator('option').allInnerTexts(), ['English', 'Español']);
  // Core's messages too: the passphrase meter and the form's own check.
  await byLabel(page, 'Frase de contraseña').fill('short');
  await page.getByText(/^Demasiado corta/).waitFor();
  await button(page, 'Crear la carpeta').click();
  await page.getByRole('alert').getByText('Escriba de quién es esta carpeta.').waitFor();
  await assertAccessible(page, 'create, in Spanish');
  await assertFitsPhone(page, 'languages-create-es');

  await page.reload();
  await page.getByRole('heading', { name: 'Cree su carpeta de salud' }).waitFor();
  assert.equal(await htmlLang(page), 'es', 'the choice is kept on this device');

  await byLabel(page, 'Idioma').selectOption({ label: 'English' });
  await page.getByRole('heading', { name: 'Create your health binder' }).waitFor();
  assert.equal(await htmlLang(page), 'en');
  await page.reload();
  await page.getByRole('heading', { name: 'Create your health binder' }).waitFor();
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('a browser set to Spanish starts in Spanish, and switching language keeps the binder open', async () => {
  const patient = await recordedContext(suite.browser, { locale: 'es-ES' });
  const page = await patient.context.newPage();
  await page.goto(suite.relay.url);
  await page.getByRole('heading', { name: 'Cree su carpeta de salud' }).waitFor();
  assert.equal(await htmlLang(page), 'es');
  await byLabel(page, '¿De quién es esta carpeta?').fill('Ada Lovelace');
  await byLabel(page, 'Frase de contraseña').fill(PASSPHRASE);
  await byLabel(page, 'Escriba de nuevo la frase de contraseña').fill(PASSPHRASE);
  await button(page, 'Crear la carpeta').click();
  // The name is the patient's own text: never translated.
  await page.getByRole('heading', { name: 'Carpeta de salud de Ada Lovelace' }).waitFor({ timeout: 30000 });
  await button(page, 'I have written it down').click();
  const tabs = page.getByRole('navigation', { name: 'Partes de la carpeta' });
  await button(tabs, 'Medicamentos y alergias').waitFor();
  await button(tabs, 'Seguridad y copias').waitFor();
  await assertFitsPhone(page, 'languages-binder-es');

  await byLabel(page, 'Idioma').selectOption({ label: 'English' });
  await page.getByRole('heading', { name: "Ada Lovelace's health binder" }).waitFor();
  await button(page.getByRole('navigation', { name: 'Parts of the binder' }), 'Medicines & allergies').waitFor();

  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await button(page, 'Bloquear').click();
  await page.getByRole('heading', { name: 'Desbloquee su carpeta de salud' }).waitFor();
  await byLabel(page, 'Frase de contraseña').fill('not the passphrase');
  await button(page, 'Desbloquear').click();
  await page.getByRole('alert').getByText(/^Esa frase de contraseña no abre esta carpeta/).waitFor({ timeout: 30000 });
  await assertAccessible(page, 'unlock, in Spanish');
  await assertFitsPhone(page, 'languages-unlock-es');
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('the viewer follows the clinician\'s browser, not the patient\'s choice', async () => {
  // The same browser profile as a patient who chose Spanish in the app: the viewer stays English.
  const english = await recordedContext(suite.browser, { locale: 'en-US' });
  const app = await english.context.newPage();
  await app.goto(suite.relay.url);
  await byLabel(app, 'Language').selectOption({ label: 'Español' });
  await app.getByRole('heading', { name: 'Cree su carpeta de salud' }).waitFor();
  const view = await english.context.newPage();
  await view.goto(`${suite.relay.viewerUrl}view`);
  await view.getByRole('heading', { name: 'Health Binder viewer' }).waitFor();
  assert.equal(await htmlLang(view), 'en');
  assert.equal(await view.getByLabel(/^(Language|Idioma)$/).count(), 0, 'the viewer has no picker of its own');
  await english.context.close();

  const spanish = await recordedContext(suite.browser, { locale: 'es-MX', viewport: { width: 390, height: 844 } });
  const page = await spanish.context.newPage();
  await page.goto(`${suite.relay.viewerUrl}view`);
  await page.getByRole('heading', { name: 'Visor de Health Binder' }).waitFor();
  assert.equal(await htmlLang(page), 'es');
  await page.getByText('Escanee el código QR que le muestre el paciente').waitFor();
  await assertAccessible(page, 'viewer, in Spanish');
  await assertFitsPhone(page, 'languages-viewer-es');
  assert.deepEqual(realProblems(spanish.problems), []);
  await spanish.context.close();
});

test('once installed, Spanish works with the network off', async () => {
  const patient = await recordedContext(suite.browser, { locale: 'en-US' });
  const page = await patient.context.newPage();
  await page.goto(suite.relay.url);
  await page.getByRole('heading', { name: 'Create your health binder' }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await patient.context.setOffline(true);
  await page.reload();
  // The catalogue was never fetched by the page: it comes from the service worker's precache.
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Cree su carpeta de salud' }).waitFor();
  await patient.context.close();
});

// sweep A
// (end of sweep A)

// sweep B
// (end of sweep B)

// sweep C
// (end of sweep C)

// sweep D
// (end of sweep D)

// sweep E
// (end of sweep E)

// sweep F
test('a patient in Spanish shares in Spanish; the clinician\'s English viewer shows the patient\'s words', async () => {
  // Imported here, not at the top: each sweep keeps to its own block of this file.
  const { newClinician, newPatient } = await import('../support/setup.mjs');
  const { addMedication, openAsClinician, openPart } = await import('../support/ui.mjs');
  const { context, page, problems } = await newPatient(suite, 'Ada Lovelace');
  await openPart(page, 'Medicines & allergies');
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2 });
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Carpeta de salud de Ada Lovelace' }).waitFor();
  await page.getByRole('navigation', { name: 'Partes de la carpeta' }).getByRole('button', { name: 'Compartir', exact: true }).click();
  // The share form by its structure: its texts are other screens' to translate.
  const panel = page.locator('section.share');
  await panel.locator('form button[type=submit]').click();
  const link = await panel.locator('.share-result input[readonly]').inputValue();

  // The clinician's browser is in English: the viewer's own words are English, the document's
  // sections (the SBAR, written by the patient's app) are in the patient's language.
  const { context: clinician, view, problems: viewProblems } = await newClinician(suite);
  await openAsClinician(view, link);
  const sbar = view.getByRole('region', { name: 'Resumen de traspaso del paciente (SBAR)' });
  await sbar.waitFor({ timeout: 30000 });
  assert.equal(await htmlLang(view), 'en', 'the viewer follows the clinician');
  await view.getByRole('heading', { name: 'Allergies', exact: true }).waitFor();
  for (const text of ['Situación', 'Antecedentes', 'Evaluación (según el paciente)', 'Ada Lovelace.',
    'El paciente no escribió el motivo de esta consulta.', 'Alergias: no constan. Pregunte al paciente.']) {
    await sbar.getByText(text, { exact: true }).waitFor();
  }
  // What the patient typed stays as typed.
  await sbar.getByText(/^Medicamentos \(1\): Metformin 500 mg/).waitFor();
  await shot(view, 'languages-viewer-sbar-es');
  await assertAccessible(view, 'viewer of a Spanish document');
  await assertFitsPhone(view, 'languages-viewer-document-es');
  assert.deepEqual(realProblems(problems), []);
  assert.deepEqual(realProblems(viewProblems), []);
  await clinician.close();
  await context.close();
});
// (end of sweep F)
