// scripts/verify-deployment against a local relay: an unchanged deployment passes; a changed byte
// in a served file, or a changed Content-Security-Policy, fails with the difference named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRelay } from '../support/relay.mjs';
import { buildHash } from '../support/build.mjs';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'verify-deployment');
const DIST = process.env.HB_DIST;

function verify(url) {
  // This version's relay for the reference headers; the shell's HB_* settings are the test's own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HB_') || name === 'HB_RELAY_BIN'));
  const run = spawnSync(SCRIPT, [url, DIST], { env, encoding: 'utf8', timeout: 120000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

async function deployed(change, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hb-deployed-'));
  cpSync(DIST, dir, { recursive: true });
  change?.(dir);
  const relay = await startRelay({ dist: dir, env });
  return { url: relay.url, viewerUrl: relay.viewerUrl, async stop() { await relay.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

test('an unchanged deployment passes and names the build hash', async () => {
  const relay = await deployed();
  try {
    const { code, out } = verify(relay.url);
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`OK: .* serves build ${buildHash(DIST)}`));
  } finally {
    await relay.stop();
  }
});

test('one changed byte in a served file fails, naming the file', async () => {
  const relay = await deployed((dir) => appendFileSync(join(dir, 'kdf', 'kdf_worker_loader.js'), ' '));
  try {
    const { code, out } = verify(relay.url);
    assert.equal(code, 1, out);
    assert.match(out, /FAILED/);
    assert.match(out, /- \/kdf\/kdf_worker_loader\.js: SHA-256 [0-9a-f]{64}, this build has/);
    assert.equal(out.match(/^ {2}- /gm).length, 1, `only the changed file differs:\n${out}`);
  } finally {
    await relay.stop();
  }
});

// Most browsers are sent the brotli copy, not the file: a relay that swapped only that copy is
// caught too (the manifest lists it; it is fetched as a browser accepting brotli gets it).
test('one changed byte in a compressed copy fails, naming the file and the encoding', async () => {
  let wasm;
  const relay = await deployed((dir) => {
    wasm = readdirSync(dir).find((name) => /^patient-[0-9a-f]+_bg\.wasm$/.test(name));
    const copy = join(dir, `${wasm}.br`);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(copy, bytes);
  });
  try {
    const { code, out } = verify(relay.url);
    assert.equal(code, 1, out);
    assert.match(out, new RegExp(`- /${wasm} \\(br\\): SHA-256 [0-9a-f]{64}, this build has`));
    assert.equal(out.match(/^ {2}- /gm).length, 1, `only the changed copy differs:\n${out}`);
  } finally {
    await relay.stop();
  }
});

// The viewer is served from its own origin (the app's origin redirects /view there): its files are
// checked there.
test('one changed byte in the viewer fails, naming its own origin', async () => {
  const relay = await deployed((dir) => appendFileSync(join(dir, 'view', 'index.html'), ' '));
  try {
    const { code, out } = verify(relay.url);
    assert.equal(code, 1, out);
    const viewer = new URL(relay.viewerUrl).origin;
    assert.match(out, new RegExp(`the viewer is at ${viewer}`));
    assert.match(out, new RegExp(`- ${viewer}/view/index\\.html: SHA-256 [0-9a-f]{64}, this build has`));
    assert.match(out, new RegExp(`- ${viewer}/view: SHA-256 [0-9a-f]{64}, this build has`));
    assert.equal(out.match(/^ {2}- /gm).length, 2, `only the viewer's page differs (at both its addresses):\n${out}`);
  } finally {
    await relay.stop();
  }
});

test('a changed Content-Security-Policy fails, naming the header', async () => {
  // The same files, served by a relay told to let the app connect elsewhere.
  const relay = await deployed(null, { HB_APP_CONNECT_SRC: 'https://elsewhere.example' });
  try {
    const { code, out } = verify(relay.url);
    assert.equal(code, 1, out);
    assert.match(out, /- \/: header content-security-policy is ".*https:\/\/elsewhere\.example.*", this version sends "/);
    assert.doesNotMatch(out, /SHA-256/, 'the files themselves are the same');
  } finally {
    await relay.stop();
  }
});
