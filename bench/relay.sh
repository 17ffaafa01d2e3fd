# The pieces scripts/bench-relay and scripts/bench-relay-pg share: Debian's tools, the 20 KB JWE,
# nginx serving it (the reference), and starting relay instances. Sourced after scripts/lib.sh and
# bench/common.sh, with WORK (the work directory) set.

bench_ensure_packages() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]} (Debian)"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A compact JWE of $1 bytes (header..iv.ciphertext.tag, random base64url) in $WORK/www/share.jwe,
# and $WORK/create.json, the body that creates a flag-U share of it expiring in a week.
bench_write_jwe() {
  b64url() { head -c $(($1 * 3 / 4 + 3)) /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' | head -c "$1"; }
  local header="eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0" # {"alg":"dir","enc":"A256GCM"}
  local iv tag
  iv="$(b64url 16)" tag="$(b64url 22)"
  mkdir -p "$WORK/www"
  printf '%s..%s.%s.%s' "$header" "$iv" "$(b64url $(($1 - ${#header} - ${#iv} - ${#tag} - 4)))" "$tag" >"$WORK/www/share.jwe"
  chmod -R a+rX "$WORK/www"
  printf '{"jwe":"%s","exp":%d}' "$(cat "$WORK/www/share.jwe")" "$(($(date +%s) + 7 * 86400))" >"$WORK/create.json"
}

# nginx (Debian's, sendfile, no access log) serving $WORK/www on a loopback port: NGINX_URL is the
# file's URL, NGINX_PID its process.
bench_start_nginx() {
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  local port="${BENCH_NGINX_PORT:-18480}"
  while ! port_free "$port"; do port=$((port + 1)); done
  mkdir -p "$WORK/nginx-tmp"
  cat >"$WORK/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    types { }
    default_type application/jose;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path $WORK/nginx-tmp/proxy;
    fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
    scgi_temp_path $WORK/nginx-tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $WORK/www;
    }
}
CONF
  "$NGINX" -e "$WORK/nginx-error.log" -p "$WORK" -c "$WORK/nginx.conf" &
  NGINX_PID=$!
  NGINX_URL="http://127.0.0.1:$port/share.jwe"
  for _ in $(seq 100); do curl -fs -o /dev/null "$NGINX_URL" && break; sleep 0.1; done
  cmp <(curl -fsS "$NGINX_URL") "$WORK/www/share.jwe" || { echo "nginx does not serve the file" >&2; exit 1; }
}

# bench_start_relay NAME [relay options…]: starts the relay binary ($RELAY_BIN) with its request
# log (at $BENCH_RUST_LOG, "info" as deployed) in $WORK/NAME.log; sets NAME_PID and NAME_URL
# (http://127.0.0.1:port). A fixed --addr may be among the options (to restart on the same port).
bench_start_relay() {
  local name="$1" url pid
  shift
  : >"$WORK/$name.out"
  HB_ADDR=127.0.0.1:0 RUST_LOG="${BENCH_RUST_LOG:-info}" "$RELAY_BIN" --dist "$WORK/no-dist" "$@" \
    >"$WORK/$name.out" 2>>"$WORK/$name.log" &
  pid=$!
  for _ in $(seq 300); do grep -q listening "$WORK/$name.out" && break; sleep 0.1; done
  url="$(sed -n 's|^Health Binder relay listening on \(http://[^/]*\)/$|\1|p' "$WORK/$name.out")"
  [ -n "$url" ] || { echo "relay $name did not start; see $WORK/$name.log" >&2; exit 1; }
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_URL" '%s' "$url"
}

# One wrk run: bench_wrk NAME SECONDS CONNECTIONS SCRIPT URL; its RESULT line goes to $WORK/NAME.out.
bench_wrk() {
  wrk -t"${BENCH_THREADS:-2}" -c"$3" -d"$2"s --timeout 10s -s "$BENCH_LUA/$4" "$5" >"$WORK/$1.out" 2>&1
}
field() { sed -n 's/^RESULT //p' "$WORK/$1.out" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
count() { sed -n 's/^COUNTS //p' "$WORK/$1.out" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
vm() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status" 2>/dev/null; } # kB
