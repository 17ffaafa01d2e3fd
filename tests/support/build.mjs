// A build's identity, as scripts/lib.sh writes it: dist/build-manifest.txt (every file with its
// SHA-256) and dist/build.json (the build hash, SHA-256 of the manifest).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Rewrites the manifest (and sw.js's version, and build.json) of a changed copy of dist/, with the
// build script's own code.
export function writeBuildManifest(dir) {
  execFileSync('bash', ['-c', 'source scripts/lib.sh && write_build_manifest "$1"', 'lib', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

// The build hash, computed here from the manifest's bytes (not read from build.json).
export function buildHash(dir) {
  return createHash('sha256').update(readFileSync(join(dir, 'build-manifest.txt'))).digest('hex');
}
