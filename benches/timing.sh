#!/usr/bin/env bash
# postie's timing figures against curl's -w on the same local requests:
#   small: GET of a 600-item JSON body
#   big:   GET of a 1 MB body (download time shows)
# Each tool runs N times (alternating, so drift hits both alike); the script
# prints the median time_connect, time_starttransfer (TTFB) and time_total
# of each, in ms, and postie's difference to curl.
#
# Usage: benches/timing.sh                 (release build, postie echo server)
#        RUNS=50 benches/timing.sh
#        POSTIE_BIN=path benches/timing.sh (a binary already built)
#        SERVER=nginx benches/timing.sh    (nginx serving two static files)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v curl >/dev/null || { echo "needs curl"; exit 1; }
command -v python3 >/dev/null || { echo "needs python3"; exit 1; }

RUNS="${RUNS:-30}"
if [[ -z "${POSTIE_BIN:-}" ]]; then
  cargo build --release --quiet
fi
POSTIE="${POSTIE_BIN:-$PWD/target/release/postie}"
WORK="$(mktemp -d)"
SERVER_PID=""
trap '[[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
PORT="${PORT:-18091}"

if [[ "${SERVER:-echo}" == nginx ]]; then
  command -v nginx >/dev/null || { echo "needs nginx"; exit 1; }
  mkdir -p "$WORK/www" "$WORK/nginx"
  python3 -c "import json;print(json.dumps([{'id':i,'name':'user %d'%i} for i in range(600)]))" > "$WORK/www/small.json"
  head -c 1000000 /dev/urandom > "$WORK/www/big.bin"
  cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log $WORK/nginx/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$PORT; root $WORK/www; }
}
CONF
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>/dev/null &
  SERVER_PID=$!
  SMALL_URL="http://127.0.0.1:$PORT/small.json"
  BIG_URL="http://127.0.0.1:$PORT/big.bin"
else
  "$POSTIE" echo --port "$PORT" 2>/dev/null &
  SERVER_PID=$!
  SMALL_URL="http://127.0.0.1:$PORT/json/600"
  BIG_URL="http://127.0.0.1:$PORT/bytes/1000000"
fi
for _ in $(seq 100); do curl -fs -o /dev/null "$SMALL_URL" && break; sleep 0.05; done

"$POSTIE" init "$WORK/ws" >/dev/null
mkdir -p "$WORK/ws/bench"
echo '{}' > "$WORK/ws/bench/collection.json"
printf '{\n  "method": "GET",\n  "url": "%s"\n}\n' "$SMALL_URL" > "$WORK/ws/bench/small.json"
printf '{\n  "method": "GET",\n  "url": "%s"\n}\n' "$BIG_URL" > "$WORK/ws/bench/big.json"
cd "$WORK/ws"

# One line per run: connect starttransfer total (seconds).
curl_run() {
  curl -s -o /dev/null -H 'Accept-Encoding: gzip, deflate, br, zstd' \
    -w '%{time_connect} %{time_starttransfer} %{time_total}\n' "$1"
}
postie_run() {
  "$POSTIE" send "$1" --json 2>/dev/null | python3 -c '
import json, sys
t = json.load(sys.stdin)["timings"]
print(t["time_connect"], t["time_starttransfer"], t["time_total"])'
}

measure() { # name url request
  : > "$WORK/curl.txt"
  : > "$WORK/postie.txt"
  for _ in $(seq "$RUNS"); do
    curl_run "$2" >> "$WORK/curl.txt"
    postie_run "$3" >> "$WORK/postie.txt"
  done
  python3 - "$1" "$WORK/curl.txt" "$WORK/postie.txt" <<'PY'
import statistics, sys
name, curl_file, postie_file = sys.argv[1:]
def medians(path):
    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
    return [statistics.median(col) * 1000 for col in zip(*rows)]
c, p = medians(curl_file), medians(postie_file)
print(f"\n{name} ({len(open(curl_file).readlines())} runs each, medians in ms)")
print(f"  {'':8} {'connect':>9} {'ttfb':>9} {'total':>9}")
print(f"  {'curl':8} {c[0]:9.3f} {c[1]:9.3f} {c[2]:9.3f}")
print(f"  {'postie':8} {p[0]:9.3f} {p[1]:9.3f} {p[2]:9.3f}")
print(f"  {'diff':8} {p[0]-c[0]:+9.3f} {p[1]-c[1]:+9.3f} {p[2]-c[2]:+9.3f}")
PY
}

echo "server: ${SERVER:-echo} on 127.0.0.1:$PORT"
measure "small: GET ${SMALL_URL#http://127.0.0.1:$PORT}" "$SMALL_URL" bench/small
measure "big: GET ${BIG_URL#http://127.0.0.1:$PORT}" "$BIG_URL" bench/big
