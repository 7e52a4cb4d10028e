#!/usr/bin/env bash
# Runs every scripted Postman collection of the shared corpus (CORPUS/postman: collections
# with a non-empty script) through newman and through `postie run`, both against the same
# `postie echo` (postman-echo's routes, newman's raw echo and redirect servers), and compares
# the test outcomes of the two JSON reports: per execution, each test's name and whether it
# passed, failed or was skipped. Hosts are rewritten in a temporary copy of the corpus
# (postman-echo.com -> the echo server, localhost:4041/4042 -> its raw/redirect ports);
# each file keeps its encoding and BOM. Environment, globals, data file and run options
# come from CORPUS/postman/EXPECTED.json when it has an entry for the collection.
# Prints per collection: tests newman, tests postie, agreeing outcomes, the first SHOW
# disagreements; then "N of M collections agree completely"; writes the same as JSON to OUT.
#
# Usage: benches/newman-compare.sh                  (builds postie --release first)
#        POSTIE_BIN=path benches/newman-compare.sh  (use a binary already built)
#        INSTALL=1 benches/newman-compare.sh        (npm-installs newman@6 into CACHE)
# Env: CORPUS=(../shared/corpus) CACHE=~/.cache/postie-bench OUT=target/newman-compare.json
#      SHOW=5 RUN_TIMEOUT=120 (seconds per run) NEWMAN=path ONLY=substring (collections to run)
#      KEEP=dir (keep both JSON reports and logs of every run there, with an index)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
CACHE="${CACHE:-$HOME/.cache/postie-bench}"
OUT="${OUT:-$REPO/target/newman-compare.json}"
SHOW="${SHOW:-5}"
RUN_TIMEOUT="${RUN_TIMEOUT:-120}"
ONLY="${ONLY:-}"

say() { printf '%s\n' "$*" >&2; }

if [[ -z "${CORPUS:-}" ]]; then
  for c in "$REPO/../shared/corpus" "$REPO/../../shared/corpus"; do
    if [[ -d "$c/postman" ]]; then CORPUS="$c"; break; fi
  done
fi
# CORPUS may name the corpus or its postman/ folder.
if [[ -n "${CORPUS:-}" && -f "$CORPUS/EXPECTED.json" && ! -d "$CORPUS/postman" ]]; then CORPUS="$CORPUS/.."; fi
if [[ -z "${CORPUS:-}" || ! -d "$CORPUS/postman" ]]; then
  say "no corpus found (set CORPUS=path to the shared corpus); nothing to compare"
  exit 0
fi
CORPUS="$(cd "$CORPUS" && pwd)"

if [[ "${INSTALL:-0}" == 1 && ! -x "$CACHE/node_modules/.bin/newman" ]]; then
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" newman@6 >/dev/null 2>&1
fi
NEWMAN="${NEWMAN:-$CACHE/node_modules/.bin/newman}"
[[ -x "$NEWMAN" ]] || NEWMAN="$(command -v newman || true)"
[[ -n "$NEWMAN" ]] || { say "needs newman (INSTALL=1 installs it into $CACHE)"; exit 1; }
for t in curl python3 timeout; do command -v $t >/dev/null || { say "needs $t"; exit 1; }; done

if [[ -z "${POSTIE_BIN:-}" ]]; then
  say "building postie (release)"
  cargo build --release --quiet
fi
POSTIE="${POSTIE_BIN:-$REPO/target/release/postie}"
"$POSTIE" run --help >/dev/null 2>&1 || { say "$POSTIE has no \`run\` command"; exit 1; }

WORK="$(mktemp -d -t postie-compare.XXXXXX)"
ECHO_PID=""
cleanup() {
  if [[ -n "$ECHO_PID" ]]; then kill "$ECHO_PID" 2>/dev/null || true; wait "$ECHO_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r PORT RAW REDIRECT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')
echo_args=(--port "$PORT")
if "$POSTIE" echo --help 2>/dev/null | grep -q -- '--raw-port'; then
  echo_args+=(--raw-port "$RAW" --redirect-port "$REDIRECT")
else
  say "note: this postie echo has no --raw-port/--redirect-port; collections using localhost:4041/4042 will fail on both sides"
fi
"$POSTIE" echo "${echo_args[@]}" 2>"$WORK/echo.log" &
ECHO_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/get" >/dev/null && break; sleep 0.05; done
curl -fs "http://127.0.0.1:$PORT/get" >/dev/null || { say "postie echo did not start: $(cat "$WORK/echo.log")"; exit 1; }

count=$(python3 benches/compare/prepare.py "$CORPUS" "$WORK" "$PORT" "$RAW" "$REDIRECT")
say "comparing $count scripted collections from $CORPUS/postman (newman $("$NEWMAN" --version), echo on 127.0.0.1:$PORT)"
mkdir -p "$WORK/out"
: >"$WORK/results.jsonl"
i=0
while IFS= read -r line; do
  i=$((i + 1))
  # The collection's path, then its options, one a line.
  mapfile -t spec < <(python3 -c 'import json,sys; p=json.loads(sys.argv[1]); print(p["collection"]); print(p["path"]); [print(a) for a in p["args"]]' "$line")
  name="${spec[0]}" path="${spec[1]}" args=("${spec[@]:2}")
  if [[ -n "$ONLY" && "$name" != *"$ONLY"* ]]; then continue; fi
  say "[$i/$count] $name"
  # newman resolves file paths against the working directory; its own runner starts at its
  # repository root, where test/integration/... (linked into wd) is.
  n_exit=0
  (cd "$WORK/wd" && timeout "$RUN_TIMEOUT" "$NEWMAN" run "$path" "${args[@]}" -r json \
    --reporter-json-export "$WORK/out/$i.newman.json") >"$WORK/out/$i.newman.log" 2>&1 || n_exit=$?
  p_exit=0
  (cd "$WORK/wd" && timeout "$RUN_TIMEOUT" "$POSTIE" run "$path" "${args[@]}" -r json \
    --reporter-json-export "$WORK/out/$i.postie.json") >"$WORK/out/$i.postie.log" 2>&1 || p_exit=$?
  python3 benches/compare/compare.py "$line" "$WORK/out/$i.newman.json" "$n_exit" \
    "$WORK/out/$i.postie.json" "$p_exit" "$WORK/results.jsonl"
  if [[ -n "${KEEP:-}" ]]; then mkdir -p "$KEEP" && cp "$WORK/out/$i."* "$KEEP/" 2>/dev/null && echo "$i $name" >>"$KEEP/index" || true; fi
done <"$WORK/plan.jsonl"

python3 benches/compare/summary.py "$WORK/results.jsonl" "$OUT" "$SHOW"
