// A first visit, as a clinic's guest network or a prepaid phone plan sees it: a fresh browser
// profile (nothing cached) opens the patient's app at `/` until "Create your health binder" is on
// screen (the first screen: since issue 13's first-load work a static form painted before the
// wasm arrives) and until the app's own screen has taken over (app ready: the Leptos page mounted
// in <main id="main">; before that work both are one moment), and the clinician's viewer from a
// link until its "Open record" button is; on loopback and
// with Chromium's network throttled to 1.6 Mbps down / 750 kbps up with 150 ms round trips (the
// issue's figure). Counts what crossed the wire as Chromium does (encoded bytes, headers included)
// and the time from navigation start. Not a test and not run by CI; see docs/benchmarks.md.
//
//   node bench/browser/first-visit.mjs        needs HB_RELAY_BIN and HB_DIST (scripts/bench-first-visit sets them)
//
// Knobs: BENCH_ROUNDS (5); BENCH_WATERFALL=1 prints, for the first visit of each page and
// network, when each file was asked for and when it had arrived, with Chromium's priority (what
// the wasm's preload does to the stylesheet and the first screen's script); BENCH_BEFORE_DIST, another build's dist/ (an earlier commit's) to
// measure side by side with HB_DIST in the same run: each round visits one, then the other (a
// relay of this build serves each), so a busy spell of the machine falls on both alike; the
// table then gives both and their ratio.
import { launch } from '../../tests/support/browser.mjs';
import { startRelay } from '../../tests/support/relay.mjs';
import { uploadLink } from './share-link.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const NETWORKS = {
  loopback: null,
  '1.6 Mbps / 150 ms': { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) },
};

// A share to open: any small ciphertext will do, the viewer is measured up to its first form.
const PLACEHOLDER = {
  jwe: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA',
  key: 'A'.repeat(43),
};

// Visits `url` once and returns, for each milestone in order, the time and what had crossed the
// wire by then.
const WATERFALL = process.env.BENCH_WATERFALL === '1';

async function visit(browser, url, milestones, network, label) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (network) await cdp.send('Network.emulateNetworkConditions', network);
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    const files = new Map();
    if (label) {
      cdp.on('Network.requestWillBeSent', (e) => files.set(e.requestId, { path: new URL(e.request.url).pathname, priority: e.request.initialPriority, sent: e.timestamp }));
      cdp.on('Network.loadingFinished', (e) => { const f = files.get(e.requestId); if (f) Object.assign(f, { done: e.timestamp, kb: e.encodedDataLength / 1024 }); });
    }
    await page.goto(url, { waitUntil: 'commit' });
    const reached = [];
    for (const ready of milestones) {
      // Checked in the page at every animation frame, which also takes the time there: a
      // locator's wait polls at growing intervals (up to 500 ms apart), too coarse for a second
      // milestone that comes seconds after the first. Milliseconds since the navigation started
      // (the page's time origin).
      const ms = await (await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 120_000 })).jsonValue();
      reached.push({ ms, kb: bytes / 1024 });
    }
    if (label) {
      // CDP's timestamps are seconds on a clock of its own: relative to the first request.
      const start = Math.min(...[...files.values()].map((f) => f.sent));
      console.log(`waterfall: ${label} (${reached.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')} to the milestones)`);
      for (const f of files.values()) {
        console.log(`  ${f.path.padEnd(48)} ${f.priority.padEnd(9)} asked ${((f.sent - start) * 1000).toFixed(0).padStart(6)} ms  arrived ${f.done ? ((f.done - start) * 1000).toFixed(0).padStart(6) : '     -'} ms  ${(f.kb ?? 0).toFixed(1).padStart(7)} KB`);
      }
    }
    return reached;
  } finally {
    await context.close();
  }
}

const builds = { after: process.env.HB_DIST };
if (process.env.BENCH_BEFORE_DIST) builds.before = process.env.BENCH_BEFORE_DIST;
const relays = {};
const browser = await launch();
// results[network][what][build] = runs
const results = {};
try {
  const pages = {};
  for (const [build, dist] of Object.entries(builds)) {
    relays[build] = await startRelay({ dist, env: { RUST_LOG: 'warn' } });
    const link = await uploadLink(relays[build], PLACEHOLDER);
    // Each page's milestones, in the order they are reached (one visit measures all of them).
    pages[build] = {
      // Functions run in the page: the time when what they look for is on screen, else false.
      "patient's app": [relays[build].url, {
        'first screen': () => [...document.querySelectorAll('h1')]
          .some((h) => h.textContent.trim() === 'Create your health binder' && h.checkVisibility()) && performance.now(),
        'app ready': () => [...document.querySelectorAll('#main h1')]
          .some((h) => h.textContent.trim() === 'Create your health binder') && performance.now(),
      }],
      "clinician's viewer": [link, {
        "'Open record'": () => [...document.querySelectorAll('button')]
          .some((b) => b.textContent.trim() === 'Open record' && b.checkVisibility()) && performance.now(),
      }],
    };
  }
  for (const [network, conditions] of Object.entries(NETWORKS)) {
    results[network] = {};
    for (const [where, [, milestones]] of Object.entries(pages.after)) {
      const names = Object.keys(milestones).map((m) => `${where} → ${m}`);
      for (const what of names) results[network][what] = Object.fromEntries(Object.keys(builds).map((b) => [b, []]));
      for (let i = 0; i < rounds; i++) {
        // Taking turns, the one going first alternating too.
        const order = Object.keys(builds);
        if (i % 2) order.reverse();
        for (const build of order) {
          const [url, own] = pages[build][where];
          const label = WATERFALL && i === 0 ? `${where}, ${network}, ${build}` : undefined;
          const reached = await visit(browser, url, Object.values(own), conditions, label);
          reached.forEach((r, m) => results[network][names[m]][build].push(r));
        }
      }
    }
  }
} finally {
  await browser.close();
  for (const relay of Object.values(relays)) await relay.stop();
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
console.log(`browser:  Chromium ${browser.version()} headless, a fresh profile per visit, 390 px wide, ${rounds} rounds`);
for (const [build, dist] of Object.entries(builds)) console.log(`${(build + ':').padEnd(9)} ${dist}`);
console.log();
console.log(`${'first visit'.padEnd(38)}${'network'.padEnd(20)}${'build'.padEnd(14)}${'KB on the wire'.padStart(15)}${'median ms'.padStart(11)}${'min ms'.padStart(9)}${'max ms'.padStart(9)}`);
for (const [network, whats] of Object.entries(results)) {
  for (const [what, byBuild] of Object.entries(whats)) {
    const summary = {};
    for (const [build, runs] of Object.entries(byBuild)) {
      const ms = runs.map((r) => r.ms);
      summary[build] = { kb: median(runs.map((r) => r.kb)), ms: median(ms) };
      console.log(`${what.padEnd(38)}${network.padEnd(20)}${build.padEnd(14)}${summary[build].kb.toFixed(1).padStart(15)}${summary[build].ms.toFixed(0).padStart(11)}${Math.min(...ms).toFixed(0).padStart(9)}${Math.max(...ms).toFixed(0).padStart(9)}`);
    }
    if (summary.before) {
      const ratio = (a, b) => `${(a / b).toFixed(2)} ×`;
      console.log(`${what.padEnd(38)}${network.padEnd(20)}${'after/before'.padEnd(14)}${ratio(summary.after.kb, summary.before.kb).padStart(15)}${ratio(summary.after.ms, summary.before.ms).padStart(11)}`);
    }
  }
}
