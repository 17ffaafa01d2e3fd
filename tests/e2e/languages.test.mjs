// Languages (docs/languages.md): the patient's app in English or Spanish, the choice kept on the
// device and shown in <html lang>; the clinician's viewer in the clinician's browser language.
// Spanish runs about a fifth longer than English, so its screens are checked at 390 px with 200 %
// text and with axe as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeQr, recordedContext, shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  PASSPHRASE, assertAccessible, button, byLabel, horizontalOverflowAtPhoneWithLargeText, realProblems, shareLink,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const htmlLang = (p) => p.evaluate(() => document.documentElement.lang);

async function assertFitsPhone(p, name) {
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(p);
  await shot(p, `${name}-390-text200`);
  await restore();
  assert.ok(overflow <= 0, `${name}: ${overflow}px of horizontal scrolling at 390 px with 200 % text`);
}

// A clinician whose browser speaks Spanish (`locale`) opens `link` on a phone (390 px), gives their name and
// opens the record. The context is the caller's to check and close.
async function openAsSpanishClinician(link, locale, who) {
  const clinician = await recordedContext(suite.browser, { locale, viewport: { width: 390, height: 844 } });
  const view = await clinician.context.newPage();
  await view.goto(link);
  await byLabel(view, /^Su nombre y función/).fill(who);
  await button(view, 'Abrir el historial').click();
  return { clinician, view };
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
  await button(page, 'Ya lo anoté').click();
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
const openSpanishPart = (p, name) =>
  p.getByRole('navigation', { name: 'Partes de la carpeta' }).getByRole('button', { name, exact: true }).click();

test('medicines, allergies, to-dos, backup and security speak Spanish, core\'s messages too', async () => {
  const patient = await recordedContext(suite.browser, { locale: 'es-ES' });
  const page = await patient.context.newPage();
  await page.goto(suite.relay.url);
  await byLabel(page, '¿De quién es esta carpeta?').fill('Ada Lovelace');
  await byLabel(page, 'Frase de contraseña').fill(PASSPHRASE);
  await byLabel(page, 'Escriba de nuevo la frase de contraseña').fill(PASSPHRASE);
  await button(page, 'Crear la carpeta').click();
  await page.getByRole('heading', { name: 'Anote el código de recuperación de la carpeta de Ada Lovelace' })
    .waitFor({ timeout: 30000 });
  await button(page, 'Ya lo anoté').click();

  // Medicines & allergies: the empty states, "none known" with its day, the form, the deletion.
  const allergies = page.getByRole('region', { name: 'Alergias' });
  await allergies.getByText(/^Aún no se ha registrado/).waitFor();
  await page.getByRole('region', { name: 'Medicamentos' }).getByText(/^Aún no hay medicamentos/).waitFor();
  await button(allergies, 'No tengo alergias conocidas').click();
  await allergies.getByText('Sin alergias conocidas').waitFor();
  await allergies.getByText(/^Confirmado: /).waitFor();
  await button(allergies, 'Deshacer').click();
  await button(allergies, 'Añadir alergia').click();
  await allergies.getByRole('heading', { name: 'Añadir una alergia' }).waitFor();
  await byLabel(allergies, /^Sustancia/).fill('Penicilina');
  assert.equal((await byLabel(allergies, 'Gravedad').locator('option').allInnerTexts())[0], 'No lo sé');
  await button(allergies, 'Guardar alergia').click();
  await button(allergies, 'Eliminar Penicilina').click();
  await allergies.getByText('¿Eliminar Penicilina de sus alergias?').waitFor();
  await button(allergies, 'No, conservar').waitFor();
  assert.equal(await page.getByText(/Add allergy|Not recorded|Delete|Keep it/).count(), 0, 'no English left');
  await assertAccessible(page, 'medicines and allergies, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-a-medicines-es');

  // Appointments: the to-do list and the calendar file.
  await openSpanishPart(page, 'Citas');
  await page.getByRole('heading', { name: 'Pendientes' }).waitFor();
  await page.getByText(/^Nada pendiente\./).waitFor();
  await page.getByRole('heading', { name: 'Añadir a mi calendario' }).waitFor();
  assert.ok(await button(page, 'Descargar el archivo de calendario').isDisabled(), 'nothing to put in a calendar yet');

  // Security & backup: the backup's file name and notice, the lock choices, a refusal from the session.
  await openSpanishPart(page, 'Seguridad y copias');
  await page.getByRole('heading', { name: 'Copia de seguridad' }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'), button(page, 'Descargar una copia de seguridad').click(),
  ]);
  assert.match(download.suggestedFilename(), /^health-binder-copia-\d{4}-\d{2}-\d{2}\.json$/);
  await page.getByText(/^Copia de seguridad descargada\./).waitFor();
  const choices = await byLabel(page, 'Bloquear automáticamente tras').locator('option').allInnerTexts();
  assert.deepEqual(choices, ['1 minuto sin uso', '5 minutos sin uso', '15 minutos sin uso', '30 minutos sin uso']);
  await button(page, 'Crear un nuevo código de recuperación').click();
  await page.getByRole('alert').getByText(/^Primero escriba su frase de contraseña actual/).waitFor();
  await page.getByRole('heading', { name: 'Personas que cuida' }).waitFor();
  await page.getByRole('heading', { name: 'Versión de esta aplicación' }).waitFor();
  await assertAccessible(page, 'security and backup, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-a-security-es');

  await openSpanishPart(page, 'Sobre mí');
  await button(page, 'Editar datos').waitFor();
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});
// (end of sweep A)

// sweep B
test('in Spanish: the emergency card (on the first screen too), the printout, the wallet card, shares, import, and the clinician\'s reply', async () => {
  const patient = await newPatient(suite, 'Ada Papel');
  const { page } = patient;
  await button(page, 'Add allergy').click();
  await byLabel(page, /^Substance/).fill('Penicillin');
  await button(page, 'Save allergy').click();
  await page.getByRole('region', { name: 'Allergies' }).getByRole('heading', { name: 'Penicillin' }).waitFor();
  const link = await shareLink(page);
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  const part = (name) => button(page.getByRole('navigation', { name: 'Partes de la carpeta' }), name).click();
  // Today as the browser writes it in Spanish ("6 de diciembre de 2026"), as paper should.
  const today = await page.evaluate(() => new Date().toLocaleDateString('es', { day: 'numeric', month: 'long', year: 'numeric' }));

  await part('Emergencia y papel');
  const panel = page.getByRole('region', { name: 'Tarjeta de emergencia en este dispositivo' });
  await panel.getByText('La tarjeta está desactivada.').waitFor();
  await panel.getByRole('checkbox', { name: 'Medicamentos que toma ahora' }).waitFor();
  await button(panel, 'Activar la tarjeta').click();
  await panel.getByText('La tarjeta está activada y muestra su carpeta.').waitFor();
  await assertAccessible(page, 'Emergency & paper, in Spanish');
  await assertFitsPhone(page, 'languages-paper-es');

  await button(page, 'Imprimir mi carpeta').click();
  const printout = page.getByRole('article', { name: 'Carpeta de salud de Ada Papel' });
  await printout.getByText(/^Información de salud privada\. Guarde esta copia/).waitFor();
  await printout.getByText(`Impreso el ${today}`).waitFor();
  await printout.getByRole('heading', { name: 'Alergias' }).waitFor();
  // What the patient typed stays as typed.
  await printout.getByText('Penicillin', { exact: true }).waitFor();
  await assertAccessible(page, 'the printed binder, in Spanish');
  await assertFitsPhone(page, 'languages-printout-es');
  await button(page, 'Cerrar la vista previa').click();

  await button(page, 'Crear la tarjeta').click();
  const wallet = page.getByRole('article', { name: /^Tarjeta de emergencia para la cartera/ });
  await wallet.getByRole('heading', { name: 'Información de salud para emergencias' }).waitFor({ timeout: 30000 });
  await wallet.getByText(`Escrita por el paciente. Impresa el ${today}.`).waitFor();
  await wallet.getByRole('img', { name: 'Código QR: el texto de esta tarjeta, legible sin internet' }).waitFor();
  const qr = await decodeQr(wallet.getByRole('img', { name: /^Código QR: el texto/ }));
  assert.match(qr, /^INFORMACIÓN DE SALUD PARA EMERGENCIAS\nNombre: Ada Papel\n/, 'the card\'s own text is in Spanish too');
  assert.match(qr, /Alergias: Penicillin/);
  await assertAccessible(page, 'the wallet card, in Spanish');
  await button(page, 'Cerrar la vista previa').click();

  await part('Compartir');
  const shares = page.getByRole('region', { name: 'Lo que ha compartido' });
  await button(shares, '¿Quién lo abrió?').first().click();
  await shares.getByText('Nadie lo ha abierto todavía.').waitFor();
  await assertAccessible(page, 'the shares, in Spanish');
  await assertFitsPhone(page, 'languages-shares-es');

  await part('Importar y exportar');
  await button(page, 'Leerlo').click();
  await page.getByRole('alert').getByText('Elija primero un archivo o pegue una tarjeta.').waitFor();
  await page.getByRole('heading', { name: 'Exportar para un médico u otra aplicación' }).waitFor();
  await assertAccessible(page, 'import and export, in Spanish');
  await assertFitsPhone(page, 'languages-import-es');

  // Locked: the first screen shows the card as written in the patient's language.
  await page.reload();
  const card = page.getByRole('region', { name: 'Información de emergencia' });
  await card.getByText('Alergias').waitFor();
  await card.getByText(`Escrito por el paciente, ${today}.`).waitFor();
  assert.equal(await card.getByText('Allergies').count(), 0);
  await assertAccessible(page, 'the first screen with the card, in Spanish');
  await assertFitsPhone(page, 'languages-first-screen-card-es');
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();

  // The reply form follows the clinician's browser (Spanish here), whatever the patient chose.
  const { clinician, view } = await openAsSpanishClinician(link, 'es-MX', 'Dra. Ana Ruiz');
  const reply = view.getByRole('region', { name: 'Responder al paciente' });
  await byLabel(reply, /^Órdenes de medicación/).waitFor({ timeout: 30000 });
  await byLabel(reply, 'Nota de la consulta').fill('Control en un mes.');
  await assertAccessible(view, 'the reply form, in Spanish');
  await assertFitsPhone(view, 'languages-reply-es');
  await button(reply, 'Enviar al paciente').click();
  await reply.getByText('Enviado. Solo el paciente puede leerlo; lo revisará antes de que cambie nada.').waitFor();
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();
});
// (end of sweep B)

// sweep C
// (An import may stand anywhere at the top level: this one is here so the sweeps' parts merge apart.)
import { createBinder, fillForm } from '../support/ui.mjs';

test('the generic form speaks Spanish: labels, hints, choices, problems named by their field, rows', async () => {
  const patient = await recordedContext(suite.browser, { locale: 'en-US' });
  const page = await patient.context.newPage();
  await createBinder(page, suite.relay.url, 'Ada Lovelace');
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Carpeta de salud de Ada Lovelace' }).waitFor();
  const tabs = page.getByRole('navigation', { name: 'Partes de la carpeta' });

  await button(tabs, 'Antecedentes').click();
  const conditions = page.getByRole('region', { name: 'Enfermedades' });
  await conditions.getByText(/^No hay ninguna\. Añada las enfermedades crónicas/).waitFor();
  await button(conditions, 'Añadir enfermedad').click();
  const form = conditions.locator('form');
  await form.getByRole('heading', { name: 'Añadir enfermedad' }).waitFor();
  // A label and its hint, both Spanish; the choices too.
  await byLabel(form, 'Enfermedad (p. ej., diabetes tipo 2, asma)').fill('Asma');
  assert.deepEqual(await byLabel(form, 'Estado').locator('option').allInnerTexts(), ['\u2014', 'En curso', 'Resuelta']);
  await fillForm(form, [['Desde', 'la primavera pasada']]);
  await button(form, 'Guardar enfermedad').click();
  // The problem is core's, named by the field's Spanish label.
  await form.getByRole('alert').getByText('Desde: Escriba una fecha como 2015, marzo de 2015 o 14/03/2015.').waitFor();
  assert.equal(await byLabel(form, /^Desde/).getAttribute('aria-invalid'), 'true');
  await assertAccessible(page, 'the condition form with a problem, in Spanish');
  await assertFitsPhone(page, 'languages-form-es');

  // A problem with a value (the code system) is worded in Spanish around it.
  await fillForm(form, [['Desde', '2015'], ['Sistema de códigos', { select: 'ICD-10' }], ['Código', '1']]);
  await button(form, 'Guardar enfermedad').click();
  await form.getByRole('alert').getByText('Código: Ese no es un código ICD-10.').waitFor();
  await fillForm(form, [['Código', 'J45']]);
  await button(form, 'Guardar enfermedad').click();
  const row = conditions.getByRole('listitem').filter({ hasText: 'Asma' });
  await row.getByText('Desde 2015', { exact: true }).waitFor();
  await row.getByText('ICD-10 J45', { exact: true }).waitFor();

  // A reading out of range: the number the patient typed inside a Spanish sentence.
  await button(tabs, 'Signos vitales').click();
  const vitals = page.getByRole('region', { name: 'Registro de signos vitales' });
  await button(vitals, 'Añadir medición').click();
  const reading = vitals.locator('form');
  await fillForm(reading, [['Medición', { select: 'Pulso (latidos por minuto)' }], ['Valor', '900']]);
  await button(reading, 'Guardar medición').click();
  await reading.getByRole('alert').getByText('Valor: Un pulso de 900 por minuto no es plausible (20–300).').waitFor();
  await fillForm(reading, [['Valor', '72']]);
  await button(reading, 'Guardar medición').click();
  await vitals.getByRole('heading', { name: 'Pulso: 72 /min' }).waitFor();
  await assertAccessible(page, 'the vitals log, in Spanish');
  await assertFitsPhone(page, 'languages-vitals-es');
  assert.equal(await page.getByText(/Add reading|Save reading|not plausible/).count(), 0, 'no English left');
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});
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
  const { clinician, view } = await openAsSpanishClinician(link, 'es-ES', 'Dra. Grace Hopper, medicina de familia');
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

// sweep I
test('the patient\'s own screens in Spanish: a row\'s decimal, a date being edited, a trend\'s caption, a reply understood and reviewed, broken storage', async () => {
  // Imported here, not at the top: each sweep keeps to its own block of this file.
  const { newPatient } = await import('../support/setup.mjs');
  const { addMedication, fillForm, openPart, shareLink } = await import('../support/ui.mjs');
  const CLINICIAN = 'Dra. Grace Hopper, medicina de familia';
  const patient = await newPatient(suite, 'Ada Ibarra', { viewport: { width: 1100, height: 900 } });
  const { page } = patient;
  await openPart(page, 'Medicines & allergies');
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2 });
  const link = await shareLink(page);
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Carpeta de salud de Ada Ibarra' }).waitFor();
  const tabs = page.getByRole('navigation', { name: 'Partes de la carpeta' });

  // A reading with a decimal, typed the Spanish way: the row and the trend's caption write it so.
  await button(tabs, 'Signos vitales').click();
  const vitals = page.getByRole('region', { name: 'Registro de signos vitales' });
  for (const [value, when] of [['82', '2026-01-03T08:00'], ['71,5', '2026-03-10T08:00']]) {
    await button(vitals, 'Añadir medición').click();
    await fillForm(vitals.locator('form'), [['Medición', { select: 'Peso (kg)' }], ['Valor', value], ['Cuándo', when]]);
    await button(vitals, 'Guardar medición').click();
    await vitals.locator('form').waitFor({ state: 'detached' });
  }
  await vitals.getByRole('heading', { name: 'Peso: 71,5 kg', exact: true }).waitFor();
  const trend = page.getByRole('region', { name: 'Tendencias', exact: true })
    .locator('figure', { has: page.getByRole('heading', { name: 'Peso', exact: true }) });
  const caption = await trend.locator('figcaption').innerText();
  assert.match(caption, /^Peso: 2 mediciones del 3 de enero de 2026 al 10 de marzo de 2026\. Primera 82 kg, última 71,5 kg\./, caption);
  assert.equal(await trend.getByRole('img', { name: caption }).count(), 1, 'the chart is named by its Spanish caption');
  assert.equal(await page.getByText(/Weight|readings from|71\.5/).count(), 0, 'no English and no decimal point left');
  await assertAccessible(page, 'vitals and their trend, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-i-vitals-es');

  // A dated entry: typed in Spanish words, shown so when edited, changed to numbers, saved.
  await button(tabs, 'Antecedentes').click();
  const conditions = page.getByRole('region', { name: 'Enfermedades' });
  await button(conditions, 'Añadir enfermedad').click();
  await fillForm(conditions.locator('form'), [['Enfermedad', 'Asma'], ['Desde', '3 de marzo de 2015']]);
  await button(conditions, 'Guardar enfermedad').click();
  const asthma = conditions.getByRole('listitem').filter({ hasText: 'Asma' });
  await asthma.getByText('Desde 3 de marzo de 2015', { exact: true }).waitFor();
  await button(asthma, 'Editar Asma').click();
  const editing = conditions.locator('form');
  assert.equal(await byLabel(editing, /^Desde/).inputValue(), '3 de marzo de 2015', 'the date being edited reads in Spanish');
  await assertAccessible(page, 'a dated entry being edited, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-i-editing-es');
  await fillForm(editing, [['Desde', '03/2016']]);
  await button(editing, 'Guardar enfermedad').click();
  await editing.waitFor({ state: 'detached' });
  await asthma.getByText('Desde marzo de 2016', { exact: true }).waitFor();

  // A clinician whose browser is Spanish: what the line reader understood, how often in Spanish.
  const { clinician, view } = await openAsSpanishClinician(link, 'es-ES', CLINICIAN);
  const reply = view.getByRole('region', { name: 'Responder al paciente' });
  await byLabel(reply, /^Órdenes de medicación/).fill('Metformin 1000 mg 1 tab BID\nRamipril 5 mg daily\nAtorvastatin 40 mg daily wibble');
  const understood = reply.locator('ul.understood');
  await understood.getByText('Metformin · 1000 mg · 1 comprimido · dos veces al día', { exact: true }).waitFor({ timeout: 30000 });
  await understood.getByText('Ramipril · 5 mg · una vez al día', { exact: true }).waitFor();
  await understood.getByText('Atorvastatin · 40 mg · una vez al día (no se entendió: wibble)', { exact: true }).waitFor();
  await assertAccessible(view, 'the reply understood, in Spanish');
  await assertFitsPhone(view, 'languages-sweep-i-understood-es');
  await byLabel(reply, /^Órdenes de medicación/).fill('Metformin 1000 mg 1 tab BID\nRamipril 5 mg daily\nAtorvastatin 40 mg daily');
  await button(reply, 'Enviar al paciente').click();
  await reply.getByRole('status').getByText(/^Enviado\./).waitFor();

  // The patient's review: the binder's line with how often in Spanish, and the counts saved.
  await button(tabs, 'Compartir').click();
  await button(page, 'Buscar respuestas').click();
  await page.getByRole('status').getByText('1 respuesta nueva.').waitFor();
  await page.getByRole('button', { name: `Revisar Respuesta de ${CLINICIAN}` }).click();
  const review = page.getByRole('region', { name: `Revisar la respuesta de ${CLINICIAN}` });
  const metformin = review.locator('li.recon').filter({ hasText: 'Metformin 500 mg' });
  await metformin.getByText('Metformin 500 mg, 1 tablet, dos veces al día', { exact: true }).waitFor();
  await assertAccessible(page, 'the reply review, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-i-review-es');
  await button(review, 'Guardar lo que acepté').click();
  await review.getByRole('status').getByText('Guardado: 2 medicamentos iniciados, 1 medicamento cambiado.', { exact: true }).waitFor();
  await shot(page, 'languages-sweep-i-review-saved-es');
  assert.equal(await review.getByText(/more than one|started|changed/).count(), 0, 'no English left');
  assert.deepEqual(realProblems(patient.problems), []);
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();
  await patient.context.close();

  // Storage that cannot be read at start: said in the reader's language, the browser's words kept.
  const broken = await recordedContext(suite.browser, { locale: 'es-ES' });
  await broken.context.addInitScript(() => {
    Storage.prototype.getItem = () => { throw new DOMException('The operation is insecure.', 'SecurityError'); };
  });
  const start = await broken.context.newPage();
  await start.goto(suite.relay.url);
  await start.getByRole('alert').getByText(
    'El almacenamiento de este navegador no está disponible (The operation is insecure.). La navegación privada puede causarlo.',
  ).waitFor();
  assert.equal(await htmlLang(start), 'es');
  await assertAccessible(start, 'broken storage, in Spanish');
  await assertFitsPhone(start, 'languages-sweep-i-broken-es');
  await broken.context.close();
});
// (end of sweep I)

// sweep K
test('a Spanish clinician reads an allergy\'s coded values and the line reader\'s own words in Spanish', async () => {
  const { addMedication, openPart } = await import('../support/ui.mjs');
  const patient = await newPatient(suite, 'Ada Códigos');
  const { page } = patient;
  await openPart(page, 'Medicines & allergies');
  await button(page, 'Add allergy').click();
  await byLabel(page, /^Substance/).fill('Penicillin');
  await byLabel(page, 'Kind').selectOption({ label: 'Medication' });
  await byLabel(page, /^What happens/).fill('hives');
  await byLabel(page, 'How bad').selectOption({ label: 'Severe' });
  await button(page, 'Save allergy').click();
  await page.getByRole('region', { name: 'Allergies' }).getByRole('heading', { name: 'Penicillin' }).waitFor();
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2 });
  const link = await shareLink(page);

  // The clinician's browser is Spanish: the document's codes read as Spanish labels, the
  // patient's words ("Penicillin", "hives") as typed.
  const { clinician, view } = await openAsSpanishClinician(link, 'es-ES', 'Dra. Grace Hopper, medicina de familia');
  const allergies = view.getByRole('region', { name: 'Alergias', exact: true });
  await allergies.getByText('Penicillin', { exact: true }).waitFor({ timeout: 30000 });
  for (const detail of ['Categoría: Medicamento', 'Reacción: hives', 'Gravedad: Grave', 'Estado: En curso']) {
    await allergies.getByText(detail, { exact: true }).waitFor();
  }
  // The orders the clinician types: the reader's own words (amounts, route, time of day) in Spanish.
  const reply = view.getByRole('region', { name: 'Responder al paciente' });
  await byLabel(reply, /^Órdenes de medicación/).fill('Albuterol 2 puffs q4h PRN\nZolpidem 5 mg 1 tab PO qhs');
  const understood = reply.locator('ul.understood');
  await understood.getByText('Albuterol · 2 inhalaciones · si es necesario, hasta 6 veces al día', { exact: true })
    .waitFor({ timeout: 30000 });
  await understood.getByText('Zolpidem · 5 mg · 1 comprimido · por vía oral · una vez al día al acostarse', { exact: true }).waitFor();
  assert.equal(await understood.getByText(/\b(tablet|puffs|by mouth|at bedtime)\b/).count(), 0, 'no English left in the orders');
  assert.equal(await allergies.getByText(/\b(Medication|Severe|active)\b/).count(), 0, 'no English codes left');
  await assertAccessible(view, 'coded values and the understood orders, in Spanish');
  await assertFitsPhone(view, 'languages-sweep-k-viewer-es');
  assert.deepEqual(realProblems(patient.problems), []);
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();
  await patient.context.close();
});
// (end of sweep K)

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

  // The clinician's browser is in English: the viewer's own words are English — its headings,
  // the SBAR's and its four parts' included, found by the section's code — while what the
  // patient's app wrote in the SBAR is in the patient's language.
  const { context: clinician, view, problems: viewProblems } = await newClinician(suite);
  await openAsClinician(view, link);
  const sbar = view.getByRole('region', { name: "Patient's hand-off summary (SBAR)" });
  await sbar.waitFor({ timeout: 30000 });
  assert.equal(await htmlLang(view), 'en', 'the viewer follows the clinician');
  await view.getByRole('heading', { name: 'Allergies', exact: true }).waitFor();
  for (const text of ['Situation', 'Background', 'Assessment (patient-reported)', 'Ada Lovelace.',
    'El paciente no escribió el motivo de esta consulta.', 'Alergias: no constan. Pregunte al paciente.']) {
    await sbar.getByText(text, { exact: true }).waitFor();
  }
  assert.equal(await sbar.getByText('Situación', { exact: true }).count(), 0, "the document's own part headings give way to the viewer's");
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

// sweep H
test('in Spanish: a dead or damaged link, a Spanish share in a Spanish viewer, and the import report', async () => {
  // Imported here, not at the top: each sweep keeps to its own block of this file.
  const { addMedication, openPart } = await import('../support/ui.mjs');
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { context, page, problems } = await newPatient(suite, 'Ada Lovelace');
  await openPart(page, 'Medicines & allergies');
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2 });
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Carpeta de salud de Ada Lovelace' }).waitFor();
  const part = (name) => page.getByRole('navigation', { name: 'Partes de la carpeta' }).getByRole('button', { name, exact: true }).click();
  await part('Compartir');
  const panel = page.locator('section.share');
  await panel.locator('form button[type=submit]').click();
  const link = await panel.locator('.share-result input[readonly]').inputValue();

  // The clinician's browser is in Spanish: the reader's own words (how often) are Spanish, and
  // this app's default title ("Resumen de salud de Ada Lovelace") is not an extra line.
  const { clinician, view } = await openAsSpanishClinician(link, 'es-MX', 'Dra. Ana Ruiz');
  const medications = view.getByRole('region', { name: 'Medicamentos activos' });
  await medications.getByRole('cell', { name: 'dos veces al día' }).waitFor({ timeout: 30000 });
  await view.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
  assert.equal(await view.getByText('Resumen de salud de Ada Lovelace').count(), 0, 'the default title says nothing the page does not');
  assert.equal(await view.getByText('twice a day').count(), 0);
  await assertAccessible(view, 'a Spanish share in a Spanish viewer');
  await assertFitsPhone(view, 'languages-sweep-h-viewer-es');

  // Links that do not open say why in Spanish: expired (told before asking anything), unknown to
  // the relay (expired or revoked there), damaged.
  const payload = JSON.parse(Buffer.from(link.split('#shlink:/')[1], 'base64url').toString());
  const linkFor = (p) => `${link.split('#')[0]}#shlink:/${Buffer.from(JSON.stringify(p)).toString('base64url')}`;
  const expired = await clinician.context.newPage();
  await expired.goto(linkFor({ ...payload, exp: Math.floor(Date.now() / 1000) - 60 }));
  await expired.getByRole('alert').getByText('Este enlace ya no está activo: ha caducado o se ha revocado. Pida al paciente que le muestre un código QR nuevo.').waitFor();
  assert.equal(await expired.getByText(/no longer active/).count(), 0);
  await assertAccessible(expired, 'an expired link, in Spanish');
  await assertFitsPhone(expired, 'languages-sweep-h-expired-es');
  const unknown = await clinician.context.newPage();
  await unknown.goto(linkFor({ ...payload, url: `${payload.url.replace(/[^/]+$/, '')}${'A'.repeat(43)}` }));
  await byLabel(unknown, /^Su nombre y función/).fill('Dra. Ana Ruiz');
  await button(unknown, 'Abrir el historial').click();
  await unknown.getByRole('alert').getByText(/^Este enlace ya no está activo/).waitFor();
  const damaged = await clinician.context.newPage();
  await damaged.goto(`${link.split('#')[0]}#shlink:/not-a-link`);
  await damaged.getByRole('alert').getByText(/^Este enlace está dañado: .+\. Pida uno nuevo\.$/).waitFor();
  await shot(damaged, 'languages-sweep-h-damaged-es');
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();

  // The import report: sections, why an entry was not read, in the patient's language; what the
  // file says as it says it.
  const file = join(mkdtempSync(join(tmpdir(), 'hb-import-')), 'clinic.json');
  writeFileSync(file, JSON.stringify({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'urn:uuid:1', resource: { resourceType: 'Condition', code: { text: 'Asthma' } } },
      { fullUrl: 'urn:uuid:2', resource: { resourceType: 'Device', id: 'd' } },
      { fullUrl: 'urn:uuid:3' },
    ],
  }));
  await part('Importar y exportar');
  await page.getByLabel('Archivo FHIR o archivo de SMART Health Card').setInputFiles(file);
  await button(page, 'Leerlo').click();
  const review = page.getByRole('region', { name: 'Revisar antes de guardar' });
  await review.getByRole('checkbox', { name: 'Enfermedades: Asthma', exact: true }).waitFor();
  await review.getByText('2 entradas sin leer, y por qué').click();
  await review.getByText('Entrada 2 (Device): La carpeta no guarda registros de tipo device.').waitFor();
  await review.getByText('Entrada 3 (sin recurso): La entrada no contiene ningún recurso.').waitFor();
  await shot(page, 'languages-sweep-h-import-es');
  await assertAccessible(page, 'the import report, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-h-import-es');
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});
// (end of sweep H)

// sweep J
test('a Spanish patient\'s calendar file and a decimal being edited read in Spanish', async () => {
  // Imported here, not at the top: each sweep keeps to its own block of this file.
  const { execFileSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const { ARTIFACTS } = await import('../support/browser.mjs');
  const { fillForm, openPart } = await import('../support/ui.mjs');
  const { context, page, problems } = await newPatient(suite, 'Ada Núñez', { timezoneId: 'Europe/Madrid' });
  // An appointment typed through the English form, then the app switched to Spanish.
  await openPart(page, 'Appointments');
  const appointments = page.getByRole('region', { name: 'Appointments', exact: true });
  await button(appointments, 'Add appointment').click();
  await fillForm(appointments.locator('form'), [
    ['Date and time', '2027-03-04T09:30'], ['Purpose', 'Revisión de la diabetes'], ['Questions to ask', '¿Puedo dejar la dosis de la noche?'],
  ]);
  await button(appointments, 'Save appointment').click();
  await appointments.locator('form').waitFor({ state: 'detached' });
  await byLabel(page, 'Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Carpeta de salud de Ada Núñez' }).waitFor();
  const tabs = page.getByRole('navigation', { name: 'Partes de la carpeta' });

  // The calendar file: its own words in Spanish, what was typed as typed, read by an independent
  // iCalendar parser (09:30 in Madrid in March is UTC+01:00).
  await button(tabs, 'Citas').click();
  const panel = page.getByRole('region', { name: 'Añadir a mi calendario' });
  const [download] = await Promise.all([page.waitForEvent('download'), button(panel, 'Descargar el archivo de calendario').click()]);
  const file = join(ARTIFACTS, 'languages-sweep-j.ics');
  await download.saveAs(file);
  const reader = new URL('../calendar/read_ics.py', import.meta.url).pathname;
  const [event] = JSON.parse(execFileSync('python3', [reader, file], { encoding: 'utf8' }));
  assert.equal(event.summary, 'Revisión de la diabetes');
  assert.equal(event.description, '09:30 en UTC+01:00, tal como figura en su carpeta.\nPreguntas que hacer:\n- ¿Puedo dejar la dosis de la noche?');
  assert.equal(event.start.at, '2027-03-04T08:30:00+00:00');

  // A weight typed with a point shows with a decimal comma when edited, and saves unchanged.
  await button(tabs, 'Signos vitales').click();
  const vitals = page.getByRole('region', { name: 'Registro de signos vitales' });
  await button(vitals, 'Añadir medición').click();
  await fillForm(vitals.locator('form'), [['Medición', { select: 'Peso (kg)' }], ['Valor', '71.5'], ['Cuándo', '2026-03-10T08:00']]);
  await button(vitals, 'Guardar medición').click();
  await vitals.locator('form').waitFor({ state: 'detached' });
  const weight = vitals.getByRole('listitem').filter({ hasText: 'Peso: 71,5 kg' });
  await weight.getByRole('button', { name: /^Editar/ }).click();
  const editing = vitals.locator('form');
  assert.equal(await byLabel(editing, /^Valor/).inputValue(), '71,5', 'the number being edited has a decimal comma');
  await assertAccessible(page, 'a decimal being edited, in Spanish');
  await assertFitsPhone(page, 'languages-sweep-j-editing-es');
  await button(editing, 'Guardar medición').click();
  await editing.waitFor({ state: 'detached' });
  await vitals.getByRole('heading', { name: 'Peso: 71,5 kg', exact: true }).waitFor();
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});
// (end of sweep J)
