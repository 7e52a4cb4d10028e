#!/usr/bin/env python3
"""Reads the measurements benches/perf.sh left in WORK and writes the markdown report to OUT
and the same figures as JSON beside it (OUT with .json).

Usage: report.py WORK OUT   (the run's settings come in the environment from perf.sh)

WORK holds, per measurement ID (e.g. send.curl, tui.atac):
  ID.hyperfine.json, ID.rss, ID.cmd   a one-shot tool's times, peak RSS (KiB a line), command
  ID.probe.json                       benches/perf/tui_probe.py's figures
  ID.skipped                          why it was not measured
  run.json                            benches/run.sh's report (benches/run/summarize.py)
  versions.tsv                        tool<TAB>version
"""

import datetime
import json
import os
import platform
import statistics
import sys

WORK = OUT = None
ENV = os.environ


def read(name):
    try:
        with open(os.path.join(WORK, name), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def read_json(name):
    text = read(name)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def skipped(mid):
    why = read(mid + ".skipped")
    return why.strip() if why else None


def one_shot(mid):
    why = skipped(mid)
    if why:
        return {"skipped": why}
    h = read_json(mid + ".hyperfine.json")
    if not h:
        return {"skipped": "not measured"}
    r = h["results"][0]
    times = r.get("times") or [r["mean"]]
    rss = [int(x) for x in (read(mid + ".rss") or "").split() if x.isdigit()]
    return {
        "median_ms": statistics.median(times) * 1000.0,
        "min_ms": min(times) * 1000.0,
        "stddev_ms": (r.get("stddev") or 0.0) * 1000.0,
        "runs": len(times),
        "peak_rss_mib": max(rss) / 1024.0 if rss else None,
        "command": (read(mid + ".cmd") or "").strip(),
    }


def probe(mid):
    why = skipped(mid)
    if why:
        return {"skipped": why}
    p = read_json(mid + ".probe.json")
    if not p or "error" in p:
        return {"skipped": (p or {}).get("error", "not measured")}
    return p


def short_version(v):
    """`hurl 8.0.1 (x86_64-pc-linux-gnu) libcurl/...` -> `hurl 8.0.1`: the build details go."""
    head = v.split(" (", 1)[0].strip()
    return head or v


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def f(v, spec=".1f"):
    return "–" if v is None else format(v, spec)


def x(v):
    return "–" if v is None else "%.2f×" % v


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = int(line.split()[1]) / 1024.0 / 1024.0
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem, 1) if mem else None,
        "kernel": platform.release(),
        "os": platform.platform(),
        "load_before": ENV.get("LOAD_BEFORE", ""),
        "load_after": ENV.get("LOAD_AFTER", ""),
    }


def installs():
    path = os.path.join(ENV.get("CACHE", ""), "installs.tsv")
    last = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 4:
                    last[parts[0]] = {"seconds": int(parts[1]), "result": parts[2], "detail": parts[3]}
    except (OSError, ValueError):
        pass
    return last


def one_shot_part(lines, data, part, title, what):
    tools = {t: one_shot("%s.%s" % (part, t)) for t in ("postie", "curl", "xh")}
    data[part] = tools
    p = tools["postie"]
    rows = []
    for t, r in tools.items():
        if "skipped" in r:
            rows.append([t, "skipped: " + r["skipped"], "", "", "", ""])
            continue
        rows.append(
            [
                t,
                f(r["median_ms"], ".2f"),
                f(r["stddev_ms"], ".2f"),
                f(r["peak_rss_mib"]),
                x(ratio(p.get("median_ms"), r["median_ms"])),
                x(ratio(p.get("peak_rss_mib"), r["peak_rss_mib"])),
            ]
        )
    lines += ["## " + title, "", what, ""]
    lines.append(table(["tool", "median ms", "± sd ms", "peak RSS MiB", "postie ÷ tool: time", "postie ÷ tool: RSS"], rows))
    cmds = ["- %s: `%s`" % (t, r["command"]) for t, r in tools.items() if r.get("command")]
    lines += ["", "Commands:", ""] + cmds + [""]


def run_part(lines, data):
    why = skipped("run")
    rep = read_json("run.json")
    if why or not rep:
        lines += ["## postie run: a collection with test scripts", ""]
        data["run"] = {"skipped": why or "not measured"}
        lines += ["skipped: " + (why or "not measured"), ""]
        return
    data["run"] = rep
    lines += ["## postie run: %s requests with test scripts" % format(rep["requests"], ","), ""]
    tools = rep["tools"]
    p = tools.get("postie", {})
    lines += [
        "`benches/run.sh` on the same nginx: a 20-request Postman collection with 3 `pm.test`s a "
        "request and a variable chained from each response into the next request, %d iterations = "
        "%s requests; hyperfine median of %s runs (newman %s), peak RSS by GNU time; every tool's run "
        "checked first (all requests made, all assertions passed)."
        % (rep.get("iterations") or 0, format(rep["requests"], ","), rep["meta"].get("runs"), rep["meta"].get("newman_runs")),
        "",
    ]
    rows = []
    for name, t in tools.items():
        if "median_s" not in t:
            rows.append([t.get("label", name), "skipped: " + t.get("missing", "not measured"), "", "", "", ""])
            continue
        rows.append(
            [
                t["label"],
                f(t["median_s"], ".3f"),
                f(t.get("req_per_s"), ",.0f"),
                f(t.get("peak_mib")),
                x(ratio(p.get("median_s"), t["median_s"])),
                x(ratio(p.get("peak_mib"), t.get("peak_mib"))),
            ]
        )
    lines.append(table(["tool", "median s", "req/s", "peak RSS MiB", "postie run ÷ tool: time", "postie run ÷ tool: RSS"], rows))
    if rep.get("script_cost_ms_per_request") is not None:
        lines += ["", "postie's test scripts cost %.3f ms a request (postie run minus the same run without scripts)." % rep["script_cost_ms_per_request"]]
    lines.append("")


TUI_ROWS = [
    ("tui.postie", "postie", "the small collection", "Inventory"),
    ("tui.atac", "ATAC", "the small collection", "Warehouse"),
    ("tui.slumber", "Slumber", "the small collection", "Inventory"),
    ("tui.postie_demo", "postie", "examples/demo", "Digest"),
    ("tui.postie_10k", "postie", "10,000 requests in 1,000 folders", "resource-000"),
]


def tui_part(lines, data):
    res = {mid: probe(mid) for mid, _, _, _ in TUI_ROWS}
    data["tui"] = res
    p = res["tui.postie"]
    lines += [
        "## The terminal apps at 80x24",
        "",
        "`benches/perf/tui_probe.py`: each app started %s times under a pty of 80x24 "
        "(TERM=xterm-256color), each start in a fresh copy of its directory with empty XDG "
        "config/data/state/cache dirs; median of the starts: ms from exec "
        "to its first output byte, to the first text drawn, and until the word in the last column is "
        "on screen (a request or folder name: the collection is shown). Then, on the last start, "
        "after 1 s: CPU used over %s s of idling, and VmRSS. postie ÷ app compares postie on the same "
        "small collection (7 requests to this nginx, the same names in each app)." % (ENV.get("TUI_RUNS"), ENV.get("IDLE")),
        "",
    ]
    rows = []
    for mid, app, coll, word in TUI_ROWS:
        r = res[mid]
        if "skipped" in r:
            rows.append([app, coll, "skipped: " + r["skipped"], "", "", "", "", "", "", word])
            continue
        compare = mid in ("tui.atac", "tui.slumber")
        rows.append(
            [
                app,
                coll,
                f(r["first_byte_ms"]),
                f(r["first_text_ms"]),
                f(r["match_ms"]),
                f(r["idle_cpu_pct"], ".2f"),
                f(r["rss_mib"]),
                x(ratio(p.get("match_ms"), r["match_ms"])) if compare else "",
                x(ratio(p.get("rss_mib"), r["rss_mib"])) if compare else "",
                word,
            ]
        )
    lines.append(
        table(
            [
                "app",
                "collection",
                "first byte ms",
                "first text ms",
                "on screen ms",
                "idle CPU %",
                "idle RSS MiB",
                "postie ÷ app: on screen",
                "postie ÷ app: RSS",
                "word awaited",
            ],
            rows,
        )
    )
    lines.append("")


def app50_part(lines, data):
    res = {mid: probe(mid) for mid in ("app50.postie", "app50.atac", "app50.slumber")}
    data["app50"] = res
    lines += [
        "## 50 MB in the app",
        "",
        "The same harness: a collection whose one request GETs nginx's 50 MB JSON; keys from each "
        "app's default keymap open the request (awaited: its URL on screen), then its send key (postie "
        "ctrl-r, ATAC Space, Slumber Enter). Timed: from writing the send key to the first record's "
        "`PST-000001` being drawn in the response pane; median of %s starts. Then, after 1 s, "
        "VmRSS and the CPU used over %s s." % (ENV.get("APP50_RUNS"), ENV.get("IDLE")),
        "",
    ]
    rows = []
    for mid, app in (("app50.postie", "postie"), ("app50.atac", "ATAC"), ("app50.slumber", "Slumber")):
        r = res[mid]
        if "skipped" in r:
            rows.append([app, "skipped: " + r["skipped"], "", ""])
            continue
        rows.append([app, f(r["steps_ms"][-1], ".0f"), f(r["rss_mib"]), f(r["idle_cpu_pct"], ".2f")])
    lines.append(table(["app", "send key to body on screen ms", "RSS after MiB", "idle CPU % after"], rows))
    lines.append("")


def main():
    global WORK, OUT
    WORK, OUT = sys.argv[1], sys.argv[2]
    versions = []
    for line in (read("versions.tsv") or "").splitlines():
        name, _, v = line.partition("\t")
        versions.append((name, short_version(v)))
    vmap = dict(versions)
    m = machine()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    data = {"date": now, "machine": m, "versions": vmap, "installs": installs()}
    lines = [
        "# postie performance: one run of benches/perf.sh",
        "",
        "%s, %s (commit %s). Ratios are postie's figure divided by the other tool's: below "
        "1.00× postie takes less time or memory." % (now, vmap.get("postie", "?"), vmap.get("postie commit", "?")),
        "",
        "## Machine",
        "",
        table(
            ["", ""],
            [
                ["CPU", m["cpu"]],
                ["cores", m["cores"]],
                ["RAM", "%s GiB" % m["ram_gib"]],
                ["kernel", m["kernel"]],
                ["load average (1, 5, 15 min) before", m["load_before"]],
                ["load average after", m["load_after"]],
            ],
        ),
        "",
    ]
    send_text = (
        "Each tool's process from start to exit, body to /dev/null: hyperfine -N, median of %s runs "
        "after 3 warm-ups; peak RSS: the largest of %s further runs under GNU time. Checked first: "
        "each tool wrote the whole body." % (ENV.get("SEND_RUNS"), ENV.get("RSS_RUNS"))
    )
    big_text = "The same, writing the body to a file: median of %s runs; checked first: the file has the body's size." % ENV.get(
        "BIG_RUNS"
    )
    small_title = "One-shot GET of a small JSON body (%s bytes)" % format(int(ENV.get("SMALL_SIZE") or 0), ",")
    big_title = "50 MB JSON to a file (%s bytes)" % format(int(ENV.get("BIG_SIZE") or 0), ",")
    parts = {
        "send": lambda: one_shot_part(lines, data, "send", small_title, send_text),
        "big": lambda: one_shot_part(lines, data, "big", big_title, big_text),
        "run": lambda: run_part(lines, data),
        "tui": lambda: tui_part(lines, data),
        "app50": lambda: app50_part(lines, data),
    }
    # Only the parts this run measured (perf.sh's ONLY).
    only = ENV.get("ONLY", " ".join(parts)).split()
    for name, write in parts.items():
        if name in only:
            write()

    inst = data["installs"]
    lines += ["## Versions", ""]
    lines.append(table(["tool", "version"], [[n, v] for n, v in versions]))
    lines += [
        "",
        "## Installs",
        "",
        "The last install of each tool (`INSTALL=1`, niced, into the cache; `$CACHE/installs.tsv`):",
        "",
    ]
    if inst:
        rows = [[k, v["seconds"], v["result"], short_version(v["detail"])] for k, v in inst.items()]
        lines.append(table(["tool", "seconds", "result", "detail"], rows))
    else:
        lines.append("none recorded")
    lines.append("")
    os.makedirs(os.path.dirname(os.path.abspath(OUT)), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    json_out = os.path.splitext(OUT)[0] + ".json"
    with open(json_out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
    print("written: %s and %s" % (OUT, json_out), file=sys.stderr)


if __name__ == "__main__":
    main()
