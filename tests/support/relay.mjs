// Starts the real relay binary on a free port with a fresh SQLite file, and keeps its log. The
// clinician's viewer is served on a second free port (an origin of its own): `viewerUrl`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startRelay({ bin = process.env.HB_RELAY_BIN, dist = process.env.HB_DIST, env = {} } = {}) {
  if (!bin || !dist) throw new Error('HB_RELAY_BIN and HB_DIST must be set (scripts/test sets them)');
  const dir = mkdtempSync(join(tmpdir(), 'hb-relay-'));
  const db = join(dir, 'relay.sqlite3');
  const log = [];
  const child = spawn(bin, [], {
    // The most verbose logging the relay has: the test asserts no key shows up even there.
    env: { ...process.env, HB_ADDR: '127.0.0.1:0', HB_VIEWER_ADDR: '127.0.0.1:0', HB_DB: db, HB_DIST: dist, RUST_LOG: 'trace', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (chunk) => log.push(chunk.toString()));
  const { url, viewerUrl } = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${log.join('')}`)), 15000);
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      log.push(chunk.toString());
      const relay = out.match(/relay listening on (http:\/\/\S+)/);
      const viewer = out.match(/viewer listening on (http:\/\/\S+)/);
      if (relay && viewer) { clearTimeout(timer); resolve({ url: relay[1], viewerUrl: viewer[1] }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`relay exited with ${code}:\n${log.join('')}`)); });
  });
  return {
    url, // ends with '/'
    viewerUrl, // the viewer's own origin, ends with '/'
    db,
    log: () => log.join(''),
    // Stops it once; later calls (a test's `finally` after it stopped it itself) just return.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
