// The size gate: each entry point's wasm + JS + CSS, brotli-compressed, must stay under its
// budget — what a patient (or a clinician scanning a QR at the desk) downloads before anything
// shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

// The one place the budgets are written. The project started from one budget of 160 KB for one
// bundle; the walking skeleton with share management measured 206 KB as one bundle, so the
// clinician's viewer became its own entry point (no vault, Argon2id, QR or forms in it) and the
// patient's app lost the viewer's code (see docs/figures.md). The budgets hold the line just
// above today's figures: whatever grows a download argues for it here. Patient: 179 KB, then
// +9 KB for the recovery code, passphrase change and automatic locking; then +43 KB (patient) and
// +11 KB (viewer) for the whole binder model of issue 3 — ~30 new types, mostly their serde
// code, and the IPS builder/reader for nine sections — before any screen for them exists; then
// +5 KB for the allergies screen (the first of those screens). Then the rest of issue 3: every
// other section's screen through one data-driven form (core::forms), the binder in tabs, the
// profile, backup download/restore, caregivers' several binders, the key worker's client and
// progress bar, and the zero-on-free allocator: 320 KB as first built, cut to 286 KB by removing
// what those screens dragged in (chrono's formatter, f64 formatting and parsing, a second set
// of serde deserializers for serde_json::Value, six copies of the standard sort, BTreeMap). Of
// the +46 KB left, most is the new views themselves (tachys code per view). Argon2id left the
// page for its own worker (kdf), fetched only when a key is derived. Then +12 KB for DEFLATE
// before sealing (miniz_oxide's compressor): a generation shrinks to a quarter, so a device holds
// seven large binders instead of one. Viewer: +2.7 KB to show whom to call (emergency contacts,
// caregiver, primary care) under the patient's name — what an emergency room asks first.
// Issues 10 and 11 (records in and out, the clinician's side): +27 KB for the SBAR hand-off every
// share now carries (its duplicate and allergy checks read the 296-ingredient drug table), +26 KB
// for import with review (the FHIR reader into binder entries, the review screen, the export
// button) and +12 KB for checking SMART Health Cards' ES256 signatures (p256). Viewer: +1 KB to
// read the SBAR back as text. Moving import and card checks into an on-demand worker is the
// first-load issue's job.
export const BUDGETS_KB = { patient: 370, viewer: 130, kdf: 20 };
const DIRS = { patient: '', viewer: 'view', kdf: 'kdf' };

const dist = process.argv[2] ?? 'dist';
let failed = false;
for (const [entry, budget] of Object.entries(BUDGETS_KB)) {
  const dir = join(dist, DIRS[entry]);
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f) && f !== 'sw.js');
  } catch {
    // reported below as an empty entry point
  }
  let raw = 0;
  let compressed = 0;
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    raw += bytes.length;
    compressed += br;
    console.log(`${entry.padEnd(8)} ${file.padEnd(40)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB raw ${(br / 1024).toFixed(1).padStart(8)} KB brotli`);
  }
  const kb = compressed / 1024;
  console.log(`${entry.padEnd(8)} ${'total'.padEnd(40)} ${(raw / 1024).toFixed(1).padStart(8)} KB raw ${kb.toFixed(1).padStart(8)} KB brotli (budget ${budget} KB)`);
  if (files.length === 0) {
    console.error(`size gate FAILED: no ${entry} files in ${dir}`);
    failed = true;
  } else if (kb > budget) {
    console.error(`size gate FAILED: ${entry} is ${kb.toFixed(1)} KB > ${budget} KB`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
