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
SCHEMATHESIS_VERSION="4.32.5" # the relay's API run (run_schemathesis)
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
  if [ "$(python3 -c 'import schemathesis as s; print(s.__version__)' 2>/dev/null)" != "$SCHEMATHESIS_VERSION" ]; then
    say "installing schemathesis $SCHEMATHESIS_VERSION (PyPI) for the relay's API run"
    python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# Property-based and stateful testing of the relay's HTTP API from its OpenAPI document
# (server/openapi.json): schema-valid requests must be accepted, invalid ones refused, answers
# must match the document, and the document's links (create -> fetch -> pause -> resume ->
# revoke) are walked as a state machine. Runs the built relay ($1) on the PostgreSQL server that
# start_postgres started, with its rate limits raised and a light passcode hash so that only the
# API's rules are exercised; the management secrets and a valid expiry come from
# tests/api/schemathesis_hooks.py. Examples per operation are capped (about a minute on 2 cores).
SCHEMATHESIS_MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
# A fixed seed, so that every run makes the same requests: with 25 examples, about one random run
# in ten never opened a flag-U link of its own (the `LifecycleWalked` check in
# tests/api/schemathesis_hooks.py), and a test run must not pass or fail by luck.
# SCHEMATHESIS_SEED=random explores with a new seed each time (it prints the seed, to replay).
SCHEMATHESIS_SEED="${SCHEMATHESIS_SEED:-236152808394808143342774316943760502426}"
run_schemathesis() {
  local relay_bin="$1" work out pid url status=0 seed=()
  [ "$SCHEMATHESIS_SEED" = random ] || seed=(--seed "$SCHEMATHESIS_SEED")
  work="$(mktemp -d)"
  out="$work/relay.out"
  HB_DATABASE_URL="$HB_TEST_DATABASE_URL" RUST_LOG=warn "$relay_bin" --addr 127.0.0.1:0 --dist "$ROOT/dist" \
    --creates-per-minute 1000000000 --receiver-requests-per-minute 1000000000 \
    --passcode-attempts-per-minute 1000000000 --passcode-memory-kib 64 --passcode-passes 1 \
    >"$out" 2>"$work/relay.log" &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.1; done
  url="$(sed -n 's|^Health Binder relay listening on \(http://[^/]*\)/$|\1|p' "$out")"
  [ -n "$url" ] || { cat "$work/relay.log" >&2; kill "$pid"; return 1; }
  # schemathesis and Hypothesis keep what they found under .schemathesis/ and .hypothesis/ (ignored by
  # git), so a failure found once is tried first the next time.
  SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$ROOT/tests/api" st run "$url/api/openapi.json" \
    --checks all --exclude-checks use_after_free,ignored_auth --max-examples "$SCHEMATHESIS_MAX_EXAMPLES" \
    --workers 1 --request-timeout 10 --no-color "${seed[@]}" || status=$?
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ "$status" = 0 ] || cat "$work/relay.log" >&2
  rm -rf "$work"
  return "$status"
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

# Debian's PostgreSQL server, for the relay's tests on PostgreSQL. Installing it may start a
# cluster of its own (Debian creates "main"); nothing here uses it: start_postgres makes its own.
ensure_postgres() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    say "installing Debian's postgresql for the relay's PostgreSQL tests"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  fi
}

# Starts a throw-away PostgreSQL server: a new cluster in a temporary directory, on a free
# loopback port, owned by an unprivileged user (PostgreSQL refuses to run as root: as root the
# `postgres` user Debian's package creates runs it, or `hb-postgres`, made here if that is missing).
# Exports HB_TEST_DATABASE_URL; stop_postgres (also run on exit) stops it and deletes everything.
# fsync is off unless --durable: this server holds test data only, and a test that kills something
# kills the relay, never this server (the benchmark passes --durable).
start_postgres() {
  # --durable: PostgreSQL's own defaults (fsync on), for benchmarks that must pay for durability.
  local fast="-c fsync=off -c full_page_writes=off"
  [ "${1:-}" = --durable ] && fast=""
  ensure_postgres
  local bin user="" port
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  if [ "$(id -u)" = 0 ]; then
    user=postgres
    if ! id "$user" >/dev/null 2>&1; then
      user=hb-postgres
      id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    fi
  fi
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hb-postgres.XXXXXX")"
  [ -z "$user" ] || chown "$user" "$PG_DIR"
  as_pg() { if [ -n "$user" ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
  port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  port=$((20000 + RANDOM % 20000))
  while port_in_use "$port"; do port=$((20000 + RANDOM % 20000)); done
  say "starting a throw-away PostgreSQL ($("$bin/postgres" --version | awk '{ print $3 }')) on 127.0.0.1:$port in $PG_DIR"
  as_pg "$bin/initdb" -D "$PG_DIR/data" -U hb --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; return 1; }
  PG_CTL=("$bin/pg_ctl" -D "$PG_DIR/data") PG_USER="$user" PG_PORT="$port"
  PG_OPTS="-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR $fast -c max_connections=300"
  postgres_ctl start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  export HB_TEST_DATABASE_URL="postgres://hb@127.0.0.1:$port/postgres"
  trap stop_postgres EXIT
}

# pg_ctl on the server start_postgres started, as its owner: `postgres_ctl stop -m immediate`
# (a crash, as far as PostgreSQL can tell), `postgres_ctl start`.
postgres_ctl() {
  local args=("${PG_CTL[@]}" "$@")
  [ "$1" != start ] || args+=(-l "$PG_DIR/server.log" -w -t 60 -o "$PG_OPTS")
  if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "${args[@]}"; else "${args[@]}"; fi
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  postgres_ctl stop -m fast -w >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
  unset HB_TEST_DATABASE_URL
}

build_app() {
  local dist="${1:-$ROOT/dist}"
  say "building the app: the patient's binder into dist/, the clinician's viewer into dist/view/, the key worker into dist/kdf/"
  # The patient's build empties dist/, so it goes first. Each step stops the build on failure by
  # itself: called after `&&` or `||` (as `bash -c 'source … && build_app'` and the benchmarks
  # do), bash ignores `set -e` inside the function, and a failed Trunk build once left the last
  # dist/ in place to be measured as if it were new.
  trunk build --release --offline --dist "$dist" || return
  trunk build app/view.html --release --offline=true --dist "$dist/view" --public-url /view/ || return
  build_kdf_worker "$dist" || return
  precompress_dist "$dist" || return
  write_build_manifest "$dist"
}

# Brotli and gzip siblings of every compressible file, which the relay sends to browsers that
# accept them (server/src/static_files.rs). Node's zlib: nothing more to install. With paths
# after the directory, only those files (relative to it).
precompress_dist() {
  node "$ROOT/scripts/precompress.mjs" "$@"
}

# The build hash: SHA-256 of dist/build-manifest.txt, which lists every file of dist/ with its
# SHA-256 (`sha256sum` format, sorted by path, so `cd dist && sha256sum -c build-manifest.txt`
# checks a copy), the precompressed `.br`/`.gz` copies included: they are what most browsers are
# sent. The manifest cannot list itself, nor build.json (which holds its hash). The service
# worker's bytes must change with every build (browsers install a new service worker only when
# its bytes change), so sw.js gets a digest of every other file first, is compressed again, and is
# listed itself.
write_build_manifest() {
  local dist="$1"
  local listing files_digest build
  rm -f "$dist/build-manifest.txt" "$dist/build.json"
  listing="$(cd "$dist" && find . -type f ! -path ./sw.js ! -path ./sw.js.br ! -path ./sw.js.gz -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum)"
  files_digest="$(printf '%s\n' "$listing" | sha256sum | cut -d' ' -f1)"
  sed -i "s/^const VERSION = '[^']*';/const VERSION = '$files_digest';/" "$dist/sw.js"
  grep -q "^const VERSION = '$files_digest';" "$dist/sw.js" || { echo "sw.js has no VERSION line" >&2; exit 1; }
  precompress_dist "$dist" sw.js
  listing="$(cd "$dist" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sed 's|  \./|  |')"
  printf '%s\n' "$listing" >"$dist/build-manifest.txt"
  build="$(sha256sum "$dist/build-manifest.txt" | cut -d' ' -f1)"
  printf '{"build":"%s"}\n' "$build" >"$dist/build.json"
  say "build $build ($(wc -l <"$dist/build-manifest.txt") files in dist/build-manifest.txt)"
}

# The key-derivation worker (app/src/bin/kdf_worker.rs), under fixed names in dist/kdf/: the app
# starts it by URL (app/src/kdf.rs) and the service worker caches it (public/sw.js). Built by hand
# because Trunk 0.21 adds an implicit main app to a page holding only a worker.
build_kdf_worker() {
  local out="${1:-$ROOT/dist}/kdf" wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/kdf_worker.wasm"
  # `|| return` on each step, as in build_app.
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p health-binder-app --bin kdf_worker --offline || return
  mkdir -p "$out"
  wasm-bindgen --target no-modules --no-typescript --out-dir "$out" --out-name kdf_worker "$wasm" || return
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types \
    --enable-multivalue --enable-mutable-globals -o "$out/kdf_worker_bg.wasm" "$out/kdf_worker_bg.wasm" || return
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
