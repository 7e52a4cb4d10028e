#!/usr/bin/env python3
"""Compares newman's and postie's JSON reports of one collection run, test outcome by test
outcome, and appends the verdict to RESULTS (JSON lines) for summary.py.

An execution is matched by (iteration, request name, how many times that name already ran
in the iteration); a test inside it by (name, occurrence). Outcomes: passed, failed,
skipped; a request error and a script error count as outcomes of their own
("(request error)", "(test-script error)", "(prerequest-script error)"), and so is the
response's status ("(response)").

Usage: compare.py PLAN_LINE_JSON NEWMAN.json NEWMAN_EXIT POSTIE.json POSTIE_EXIT RESULTS
"""

import json
import re
import sys
from collections import Counter

# How a request error reads when the host needs an outside network (DNS, connect, TLS).
NETWORK = re.compile(
    r"ENOTFOUND|EAI_AGAIN|getaddrinfo|ENETUNREACH|EHOSTUNREACH|resolve|lookup|dns|certificate"
    r"|unreachable",
    re.I,
)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["run"], None
    except FileNotFoundError:
        return None, "no report"
    except (OSError, ValueError, KeyError, TypeError) as e:
        return None, "unreadable report: %s" % e


def outcomes(run):
    """{(iteration, name, k): {(test, j): outcome}} and {(iteration, name, k): request error}."""
    out, errors = {}, {}
    seen = Counter()
    for ex in run.get("executions") or []:
        cursor = ex.get("cursor") or {}
        name = (ex.get("item") or {}).get("name", "?")
        it = cursor.get("iteration", 0)
        k = seen[(it, name)]
        seen[(it, name)] += 1
        tests, count = {}, Counter()

        def put(test, outcome):
            j = count[test]
            count[test] += 1
            tests[(test, j)] = outcome

        # Which requests ran, and how they were answered, are outcomes too (a collection
        # without assertions is still compared).
        response = ex.get("response") if isinstance(ex.get("response"), dict) else None
        put("(response)", "status %s" % response.get("code") if response else "no response")
        for a in ex.get("assertions") or []:
            if a.get("skipped"):
                outcome = "skipped"
            elif a.get("error"):
                outcome = "failed"
            else:
                outcome = "passed"
            put(a.get("assertion", "?"), outcome)
        for key, label in (("prerequestScript", "(prerequest-script error)"), ("testScript", "(test-script error)")):
            for s in ex.get(key) or []:
                if isinstance(s, dict) and s.get("error"):
                    put(label, "error: %s" % short((s["error"] or {}).get("message", "")))
        if ex.get("requestError"):
            err = ex["requestError"] if isinstance(ex["requestError"], dict) else {"message": ex["requestError"]}
            # newman's carries Node's code and syscall (ENOTFOUND, getaddrinfo), postie's a message.
            message = " ".join(str(err[k]) for k in ("code", "syscall", "hostname", "message") if err.get(k))
            errors[(it, name, k)] = message
            put("(request error)", "error")
        out[(it, name, k)] = tests
    return out, errors


def short(text, n=80):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def main():
    plan = json.loads(sys.argv[1])
    newman, n_err = load(sys.argv[2])
    n_exit = int(sys.argv[3])
    postie, p_err = load(sys.argv[4])
    p_exit = int(sys.argv[5])
    results = sys.argv[6]

    row = {
        "collection": plan["collection"],
        "outside_hosts": plan["outside_hosts"],
        "expected": plan.get("expected"),
        "newman_exit": n_exit,
        "postie_exit": p_exit,
        "newman_tests": None,
        "postie_tests": None,
        "agree": 0,
        "outcomes": 0,
        "disagreements": [],
        "network_errors": [],
    }
    if newman is None or postie is None:
        row["status"] = "error"
        row["disagreements"] = [
            "newman: %s (exit %d)" % (n_err, n_exit) if newman is None else "",
            "postie: %s (exit %d)" % (p_err, p_exit) if postie is None else "",
        ]
        row["disagreements"] = [d for d in row["disagreements"] if d]
        if newman is None and postie is None:
            row["status"] = "both failed"
    else:
        n, n_errors = outcomes(newman)
        p, p_errors = outcomes(postie)
        row["newman_tests"] = sum(1 for t in n.values() for (name, _) in t if not name.startswith("("))
        row["postie_tests"] = sum(1 for t in p.values() for (name, _) in t if not name.startswith("("))
        # Executions whose request needed an outside network on newman's side (or postie's).
        net = {k for errs in (n_errors, p_errors) for k, e in errs.items() if NETWORK.search(e)}
        row["network_errors"] = sorted({short(e, 60) for errs in (n_errors, p_errors) for e in errs.values() if NETWORK.search(e)})
        agree, total, diffs, net_diffs = 0, 0, [], []
        # Executions in newman's order, then any only postie ran.
        for key in list(n) + [k for k in p if k not in n]:
            it, name, k = key
            where = "iteration %d, %s%s" % (it + 1, name, "" if k == 0 else " (run %d)" % (k + 1))
            sink = net_diffs if key in net else diffs
            if key not in n:
                sink.append("%s: ran by postie only (%d outcomes)" % (where, len(p[key])))
                total += len(p[key])
                continue
            if key not in p:
                sink.append("%s: ran by newman only (%d outcomes)" % (where, len(n[key])))
                total += len(n[key])
                continue
            nt, pt = n[key], p[key]
            for tk in list(nt) + [t for t in pt if t not in nt]:
                total += 1
                a, b = nt.get(tk), pt.get(tk)
                same = a == b or (a and b and a.startswith("error") and b.startswith("error"))
                if same:
                    agree += 1
                else:
                    sink.append('%s: "%s" newman %s, postie %s' % (where, short(tk[0], 60), a or "absent", b or "absent"))
        row.update(agree=agree, outcomes=total, disagreements=diffs + net_diffs, network_requests=len(net))
        if diffs:
            row["status"] = "DIFFER"
        elif net_diffs:
            row["status"] = "needs network"
        else:
            row["status"] = "agree"
        if (n_exit == 0) != (p_exit == 0):
            row["disagreements"].append("exit codes differ: newman %d, postie %d" % (n_exit, p_exit))
            if row["status"] == "agree":
                row["status"] = "DIFFER"
    with open(results, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
