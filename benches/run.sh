#!/usr/bin/env bash
# Issue 10's performance comparison, in one run: a 20-request Postman collection with test
# scripts and variable chaining, ITERATIONS (50) times = 1,000 requests, against nginx on
# 127.0.0.1, through
#   postie run               (sequential, every script run)
#   postie run --parallel 4
#   postie run, no scripts   (for the scripts' cost per request)
#   hurl                     (the same requests as a .hurl file with asserts and captures)
#   newman                   (the same collection file)
#   curl                     (one process, keep-alive, no checks: the floor)
# Wall time by hyperfine (median of RUNS runs after a warm-up; newman NEWMAN_RUNS runs),
# peak RSS by GNU time around every timed run. Before timing, each tool's run is checked:
# all its tests pass and it ran as many requests and assertions as it should.
# Prints a table and whether each goal of the issue holds; writes the same as JSON to OUT.
#
# Usage: benches/run.sh                    (builds postie --release first)
#        POSTIE_BIN=path benches/run.sh    (measure a binary already built)
#        INSTALL=1 benches/run.sh          (installs nginx, GNU time, hyperfine with apt-get;
#                                           newman and hurl into CACHE, never into postie)
# Env: ITERATIONS=50 RUNS=5 NEWMAN_RUNS=1 CACHE=~/.cache/postie-bench
#      OUT=target/bench-run.json PORT=(a free one) NEWMAN=path HURL=path
#      NGINX_PORT=port: use the nginx already running there (benches/perf.sh's) instead of
#      starting one; it must serve benches/run/gen.py's endpoints
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
CACHE="${CACHE:-$HOME/.cache/postie-bench}"
ITERATIONS="${ITERATIONS:-50}"
RUNS="${RUNS:-5}"
NEWMAN_RUNS="${NEWMAN_RUNS:-1}"
OUT="${OUT:-$REPO/target/bench-run.json}"
STEPS=20
REQUESTS=$((ITERATIONS * STEPS))
# 3 tests a request, 2 for the first step (nothing chained into it yet).
ASSERTIONS=$((ITERATIONS * (3 * STEPS - 1)))

# shellcheck source=benches/lib.sh
source benches/lib.sh

if [[ "${INSTALL:-0}" == 1 ]]; then install_run_tools; fi

NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { say "needs nginx (try INSTALL=1)"; exit 1; }
[[ -x /usr/bin/time ]] || { say "needs GNU time at /usr/bin/time (try INSTALL=1)"; exit 1; }
for t in hyperfine curl python3; do command -v $t >/dev/null || { say "needs $t (try INSTALL=1)"; exit 1; }; done
NEWMAN="${NEWMAN:-$CACHE/node_modules/.bin/newman}"
[[ -x "$NEWMAN" ]] || NEWMAN="$(command -v newman || true)"
HURL="${HURL:-$CACHE/bin/hurl}"
[[ -x "$HURL" ]] || HURL="$(command -v hurl || true)"

if [[ -z "${POSTIE_BIN:-}" ]]; then
  say "building postie (release)"
  cargo build --release --quiet
fi
POSTIE="${POSTIE_BIN:-$REPO/target/release/postie}"
"$POSTIE" run --help >/dev/null 2>&1 || { say "$POSTIE has no \`run\` command"; exit 1; }

WORK="$(mktemp -d -t postie-bench.XXXXXX)"
cleanup() {
  if [[ -s "$WORK/nginx.pid" ]]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -n "${NGINX_PORT:-}" ]]; then
  # An nginx already running with this config's endpoints (benches/perf.sh's): use it.
  PORT="$NGINX_PORT"
  python3 benches/run/gen.py "$WORK" "$PORT" "$ITERATIONS"
  curl -fs "http://127.0.0.1:$PORT/api/step/1" >/dev/null || { say "no nginx answering /api/step/1 on port $PORT"; exit 1; }
else
  PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
  python3 benches/run/gen.py "$WORK" "$PORT" "$ITERATIONS"
  "$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/error.log"
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/api/step/1" >/dev/null && break; sleep 0.05; done
  curl -fs "http://127.0.0.1:$PORT/api/step/1" >/dev/null || { say "nginx did not start: $(cat "$WORK/error.log")"; exit 1; }
fi

COLL="$WORK/chain.postman_collection.json"
PLAIN="$WORK/plain.postman_collection.json"
: >"$WORK/tools"
declare -A MISSING=()
tool() { printf '%s\t%s\n' "$1" "$2" >>"$WORK/tools"; } # name label

# --- correctness first: a broken run must not be timed -------------------------------
say "checking every tool's run (${REQUESTS} requests, port ${PORT})"
"$POSTIE" run "$COLL" -n "$ITERATIONS" -r json --reporter-json-export "$WORK/postie.json" >/dev/null \
  || say "postie run exited non-zero"
python3 benches/run/check.py "$WORK/postie.json" "$REQUESTS" "$ASSERTIONS" "postie run"
"$POSTIE" run "$COLL" -n "$ITERATIONS" --parallel 4 -r json --reporter-json-export "$WORK/postie4.json" >/dev/null \
  || say "postie run --parallel 4 exited non-zero"
python3 benches/run/check.py "$WORK/postie4.json" "$REQUESTS" "$ASSERTIONS" "postie run --parallel 4"

# Scripts' cost: the same run with scripts off, or (without --no-scripts) the same requests
# from a collection without scripts whose tokens are written out.
if "$POSTIE" run --help 2>/dev/null | grep -q -- '--no-scripts'; then
  NOSCRIPTS=("$POSTIE" run "$COLL" -n "$ITERATIONS" --no-scripts)
  NOSCRIPTS_HOW="postie run --no-scripts"
else
  NOSCRIPTS=("$POSTIE" run "$PLAIN" -n "$ITERATIONS")
  NOSCRIPTS_HOW="no --no-scripts flag: the same requests from a collection without scripts"
fi
"${NOSCRIPTS[@]}" -r json --reporter-json-export "$WORK/postie0.json" >/dev/null || say "postie run (no scripts) exited non-zero"
python3 benches/run/check.py "$WORK/postie0.json" "$REQUESTS" 0 "postie run (no scripts)"

if [[ -n "$NEWMAN" ]]; then
  "$NEWMAN" run "$COLL" -n "$ITERATIONS" -r json --reporter-json-export "$WORK/newman.json" >/dev/null \
    || say "newman exited non-zero"
  python3 benches/run/check.py "$WORK/newman.json" "$REQUESTS" "$ASSERTIONS" "newman"
else
  MISSING[newman]="$(missing_reason newman)"
fi

if [[ -n "$HURL" ]]; then
  if "$HURL" --help | grep -q -- '--repeat'; then
    HURL_CMD=("$HURL" --repeat "$ITERATIONS" --variable token=start --no-output "$WORK/chain.hurl")
    HURL_HOW="--repeat $ITERATIONS"
  else
    for _ in $(seq "$ITERATIONS"); do cat "$WORK/chain.hurl"; echo; done >"$WORK/all.hurl"
    HURL_CMD=("$HURL" --variable token=start --no-output "$WORK/all.hurl")
    HURL_HOW="file ${ITERATIONS}x"
  fi
  # (not --test: it runs the repeats in parallel) The JSON report counts the requests it ran.
  "${HURL_CMD[@]}" --report-json "$WORK/hurl-report" >/dev/null 2>"$WORK/hurl.err" \
    || { cat "$WORK/hurl.err" >&2; say "hurl: asserts failed"; exit 1; }
  python3 - "$WORK/hurl-report/report.json" "$REQUESTS" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))
entries = sum(len(r.get("entries", [])) for r in runs)
ok = all(r.get("success") for r in runs)
if entries != int(sys.argv[2]) or not ok:
    print("hurl: report does not hold: %d entries, success=%s" % (entries, ok)); sys.exit(1)
print("hurl: ok (%d requests, all asserts passed)" % entries)
PY
else
  MISSING[hurl]="$(missing_reason hurl)"
fi

codes="$(curl -s --config "$WORK/curl.cfg" -w '%{http_code}\n' | grep -c '^200$' || true)"
[[ "$codes" == "$REQUESTS" ]] || { say "curl: $codes of $REQUESTS answered 200"; exit 1; }
say "curl: ok ($codes requests answered 200)"

# --- timing ----------------------------------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if pgrep -x rustc >/dev/null || pgrep -x cargo >/dev/null; then
  say "note: a cargo/rustc process is running on this machine; figures will be noisier"
fi
measure() { # name label runs warmup command...
  local name=$1 label=$2 runs=$3 warmup=$4
  shift 4
  tool "$name" "$label"
  say "timing $label ($runs runs)"
  # GNU time around each run records its peak RSS; hyperfine fails on a non-zero exit,
  # so every timed run also passed its tests.
  hyperfine -N --style none --warmup "$warmup" --runs "$runs" --export-json "$WORK/$name.hyperfine.json" \
    "/usr/bin/time -f %M -a -o $WORK/$name.rss $(printf '%q ' "$@")" >/dev/null
}
# (paths from mktemp have no spaces, so hyperfine -N splitting the command line is safe)
measure curl "curl (1 process, no checks)" "$RUNS" 1 curl -s --config "$WORK/curl.cfg"
measure postie "postie run" "$RUNS" 1 "$POSTIE" run "$COLL" -n "$ITERATIONS"
measure postie_par4 "postie run --parallel 4" "$RUNS" 1 "$POSTIE" run "$COLL" -n "$ITERATIONS" --parallel 4
measure postie_noscripts "postie run, no scripts" "$RUNS" 1 "${NOSCRIPTS[@]}"
if [[ -n "$HURL" ]]; then
  measure hurl "hurl ($HURL_HOW)" "$RUNS" 1 "${HURL_CMD[@]}"
else
  tool hurl "hurl"
fi
if [[ -n "$NEWMAN" ]]; then
  measure newman "newman" "$NEWMAN_RUNS" 0 "$NEWMAN" run "$COLL" -n "$ITERATIONS"
else
  tool newman "newman"
fi

# --- the table ---------------------------------------------------------------------------
missing_json="{}"
for k in "${!MISSING[@]}"; do
  missing_json=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d[sys.argv[2]]=sys.argv[3]; print(json.dumps(d))' "$missing_json" "$k" "${MISSING[$k]}")
done
export ITERATIONS REQUESTS ASSERTIONS RUNS NEWMAN_RUNS NOSCRIPTS_HOW LOAD_BEFORE missing_json
export V_POSTIE V_COMMIT V_NEWMAN V_HURL V_CURL V_NGINX
V_POSTIE="$("$POSTIE" --version 2>/dev/null | head -1)"
V_COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || true)"
V_NEWMAN=""
if [[ -n "$NEWMAN" ]]; then V_NEWMAN="$("$NEWMAN" --version 2>/dev/null | head -1 || true)"; fi
V_HURL=""
if [[ -n "$HURL" ]]; then V_HURL="$("$HURL" --version 2>/dev/null | head -1 || true)"; fi
V_CURL="$(curl --version | head -1 | cut -d' ' -f1-2)"
V_NGINX="$("$NGINX" -v 2>&1 | head -1)"
python3 - "$WORK/meta.json" <<'PY'
import json, os, sys
e = os.environ
meta = {k: int(e[k.upper()]) for k in ("iterations", "requests", "assertions", "runs", "newman_runs")}
meta.update(
    date=__import__("datetime").datetime.now(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    nproc=os.cpu_count(),
    loadavg_before_timing=e["LOAD_BEFORE"],
    versions={k: e["V_" + k.upper()] for k in ("postie", "commit", "newman", "hurl", "curl", "nginx")},
    noscripts_how=e["NOSCRIPTS_HOW"],
    missing=json.loads(e["missing_json"]),
    conditions="%d cores shared with other work, load average %s before timing; figures from a busy machine are indicative"
    % (os.cpu_count(), e["LOAD_BEFORE"]),
)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(meta, f, indent=2)
PY
python3 benches/run/summarize.py "$WORK" "$OUT" "$REQUESTS"
