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
test('Today, the medication form and the clinician\'s summary in Spanish', async () => {
  // Helpers only this test uses, imported here so the file's shared imports stay as they are.
  const { newPatient } = await import('../support/setup.mjs');
  const { shareLink } = await import('../support/ui.mjs');
  // The page's clock from 07:57 in Paris: the doses set below (09:30, 21:00) are not due while
  // the test runs, so no dose reminder (an alert of its own) turns up in the middle of it.
  const patient = await newPatient(suite, 'Ada Dosis', {
    timezoneId: 'Europe/Paris',
    viewport: { width: 390, height: 844 },
    beforeCreate: (p) => p.clock.install({ time: new Date('2026-12-07T07:57:00+01:00') }),
  });
  const { page } = patient;
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Carpeta de salud de Ada Dosis' }).waitFor();

  // The form, with a slip in the dose times: core's check, worded in Spanish.
  await button(page.getByRole('navigation', { name: 'Partes de la carpeta' }), 'Medicamentos y alergias').click();
  await page.getByRole('button', { name: /^(Add medication|Añadir.*medicamento)$/i }).click();
  const form = page.locator('form.medication-form');
  await form.getByRole('heading', { name: 'Añadir un medicamento' }).waitFor();
  await byLabel(form, 'Nombre').fill('Metformina');
  await byLabel(form, /^Concentración/).fill('500 mg');
  await byLabel(form, 'Cantidad').fill('1');
  await byLabel(form, /^Unidad/).fill('comprimido');
  await byLabel(form, 'Veces').fill('2');
  await byLabel(form, 'Cada').fill('1');
  await byLabel(form, /^A estas horas/).fill('09:30, 25:00');
  await button(form, 'Guardar el medicamento').click();
  const alert = form.getByRole('alert');
  await alert.getByText('Revise lo siguiente:').waitFor();
  await alert.getByText('Horas de las dosis: «25:00» no es una hora del reloj. Escríbalas así: 08:00, 14:00, 22:00.').waitFor();
  await byLabel(form, /^A estas horas/).fill('09:30');
  await button(form, 'Guardar el medicamento').click();
  await alert.getByText('Horas de las dosis: indicó 1 hora para un medicamento que se toma 2 veces al día. Indique una hora para cada dosis.').waitFor();
  await assertAccessible(page, 'the medication form with its problems, in Spanish');
  await assertFitsPhone(page, 'languages-medication-form-es');
  await byLabel(form, /^A estas horas/).fill('21:00, 9:30');
  await button(form, 'Guardar el medicamento').click();
  await form.waitFor({ state: 'detached' });

  // The day's list: times as the reader writes them, statuses and buttons in Spanish.
  await button(page.getByRole('navigation', { name: 'Partes de la carpeta' }), 'Hoy').click();
  const today = page.getByRole('region', { name: 'Dosis de hoy' });
  const doses = today.getByRole('listitem');
  assert.equal(await doses.count(), 2);
  const first = doses.filter({ hasText: '09:30' });
  await first.getByText('Aún sin marcar').waitFor();
  await button(first, /^Tomada/).click();
  await first.getByText(/^Tomada a las 0[78]:\d\d$/).waitFor();
  await button(first, /^Deshacer/).waitFor();
  await doses.filter({ hasText: '21:00' }).getByRole('button', { name: /^Omitida/ }).waitFor();
  await page.getByRole('heading', { name: 'Dosis tomadas' }).waitFor();
  await page.getByRole('heading', { name: 'Recordatorios' }).waitFor();
  await page.getByLabel('Avisarme cuando toque una dosis').waitFor();
  assert.deepEqual(
    await byLabel(page, 'Recordarme las citas').locator('option').allInnerTexts(),
    ['Sin recordatorios de citas', 'Una hora antes', '3 horas antes', 'El día anterior (24 horas)', '2 días antes'],
  );
  await button(page, 'Guardar las horas de silencio').waitFor();
  assert.equal(await page.getByText("Today's doses").count(), 0, 'no English left on Today');
  await assertAccessible(page, 'today, in Spanish');
  await assertFitsPhone(page, 'languages-today-es');

  // The clinician's browser is Spanish: the summary is headed and worded in Spanish, whatever the
  // patient's own language (the share is made from the English app here).
  await byLabel(page, 'Idioma').selectOption({ label: 'English' });
  await page.getByRole('heading', { name: "Ada Dosis's health binder" }).waitFor();
  const link = await shareLink(page);
  const clinician = await recordedContext(suite.browser, { locale: 'es-ES', viewport: { width: 390, height: 844 } });
  const view = await clinician.context.newPage();
  await view.goto(link);
  await byLabel(view, /^Su nombre y función/).fill('Dra. Grace Hopper, medicina de familia');
  await button(view, 'Abrir el historial').click();
  await view.getByRole('heading', { name: 'Ada Dosis' }).waitFor({ timeout: 30000 });
  await view.getByRole('region', { name: 'Alergias', exact: true }).getByText('Alergias: sin registrar. Pregunte al paciente.').waitFor();
  const table = view.getByRole('region', { name: 'Medicamentos activos' }).getByRole('table');
  assert.deepEqual(await table.getByRole('columnheader').allInnerTexts(), ['Medicamento', 'Dosis', 'Frecuencia', 'Tipo', 'Motivo']);
  await table.getByRole('rowheader', { name: 'Metformina' }).waitFor();
  await view.getByText(/^Resumen en poder del paciente, hecho el .+\. Verifíquelo con el paciente\.$/).waitFor();
  await button(view, 'Guardar para mi carpeta').waitFor();
  // After the first frame: the other sections, the hand-off's parts headed in Spanish too.
  const sbar = view.getByRole('region', { name: 'Resumen de traspaso del paciente (SBAR)' });
  await sbar.getByText('Situación', { exact: true }).waitFor();
  await sbar.getByText('Recomendación (las preguntas del paciente)').waitFor();
  await view.getByRole('region', { name: 'Problemas de salud' }).getByText('Problemas de salud: sin registrar. Pregunte al paciente.').waitFor();
  assert.equal(await htmlLang(view), 'es');
  assert.equal(await view.getByText('Active medications').count(), 0, 'no English heading left');
  await assertAccessible(view, 'the clinician\'s summary, in Spanish');
  await assertFitsPhone(view, 'languages-viewer-summary-es');
  assert.deepEqual(realProblems(patient.problems), []);
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();
  await patient.context.close();
});
// (end of sweep D)

// sweep E
// (end of sweep E)
