#!/usr/bin/env bash
# The terminal app's start-up and idle figures, in tmux at 80x24:
#   first frame after start, first frame showing the workspace,
#   CPU used while idle over IDLE seconds, resident memory while idle.
# On examples/demo and on a generated workspace of 10,000 requests in
# 1,000 folders (BIG=1: and 100,000 in 10,000). Each start is measured RUNS
# times; the median is printed. A big workspace is shown as its first
# collections load; "all of it" is when the rest has joined them.
#
# Usage: benches/tui.sh   (needs tmux; POSTIE_BIN=path to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux"; exit 1; }
if [[ -z "${POSTIE_BIN:-}" ]]; then cargo build --release --quiet; fi
POSTIE="${POSTIE_BIN:-$PWD/target/release/postie}"
# The app starts in another directory: a relative path must not break it.
POSTIE="$(realpath "$POSTIE")"
RUNS="${RUNS:-9}"
IDLE="${IDLE:-5}"
WORK="$(mktemp -d)"
# A tmux server of our own: the user's sessions (and the terminal this may
# run in) are never touched, and the trap ends only what we started
SOCKET="postie-bench-$$"
tm() { tmux -L "$SOCKET" -f /dev/null "$@"; }
# (the server exits with its last session; its socket file goes too).
trap 'tm kill-session -t bench 2>/dev/null || true; tm kill-session -t keep 2>/dev/null || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCKET"; rm -rf "$WORK"' EXIT
# A session that lives through the measured ones: without it the server
# exits with each measured session and the next start can race its exit.
tm new-session -d -s keep -x 80 -y 24 "sleep 100000"
python3 benches/gen_workspace.py "$WORK/big" >/dev/null
# BIG=1: also 100,000 requests in 10,000 folders.
if [[ -n "${BIG:-}" ]]; then
  python3 benches/gen_workspace.py "$WORK/huge" --requests 100000 --folders 10000 >/dev/null
fi

measure() { # name dir
  local name=$1 dir=$2
  local firsts=() wss=() alls=()
  for i in $(seq "$RUNS"); do
    rm -f "$WORK/t.txt"
    tm new-session -d -s bench -x 80 -y 24 -c "$dir" "POSTIE_TIMINGS=$WORK/t.txt $POSTIE"
    for _ in $(seq 500); do grep -q workspace_complete_ms "$WORK/t.txt" 2>/dev/null && break; sleep 0.02; done
    firsts+=("$(grep first_frame_ms "$WORK/t.txt" | cut -d= -f2)")
    wss+=("$(grep workspace_frame_ms "$WORK/t.txt" | cut -d= -f2)")
    alls+=("$(grep workspace_complete_ms "$WORK/t.txt" | cut -d= -f2)")
    if [[ $i -lt $RUNS ]]; then tm kill-session -t bench; fi
  done
  local pid
  pid=$(tm list-panes -t bench -F '#{pane_pid}')
  sleep 1
  local t0 t1 hz
  hz=$(getconf CLK_TCK)
  t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  sleep "$IDLE"
  t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  local rss
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  tm kill-session -t bench
  python3 - "$name" "$hz" "$t0" "$t1" "$IDLE" "$rss" "${firsts[*]}" "${wss[*]}" "${alls[*]}" <<'PY'
import sys, statistics
name, hz, t0, t1, idle, rss, firsts, wss, alls = sys.argv[1:]
cpu = (int(t1) - int(t0)) / int(hz) / float(idle) * 100
med = lambda s: statistics.median(float(x) for x in s.split())
print(f"{name:10} first frame {med(firsts):6.1f} ms   workspace shown {med(wss):6.1f} ms   all of it {med(alls):6.1f} ms   idle CPU {cpu:.1f}%   idle RSS {int(rss)/1024:.1f} MiB")
PY
}

measure demo "$PWD/examples/demo"
measure 10k "$WORK/big"
if [[ -n "${BIG:-}" ]]; then measure 100k "$WORK/huge"; fi
