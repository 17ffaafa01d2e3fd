// Derives core/data/common-passwords.txt — the passwords a new passphrase may not be — from the
// frequency-ordered list in the npm package @zxcvbn-ts/language-common (MIT; its licence is kept
// beside the data): the 10,000 commonest, lower-cased, without repeats, sorted so the app can
// search it without sorting. `node scripts/common-passwords.mjs` rewrites the file; with
// `--check` it fails if the committed file differs (the test command runs that).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COUNT = 10000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = dirname(require.resolve('@zxcvbn-ts/language-common/package.json'));
const ordered = JSON.parse(readFileSync(join(pkg, 'src', 'passwords.json'), 'utf8'));
const list = [...new Set(ordered.slice(0, COUNT).map((p) => p.toLowerCase()))].sort();
const text = `${list.join('\n')}\n`;
const target = join(root, 'core', 'data', 'common-passwords.txt');
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error(`${target} differs from the list derived from @zxcvbn-ts/language-common: run node scripts/common-passwords.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  writeFileSync(join(root, 'core', 'data', 'common-passwords.LICENSE.txt'), readFileSync(join(pkg, 'LICENSE.txt')));
  console.log(`${target}: ${list.length} passwords`);
}
