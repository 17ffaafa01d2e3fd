# Shared set-up for scripts/run and scripts/test: installs what is missing, at the pinned versions,
# and skips what is already there. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"        # 0.22 needs a newer rustc than this machine's 1.95
WASM_BINDGEN_VERSION="0.2.130" # must equal the `wasm-bindgen = "=…"` pin in app/Cargo.toml

# A cargo target directory outside the clone, so fresh clones (CI) reuse earlier builds; cargo
# rebuilds whatever is missing or stale, so an empty directory just means a full build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/health-binder/target}"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup first" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 12 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: one dependency in its lock file is no longer on crates.io.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

ensure_node_tools() {
  command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 and npm first" >&2; exit 1; }
  # wasm-opt (npm binaryen; Debian's is too old for current Rust) and the test tools.
  if ! npm ls --silent >/dev/null 2>&1; then
    say "installing npm tools (binaryen, playwright-core, kill-the-clipboard, …)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The independent FHIR model the export's round-trip test reads it with (core/tests/ips_import.rs).
FHIR_RESOURCES_VERSION="8.3.0"
# The independent iCalendar parser the calendar export's test reads it with (tests/calendar/read_ics.py).
ICALENDAR_VERSION="7.3.0"
ensure_python_tools() {
  command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 1; }
  if [ "$(python3 -c 'import fhir.resources as f; print(f.__version__)' 2>/dev/null)" != "$FHIR_RESOURCES_VERSION" ]; then
    say "installing fhir.resources $FHIR_RESOURCES_VERSION (PyPI) for the FHIR round-trip test"
    python3 -m pip install --quiet --disable-pip-version-check "fhir.resources==$FHIR_RESOURCES_VERSION"
  fi
  if [ "$(python3 -c 'import icalendar; print(icalendar.__version__)' 2>/dev/null)" != "$ICALENDAR_VERSION" ]; then
    say "installing icalendar $ICALENDAR_VERSION (PyPI) for the calendar export's test"
    python3 -m pip install --quiet --disable-pip-version-check "icalendar==$ICALENDAR_VERSION"
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    say "installing Debian's chromium for the browser tests"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
}

# pdftoppm (Debian's poppler-utils) renders printed PDFs to images: the print tests look at the
# pages and read the wallet card's QR codes from them, at 300 dpi.
ensure_poppler() {
  if ! command -v pdftoppm >/dev/null; then
    say "installing Debian's poppler-utils (pdftoppm) for the print tests"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq poppler-utils >/dev/null
  fi
}

build_app() {
  say "building the app: the patient's binder into dist/, the clinician's viewer into dist/view/, the key worker into dist/kdf/"
  # The patient's build empties dist/, so it goes first.
  trunk build --release --offline
  trunk build app/view.html --release --offline=true --dist dist/view --public-url /view/
  build_kdf_worker
  precompress_dist
}

# Brotli and gzip siblings of every compressible file, which the relay sends to browsers that
# accept them (server/src/static_files.rs). Node's zlib: nothing more to install.
precompress_dist() {
  node "$ROOT/scripts/precompress.mjs" "$ROOT/dist"
}

# The key-derivation worker (app/src/bin/kdf_worker.rs), under fixed names in dist/kdf/: the app
# starts it by URL (app/src/kdf.rs) and the service worker caches it (public/sw.js). Built by hand
# because Trunk 0.21 adds an implicit main app to a page holding only a worker.
build_kdf_worker() {
  local out="$ROOT/dist/kdf" wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/kdf_worker.wasm"
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p health-binder-app --bin kdf_worker --offline
  mkdir -p "$out"
  wasm-bindgen --target no-modules --no-typescript --out-dir "$out" --out-name kdf_worker "$wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types \
    --enable-multivalue --enable-mutable-globals -o "$out/kdf_worker_bg.wasm" "$out/kdf_worker_bg.wasm"
  # Messages that arrive while the wasm loads are kept and handed to the worker's handler, which
  # its `main` installs (a message with no handler yet would be lost).
  # The commonest passwords a new passphrase may not be (app/src/common_passwords.rs): fetched
  # only while a passphrase is chosen, so it is not part of the first screen's download.
  cp "$ROOT/core/data/common-passwords.txt" "$out/common-passwords.txt"
  cat >"$out/kdf_worker_loader.js" <<'JS'
const early = [];
self.onmessage = (event) => early.push(event);
importScripts('./kdf_worker.js');
wasm_bindgen('./kdf_worker_bg.wasm').then(() => early.forEach((event) => self.onmessage(event)));
JS
}

build_relay() {
  say "building the relay"
  cargo build --release -p health-binder-relay
}

RELAY_BIN() { echo "$CARGO_TARGET_DIR/release/health-binder-relay"; }
