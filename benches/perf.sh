#!/usr/bin/env bash
# Issue 13's figures, side by side in one run against ONE nginx on 127.0.0.1:
#   send   one-shot GET of a small JSON body: postie send, curl, xh
#   big    50 MB JSON to a file: postie send, curl, xh
#   run    postie run against curl, newman and Hurl (benches/run.sh's measuring part, on this nginx)
#   tui    the terminal apps at 80x24 under benches/perf/tui_probe.py: time to the first byte,
#          the first text and the collection on screen, idle CPU and RSS: postie (the same small
#          collection as the others, examples/demo, a 10,000-request workspace), ATAC, Slumber
#   app50  50 MB in the app: from the send key to the body's first lines on screen, then RSS
# Every measurement is checked first (status, body size, the word on screen); a tool that is
# missing or fails its check is not timed and the table says why.
# Writes the tables with the machine and every tool's version to OUT (target/perf.md), the
# figures as JSON beside it (target/perf.json), and prints the tables.
#
# Usage: INSTALL=1 benches/perf.sh   installs what is missing (apt-get: nginx-light, time,
#                                    hyperfine, tmux; npm: newman@6; cargo install --root CACHE:
#                                    xh, hurl, atac, slumber), niced and timed, then measures
#        INSTALL=only benches/perf.sh   installs, measures nothing
#        POSTIE_BIN=path benches/perf.sh   measures that binary instead of building one
# Env: CACHE=~/.cache/postie-bench SEND_RUNS=30 BIG_RUNS=10 RSS_RUNS=5 TUI_RUNS=7 IDLE=5
#      APP50_RUNS=3 ITERATIONS=50 RUNS=5 NEWMAN_RUNS=1 (the last three: benches/run.sh's)
#      ONLY="send big run tui app50" (a subset) OUT=target/perf.md
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
CACHE="${CACHE:-$HOME/.cache/postie-bench}"
export CACHE
SEND_RUNS="${SEND_RUNS:-30}"
BIG_RUNS="${BIG_RUNS:-10}"
RSS_RUNS="${RSS_RUNS:-5}"
TUI_RUNS="${TUI_RUNS:-7}"
IDLE="${IDLE:-5}"
APP50_RUNS="${APP50_RUNS:-3}"
ONLY="${ONLY:-send big run tui app50}"
OUT="${OUT:-$REPO/target/perf.md}"
# shellcheck source=benches/lib.sh
source benches/lib.sh

install_perf_tools() {
  local pkgs=()
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || pkgs+=(nginx-light)
  [[ -x /usr/bin/time ]] || pkgs+=(time)
  command -v hyperfine >/dev/null || pkgs+=(hyperfine)
  command -v tmux >/dev/null || pkgs+=(tmux) # for benches/tui.sh; perf.sh's harness needs none
  if ((${#pkgs[@]})); then apt_install_timed apt "${pkgs[@]}" || true; fi
  mkdir -p "$CACHE"
  [[ -x "$CACHE/node_modules/.bin/newman" ]] || npm_install_timed newman newman@6 || true
  local crate
  for crate in xh hurl atac slumber; do
    if [[ ! -x "$CACHE/bin/$crate" ]]; then
      # Some crates build against system TLS; pkg-config finds it.
      apt_install pkg-config libssl-dev || true
      break
    fi
  done
  [[ -x "$CACHE/bin/xh" ]] || cargo_install_timed xh || true
  [[ -x "$CACHE/bin/hurl" ]] || install_hurl || true
  [[ -x "$CACHE/bin/atac" ]] || cargo_install_timed atac || true
  [[ -x "$CACHE/bin/slumber" ]] || cargo_install_timed slumber || true
}

case "${INSTALL:-0}" in
  1) install_perf_tools ;;
  only)
    install_perf_tools
    exit 0
    ;;
esac

wants() { [[ " $ONLY " == *" $1 "* ]]; }

NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { say "needs nginx (try INSTALL=1)"; exit 1; }
[[ -x /usr/bin/time ]] || { say "needs GNU time at /usr/bin/time (try INSTALL=1)"; exit 1; }
for t in hyperfine curl python3; do command -v $t >/dev/null || { say "needs $t (try INSTALL=1)"; exit 1; }; done

# The tools measured against: in CACHE, else on PATH, else skipped with the reason.
find_tool() { # name -> its path, or nothing
  if [[ -x "$CACHE/bin/$1" ]]; then
    echo "$CACHE/bin/$1"
  elif [[ -x "$CACHE/node_modules/.bin/$1" ]]; then
    echo "$CACHE/node_modules/.bin/$1"
  else
    command -v "$1" || true
  fi
}
XH="$(find_tool xh)"
ATAC="$(find_tool atac)"
SLUMBER="$(find_tool slumber)"

if [[ -z "${POSTIE_BIN:-}" ]]; then
  say "building postie (release)"
  CARGO_INCREMENTAL=0 nice cargo build --release --quiet
fi
POSTIE="${POSTIE_BIN:-$REPO/target/release/postie}"
[[ -x "$POSTIE" ]] || { say "no postie binary at $POSTIE"; exit 1; }

WORK="$(mktemp -d -t postie-perf.XXXXXX)"
cleanup() {
  if [[ -s "$WORK/nginx.pid" ]]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# hyperfine -N splits command lines at spaces.
for p in "$WORK" "$POSTIE" "$CACHE" "$REPO"; do
  [[ "$p" != *" "* ]] || { say "paths with spaces are not supported: $p"; exit 1; }
done

# Figures and notes for the report: one file per measurement in WORK.
skip() { # id why
  printf '%s\n' "$2" >"$WORK/$1.skipped"
  say "$1: skipped: $2"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE="$(loadavg)"
if pgrep -x rustc >/dev/null || pgrep -x cargo >/dev/null; then
  say "note: a cargo/rustc process is running on this machine; figures will be noisier"
fi

# --- one nginx for everything ----------------------------------------------------------------
BIG="$CACHE/perf-catalogue-50MB.json"
if [[ ! -s "$BIG" ]]; then
  say "generating the 50 MB JSON file (once) at $BIG"
  mkdir -p "$CACHE"
  python3 benches/perf/gen.py big "$BIG"
fi
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
python3 benches/perf/gen.py files "$WORK" "$PORT" "$BIG"
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/error.log"
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$BASE/small.json" >/dev/null && break; sleep 0.05; done
SMALL_SIZE="$(stat -c %s "$WORK/www/small.json")"
BIG_SIZE="$(stat -L -c %s "$BIG")"
# nginx answers each path with 200 and the whole file, or nothing is measured.
for check in "small.json $SMALL_SIZE" "big.json $BIG_SIZE"; do
  read -r path size <<<"$check"
  got="$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$BASE/$path")"
  [[ "$got" == "200 $size" ]] || { say "nginx: /$path answered '$got', expected '200 $size'; $(cat "$WORK/error.log")"; exit 1; }
done
say "nginx on port $PORT: /small.json ($SMALL_SIZE bytes), /big.json ($BIG_SIZE bytes), /api/step/1..20"

# --- send and big: one-shot requests ---------------------------------------------------------
# A tool's command with OUTFILE where the body goes; it is run once writing to a file whose
# size must be the body's, then timed writing to /dev/null (small) or the file (big).
one_shot_cmd() { # tool url outfile
  case "$1" in
    postie)
      local req=inventory
      [[ "$2" == */big.json ]] && req=catalogue
      echo "$POSTIE -C $WORK/postie-small send warehouse/$req -o $3"
      ;;
    curl) echo "curl -s -o $3 $2" ;;
    # -I: xh would read a non-terminal stdin as a body and POST it.
    xh) echo "$XH -I -q -d -o $3 $2" ;;
  esac
}

measure_one_shot() { # part url size runs
  local part=$1 url=$2 size=$3 runs=$4 tool cmd out got
  for tool in postie curl xh; do
    local id="$part.$tool"
    if [[ $tool == xh && -z "$XH" ]]; then
      skip "$id" "$(missing_reason xh)"
      continue
    fi
    out="$WORK/$id.out"
    rm -f "$out"
    cmd="$(one_shot_cmd "$tool" "$url" "$out")"
    # shellcheck disable=SC2086  # the command line is split on purpose (no spaces in paths)
    if ! $cmd >"$WORK/$id.log" 2>&1; then
      skip "$id" "failed its check: exit status non-zero ($(head -c 200 "$WORK/$id.log"))"
      continue
    fi
    got="$(stat -c %s "$out" 2>/dev/null || echo 0)"
    if [[ "$got" != "$size" ]]; then
      skip "$id" "failed its check: wrote $got bytes, expected $size"
      continue
    fi
    local target=/dev/null
    [[ $part == big ]] && target="$out"
    cmd="$(one_shot_cmd "$tool" "$url" "$target")"
    say "timing $id ($runs runs): $cmd"
    hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$WORK/$id.hyperfine.json" "$cmd" >/dev/null
    # Peak RSS in separate runs, so GNU time's own start-up is not in the times above.
    for _ in $(seq "$RSS_RUNS"); do
      # shellcheck disable=SC2086
      /usr/bin/time -f %M -a -o "$WORK/$id.rss" $cmd >/dev/null 2>&1
    done
    printf '%s\n' "$cmd" >"$WORK/$id.cmd"
    rm -f "$out"
  done
}

if wants send; then measure_one_shot send "$BASE/small.json" "$SMALL_SIZE" "$SEND_RUNS"; fi
if wants big; then measure_one_shot big "$BASE/big.json" "$BIG_SIZE" "$BIG_RUNS"; fi

# --- run: benches/run.sh's measuring part against this nginx -----------------------------------
if wants run; then
  say "postie run vs curl, newman, Hurl: benches/run.sh on this nginx"
  if ! NGINX_PORT="$PORT" POSTIE_BIN="$POSTIE" OUT="$WORK/run.json" INSTALL=0 benches/run.sh >&2; then
    skip run "benches/run.sh failed (its output above says why)"
  fi
fi

# --- tui and app50: the terminal apps under the same pty harness ------------------------------
probe() { # id cwd match [probe options...] -- command...
  local id=$1 cwd=$2 match=$3
  shift 3
  say "probing $id"
  # --fresh: each start in a copy of cwd with empty XDG dirs (no state from an earlier start).
  if python3 benches/perf/tui_probe.py --fresh --cwd "$cwd" --match "$match" "$@" >"$WORK/$id.probe.json"; then
    return 0
  fi
  skip "$id" "failed: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("error","no output"))' "$WORK/$id.probe.json" 2>/dev/null || echo "the probe failed")"
}

# The word awaited shows the collection is on screen: the first request's name, Inventory; ATAC
# starts with its collections collapsed, so for it the collection's name, Warehouse.
if wants tui; then
  python3 benches/gen_workspace.py "$WORK/big10k" >/dev/null
  TUI=(--runs "$TUI_RUNS" --idle "$IDLE")
  probe tui.postie "$WORK/postie-small" Inventory "${TUI[@]}" -- "$POSTIE"
  probe tui.postie_demo "$REPO/examples/demo" Digest "${TUI[@]}" -- "$POSTIE"
  # The 10,000 requests' folders start collapsed: the first folder's name shows the tree.
  probe tui.postie_10k "$WORK/big10k" resource-000 "${TUI[@]}" -- "$POSTIE"
  if [[ -n "$ATAC" ]]; then
    probe tui.atac "$WORK/atac" Warehouse "${TUI[@]}" -- "$ATAC" --directory .
  else
    skip tui.atac "$(missing_reason atac)"
  fi
  if [[ -n "$SLUMBER" ]]; then
    probe tui.slumber "$WORK/slumber" Inventory "${TUI[@]}" -- "$SLUMBER"
  else
    skip tui.slumber "$(missing_reason slumber)"
  fi
fi

# 50 MB in the app: keys from each app's default keymap open the one request (awaited: its URL),
# then its send key; timed: from the send key until the first record's sku is drawn.
if wants app50; then
  APP50=(--runs "$APP50_RUNS" --idle "$IDLE" --step-timeout 300)
  # postie (keymaps/default.toml): Down to the request, Enter opens it, ctrl-r sends.
  probe app50.postie "$WORK/postie-big" Warehouse "${APP50[@]}" \
    --step '\e[B\r' big.json --step '\x12' PST-000001 -- "$POSTIE"
  # ATAC (its default_key_bindings.toml): Down selects the collection, Right expands it, Down
  # and Enter open the request, Space sends.
  if [[ -n "$ATAC" ]]; then
    probe app50.atac "$WORK/atac-big" Warehouse "${APP50[@]}" --step '\e[B' Warehouse --step '\e[C' Catalog \
      --step '\e[B\r' big.json --step ' ' PST-000001 -- "$ATAC" --directory .
  else
    skip app50.atac "$(missing_reason atac)"
  fi
  # Slumber (slumber_config's default input bindings): the one recipe is selected at start, its
  # URL on screen; Enter (submit) sends.
  if [[ -n "$SLUMBER" ]]; then
    probe app50.slumber "$WORK/slumber-big" big.json "${APP50[@]}" --step '\r' PST-000001 -- "$SLUMBER"
  else
    skip app50.slumber "$(missing_reason slumber)"
  fi
fi

# --- the report ------------------------------------------------------------------------------
LOAD_AFTER="$(loadavg)"
version_of() { # name command... (first line of its version output)
  local name=$1
  shift
  printf '%s\t%s\n' "$name" "$("$@" 2>&1 | head -1 || true)" >>"$WORK/versions.tsv"
}
: >"$WORK/versions.tsv"
version_of postie "$POSTIE" --version
printf 'postie commit\t%s\n' "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')" >>"$WORK/versions.tsv"
printf 'curl\t%s\n' "$(curl --version | head -1 | cut -d' ' -f1-3)" >>"$WORK/versions.tsv"
if [[ -n "$XH" ]]; then version_of xh "$XH" --version; fi
HURL="$(find_tool hurl)"
if [[ -n "$HURL" ]]; then version_of hurl "$HURL" --version; fi
NEWMAN="$(find_tool newman)"
if [[ -n "$NEWMAN" ]]; then version_of newman "$NEWMAN" --version; fi
version_of node node --version
if [[ -n "$ATAC" ]]; then version_of atac "$ATAC" --version; fi
if [[ -n "$SLUMBER" ]]; then version_of slumber "$SLUMBER" --version; fi
version_of nginx "$NGINX" -v
version_of hyperfine hyperfine --version
printf 'GNU time\t%s\n' "$(dpkg-query -W -f '${Version}' time 2>/dev/null || /usr/bin/time --version 2>&1 | head -1)" >>"$WORK/versions.tsv"
version_of python3 python3 --version
version_of rustc rustc --version
LOAD_BEFORE="$LOAD_BEFORE" LOAD_AFTER="$LOAD_AFTER" SMALL_SIZE="$SMALL_SIZE" BIG_SIZE="$BIG_SIZE" \
  SEND_RUNS="$SEND_RUNS" BIG_RUNS="$BIG_RUNS" RSS_RUNS="$RSS_RUNS" TUI_RUNS="$TUI_RUNS" IDLE="$IDLE" \
  APP50_RUNS="$APP50_RUNS" ONLY="$ONLY" python3 benches/perf/report.py "$WORK" "$OUT"
cat "$OUT"
