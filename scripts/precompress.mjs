// Writes a brotli (`.br`) and a gzip (`.gz`) sibling of every compressible file in dist/, so the
// relay sends the smaller one a browser accepts without compressing on each request. Node's own
// zlib does both: nothing to install, and the same Node gives the same bytes (no file names or
// times go into the output), which the reproducible-build check relies on.
//
//   node scripts/precompress.mjs DIST          every compressible file of DIST
//   node scripts/precompress.mjs DIST FILE…    only these (paths relative to DIST), e.g. sw.js once
//                                              scripts/lib.sh has written the build's digest into it
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(wasm|js|mjs|css|json|svg|webmanifest|txt)$/; // not the entry pages: the relay serves those from memory
// The build's identity (scripts/lib.sh writes them after this runs): small, and fetched as they are.
const IDENTITY = /(^|\/)(build-manifest\.txt|build\.json)$/;
// Below this a compressed copy saves less than its own headers cost.
const MIN_BYTES = 512;

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const dist = process.argv[2] ?? 'dist';
const only = process.argv.slice(3).map((file) => join(dist, file));
let raw = 0;
let br = 0;
for (const path of only.length ? only : files(dist)) {
  // A copy left from a file that is gone (a build changed by hand) would be served for nothing.
  if (/\.(br|gz)$/.test(path)) {
    if (!existsSync(path.slice(0, -3))) rmSync(path);
    continue;
  }
  if (!COMPRESSIBLE.test(path) || IDENTITY.test(path)) continue;
  // Copies of an earlier version of this file must not outlive it.
  rmSync(`${path}.br`, { force: true });
  rmSync(`${path}.gz`, { force: true });
  const bytes = readFileSync(path);
  if (bytes.length < MIN_BYTES) continue;
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const gzip = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
  // A variant that is not smaller is not worth sending: the relay falls back to the file itself.
  if (brotli.length < bytes.length) writeFileSync(`${path}.br`, brotli);
  if (gzip.length < bytes.length) writeFileSync(`${path}.gz`, gzip);
  raw += bytes.length;
  br += Math.min(brotli.length, bytes.length);
}
console.log(`precompressed ${dist}: ${(raw / 1024).toFixed(1)} KB → ${(br / 1024).toFixed(1)} KB brotli`);
