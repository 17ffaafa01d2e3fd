// Installable and offline: after the first visit the app opens and the binder unlocks with the
// network off; the service worker's cache holds the app's files and none of the binder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from '../support/relay.mjs';
import { launch, recordedContext, shot } from '../support/browser.mjs';
import { PASSPHRASE, addMedication, button, byLabel, createBinder, medicationNames, realProblems } from '../support/ui.mjs';

let relay, browser;

before(async () => {
  relay = await startRelay();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

test('after the first visit the binder opens and unlocks with the network off', async () => {
  const patient = await recordedContext(browser);
  const page = await patient.context.newPage();
  await createBinder(page, relay.url, 'Katherine Johnson');
  await button(page, 'I have written it down').click();
  await addMedication(page, { name: 'Levothyroxine', strength: '50 mcg', amount: '1', unit: 'tablet', reason: 'Thyroid' });
  // Installed and in control of the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
  assert.equal(manifest.display, 'standalone', 'installable to a home screen');

  await patient.context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  await page.getByRole('heading', { name: "Katherine Johnson's health binder" }).waitFor({ timeout: 30000 });
  assert.deepEqual(await medicationNames(page), ['Levothyroxine 50 mcg']);
  await shot(page, 'patient-offline');

  // What the cache holds: the app's files only, never the binder.
  const cached = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const body = await (await cache.match(request)).text();
        out.push({ url: new URL(request.url).pathname, body });
      }
    }
    return out;
  });
  const paths = cached.map((c) => c.url).sort();
  assert.ok(paths.includes('/') && paths.some((p) => p.endsWith('_bg.wasm')) && paths.some((p) => p.endsWith('.css')), paths.join(' '));
  assert.ok(!paths.some((p) => p.startsWith('/api') || p.startsWith('/shl')), paths.join(' '));
  for (const { url, body } of cached) {
    for (const marker of ['Katherine Johnson', 'Levothyroxine', 'Thyroid']) {
      assert.ok(!body.includes(marker), `${marker} cached in ${url}`);
    }
  }
  assert.deepEqual(realProblems(patient.problems).filter((p) => !/ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
  await patient.context.close();
});
