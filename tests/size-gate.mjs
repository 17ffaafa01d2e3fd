// The size gate: what a patient (or a clinician scanning a QR at the desk) downloads before
// anything shows — each entry point's wasm + JS + CSS, and the patient's first screen (the page,
// its stylesheet and the scripts it names, painted before the wasm arrives: app/index.html) —
// counted as it crosses the wire: the real
// relay is asked for each file as Chromium asks (`Accept-Encoding: gzip, deflate, br, zstd`), and
// the bytes it sends (response headers and body, as sent, before the browser decodes them) are
// summed and held against the budget. A file the relay sent uncompressed counts whole.
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startRelay } from './support/relay.mjs';

// The one place the budgets are written. They hold the line just above today's figures: whatever
// grows a download argues for it, with the figure, in docs/figures.md ("How the budgets grew"),
// where the history of every budget is kept.
// Since 2026-12-05 they count response headers too (about 1.2 KB a file, most of it the CSP).
export const BUDGETS_KB = { 'first screen': 160, patient: 526, viewer: 155, kdf: 23 };
const DIRS = { 'first screen': '', patient: '', viewer: 'view', kdf: 'kdf' };
const CHROMIUM_ACCEPTS = 'gzip, deflate, br, zstd';

// One GET as the browser makes it; resolves with what arrived, counted before decoding.
function fetchOnTheWire(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': CHROMIUM_ACCEPTS } }, (res) => {
      let body = 0;
      res.on('data', (chunk) => { body += chunk.length; });
      res.on('end', () => {
        // Status line and headers as HTTP/1.1 writes them.
        const head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length
          + res.rawHeaders.reduce((sum, part, i) => sum + part.length + (i % 2 ? 2 : 2), 0) + 2; // 'name: ' and CRLF, then the blank line
        resolve({ status: res.statusCode, encoding: res.headers['content-encoding'] ?? 'identity', head, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// The files an entry point downloads, as paths under its directory. The first screen: the page
// itself (asked for as `/`) and the stylesheets and classic scripts it names, not the app's
// loader, its modulepreload or the wasm's preload.
function filesOf(entry, dir) {
  if (entry === 'first screen') {
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    const named = [...page.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="\/([^"]+)"/g)]
      .concat([...page.matchAll(/<script\b[^>]*\bsrc="\/([^"]+)"/g)])
      .map(([, path]) => path);
    return ['', ...named];
  }
  return readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f) && f !== 'sw.js');
}

const dist = process.argv[2] ?? 'dist';
const relay = await startRelay({ dist, env: { RUST_LOG: 'warn' } });
let failed = false;
try {
  for (const [entry, budget] of Object.entries(BUDGETS_KB)) {
    const dir = join(dist, DIRS[entry]);
    let files = [];
    try {
      files = filesOf(entry, dir);
    } catch {
      // reported below as an empty entry point
    }
    let total = 0;
    for (const file of files) {
      const path = DIRS[entry] ? `${DIRS[entry]}/${file}` : file;
      // The viewer is served on an origin of its own.
      const got = await fetchOnTheWire(new URL(path, entry === 'viewer' ? relay.viewerUrl : relay.url));
      if (got.status !== 200) {
        console.error(`size gate FAILED: the relay answered ${got.status} for /${path}`);
        failed = true;
      }
      total += got.head + got.body;
      console.log(`${entry.padEnd(12)} ${(file || 'index.html (/)').padEnd(40)} ${((got.head + got.body) / 1024).toFixed(1).padStart(8)} KB on the wire (${got.encoding})`);
    }
    const kb = total / 1024;
    console.log(`${entry.padEnd(12)} ${'total'.padEnd(40)} ${kb.toFixed(1).padStart(8)} KB on the wire (budget ${budget} KB)`);
    if (files.length === 0) {
      console.error(`size gate FAILED: no ${entry} files in ${dir}`);
      failed = true;
    } else if (kb > budget) {
      console.error(`size gate FAILED: ${entry} sends ${kb.toFixed(1)} KB > ${budget} KB`);
      failed = true;
    }
  }
} finally {
  await relay.stop();
}
process.exit(failed ? 1 : 0);
