// A build's identity, as scripts/lib.sh writes it: dist/build-manifest.txt (every file with its
// SHA-256, the precompressed copies included) and dist/build.json (the build hash, SHA-256 of the
// manifest).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Seals a changed copy of dist/ with the build script's own code: compresses the `changed` files
// (paths relative to `dir`; a compressed copy whose file is gone is removed), then rewrites sw.js's
// version, the manifest and build.json.
export function writeBuildManifest(dir, changed = []) {
  const script = 'source scripts/lib.sh && if [ $# -gt 1 ]; then precompress_dist "$@"; fi && write_build_manifest "$1"';
  execFileSync('bash', ['-c', script, 'lib', dir, ...changed], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

// The build hash, computed here from the manifest's bytes (not read from build.json).
export function buildHash(dir) {
  return createHash('sha256').update(readFileSync(join(dir, 'build-manifest.txt'))).digest('hex');
}
