// The size gate: the app's wasm + JS + CSS, brotli-compressed, must stay under the budget below —
// what a patient downloads on a phone at the desk before the binder opens.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

// The one place the budget is written. The project started at 160 KB; the walking skeleton
// measures about 188 KB (Leptos ~25 KB, serde/serde_json ~17 KB, crypto ~12 KB, the app's own
// views, rules and strings the rest; share management alone costs ~5 KB — see docs/figures.md).
// The gate holds the line just above that figure: whatever grows the download argues for it here.
export const BUDGET_KB = 190;

const dist = process.argv[2] ?? 'dist';
const files = readdirSync(dist).filter((f) => /\.(wasm|js|css)$/.test(f) && f !== 'sw.js');
let raw = 0;
let compressed = 0;
for (const file of files) {
  const bytes = readFileSync(join(dist, file));
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += bytes.length;
  compressed += br;
  console.log(`${file.padEnd(48)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB raw ${(br / 1024).toFixed(1).padStart(8)} KB brotli`);
}
const kb = compressed / 1024;
console.log(`total${' '.repeat(44)}${(raw / 1024).toFixed(1).padStart(8)} KB raw ${kb.toFixed(1).padStart(8)} KB brotli (budget ${BUDGET_KB} KB)`);
if (files.length === 0 || kb > BUDGET_KB) {
  console.error(files.length === 0 ? `no app files in ${dist}` : `size gate FAILED: ${kb.toFixed(1)} KB > ${BUDGET_KB} KB`);
  process.exit(1);
}
