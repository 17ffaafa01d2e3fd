// The work of scripts/verify-deployment (see there): node:http, not fetch, so the bytes compared
// are the bytes the relay sent, with no decoding on the way.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, dist, relayBin] = process.argv.slice(2);
const base = url.replace(/\/+$/, '');
// Headers that say what a page may do; any difference is a difference in what runs.
const SECURITY_HEADERS = ['content-security-policy', 'strict-transport-security', 'x-content-type-options',
  'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'cross-origin-resource-policy',
  'permissions-policy'];
// The clinician's viewer (dist/view/) is served from an origin of its own; the app's origin
// redirects `/view` there.
const isViewer = (path) => path === 'view' || path.startsWith('view/');

// One GET asking for `encoding` (identity: the file itself), redirects not followed; the body as
// it arrived, undecoded.
function get(target, encoding = 'identity') {
  const client = target.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(target, { headers: { 'accept-encoding': encoding } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.setTimeout(30000, () => request.destroy(new Error(`no answer from ${target} in 30 s`)));
    request.on('error', reject);
  });
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

// This version's relay over the same dist/, on free ports, with this shell's settings and the
// deployment's two public addresses (which its security headers name).
async function referenceRelay(viewerBase) {
  const dir = mkdtempSync(join(tmpdir(), 'hb-verify-'));
  const child = spawn(relayBin, [], {
    env: { ...process.env, HB_ADDR: '127.0.0.1:0', HB_VIEWER_ADDR: '127.0.0.1:0', HB_DB: join(dir, 'relay.sqlite3'),
      HB_DIST: dist, HB_PUBLIC_URL: process.env.HB_PUBLIC_URL ?? base,
      HB_VIEWER_PUBLIC_URL: process.env.HB_VIEWER_PUBLIC_URL ?? viewerBase, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const addresses = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const app = out.match(/relay listening on (http:\/\/\S+?)\/?\s/);
      const viewer = out.match(/viewer listening on (http:\/\/\S+?)\/?\s/);
      if (app && viewer) resolve({ app: app[1], viewer: viewer[1] });
    });
    child.on('exit', (code) => reject(new Error(`this version's relay (${relayBin}) exited with ${code}`)));
  });
  return { ...addresses, stop: () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

const differences = [];
const manifest = readFileSync(join(dist, 'build-manifest.txt'));
const files = manifest.toString('utf8').split('\n').filter(Boolean).map((line) => ({ hash: line.slice(0, 64), path: line.slice(66) }));
const build = sha256(manifest);
console.log(`build ${build}: ${files.length} files, checking ${base}`);

// Where the viewer is: where the app's origin sends `/view`.
let viewerBase = base;
const toViewer = await get(`${base}/view`);
if (toViewer.status >= 300 && toViewer.status < 400 && toViewer.headers.location) {
  viewerBase = new URL(toViewer.headers.location, `${base}/`).origin;
  console.log(`the viewer is at ${viewerBase}`);
} else {
  differences.push(`/view: status ${toViewer.status}, this version sends it to the viewer's own origin`);
}

// Every listed file as browsers get it, at its origin: the file itself asked for with identity
// encoding, and each precompressed copy (`x.js.br`, `x.js.gz`) as what the relay sends for `x.js`
// to a browser that accepts that encoding — the copy's bytes, undecoded. Then the entry pages at
// the addresses browsers open, and the build's identity (the manifest itself and build.json).
const ENCODINGS = { br: 'br', gz: 'gzip' };
const at = (path) => ({ origin: isViewer(path) ? viewerBase : base, path: `/${path}` });
const checks = files.map(({ hash, path }) => {
  const suffix = path.match(/\.(br|gz)$/)?.[1];
  return suffix
    ? { ...at(path.slice(0, -suffix.length - 1)), encoding: ENCODINGS[suffix], hash }
    : { ...at(path), encoding: 'identity', hash };
});
const byPath = Object.fromEntries(files.map(({ hash, path }) => [path, hash]));
if (byPath['index.html']) checks.push({ ...at(''), encoding: 'identity', hash: byPath['index.html'] });
if (byPath['view/index.html']) checks.push({ ...at('view'), encoding: 'identity', hash: byPath['view/index.html'] });
checks.push({ ...at('build-manifest.txt'), encoding: 'identity', hash: build });
checks.push({ ...at('build.json'), encoding: 'identity', hash: sha256(readFileSync(join(dist, 'build.json'))) });
const label = ({ origin, path, encoding }) => `${origin === base ? '' : origin}${path}${encoding === 'identity' ? '' : ` (${encoding})`}`;
const served = new Map(); // origin + path → what came with identity encoding
for (const check of checks) {
  let response;
  try {
    response = await get(check.origin + check.path, check.encoding);
  } catch (err) {
    differences.push(`${label(check)}: not fetched (${err.message})`);
    continue;
  }
  if (check.encoding === 'identity') served.set(check.origin + check.path, response);
  const sent = response.headers['content-encoding'] ?? 'identity';
  if (response.status !== 200) differences.push(`${label(check)}: status ${response.status}`);
  else if (sent !== check.encoding) differences.push(`${label(check)}: sent as ${sent}, ${check.encoding} was asked for`);
  else if (sha256(response.body) !== check.hash) differences.push(`${label(check)}: SHA-256 ${sha256(response.body)}, this build has ${check.hash}`);
}

const reference = await referenceRelay(viewerBase);
try {
  // The entry pages, the service worker, the build's identity and every script and wasm file,
  // each against the same address on this version's relay (app or viewer listener).
  const paths = ['', 'view', 'sw.js', 'build-manifest.txt', ...files.filter((f) => /\.(wasm|js)$/.test(f.path)).map((f) => f.path)];
  for (const path of paths) {
    const here = at(path);
    const response = served.get(here.origin + here.path);
    if (!response) continue; // not fetched at all: already listed as a difference
    const expected = (await get((isViewer(path) ? reference.viewer : reference.app) + here.path)).headers;
    for (const name of SECURITY_HEADERS) {
      const [want, got] = [expected[name], response.headers[name]];
      if (want !== got) differences.push(`${label({ ...here, encoding: 'identity' })}: header ${name} is ${got === undefined ? 'missing' : `"${got}"`}, this version sends ${want === undefined ? 'none' : `"${want}"`}`);
    }
  }
} finally {
  reference.stop();
}

if (differences.length) {
  console.log(`FAILED: ${base} does not serve build ${build}:`);
  for (const line of differences) console.log(`  - ${line}`);
  process.exit(1);
}
console.log(`OK: ${base} serves build ${build} (${checks.length} files, compressed copies and pages byte for byte, the viewer at its own origin, security headers as this version's relay sends them)`);
