#!/usr/bin/env bash
# One-shot `postie send` against curl and xh on the same local requests:
#   small: GET of a small JSON body (body to /dev/null)
#   big:   GET of a 50 MB body written to a file
#   tested: the small GET with a 5-assertion Postman test script (the cost
#           of scripts: a fresh JS engine, chai, the run)
# Wall time by hyperfine (mean of many runs), peak memory by GNU time.
# Prints each tool's figures and postie's ratio to curl.
#
# Usage: benches/compare.sh            (needs hyperfine and GNU time; xh optional)
#        POSTIE_BIN=path benches/compare.sh  (measure a binary already built)
#        INSTALL=1 benches/compare.sh  (apt-get install hyperfine time; cargo install xh)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${INSTALL:-0}" == 1 ]]; then
  command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
  [[ -x /usr/bin/time ]] || apt-get install -y time >/dev/null
  command -v xh >/dev/null || cargo install xh --locked >/dev/null 2>&1 || true
fi
for t in hyperfine curl; do command -v $t >/dev/null || { echo "needs $t (try INSTALL=1)"; exit 1; }; done
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (try INSTALL=1)"; exit 1; }

if [[ -z "${POSTIE_BIN:-}" ]]; then
  cargo build --release --quiet
fi
POSTIE="${POSTIE_BIN:-$PWD/target/release/postie}"
WORK="$(mktemp -d)"
trap 'kill $ECHO_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

PORT="${PORT:-18080}"
"$POSTIE" echo --port "$PORT" 2>/dev/null &
ECHO_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/get" >/dev/null && break; sleep 0.05; done

BIG=$((50 * 1000 * 1000))
SMALL_URL="http://127.0.0.1:$PORT/json/600"
BIG_URL="http://127.0.0.1:$PORT/bytes/$BIG"

# A workspace with the two requests.
"$POSTIE" init "$WORK/ws" >/dev/null
mkdir -p "$WORK/ws/bench"
echo '{}' > "$WORK/ws/bench/collection.json"
printf '{\n  "method": "GET",\n  "url": "%s"\n}\n' "$SMALL_URL" > "$WORK/ws/bench/small.json"
printf '{\n  "method": "GET",\n  "url": "%s"\n}\n' "$BIG_URL" > "$WORK/ws/bench/big.json"
# The small request again, with a typical test script of 5 assertions.
cp "$WORK/ws/bench/small.json" "$WORK/ws/bench/tested.json"
cat > "$WORK/ws/bench/tested.test.js" <<'JS'
pm.test("status is 200", () => pm.response.to.have.status(200));
pm.test("is JSON", () => pm.response.to.be.json);
const body = pm.response.json();
pm.test("is an array", () => pm.expect(body).to.be.an("array"));
pm.test("has a content type", () => pm.response.to.have.header("content-type"));
pm.test("fast enough", () => pm.expect(pm.response.responseTime).to.be.below(1000));
JS
cd "$WORK/ws"

declare -A SMALL_CMD=(
  [curl]="curl -s -o /dev/null $SMALL_URL"
  [postie]="$POSTIE send bench/small -o /dev/null"
)
declare -A BIG_CMD=(
  [curl]="curl -s -o $WORK/out.bin $BIG_URL"
  [postie]="$POSTIE send bench/big -o $WORK/out.bin"
)
if command -v xh >/dev/null; then
  # -I: without a terminal on stdin, xh sends stdin as the body (a POST).
  SMALL_CMD[xh]="xh -I -q -o /dev/null $SMALL_URL"
  BIG_CMD[xh]="xh -I -q -d -o $WORK/out.bin $BIG_URL"
fi

mean_ms() { # hyperfine mean of a command, in ms
  hyperfine -N --warmup 5 --runs "$2" --export-json "$WORK/h.json" "$1" >/dev/null 2>&1
  python3 -c "import json;print('%.2f'%(json.load(open('$WORK/h.json'))['results'][0]['mean']*1000))"
}
peak_mib() { # peak RSS of one run, in MiB
  /usr/bin/time -f '%M' -o "$WORK/t.txt" $1 >/dev/null 2>&1
  python3 -c "print('%.1f'%(int(open('$WORK/t.txt').read().split()[-1])/1024))"
}

report() { # name, runs, assoc-array name
  local -n cmds=$2
  printf '\n%s\n' "$1"
  printf '  %-8s %10s %10s\n' tool "time ms" "peak MiB"
  declare -A T M
  for tool in curl xh postie; do
    [[ -n "${cmds[$tool]:-}" ]] || continue
    T[$tool]=$(mean_ms "${cmds[$tool]}" "$3")
    M[$tool]=$(peak_mib "${cmds[$tool]}")
    printf '  %-8s %10s %10s\n' "$tool" "${T[$tool]}" "${M[$tool]}"
  done
  python3 - "${T[postie]}" "${T[curl]}" "${M[postie]}" "${M[curl]}" <<'PY'
import sys
tp, tc, mp, mc = map(float, sys.argv[1:])
print(f"  postie/curl: time {tp/tc:.2f}x, memory {mp/mc:.2f}x")
PY
}

report "small JSON body (to /dev/null)" SMALL_CMD 200
declare -A TESTED_CMD=(
  [curl]="curl -s -o /dev/null $SMALL_URL"
  [postie]="$POSTIE send bench/tested -o /dev/null"
)
report "small JSON body with a 5-assertion test script (postie runs it; curl only fetches)" TESTED_CMD 100
report "50 MB body (to a file)" BIG_CMD 20
