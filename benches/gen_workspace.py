#!/usr/bin/env python3
"""Generates a big postie workspace for benchmarks: N requests in F folders
(default 10,000 in 1,000) across a few collections, in canonical form.

Usage: benches/gen_workspace.py DIR [--requests N] [--folders F]
"""
import argparse, json, os

def dump(path, obj):
    with open(path, "w") as f:
        f.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--folders", type=int, default=1_000)
    ap.add_argument("--collections", type=int, default=10)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    dump(os.path.join(a.dir, "postie.json"), {"format": 1, "name": "big"})
    os.makedirs(os.path.join(a.dir, "environments"), exist_ok=True)
    dump(os.path.join(a.dir, "environments", "local.json"), {"variables": {"base_url": "http://127.0.0.1:8080"}})
    per_folder = max(1, a.requests // a.folders)
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    n = 0
    for c in range(a.collections):
        cdir = os.path.join(a.dir, f"service-{c:02}")
        os.makedirs(cdir, exist_ok=True)
        dump(os.path.join(cdir, "collection.json"), {"name": f"Service {c}", "variables": {"svc": f"s{c}"}})
        for f in range(a.folders // a.collections):
            fdir = os.path.join(cdir, f"resource-{f:03}")
            os.makedirs(fdir, exist_ok=True)
            for r in range(per_folder):
                m = methods[(n + r) % len(methods)]
                req = {"name": f"{m} resource {f} item {r}", "method": m,
                       "url": "{{base_url}}/{{svc}}/resource-%d/%d" % (f, r),
                       "headers": [{"name": "Accept", "value": "application/json"}]}
                if m in ("POST", "PUT", "PATCH"):
                    req["body"] = {"type": "json"}
                    with open(os.path.join(fdir, f"item-{r}.body.json"), "w") as b:
                        b.write('{\n  "id": %d,\n  "name": "item %d"\n}\n' % (r, r))
                dump(os.path.join(fdir, f"item-{r}.json"), req)
                n += 1
    print(f"{n} requests in {a.folders} folders under {a.dir}")

if __name__ == "__main__":
    main()
