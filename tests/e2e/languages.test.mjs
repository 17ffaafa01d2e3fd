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
test('trends and the share form speak Spanish, numbers and dates as a Spanish reader writes them', async () => {
  const { newPatient } = await import('../support/setup.mjs');
  const { fillForm, openPart } = await import('../support/ui.mjs');
  const patient = await newPatient(suite, 'Dorothy Vaughan', { viewport: { width: 1100, height: 900 } });
  const { page } = patient;
  // Readings typed in English (the forms are another sweep's), then the app switched to Spanish.
  const log = page.getByRole('region', { name: 'Vitals log', exact: true });
  const readings = [
    ['Weight (kg)', '82', '2026-01-03T08:00'], ['Weight (kg)', '80.4', '2026-03-10T08:00'],
    ['Weight (kg)', '78.5', '2026-06-02T08:15'],
    ['Blood pressure (mmHg)', '142/91', '2026-02-01T07:30'], ['Blood pressure (mmHg)', '128/82', '2026-02-08T07:30'],
  ];
  await openPart(page, 'Vitals');
  for (const [measurement, reading, when] of readings) {
    const before = await log.locator('li.entry').count();
    await button(log, 'Add reading').click();
    await fillForm(log.locator('form'), [['Measurement', { select: measurement }], ['Reading', reading], ['When', when]]);
    await button(log, 'Save reading').click();
    await log.locator('li.entry').nth(before).waitFor();
  }
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  const parts = page.getByRole('navigation', { name: 'Partes de la carpeta' });
  await parts.getByRole('button', { name: 'Signos vitales', exact: true }).click();

  // The chart's heading, its date ticks, the legend and the table in Spanish; 78.5 as "78,5".
  const trends = page.getByRole('region', { name: 'Tendencias', exact: true });
  const weight = trends.locator('figure', { has: page.getByRole('heading', { name: 'Peso', exact: true }) });
  await weight.getByRole('img').waitFor();
  const ticks = await weight.locator('svg text').allTextContents();
  assert.ok(ticks.some((d) => /ene.* 2026/.test(d)) && ticks.some((d) => /jun.* 2026/.test(d)), ticks.join(' | '));
  await weight.getByText('Mostrar los números').click();
  assert.deepEqual(await weight.locator('thead th').allInnerTexts(), ['Cuándo', 'Peso (kg)']);
  const rows = await weight.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
  assert.deepEqual(rows.map((r) => r[1]), ['82', '80,4', '78,5'], 'a decimal comma');
  assert.match(rows[0][0], /3 de enero de 2026/);
  const pressure = trends.locator('figure', { has: page.getByRole('heading', { name: 'Presión arterial', exact: true }) });
  await pressure.getByText('Línea continua con puntos redondos: Sistólica. Línea discontinua con puntos cuadrados: Diastólica.').waitFor();
  assert.equal(await trends.getByText(/Show the numbers|Solid line|When/).count(), 0, 'no English left');
  await assertAccessible(page, 'trends, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-e-trends-es');

  // The share form: its choices, the trend it may carry, the link's lifetimes.
  await parts.getByRole('button', { name: 'Compartir', exact: true }).click();
  const panel = page.locator('section.share');
  await panel.getByRole('heading', { name: 'Mostrar a mi médico' }).waitFor();
  await panel.getByRole('group', { name: 'Qué compartir' }).waitFor();
  await panel.getByRole('group', { name: 'Tendencias que incluir' }).getByLabel('Tendencia del peso').check();
  assert.deepEqual(
    await byLabel(panel, 'El enlace funciona durante').locator('option').allInnerTexts(),
    ['15 minutos', '1 hora', '24 horas', '7 días', 'Hasta una fecha…'],
  );
  await panel.getByText('Más opciones').click();
  await byLabel(panel, /^Código de acceso/).fill('ab');
  await button(panel, 'Mostrar a mi médico').click();
  await panel.getByRole('alert').getByText('El código de acceso necesita al menos 4 caracteres.').waitFor();
  await assertAccessible(page, 'share form, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-e-share-es');
  await byLabel(panel, /^Código de acceso/).fill('');
  await button(panel, 'Mostrar a mi médico').click();
  await panel.getByRole('img', { name: 'Código QR del enlace para compartir: deje que su médico lo escanee' }).waitFor();
  await panel.getByText(/^El enlace funciona hasta el /).waitFor();
  await button(panel, 'Copiar el enlace').waitFor();
  await assertAccessible(page, 'share result, in Spanish');
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});
// (end of sweep E)
