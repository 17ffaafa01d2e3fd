// No plaintext at rest or after locking: every section is filled with marker text, shared, and the
// binder locked; then the marker is searched for in localStorage, IndexedDB, the Cache Storage, the
// relay's database files, a V8 heap snapshot (Chromium DevTools protocol) and the wasm memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { addMedication, button, byLabel, fillForm, openPart } from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const MARK = 'ZqxMark';
const m = (n) => `${MARK}${n}`;

// The wasm instance, kept where the test can scan its memory (set again at every page load).
const keepWasmMemoryReachable = (page) => page.context().addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__hbWasm = e.detail.wasm; });
});

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

test('after locking, the marker text is nowhere: storage, caches, relay database, heap, wasm memory', async () => {
  const patient = await newPatient(suite, m('name'), { beforeCreate: keepWasmMemoryReachable });
  const { page } = patient;
  await addMedication(page, { name: m('medication'), strength: '5 mg', amount: '1', unit: 'tablet', reason: m('reason') });
  await button(page, 'Add allergy').click();
  await byLabel(page, /^Substance/).fill(m('allergy'));
  await button(page, 'Save allergy').click();
  for (const [part, region, item, fields] of FILL) {
    await openPart(page, part);
    const section = page.getByRole('region', { name: region, exact: true });
    await button(section, `Add ${item}`).click();
    await fillForm(section.locator('form'), fields);
    await button(section, `Save ${item}`).click();
    await section.locator('li.entry').first().waitFor();
  }
  await openPart(page, 'About me');
  await button(page, 'Edit details').click();
  await fillForm(page.locator('form'), [['Emergency contact', m('contact')], ["Emergency contact's phone", '555 0100'],
    ['Advance directive', m('directive')]]);
  await button(page, 'Save details').click();
  await openPart(page, 'Share');
  await byLabel(page, /^Label/).fill(m('label')).catch(() => {});
  await button(page, 'Show to my clinician').click();
  await page.getByRole('img', { name: /QR code of the share link/ }).waitFor();
  // The marker is really on screen before locking (the search below would find it if it stayed).
  await openPart(page, 'Notes');
  await page.getByText(m('note')).waitFor();

  await button(page, 'Lock').click();
  await page.getByRole('heading', { name: 'Unlock your health binder' }).waitFor();

  const found = [];
  const look = (where, text) => { if (text.includes(MARK)) found.push(where); };

  look('localStorage', await page.evaluate(() => JSON.stringify({ ...localStorage })));
  look('IndexedDB', await page.evaluate(async () => {
    const out = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, no) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = no; });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); });
        out.push(JSON.stringify(all));
      }
    }
    return out.join('\n');
  }));
  look('Cache Storage', await page.evaluate(async () => {
    const out = [];
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const request of await cache.keys()) out.push(request.url, await (await cache.match(request)).text());
    }
    return out.join('\n');
  }));
  for (const file of [suite.relay.db, `${suite.relay.db}-wal`]) {
    if (existsSync(file)) look(`relay ${file.endsWith('wal') ? 'WAL' : 'database'}`, readFileSync(file).toString('latin1'));
  }

  const cdp = await patient.context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  let snapshot = '';
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { snapshot += chunk; });
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  assert.ok(snapshot.length > 100000, 'a heap snapshot was taken');
  look('heap snapshot', snapshot);

  const wasmMemory = await page.evaluate((mark) => {
    const bytes = new Uint8Array(window.__hbWasm.memory.buffer);
    const needle = new TextEncoder().encode(mark);
    let hits = 0;
    outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
      for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      hits++;
    }
    return { hits, size: bytes.length };
  }, MARK);
  console.log(`# figure: wasm memory scanned after lock: ${(wasmMemory.size / 1048576).toFixed(1)} MiB, ${wasmMemory.hits} hits`);
  if (wasmMemory.hits) found.push(`wasm memory (${wasmMemory.hits} copies)`);

  assert.deepEqual(found, [], `marker text found after locking in: ${found.join(', ')}`);
  await patient.context.close();
});
