// The clinician's wait, in headless Chromium: from the recipient's name submitted ("Open record"
// clicked) to the allergies section on screen, for a share of the large benchmark binder, with a
// cold cache (a fresh browser profile per round: nothing of the share or the viewer cached). The
// reference, measured in the same run and taking turns with it, is a one-medication binder's
// share. Not a test and not run by CI; see docs/benchmarks.md ("Viewer benchmark").
//
//   node bench/browser/viewer.mjs LARGE.json SMALL.json   each from bench_share: {"jwe", "key", "bytes"}
//
// Needs HB_RELAY_BIN and HB_DIST (scripts/bench-viewer sets them). Knobs: BENCH_ROUNDS (7).
import { readFileSync } from 'node:fs';
import { launch } from '../../tests/support/browser.mjs';
import { startRelay } from '../../tests/support/relay.mjs';
import { uploadLink } from './share-link.mjs';

const [largeFile, smallFile] = process.argv.slice(2);
if (!largeFile || !smallFile) {
  console.error('usage: node bench/browser/viewer.mjs LARGE.json SMALL.json (made by scripts/bench-viewer)');
  process.exit(2);
}
const shares = { large: JSON.parse(readFileSync(largeFile, 'utf8')), small: JSON.parse(readFileSync(smallFile, 'utf8')) };
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

// One round: a fresh profile opens the link; the time from the click on "Open record" to the
// first frame with the allergies section in it, measured in the page.
async function open(browser, relay, share) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(await uploadLink(relay, share));
    await page.getByLabel(/^Your name and role/).fill('Benchmark clinician');
    const measured = page.evaluate(() => new Promise((resolve) => {
      let start;
      document.addEventListener('click', () => { start ??= performance.now(); }, { capture: true });
      const seen = new MutationObserver(() => {
        if (start !== undefined && document.getElementById('allergies-title')) {
          seen.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - start));
        }
      });
      seen.observe(document.body, { childList: true, subtree: true });
    }));
    await page.getByRole('button', { name: 'Open record', exact: true }).click();
    const ms = await measured;
    const medications = await page.locator('.medication-table tbody tr').count();
    return { ms, medications };
  } finally {
    await context.close();
  }
}

const relay = await startRelay({ env: { RUST_LOG: 'warn' } });
const browser = await launch();
const times = { large: [], small: [] };
let counts;
try {
  for (let i = 0; i < rounds; i++) {
    // Taking turns, so whatever else the machine does weighs on both.
    const order = i % 2 ? ['small', 'large'] : ['large', 'small'];
    counts = {};
    for (const which of order) {
      const { ms, medications } = await open(browser, relay, shares[which]);
      times[which].push(ms);
      counts[which] = medications;
    }
  }
} finally {
  await browser.close();
  await relay.stop();
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
console.log(`browser:  Chromium ${browser.version()} headless, a fresh profile (cold cache) per round`);
console.log(`shares:   large ${shares.large.bytes} bytes of JWE (${counts.large} medications listed), small ${shares.small.bytes} bytes (${counts.small})`);
console.log();
console.log(`${'name submitted → allergies on screen'.padEnd(44)}${'rounds'.padStart(7)}${'median ms'.padStart(12)}${'min ms'.padStart(10)}${'max ms'.padStart(10)}`);
for (const which of ['small', 'large']) {
  const xs = times[which];
  const label = which === 'large' ? 'large benchmark binder' : 'one medication (reference)';
  console.log(`${label.padEnd(44)}${String(xs.length).padStart(7)}${median(xs).toFixed(0).padStart(12)}${Math.min(...xs).toFixed(0).padStart(10)}${Math.max(...xs).toFixed(0).padStart(10)}`);
}
console.log();
console.log(`large / reference: ${(median(times.large) / median(times.small)).toFixed(2)}x medians   (goal: large <= 400 ms on loopback)`);
