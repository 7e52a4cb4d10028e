#!/usr/bin/env bash
# postie's timing figures against curl's -w on the same local requests:
#   small: GET of a 600-item JSON body
#   big:   GET of a 1 MB body (download time shows)
# Each tool runs N times (alternating, so drift hits both alike); the script
# prints the median time_connect, time_appconnect (0 over http),
# time_starttransfer (TTFB) and time_total of each, in ms, and postie's
# difference to curl.
#
# Usage: benches/timing.sh                 (release build, postie echo server)
#        RUNS=50 benches/timing.sh
#        POSTIE_BIN=path benches/timing.sh (a binary already built)
#        SERVER=nginx benches/timing.sh    (nginx serving two static files)
#        SERVER=nginx-tls benches/timing.sh (the same over https, with a CA and
#                                           certificate made by openssl, trusted
#                                           by both: curl --cacert, postie's ca_file)
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

SCHEME=http
TLS_LISTEN=""
CA=""
if [[ "${SERVER:-echo}" == nginx-tls ]]; then
  command -v openssl >/dev/null || { echo "needs openssl"; exit 1; }
  SCHEME=https
  mkdir -p "$WORK/pki"
  (
    cd "$WORK/pki"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=bench CA" \
      -addext "basicConstraints=critical,CA:TRUE" -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key \
      -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > ext.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 10 \
      -extfile ext.cnf -out server.pem 2>/dev/null
  )
  CA="$WORK/pki/ca.pem"
  TLS_LISTEN="ssl; ssl_certificate $WORK/pki/server.pem; ssl_certificate_key $WORK/pki/server.key"
fi
if [[ "${SERVER:-echo}" == nginx* ]]; then
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
  server { listen 127.0.0.1:$PORT ${TLS_LISTEN:+$TLS_LISTEN}; root $WORK/www; }
}
CONF
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>/dev/null &
  SERVER_PID=$!
  SMALL_URL="$SCHEME://127.0.0.1:$PORT/small.json"
  BIG_URL="$SCHEME://127.0.0.1:$PORT/big.bin"
else
  "$POSTIE" echo --port "$PORT" 2>/dev/null &
  SERVER_PID=$!
  SMALL_URL="http://127.0.0.1:$PORT/json/600"
  BIG_URL="http://127.0.0.1:$PORT/bytes/1000000"
fi
CURL_TLS=()
[[ -n "$CA" ]] && CURL_TLS=(--cacert "$CA")
for _ in $(seq 100); do curl -fs "${CURL_TLS[@]}" -o /dev/null "$SMALL_URL" && break; sleep 0.05; done

"$POSTIE" init "$WORK/ws" >/dev/null
if [[ -n "$CA" ]]; then
  python3 - "$WORK/ws/postie.json" "$CA" <<'PY'
import json, sys
path, ca = sys.argv[1:]
ws = json.load(open(path))
ws["tls"] = {"ca_file": ca}
json.dump(ws, open(path, "w"), indent=2)
PY
fi
mkdir -p "$WORK/ws/bench"
echo '{}' > "$WORK/ws/bench/collection.json"
printf '{\n  "method": "GET",\n  "url": "%s"\n}\n' "$SMALL_URL" > "$WORK/ws/bench/small.json"
printf '{\n  "method": "GET",\n  "url": "%s"\n}\n' "$BIG_URL" > "$WORK/ws/bench/big.json"
cd "$WORK/ws"

# One line per run: connect appconnect starttransfer total (seconds).
curl_run() {
  curl -s "${CURL_TLS[@]}" -o /dev/null -H 'Accept-Encoding: gzip, deflate, br, zstd' \
    -w '%{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}\n' "$1"
}
postie_run() {
  "$POSTIE" send "$1" --json 2>/dev/null | python3 -c '
import json, sys
t = json.load(sys.stdin)["timings"]
print(t["time_connect"], t["time_appconnect"], t["time_starttransfer"], t["time_total"])'
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
print(f"  {'':8} {'connect':>9} {'tls done':>9} {'ttfb':>9} {'total':>9}")
print(f"  {'curl':8}" + "".join(f" {v:9.3f}" for v in c))
print(f"  {'postie':8}" + "".join(f" {v:9.3f}" for v in p))
print(f"  {'diff':8}" + "".join(f" {b - a:+9.3f}" for a, b in zip(c, p)))
PY
}

echo "server: ${SERVER:-echo} on 127.0.0.1:$PORT"
measure "small: GET ${SMALL_URL#http://127.0.0.1:$PORT}" "$SMALL_URL" bench/small
measure "big: GET ${BIG_URL#http://127.0.0.1:$PORT}" "$BIG_URL" bench/big
