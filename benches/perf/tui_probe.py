#!/usr/bin/env python3
"""Measures a terminal app the same way whatever the app: under a pseudo-terminal of COLSxROWS.

Each of RUNS starts runs the command under a new pty (its controlling terminal, TIOCSWINSZ set,
TERM=xterm-256color), reads everything it writes with timestamps and reports
  first_byte_ms   from exec to the first byte the app writes (usually its terminal set-up)
  first_text_ms   to the first printable character drawn (the first frame's content)
  match_ms        to the moment TEXT has appeared in the output stream
Escape sequences are stripped before matching: a cursor move becomes a line break (apps draw
with cursor moves, so TEXT must be a word drawn contiguously), colours and modes vanish.
Then, optionally, STEPs: keys written to the app and the text awaited after them, each timed
from the write of its keys to the text (e.g. `--step $'\\x12' 'PST-000001'`: ctrl-r, then a
word of the response body).
On the last start the app is then left alone: after SETTLE seconds, its CPU time (utime +
stime of every thread, /proc/PID/stat) over IDLE seconds and its VmRSS. The pty is drained
all the while (an app whose output nobody reads blocks). The app's process group is killed at
the end of every start.

A real terminal answers a few queries; so does this one, the same for every app: the primary
device attributes (ESC [ c), the cursor position (ESC [ 6 n), the status report (ESC [ 5 n) and
the foreground/background colours (OSC 10/11 ?). Others (e.g. the kitty keyboard query) get
no answer, as in a terminal without the feature.

Prints one JSON object: the medians, every start's figures, idle CPU %, RSS MiB; or, when a
start fails (the app exits, or TEXT does not appear within TIMEOUT s), {"error": ...} with the
tail of the text the app drew, and exit status 1.

With --fresh, every start runs in a new copy of the working directory with new, empty XDG
config/data/state/cache directories, so no start sees what an earlier one saved (a response
kept in history would be on screen before it is sent).

Usage: tui_probe.py [--cwd DIR] [--fresh] [--env K=V]... --match TEXT [--step KEYS TEXT]...
                    [--runs 5] [--idle 5] [--settle 1] [--timeout 30] [--cols 80] [--rows 24]
                    -- COMMAND [ARGS...]
"""

import argparse
import codecs
import fcntl
import json
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

# Cursor positioning (CUP, HVP, CUU..CHA, VPA): the text on either side is not adjacent.
CURSOR_MOVE = re.compile(r"\x1b\[[0-9;?]*[HfABCDEFGd]")
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC
    r"|\x1b[()*+][0-9A-Za-z]"  # charset designation
    r"|\x1b[@-Z\\-_=>78]"  # other two-byte escapes
)
CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")

QUERIES = [
    (re.compile(rb"\x1b\[0?c"), lambda rows, cols: b"\x1b[?62;22c", "device attributes"),
    (re.compile(rb"\x1b\[6n"), lambda rows, cols: b"\x1b[1;1R", "cursor position"),
    (re.compile(rb"\x1b\[5n"), lambda rows, cols: b"\x1b[0n", "status"),
    (re.compile(rb"\x1b\]10;\?(?:\x07|\x1b\\)"), lambda rows, cols: b"\x1b]10;rgb:ffff/ffff/ffff\x1b\\", "foreground"),
    (re.compile(rb"\x1b\]11;\?(?:\x07|\x1b\\)"), lambda rows, cols: b"\x1b]11;rgb:0000/0000/0000\x1b\\", "background"),
]


def visible_text(raw):
    """The characters a terminal would draw, with a line break wherever the cursor jumped."""
    text = CURSOR_MOVE.sub("\n", raw)
    text = ESCAPES.sub("", text)
    return CONTROLS.sub("", text)


class Failed(Exception):
    pass


class Session:
    """One start of the app under a new pty."""

    def __init__(self, args):
        self.args = args
        env = dict(os.environ)
        env.update(TERM="xterm-256color", COLUMNS=str(args.cols), LINES=str(args.rows))
        for kv in args.env:
            k, _, v = kv.partition("=")
            env[k] = v
        cwd = args.cwd
        self.fresh = None
        if args.fresh:
            # Every start as the first: a copy of the working directory (state an app keeps
            # there, e.g. postie's .postie/, starts empty) and empty XDG config/data/state/cache
            # directories (Slumber's request history, any app's config).
            self.fresh = tempfile.mkdtemp(prefix="tui-probe.")
            cwd = os.path.join(self.fresh, "cwd")
            shutil.copytree(args.cwd or ".", cwd, symlinks=True)
            for kind in ("CONFIG", "DATA", "STATE", "CACHE"):
                d = os.path.join(self.fresh, "xdg", kind.lower())
                os.makedirs(d)
                env["XDG_%s_HOME" % kind] = d
        try:
            self.start(args, env, cwd)
        except OSError:
            if self.fresh:
                shutil.rmtree(self.fresh, ignore_errors=True)
            raise

    def start(self, args, env, cwd):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", args.rows, args.cols, 0, 0))

        def become_terminal_owner():
            # A session of its own with the pty as controlling terminal, as a shell would give.
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.master = master
        self.t0 = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                args.command,
                cwd=cwd,
                env=env,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                preexec_fn=become_terminal_owner,
                close_fds=True,
            )
        except OSError:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.raw_tail = b""  # for queries split across reads
        self.since_mark = ""  # decoded output since the last mark
        self.all_text_tail = ""
        self.first_byte = None
        self.first_text = None
        self.answered = {}
        self.bytes_read = 0

    def ms(self, t):
        return round((t - self.t0) * 1000.0, 2)

    def pump(self, timeout):
        """Reads what the app wrote within `timeout` s; returns False once the pty is closed."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the app exited and closed the pty
            return False
        if not data:
            return False
        now = time.monotonic()
        self.bytes_read += len(data)
        if self.first_byte is None:
            self.first_byte = now
        self.answer_queries(data)
        chunk = self.decoder.decode(data)
        self.since_mark += chunk
        if self.first_text is None and visible_text(self.since_mark).strip():
            self.first_text = now
        return True

    def answer_queries(self, data):
        buf = self.raw_tail + data
        for pattern, reply, name in QUERIES:
            for _ in pattern.finditer(buf):
                os.write(self.master, reply(self.args.rows, self.args.cols))
                self.answered[name] = self.answered.get(name, 0) + 1
        # Keep a few bytes so a query split between two reads is still seen (and not twice).
        self.raw_tail = b"" if len(buf) < 1 else buf[-16:]
        for pattern, _, _ in QUERIES:
            if pattern.search(self.raw_tail):
                self.raw_tail = b""
                break

    def mark(self):
        self.all_text_tail = (self.all_text_tail + visible_text(self.since_mark))[-4000:]
        self.since_mark = ""

    def wait_for(self, text, timeout):
        """Drains until `text` has been drawn since the last mark; returns the moment it was."""
        deadline = time.monotonic() + timeout
        while True:
            if text in visible_text(self.since_mark):
                return time.monotonic()
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failed("%r not drawn within %g s" % (text, timeout))
            if not self.pump(min(left, 0.05)):
                raise Failed("the app exited (status %s) before drawing %r" % (self.proc.poll(), text))

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not self.pump(min(0.05, max(0.0, end - time.monotonic()))):
                raise Failed("the app exited (status %s) while idle" % self.proc.poll())
            # Idle output is only drained, not kept.
            if len(self.since_mark) > 100000:
                self.mark()

    def cpu_ticks(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None

    def text_tail(self):
        self.mark()
        lines = [l.strip() for l in self.all_text_tail.splitlines() if l.strip()]
        return " | ".join(lines[-12:])[-600:]

    def close(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        os.close(self.master)
        if self.fresh:
            shutil.rmtree(self.fresh, ignore_errors=True)


def decode_keys(s):
    """Keys as written on the command line: \\x12, \\r, \\e, \\t are escapes."""
    return s.replace("\\e", "\\x1b").encode("utf-8").decode("unicode_escape").encode("latin-1")


def one_start(args, last):
    s = Session(args)
    try:
        matched = s.wait_for(args.match, args.timeout)
        out = {"first_byte_ms": s.ms(s.first_byte), "first_text_ms": s.ms(s.first_text), "match_ms": s.ms(matched)}
        steps = []
        for keys, text in args.step:
            s.drain(args.pause)  # the app has finished drawing what came before
            s.mark()
            sent = time.monotonic()
            os.write(s.master, decode_keys(keys))
            seen = s.wait_for(text, args.step_timeout)
            steps.append(round((seen - sent) * 1000.0, 2))
        out["steps_ms"] = steps
        if last:
            s.drain(args.settle)
            hz = os.sysconf("SC_CLK_TCK")
            t0, c0 = time.monotonic(), s.cpu_ticks()
            s.drain(args.idle)
            t1, c1 = time.monotonic(), s.cpu_ticks()
            out["idle_cpu_pct"] = round((c1 - c0) / hz / (t1 - t0) * 100.0, 2)
            out["rss_mib"] = round(s.rss_kib() / 1024.0, 1)
        out["queries_answered"] = s.answered
        return out
    except Failed as e:
        raise Failed("%s; last text drawn: %s" % (e, s.text_tail() or "(nothing)"))
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cwd")
    ap.add_argument("--env", action="append", default=[], metavar="K=V")
    ap.add_argument("--fresh", action="store_true", help="each start in a copy of --cwd with empty XDG dirs")
    ap.add_argument("--match", required=True, help="text that shows the workspace/collection is on screen")
    ap.add_argument("--step", nargs=2, action="append", default=[], metavar=("KEYS", "TEXT"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idle", type=float, default=5.0)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--pause", type=float, default=0.3, help="s drained before each step's keys")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--step-timeout", type=float, default=120.0)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        ap.error("no command given")

    starts = []
    try:
        for i in range(args.runs):
            starts.append(one_start(args, last=(i == args.runs - 1)))
    except (Failed, OSError) as e:
        print(json.dumps({"error": str(e), "starts_done": len(starts)}))
        sys.exit(1)

    def med(key):
        return round(statistics.median(s[key] for s in starts), 2)

    last = starts[-1]
    result = {
        "runs": len(starts),
        "first_byte_ms": med("first_byte_ms"),
        "first_text_ms": med("first_text_ms"),
        "match_ms": med("match_ms"),
        "steps_ms": [round(statistics.median(s["steps_ms"][i] for s in starts), 2) for i in range(len(args.step))],
        "idle_cpu_pct": last["idle_cpu_pct"],
        "idle_s": args.idle,
        "rss_mib": last["rss_mib"],
        "size": "%dx%d" % (args.cols, args.rows),
        "queries_answered": last["queries_answered"],
        "starts": starts,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
