// No plaintext at rest or after locking: every section is filled with marker text, shared, and the
// binder locked; then the marker is searched for in localStorage, IndexedDB, the Cache Storage, the
// relay's database files, a V8 heap snapshot (Chromium DevTools protocol) and the wasm memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { PASSPHRASE, addMedication, button, byLabel, fillForm, openPart } from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const MARK = 'ZqxMark';
const m = (n) => `${MARK}${n}`;

// The wasm instance, kept where the test can scan its memory (set again at every page load).
const keepWasmMemoryReachable = (page) => page.context().addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__hbWasm = e.detail.wasm; });
});

// A V8 heap snapshot of the page (after a garbage collection), as text, through the DevTools protocol.
async function heapSnapshot(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  let snapshot = '';
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { snapshot += chunk; });
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  assert.ok(snapshot.length > 100000, 'a heap snapshot was taken');
  return snapshot;
}

// How many copies of the marker the wasm instance's linear memory holds, and which markers
// (the marker and the lowercase letters after it).
const wasmCopies = (page) => page.evaluate((mark) => {
  const bytes = new Uint8Array(window.__hbWasm.memory.buffer);
  const needle = new TextEncoder().encode(mark);
  let hits = 0;
  const names = new Set();
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    hits++;
    let end = i + needle.length;
    while (end < bytes.length && bytes[end] >= 97 && bytes[end] <= 122) end++;
    names.add(new TextDecoder().decode(bytes.subarray(i, end)));
  }
  return { hits, size: bytes.length, names: [...names] };
}, MARK);

const FILL = [
  ['Care team', 'Care team', 'provider', [['Name', m('provider')], ['Role or specialty', m('role')], ['Address', m('address')]]],
  ['History', 'Conditions', 'condition', [['Condition', m('condition')], ['Note', m('condnote')]]],
  ['History', 'Procedures and surgeries', 'procedure', [['Procedure or surgery', m('procedure')], ['Who did it, or where', m('performer')]]],
  ['History', 'Immunizations', 'immunization', [['Vaccine', m('vaccine')], ['Given by', m('givenby')]]],
  ['Results', 'Test results', 'result', [['Test', m('test')], ['Result', m('resulttext')], ['Date of the test', '2026']]],
  ['Appointments', 'Appointments', 'appointment', [['Date and time', '2026-12-03T09:30'], ['Purpose', m('purpose')], ['Questions to ask', m('question')]]],
  ['Vitals', 'Vitals log', 'reading', [['Reading', '128/82']]],
  ['Notes', 'Notes and symptom journal', 'note', [['Note', m('note')]]],
];

// Types marker text into every section, the profile and a share's label. Every step checks that
// its marker reached the screen: a step that silently did nothing would leave a marker out of the
// searches and make them pass for the wrong reason.
async function fillEverySection(page) {
  await addMedication(page, { name: m('medication'), strength: '5 mg', amount: '1', unit: 'tablet', reason: m('reason') });
  await page.getByRole('heading', { name: `${m('medication')} 5 mg` }).waitFor();
  await button(page, 'Add allergy').click();
  await byLabel(page, /^Substance/).fill(m('allergy'));
  await button(page, 'Save allergy').click();
  await page.getByRole('region', { name: 'Allergies' }).getByRole('heading', { name: m('allergy') }).waitFor();
  for (const [part, region, item, fields] of FILL) {
    await openPart(page, part);
    const section = page.getByRole('region', { name: region, exact: true });
    await button(section, `Add ${item}`).click();
    await fillForm(section.locator('form'), fields);
    await button(section, `Save ${item}`).click();
    const marked = fields.find(([, value]) => typeof value === 'string' && value.startsWith(MARK));
    const entry = section.locator('li.entry').first();
    if (marked) await entry.getByText(marked[1]).first().waitFor();
    else await entry.waitFor();
  }
  await openPart(page, 'About me');
  await button(page, 'Edit details').click();
  await fillForm(page.locator('form'), [['Emergency contact', m('contact')], ["Emergency contact's phone", '555 0100'],
    ['Advance directive', m('directive')]]);
  await button(page, 'Save details').click();
  const details = page.getByRole('region', { name: 'About me', exact: true }).locator('dl');
  await details.getByText(m('contact')).waitFor();
  await details.getByText(m('directive')).waitFor();
  await openPart(page, 'Share');
  const panel = page.locator('section.share');
  await panel.getByText('More options').click();
  await byLabel(panel, /^Label/).fill(m('label'));
  await button(panel, 'Show to my clinician').click();
  await panel.getByRole('img', { name: /QR code of the share link/ }).waitFor();
  await page.locator('.share-item').getByText(m('label')).waitFor();
}

// Everything the device and the relay keep at rest, as [where, text]: localStorage, IndexedDB, the
// Cache Storage, and the relay's database files.
async function textAtRest(page) {
  const places = [];
  places.push(['localStorage', await page.evaluate(() => JSON.stringify({ ...localStorage }))]);
  places.push(['IndexedDB', await page.evaluate(async () => {
    const out = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, no) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = no; });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); });
        out.push(JSON.stringify(all));
      }
    }
    return out.join('\n');
  })]);
  places.push(['Cache Storage', await page.evaluate(async () => {
    const out = [];
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const request of await cache.keys()) out.push(request.url, await (await cache.match(request)).text());
    }
    return out.join('\n');
  })]);
  assert.ok(existsSync(suite.relay.db), 'the relay database is where the test looks');
  for (const file of [suite.relay.db, `${suite.relay.db}-wal`]) {
    if (existsSync(file)) places.push([`relay ${file.endsWith('wal') ? 'WAL' : 'database'}`, readFileSync(file).toString('latin1')]);
  }
  return places;
}

test('after locking, the marker text is nowhere: storage, caches, relay database, heap, wasm memory', async () => {
  const patient = await newPatient(suite, m('name'), { beforeCreate: keepWasmMemoryReachable });
  const { page } = patient;
  await fillEverySection(page);
  // The marker is really on screen before locking (the search below would find it if it stayed).
  await openPart(page, 'Notes');
  await page.getByText(m('note')).waitFor();
  // The searches find the marker while the binder is open, so finding nothing later means it is gone.
  assert.ok((await heapSnapshot(patient.context, page)).includes(MARK), 'the heap search finds the marker while open');
  assert.ok((await wasmCopies(page)).hits > 0, 'the wasm memory search finds the marker while open');

  await button(page, 'Lock').click();
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();

  const found = [];
  for (const [where, text] of await textAtRest(page)) if (text.includes(MARK)) found.push(where);
  if ((await heapSnapshot(patient.context, page)).includes(MARK)) found.push('heap snapshot');
  const wasmMemory = await wasmCopies(page);
  console.log(`# figure: wasm memory scanned after lock: ${(wasmMemory.size / 1048576).toFixed(1)} MiB, ${wasmMemory.hits} hits`);
  if (wasmMemory.hits) found.push(`wasm memory (${wasmMemory.hits} copies)`);

  assert.deepEqual(found, [], `marker text found after locking in: ${found.join(', ')}`);
  await patient.context.close();
});

// Strings that JavaScript or Blink make from binder text (an accessible name built in Rust and set
// as an attribute, say) live outside the wasm memory the lock wipes. So none is made, even while
// the binder is open (names are given by reference, aria-labelledby), and a page reloaded, unlocked
// and locked again, never typed into, keeps no binder text in its heap.
const markedStrings = (heap) => [...new Set(heap.match(new RegExp(`[^"]{0,40}${MARK}[^"]{0,40}`, 'g')) ?? [])];

test('a page reloaded, unlocked and locked again keeps no binder text in its heap', async () => {
  const patient = await newPatient(suite, m('name'));
  const { page } = patient;
  await fillEverySection(page);
  await page.reload();
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  // Waits that name no marker: a locator's text would itself be a string in the page's heap.
  await page.locator('.medications li').first().waitFor({ timeout: 30000 });
  // The search finds a string the page made from binder text (here on purpose, then dropped).
  await page.evaluate(() => { window.probe = document.querySelector('.medications h3').textContent; });
  assert.ok(markedStrings(await heapSnapshot(patient.context, page)).length > 0, 'the heap search finds a string made from binder text');
  await page.evaluate(() => { delete window.probe; });
  const open = markedStrings(await heapSnapshot(patient.context, page));
  assert.deepEqual(open.filter((s) => /(Edit|Delete) ZqxMark/.test(s)), [], 'accessible names built from binder text');

  await button(page, 'Lock').click();
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();
  assert.deepEqual(markedStrings(await heapSnapshot(patient.context, page)), [], 'binder text in the heap after locking');
  await patient.context.close();
});

// The emergency card is the one deliberate exception to the above: with it on, exactly the fields
// the patient ticked are kept at rest (and shown on the first screen), and nothing else of the binder.
const markers = (text) => [...new Set(text.match(new RegExp(`${MARK}[a-z]+`, 'g')) ?? [])].sort();

test('with the emergency card on, exactly the ticked fields are at rest, and nothing else', async () => {
  const patient = await newPatient(suite, m('name'), { beforeCreate: keepWasmMemoryReachable });
  const { page } = patient;
  await fillEverySection(page);
  await openPart(page, 'Emergency & paper');
  const panel = page.getByRole('region', { name: 'Emergency card on this device' });
  for (const box of await panel.getByRole('checkbox').all()) await box.uncheck();
  for (const label of ['Name', 'Allergies', 'Medications you take now']) await panel.getByLabel(label, { exact: true }).check();
  await button(panel, 'Turn on the card').click();
  await panel.getByText('The card is on, showing your binder.').waitFor();
  await button(page, 'Lock').click();
  await page.getByRole('region', { name: 'Emergency information' }).waitFor();

  const chosen = [m('allergy'), m('medication'), m('name')];
  const places = await textAtRest(page);
  assert.deepEqual(markers(places.map(([, text]) => text).join('\n')), chosen, 'exactly the ticked fields at rest');
  assert.deepEqual(markers(places.find(([where]) => where === 'localStorage')[1]), chosen, 'kept in localStorage');
  // On the first screen, so in the page; but nothing else of the binder is in its heap or wasm memory.
  const others = (found) => found.filter((x) => !chosen.includes(x));
  assert.deepEqual(others(markers(await heapSnapshot(patient.context, page))), [], 'other binder text in the heap');
  assert.deepEqual(others((await wasmCopies(page)).names), [], 'other binder text in the wasm memory');
  await patient.context.close();
});
