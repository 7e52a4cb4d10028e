#!/usr/bin/env bash
# The app with many sends in flight at once (issue 13, "under load"): in tmux
# at 120x40, one request to a local `postie echo` that answers after DELAY
# seconds is sent N times (ctrl-r, N keys at once), keys are pressed while
# they wait, then the palette's "cancel every send in flight" ends them all.
# The app writes what handling each message took (POSTIE_FRAMES); printed:
# frames while sends were in flight (count, median, p99, max), the slowest
# key press, and how long cancelling all took until none was left.
#
# Usage: benches/inflight.sh   (needs tmux; POSTIE_BIN=path to skip the build)
# Env: N=200 DELAY=10 PORT=(a free one)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux"; exit 1; }
if [[ -z "${POSTIE_BIN:-}" ]]; then cargo build --release --quiet; fi
POSTIE="${POSTIE_BIN:-$PWD/target/release/postie}"
# The app starts in another directory: a relative path must not break it.
POSTIE="$(realpath "$POSTIE")"
N="${N:-200}"
DELAY="${DELAY:-10}"
PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
WORK="$(mktemp -d)"
SOCKET="postie-inflight-$$"
tm() { tmux -L "$SOCKET" -f /dev/null "$@"; }
cleanup() {
  tm kill-session -t bench 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCKET"
  [[ -n "${ECHO_PID:-}" ]] && kill "$ECHO_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$POSTIE" echo --port "$PORT" >/dev/null 2>&1 &
ECHO_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/get" >/dev/null 2>&1 && break; sleep 0.05; done

"$POSTIE" init "$WORK/ws" >/dev/null
mkdir -p "$WORK/ws/slow"
echo '{}' >"$WORK/ws/slow/collection.json"
printf '{\n  "method": "GET",\n  "url": "http://127.0.0.1:%s/delay/%s"\n}\n' "$PORT" "$DELAY" >"$WORK/ws/slow/wait.json"

screen() { tm capture-pane -p -t bench; }
wait_for() { # text, seconds
  local deadline=$((SECONDS + $2))
  until screen | grep -q -- "$1"; do
    if ((SECONDS > deadline)); then echo "timed out waiting for: $1"; screen; exit 1; fi
    sleep 0.05
  done
}
now_ms() { date +%s%3N; }

tm new-session -d -s bench -x 120 -y 40 -c "$WORK/ws" "POSTIE_FRAMES=$WORK/frames.txt $POSTIE"
wait_for "wait" 10
tm send-keys -t bench /
tm send-keys -t bench -l wait
tm send-keys -t bench Enter
wait_for "delay/$DELAY" 10
keys=()
for _ in $(seq "$N"); do keys+=(C-r); done
sent=$(now_ms)
tm send-keys -t bench "${keys[@]}"
wait_for " $N in flight" 30
all_in_flight=$(($(now_ms) - sent))
# Keys while they wait: to the tree, move, back to the request.
before_keys=$(wc -l <"$WORK/frames.txt")
tm send-keys -t bench 1 Up Down Up Down 2
sleep 1
after_keys=$(wc -l <"$WORK/frames.txt")
cancel=$(now_ms)
tm send-keys -t bench C-p
wait_for "run a command" 5
tm send-keys -t bench -l "cancel every"
tm send-keys -t bench Enter
until ! screen | grep -q "in flight"; do
  if (($(now_ms) - cancel > 30000)); then echo "sends still in flight 30 s after cancelling"; screen; exit 1; fi
  sleep 0.02
done
cancelled=$(($(now_ms) - cancel))
still=$(screen | grep -c "in flight" || true)
tm send-keys -t bench C-q
sleep 0.5

python3 - "$WORK/frames.txt" "$N" "$all_in_flight" "$cancelled" "$before_keys" "$after_keys" "$still" <<'PY'
import sys, statistics
path, n, all_ms, cancel_ms, k0, k1, still = sys.argv[1:]
rows = [tuple(map(int, l.split())) for l in open(path) if l.strip()]
busy = [us / 1000 for us, flying in rows if flying > 0]
keys = [us / 1000 for us, _ in rows[int(k0):int(k1)]]
def p(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * q))] if v else 0.0
print(f"{n} sends in flight at once (one request, a server answering after them all):")
print(f"  all {n} on their way after {all_ms} ms of keys")
print(f"  frames while in flight: {len(busy)}; median {statistics.median(busy):.2f} ms, p99 {p(busy, .99):.2f} ms, max {max(busy):.2f} ms")
print(f"  keys pressed while in flight: {len(keys)} messages, slowest {max(keys) if keys else 0:.2f} ms")
print(f"  cancel every send in flight: none left after {cancel_ms} ms")
slow = [(i, us / 1000, flying) for i, (us, flying) in enumerate(rows) if flying > 0 and us > 16000]
print(f"  frames over 16 ms while in flight: {len(slow)}" + "".join(
    f"\n    message {i} of {len(rows)}: {ms:.1f} ms with {flying} in flight" for i, ms, flying in slow))
PY
uptime
