#!/usr/bin/env python3
"""Prints benches/newman-compare.sh's table from RESULTS (JSON lines from compare.py) and
writes it as JSON to OUT.

Usage: summary.py RESULTS OUT SHOW
SHOW: how many disagreements to print per collection.
"""

import json
import os
import re
import sys

# Control, escape and bidi characters from names and messages are shown escaped, as
# postie::safe_text does, so a report cannot drive the terminal.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text):
    return UNSAFE.sub(lambda m: "\\u{%x}" % ord(m.group()), str(text))


def main():
    results, out, show = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rows = []
    with open(results, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))

    def cell(v):
        return "-" if v is None else str(v)

    table = [("collection", "tests newman", "tests postie", "agree", "verdict")]
    for r in rows:
        agree = "%d/%d" % (r["agree"], r["outcomes"]) if r["outcomes"] else "-"
        if r.get("paired_by_order"):
            agree += " (%d by order)" % r["paired_by_order"]
        table.append((r["collection"], cell(r["newman_tests"]), cell(r["postie_tests"]), agree, r["status"]))
    widths = [max(len(t[i]) for t in table) for i in range(5)]
    print()
    for i, t in enumerate(table):
        print("  ".join([safe(t[0]).ljust(widths[0])] + [c.rjust(w) for c, w in zip(t[1:4], widths[1:4])] + [t[4]]))
        r = rows[i - 1] if i else None
        if r and r["disagreements"]:
            for d in r["disagreements"][:show]:
                print("    - " + safe(d))
            if len(r["disagreements"]) > show:
                print("    - ... %d more" % (len(r["disagreements"]) - show))

    agree = [r for r in rows if r["status"] == "agree"]
    network = [r for r in rows if r["status"] == "needs network"]
    differ = [r for r in rows if r["status"] not in ("agree", "needs network")]
    print()
    print("%d of %d collections agree completely" % (len(agree), len(rows)))
    if network:
        print("need outside hosts (not reachable here; disagreements only in those requests):")
        for r in network:
            hosts = ", ".join(r["outside_hosts"]) or "; ".join(r["network_errors"])
            print("  %s (%s)" % (r["collection"], hosts))
    touching = [r for r in agree if r.get("network_requests")]
    if touching:
        print("agree, though some requests needed outside hosts and failed on both sides:")
        for r in touching:
            print("  %s (%s)" % (r["collection"], ", ".join(r["outside_hosts"]) or "; ".join(r["network_errors"])))
    if differ:
        print("disagree: %s" % ", ".join(r["collection"] for r in differ))

    summary = {
        "collections": len(rows),
        "agree": len(agree),
        "needs_network": [r["collection"] for r in network],
        "disagree": [r["collection"] for r in differ],
        "rows": rows,
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("written: %s" % out)


if __name__ == "__main__":
    main()
