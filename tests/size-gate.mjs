// The size gate: each entry point's wasm + JS + CSS, brotli-compressed, must stay under its
// budget — what a patient (or a clinician scanning a QR at the desk) downloads before anything
// shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

// The one place the budgets are written. They hold the line just above today's figures: whatever
// grows a download argues for it, with the figure, in docs/figures.md ("How the budgets grew"),
// where the history of every budget is kept.
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
