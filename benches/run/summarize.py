#!/usr/bin/env python3
"""Reads the measurements of benches/run.sh and prints the table and the goals of issue 10;
writes the same as JSON to OUT.

Usage: summarize.py WORK OUT REQUESTS
WORK holds, per measured tool NAME (listed in WORK/tools, one `NAME<TAB>LABEL` a line):
  NAME.hyperfine.json   hyperfine's --export-json (wall times of every run)
  NAME.rss              one `%M` line (KiB) per run from GNU time
WORK/meta.json holds versions and machine facts to carry into the JSON.
"""

import json
import os
import statistics
import sys


def load_tool(work, name):
    try:
        with open(os.path.join(work, name + ".hyperfine.json"), encoding="utf-8") as f:
            result = json.load(f)["results"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None
    times = result.get("times") or [result["mean"]]
    rss = []
    try:
        with open(os.path.join(work, name + ".rss"), encoding="utf-8") as f:
            rss = [int(line) for line in f if line.strip().isdigit()]
    except OSError:
        pass
    return {
        "mean_s": result["mean"],
        "median_s": statistics.median(times),
        "stddev_s": result.get("stddev") or 0.0,
        "min_s": min(times),
        "runs": len(times),
        "peak_mib": (max(rss) / 1024.0) if rss else None,
    }


def fmt(v, spec, missing="-"):
    return missing if v is None else format(v, spec)


def main():
    work, out, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(os.path.join(work, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    tools = {}
    order = []
    with open(os.path.join(work, "tools"), encoding="utf-8") as f:
        for line in f:
            name, _, label = line.rstrip("\n").partition("\t")
            order.append(name)
            t = load_tool(work, name)
            if t is None:
                t = {"missing": meta.get("missing", {}).get(name, "not measured")}
            t["label"] = label
            tools[name] = t

    def time_of(name):
        t = tools.get(name) or {}
        return t.get("median_s")

    curl = time_of("curl")
    for t in tools.values():
        if "median_s" in t:
            t["req_per_s"] = requests / t["median_s"]
            t["ratio_to_curl"] = (t["median_s"] / curl) if curl else None

    rows = [("tool", "median s", "± sd", "runs", "req/s", "peak MiB", "× curl")]
    for name in order:
        t = tools[name]
        if "median_s" not in t:
            rows.append((t["label"], t["missing"], "", "", "", "", ""))
            continue
        rows.append(
            (
                t["label"],
                fmt(t["median_s"], ".3f"),
                fmt(t["stddev_s"], ".3f"),
                str(t["runs"]),
                fmt(t["req_per_s"], ",.0f"),
                fmt(t["peak_mib"], ".1f"),
                fmt(t["ratio_to_curl"], ".2f"),
            )
        )
    measured = [r for r in rows if len(r) == 7 and r[2] != ""]
    widths = [max(len(r[i]) for r in measured) for i in range(7)]
    widths[0] = max(len(r[0]) for r in rows)
    print()
    for r in rows:
        if r not in measured:  # a tool that was not measured: say why on one line
            print(r[0].ljust(widths[0]) + "  " + r[1])
            continue
        print("  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]))

    seq, par, plain = time_of("postie"), time_of("postie_par4"), time_of("postie_noscripts")
    hurl, newman = time_of("hurl"), time_of("newman")
    peak = (tools.get("postie") or {}).get("peak_mib")
    peak_par = (tools.get("postie_par4") or {}).get("peak_mib")
    script_ms = ((seq - plain) / requests * 1000.0) if (seq and plain) else None

    def goal(text, value, holds):
        return {"goal": text, "value": value, "holds": holds}

    goals = [
        goal(
            "postie run within 1.5x curl's time (every script run)",
            None if not (seq and curl) else round(seq / curl, 2),
            None if not (seq and curl) else seq <= 1.5 * curl,
        ),
        goal(
            "postie run faster than Hurl",
            None if not (seq and hurl) else round(hurl / seq, 2),
            None if not (seq and hurl) else seq < hurl,
        ),
        goal(
            "postie run over 100x faster than newman",
            None if not (seq and newman) else round(newman / seq, 1),
            None if not (seq and newman) else newman / seq > 100,
        ),
        goal(
            "postie run peak memory under 30 MiB (the issue's goal: sequential)",
            None if peak is None else round(peak, 1),
            None if peak is None else peak < 30,
        ),
        goal(
            "postie run --parallel 4 peak memory under 30 MiB (stricter than the issue)",
            None if peak_par is None else round(peak_par, 1),
            None if peak_par is None else peak_par < 30,
        ),
        goal(
            "postie run --parallel 4 faster than curl's sequential floor",
            None if not (par and curl) else round(par / curl, 2),
            None if not (par and curl) else par < curl,
        ),
        goal(
            "script cost under 1 ms per request",
            None if script_ms is None else round(script_ms, 3),
            None if script_ms is None else script_ms < 1.0,
        ),
    ]
    print()
    if script_ms is not None:
        print(
            "postie's script cost: (%.3f s - %.3f s) / %d requests = %.3f ms per request (%s)"
            % (seq, plain, requests, script_ms, meta.get("noscripts_how", ""))
        )
    print("goals of issue 10:")
    for g in goals:
        mark = {True: "holds ", False: "MISSED", None: "n/a   "}[g["holds"]]
        print("  [%s] %s (%s)" % (mark, g["goal"], "-" if g["value"] is None else g["value"]))
    print()
    print("indicative figures: %s" % meta.get("conditions", ""))

    report = {
        "requests": requests,
        "iterations": meta.get("iterations"),
        "tools": {name: tools[name] for name in order},
        "script_cost_ms_per_request": script_ms,
        "goals": goals,
        "meta": meta,
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print("written: %s" % out)


if __name__ == "__main__":
    main()
