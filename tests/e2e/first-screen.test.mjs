// The patient's first screen comes before the app's wasm (issue 13): the unlock or create form is
// plain HTML, CSS and one small script, painted at once; the wasm loads behind it while the patient
// types, and takes over without losing what was typed or a press already made. Each test holds
// the wasm's response back until it has checked the first screen, then lets it through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordedContext, shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  PASSPHRASE, assertAccessible, button, byLabel, horizontalOverflowAtPhoneWithLargeText, realProblems,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();

// Holds back the patient's wasm (asked for by Trunk's preload and its loader) until `release()`.
// `asked` resolves once the browser has asked for it: the first screen is then tested while the
// download is under way, as on a slow link.
async function holdTheWasm(page) {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  let askedFor;
  const asked = new Promise((resolve) => { askedFor = resolve; });
  await page.route(/\/patient-[0-9a-f]+_bg\.wasm$/, async (route) => {
    askedFor();
    await gate;
    await route.continue();
  });
  return { release, asked };
}

// The first screen works and reads well while the wasm is held: nothing of the app is on the
// page yet, axe finds nothing, and at 390 px with text at 200 % nothing scrolls sideways.
async function checkFirstScreen(page, name) {
  assert.equal(await page.locator('#main').count(), 0, 'the app has not started');
  await assertAccessible(page, name);
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(page);
  await shot(page, name);
  await restore();
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at 390 px with 200 % text`);
}

test('a returning patient unlocks on the first screen before the app has arrived, with one press', async () => {
  // A binder on this device, then a visit with nothing of the app cached (a fresh profile with
  // the same storage): everything the page needs comes over the network.
  const before = await newPatient(suite, 'Ada Lovelace');
  const storageState = await before.context.storageState();
  await before.context.close();

  const patient = await recordedContext(suite.browser, { storageState, locale: 'en-US' });
  const page = await patient.context.newPage();
  const wasm = await holdTheWasm(page);
  await page.goto(suite.relay.url, { waitUntil: 'commit' });
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();
  await wasm.asked;
  assert.equal(await page.getByRole('heading', { name: 'Create your health binder' }).count(), 0, 'only the screen this device needs');
  await checkFirstScreen(page, 'first-screen-unlock');

  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  await page.getByRole('status').filter({ hasText: 'Opening… the app is still loading.' }).waitFor();
  assert.ok(await button(page, 'Unlock').isDisabled(), 'a second press cannot queue another');
  await shot(page, 'first-screen-unlock-pressed');

  wasm.release();
  // The press made before the app was ready opens the binder: no second press.
  await page.getByRole('heading', { name: "Ada Lovelace's health binder" }).waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#first-screen').count(), 0, 'the first screen is gone');
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('a first visit types on the create form while the app loads; the app keeps the text, the focus and the press', async () => {
  const patient = await recordedContext(suite.browser, { locale: 'en-US' });
  const page = await patient.context.newPage();
  const wasm = await holdTheWasm(page);
  await page.goto(suite.relay.url, { waitUntil: 'commit' });
  await page.getByRole('heading', { name: 'Create your health binder' }).waitFor();
  await wasm.asked;
  assert.equal(await page.getByRole('heading', { name: 'Unlock your health binder' }).count(), 0, 'only the screen this device needs');
  await checkFirstScreen(page, 'first-screen-create');

  // Half-way through: a name and a passphrase typed, the cursor in the second passphrase field.
  await byLabel(page, 'Whose binder is this?').fill('Grace Hopper');
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await byLabel(page, 'Type the passphrase again').click();
  await page.keyboard.type(PASSPHRASE.slice(0, 7));

  wasm.release();
  // The app's own screen (its restore panel comes with it) replaces the static one, with what
  // was typed and the cursor where it was: typing goes on in the same field.
  await page.getByText('Restore from a backup').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#first-screen').count(), 0, 'the first screen is gone');
  assert.equal(await byLabel(page, 'Whose binder is this?').inputValue(), 'Grace Hopper');
  assert.equal(await byLabel(page, 'Passphrase').inputValue(), PASSPHRASE);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'create-confirm');
  await page.keyboard.type(PASSPHRASE.slice(7));
  assert.equal(await byLabel(page, 'Type the passphrase again').inputValue(), PASSPHRASE);
  await button(page, 'Create binder').click();
  await page.getByRole('heading', { name: "Grace Hopper's health binder" }).waitFor({ timeout: 60000 });
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('a press on the create form before the app arrives creates the binder once it has', async () => {
  const patient = await recordedContext(suite.browser, { locale: 'en-US' });
  const page = await patient.context.newPage();
  const wasm = await holdTheWasm(page);
  await page.goto(suite.relay.url, { waitUntil: 'commit' });
  await byLabel(page, 'Whose binder is this?').fill('Hedy Lamarr');
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await byLabel(page, 'Type the passphrase again').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Opening… the app is still loading.' }).waitFor();
  assert.ok(await button(page, 'Create binder').isDisabled());
  assert.equal(await page.locator('#main').count(), 0, 'the app has not started');

  wasm.release();
  await page.getByRole('heading', { name: "Hedy Lamarr's health binder" }).waitFor({ timeout: 60000 });
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('the first screen speaks the language the patient chose, before the app has arrived', async () => {
  // An English browser whose patient chose Spanish in the app earlier.
  const patient = await recordedContext(suite.browser, { locale: 'en-US' });
  // (Only on the app's origin: the blank page a new tab starts on may not have storage.)
  await patient.context.addInitScript((app) => {
    if (location.origin === app) localStorage.setItem('health-binder-language', 'es');
  }, new URL(suite.relay.url).origin);
  const page = await patient.context.newPage();
  const wasm = await holdTheWasm(page);
  await page.goto(suite.relay.url, { waitUntil: 'commit' });
  await page.getByRole('heading', { name: 'Cree su carpeta de salud' }).waitFor();
  await wasm.asked;
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  await page.getByText(/^Su carpeta se queda en este dispositivo/).waitFor();
  assert.equal(await page.locator('#first-screen').getByText(/Create|Passphrase|binder/).count(), 0, 'no English on the first screen');
  await checkFirstScreen(page, 'first-screen-create-es');

  await byLabel(page, '¿De quién es esta carpeta?').fill('Ada Lovelace');
  await byLabel(page, 'Frase de contraseña').fill(PASSPHRASE);
  await byLabel(page, 'Escriba de nuevo la frase de contraseña').fill(PASSPHRASE);
  await button(page, 'Crear la carpeta').click();
  await page.getByRole('status').filter({ hasText: 'Abriendo… la aplicación aún se está cargando.' }).waitFor();
  await shot(page, 'first-screen-create-es-pressed');

  wasm.release();
  await page.getByRole('heading', { name: 'Anote el código de recuperación de la carpeta de Ada Lovelace' })
    .waitFor({ timeout: 60000 });
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});
