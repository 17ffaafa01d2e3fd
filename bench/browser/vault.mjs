// The vault benchmark in the browser: serves the wasm-bindgen output of app/src/bin/bench_vault.rs
// (built by scripts/bench-vault-browser) on 127.0.0.1, opens it in headless Chromium (Debian's, via
// playwright-core, with the browser tests' flags), waits for its result and prints the figures.
// Not a test and not run by CI; see docs/benchmarks.md ("Vault benchmarks", "In the browser").
//
//   node bench/browser/vault.mjs DIR      DIR holds bench_vault.js and bench_vault_bg.wasm
//
// Knobs (environment): BENCH_ROUNDS (unlock/KDF rounds, 7), BENCH_SAVE_ROUNDS (save/load rounds,
// 30), BENCH_LABEL (a line printed above the table, e.g. the build profile).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { launch } from '../../tests/support/browser.mjs';

const dir = resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: node bench/browser/vault.mjs DIR (built by scripts/bench-vault-browser)');
  process.exit(2);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const saveRounds = Number(process.env.BENCH_SAVE_ROUNDS ?? 30);

const INDEX = `<!doctype html><meta charset="utf-8"><title>vault benchmark</title><link rel="icon" href="data:,">
<script type="module">
import init from './bench_vault.js';
init({ module_or_path: './bench_vault_bg.wasm' }).catch((e) => console.log('BENCH_RESULT ' + JSON.stringify({ error: String(e) })));
</script>`;
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

const server = createServer(async (req, res) => {
  // Cross-origin isolated, so performance.now() is coarsened to 5 µs rather than 100 µs.
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
  const path = new URL(req.url, 'http://localhost').pathname;
  if (path === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(INDEX);
    return;
  }
  const name = path.slice(1);
  const ext = name.slice(name.lastIndexOf('.'));
  if (!/^[\w.-]+$/.test(name) || !TYPES[ext]) {
    res.writeHead(404, headers).end();
    return;
  }
  try {
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[ext] }).end(await readFile(join(dir, name)));
  } catch {
    res.writeHead(404, headers).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/?rounds=${rounds}&save_rounds=${saveRounds}`;

const browser = await launch();
let result;
try {
  const page = await browser.newPage();
  result = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('no result within 10 minutes')), 600_000);
    page.on('pageerror', (e) => { clearTimeout(timer); fail(e); });
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('BENCH_RESULT ')) {
        clearTimeout(timer);
        ok(JSON.parse(text.slice('BENCH_RESULT '.length)));
      } else if (text.startsWith('BENCH ')) {
        console.error(`  ${text.slice(6)}`);
      } else if (m.type() === 'error') {
        console.error(`  console error: ${text}`);
      }
    });
    page.goto(url).catch(fail);
  });
  result.cross_origin_isolated = await page.evaluate(() => self.crossOriginIsolated);
  result.browser_version = browser.version();
} finally {
  await browser.close();
  server.close();
}
if (result.error) {
  console.error(`the benchmark failed in the page: ${result.error}`);
  process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const min = (xs) => Math.min(...xs);
const t = result.times_ms;
const f = (x, d = 3) => x.toFixed(d);

if (process.env.BENCH_LABEL) console.log(process.env.BENCH_LABEL);
console.log(`browser:  Chromium ${result.browser_version} headless (cross-origin isolated: ${result.cross_origin_isolated})`);
const b = result.binder;
console.log(`binder:   ${b.medications} medications, ${b.vitals} vitals, ${b.results} results; plain JSON ${b.plain_json_bytes} bytes`);
console.log(`KDF:      ${result.kdf.alg} m=${result.kdf.m_kib} KiB t=${result.kdf.t} p=${result.kdf.p}, on the page's thread`);
console.log(`storage:  localStorage holds ${result.stored_chars.vault} characters for the vault, ${result.stored_chars.vault_and_plain} with the plain JSON too (quota: ~5 M characters)`);
console.log();
const rows = [
  ['bare KDF: Argon2id derive (reference)', t.kdf],
  ['unlock: header + KDF + open slot + load (localStorage)', t.unlock],
  ['plain: serde_json::to_string + setItem (reference)', t.plain_write],
  ['save: VaultStore::save into localStorage', t.save],
  ['plain: getItem + serde_json::from_str (reference)', t.plain_read],
  ['load alone: VaultStore::load from localStorage', t.load],
];
console.log(`${'measurement'.padEnd(58)}${'rounds'.padStart(7)}${'median ms'.padStart(12)}${'min ms'.padStart(12)}`);
for (const [label, xs] of rows) {
  console.log(`${label.padEnd(58)}${String(xs.length).padStart(7)}${f(median(xs)).padStart(12)}${f(min(xs)).padStart(12)}`);
}
console.log();
const ratios = (a, b) => a.map((x, i) => x / b[i]);
const line = (name, a, bb, goal) => {
  const per = ratios(a, bb);
  console.log(`${name}${f(median(a) / median(bb))}x medians, ${f(min(a) / min(bb))}x minimums (per round: ${f(min(per), 2)}x to ${f(Math.max(...per), 2)}x)${goal}`);
};
line('unlock / KDF:  ', t.unlock, t.kdf, '   (goal <= 1.5x)');
console.log(`               unlock minus KDF (medians): ${f(median(t.unlock) - median(t.kdf))} ms; load alone: ${f(median(t.load))} ms`);
line('save / plain:  ', t.save, t.plain_write, '   (goal <= 1.5x)');
line('load / parse:  ', t.load, t.plain_read, '   (no goal)');
console.log();
const s = result.steps_median_ms;
console.log(`single steps (medians of ${saveRounds}):`);
const steps = [
  ['serde_json::to_string(&binder)', s.plain_to_string_ms],
  [`setItem of the plain JSON (${b.plain_json_bytes} chars)`, s.plain_set_item_ms],
  ['getItem of the plain JSON', s.plain_get_item_ms],
  ['serde_json::from_str::<Binder>', s.plain_from_str_ms],
  [`setItem of one sealed generation (${s.generation_chars} chars)`, s.generation_set_item_ms],
  ['getItem of one sealed generation', s.generation_get_item_ms],
];
for (const [label, ms] of steps) console.log(`  ${label.padEnd(56)}${f(ms).padStart(9)} ms`);
if (process.env.BENCH_JSON) console.log(JSON.stringify(result));
