// Installable and offline: after the first visit the app opens and the binder unlocks with the
// network off; the service worker's cache holds the app's files and none of the binder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay } from '../support/relay.mjs';
import { recordedContext, shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { PASSPHRASE, addMedication, button, byLabel, createBinder, medicationNames, realProblems } from '../support/ui.mjs';

const suite = useRelayAndBrowser();

test('after the first visit the binder opens and unlocks with the network off', async () => {
  const patient = await newPatient(suite, 'Katherine Johnson');
  const { page } = patient;
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

// A new version (here: the same build with a changed stylesheet under a new hashed name and a new
// integrity hash, as Trunk would emit) replaces the old one at the next visit, and the cache then
// serves the new files offline — with integrity still matching — and no longer the old ones.
// What crosses the wire on a first visit: the relay sends the brotli copies the build made, and
// Chromium decodes them (the app runs). Sizes as DevTools counts them: body bytes as transferred.
test('the app arrives brotli-compressed on a first visit, and hashed files may be kept for good', async () => {
  const patient = await recordedContext(suite.browser);
  const page = await patient.context.newPage();
  const arrived = [];
  page.on('requestfinished', async (request) => {
    const response = await request.response();
    if (!/\.(wasm|js|css)$/.test(new URL(request.url()).pathname)) return;
    arrived.push({ path: new URL(request.url()).pathname, response, sizes: await request.sizes() });
  });
  await createBinder(page, suite.relay.url, 'Dorothy Vaughan');
  const wasm = arrived.find((a) => /^\/patient-[0-9a-f]+_bg\.wasm$/.test(a.path));
  assert.ok(wasm, `the wasm was fetched: ${arrived.map((a) => a.path)}`);
  const headers = await wasm.response.allHeaders();
  assert.equal(headers['content-encoding'], 'br');
  assert.match(headers.vary ?? '', /accept-encoding/i);
  assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable');
  const decoded = readFileSync(join(process.env.HB_DIST, wasm.path.slice(1))).length;
  const onTheWire = wasm.sizes.responseBodySize;
  assert.ok(onTheWire > 0 && onTheWire < decoded / 2, `brotli body ${onTheWire} B for ${decoded} B of wasm`);
  console.log(`# figure: patient wasm on the wire ${(onTheWire / 1024).toFixed(1)} KB (brotli) for ${(decoded / 1024).toFixed(1)} KB decoded`);
  const sw = await page.evaluate(async () => (await fetch('/sw.js')).headers.get('cache-control'));
  assert.equal(sw, 'no-cache', 'the service worker is always asked for again');
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('a new version replaces the old one in the cache, and works offline with its integrity intact', async () => {
  const dists = [];
  const makeDist = (version) => {
    const dir = mkdtempSync(join(tmpdir(), `hb-dist-${version}-`));
    dists.push(dir);
    cpSync(process.env.HB_DIST, dir, { recursive: true });
    if (version === 2) {
      const index = readFileSync(join(dir, 'index.html'), 'utf8');
      const [, oldCss] = index.match(/href="\/(main-[0-9a-f]+\.css)"/);
      const css = `${readFileSync(join(dir, oldCss), 'utf8')}\n:root { --hb-version: "2"; }\n`;
      const integrity = `sha384-${createHash('sha384').update(css).digest('base64')}`;
      writeFileSync(join(dir, 'main-2222222222222222.css'), css);
      rmSync(join(dir, oldCss));
      writeFileSync(join(dir, 'index.html'), index
        .replace(`/${oldCss}`, '/main-2222222222222222.css')
        .replace(/(main-2222222222222222\.css" integrity=")[^"]+/, `$1${integrity}`));
    }
    return dir;
  };
  const version = (p) => p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--hb-version').trim());

  const first = await startRelay({ dist: makeDist(1) });
  const port = new URL(first.url).port;
  const patient = await recordedContext(suite.browser);
  const page = await patient.context.newPage();
  await createBinder(page, first.url, 'Mary Jackson');
  await button(page, 'I have written it down').click();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  assert.equal(await version(page), '');
  await first.stop();

  // The new version is deployed at the same address.
  const second = await startRelay({ dist: makeDist(2), env: { HB_ADDR: `127.0.0.1:${port}` } });
  try {
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();
    assert.equal(await version(page), '"2"', 'the new stylesheet is in use after one visit');
    await page.waitForFunction(async () => {
      const urls = (await (await caches.open((await caches.keys())[0])).keys()).map((r) => new URL(r.url).pathname);
      return urls.includes('/main-2222222222222222.css') && !urls.some((u) => /^\/main-(?!2222)[0-9a-f]+\.css$/.test(u));
    }, null, { timeout: 10000 });

    await patient.context.setOffline(true);
    await page.reload();
    await byLabel(page, 'Passphrase').fill(PASSPHRASE);
    await button(page, 'Unlock').click();
    await page.getByRole('heading', { name: "Mary Jackson's health binder" }).waitFor({ timeout: 30000 });
    assert.equal(await version(page), '"2"', 'offline, the cached new stylesheet loads (its integrity matches)');
    assert.deepEqual(realProblems(patient.problems).filter((p) => !/ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
  } finally {
    await patient.context.close();
    await second.stop();
    for (const dir of dists) rmSync(dir, { recursive: true, force: true });
  }
});
