#!/usr/bin/env python3
"""Compares newman's and postie's JSON reports of one collection run, test outcome by test
outcome, and appends the verdict to RESULTS (JSON lines) for summary.py.

An execution is matched by (iteration, the request's position in the run's order, how many
times that position already ran in the iteration: setNextRequest can run it again); a test
inside it by (name, occurrence), then the tests only one side has are paired in order
(names with random values differ from run to run). Outcomes: passed, failed, skipped; a request error and a script error count as outcomes of their own
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
    """{key: {(test, j): outcome}}, {key: request error}, {key: request name}; key =
    (iteration, position of the request in the run's order, how many times it already ran)."""
    out, errors, names = {}, {}, {}
    seen, refs = Counter(), set()
    for ex in run.get("executions") or []:
        cursor = ex.get("cursor") or {}
        # newman lists an execution once more for every further request of the same item
        # (a digest auth's second try, each pm.sendRequest): the same object, same cursor.ref.
        ref = cursor.get("ref")
        if ref is not None:
            if ref in refs:
                continue
            refs.add(ref)
        name = (ex.get("item") or {}).get("name")
        it, pos = cursor.get("iteration", 0), cursor.get("position", 0)
        k = seen[(it, pos)]
        seen[(it, pos)] += 1
        names[(it, pos, k)] = name
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
            errors[(it, pos, k)] = message
            put("(request error)", "error")
        out[(it, pos, k)] = tests
    return out, errors, names


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
        n, n_errors, n_names = outcomes(newman)
        p, p_errors, p_names = outcomes(postie)
        row["newman_tests"] = sum(1 for t in n.values() for (name, _) in t if not name.startswith("("))
        row["postie_tests"] = sum(1 for t in p.values() for (name, _) in t if not name.startswith("("))
        # Executions whose request could not reach its host from here, on newman's side (a
        # host postie alone cannot reach is postie's problem).
        net = {k for k, e in n_errors.items() if NETWORK.search(e)}
        row["network_errors"] = sorted({short(e, 60) for e in n_errors.values() if NETWORK.search(e)})
        agree, total, paired, diffs, net_diffs = 0, 0, 0, [], []
        # Executions in newman's order, then any only postie ran.
        for key in list(n) + [k for k in p if k not in n]:
            it, _, k = key
            name = n_names.get(key) or p_names.get(key) or "(unnamed)"
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
            if n_names[key] is not None and n_names[key] != p_names[key]:
                sink.append('%s: request named "%s" by postie' % (where, short(p_names[key], 60)))
            # Tests whose names hold random values (`Correct GUID: <uuid>`) differ run to run:
            # what each side alone has is paired in order before it counts as absent.
            n_only = [t for t in nt if t not in pt and not t[0].startswith("(")]
            p_only = [t for t in pt if t not in nt and not t[0].startswith("(")]
            pairs = [(t, t) for t in nt if t in pt or t[0].startswith("(")] + list(zip(n_only, p_only))
            paired += min(len(n_only), len(p_only))
            pairs += [(t, None) for t in n_only[len(p_only) :]] + [(None, t) for t in p_only[len(n_only) :]]
            pairs += [(None, t) for t in pt if t not in nt and t[0].startswith("(")]
            for tn, tp in pairs:
                total += 1
                a, b = nt.get(tn), pt.get(tp)
                same = a == b or (a and b and a.startswith("error") and b.startswith("error"))
                if same:
                    agree += 1
                else:
                    label = (tn or tp)[0] if tn == tp or not (tn and tp) else "%s / %s" % (tn[0], tp[0])
                    sink.append('%s: "%s" newman %s, postie %s' % (where, short(label, 60), a or "absent", b or "absent"))
        row.update(
            agree=agree, outcomes=total, paired_by_order=paired, disagreements=diffs + net_diffs, network_requests=len(net)
        )
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
