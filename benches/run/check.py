#!/usr/bin/env python3
"""Checks a newman-shaped JSON report (newman's or postie's) of a benchmark run, so the
benchmark never times a broken run: REQUESTS requests sent, ASSERTIONS assertions run
(0 for a run without scripts), no failures.

Usage: check.py REPORT.json REQUESTS ASSERTIONS LABEL
Prints one line; exits 1 when the report does not hold.
"""

import json
import sys


def main():
    path, requests, assertions, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    try:
        with open(path, encoding="utf-8") as f:
            run = json.load(f)["run"]
        stats = run["stats"]
        got_requests = stats["requests"]["total"]
        got_assertions = stats["assertions"]["total"]
        failed = sum(v.get("failed", 0) for v in stats.values() if isinstance(v, dict))
        failures = len(run.get("failures") or [])
    except (OSError, ValueError, KeyError, TypeError) as e:
        print("%s: cannot read the JSON report %s: %s" % (label, path, e))
        sys.exit(1)
    problems = []
    if got_requests != requests:
        problems.append("%d requests, expected %d" % (got_requests, requests))
    if got_assertions != assertions:
        problems.append("%d assertions, expected %d" % (got_assertions, assertions))
    if failed or failures:
        problems.append("%d failed, %d failures listed" % (failed, failures))
    if problems:
        print("%s: report does not hold: %s" % (label, "; ".join(problems)))
        sys.exit(1)
    print("%s: ok (%d requests, %d assertions, 0 failures)" % (label, got_requests, got_assertions))


if __name__ == "__main__":
    main()
