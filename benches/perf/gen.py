#!/usr/bin/env python3
"""Writes the inputs of benches/perf.sh.

  gen.py big PATH
      a 50 MB JSON file: an array of product records (valid JSON, real-looking, the same bytes
      every time). The first record's sku, PST-000001, is the word the app benchmark waits for.

  gen.py files DIR PORT BIG
      DIR/nginx.conf       benches/run/gen.py's 20 /api/step/N endpoints, plus /small.json
                           (one order, about 1 KB) and /big.json (the file BIG), for 127.0.0.1:PORT
      DIR/www/             what nginx serves
      DIR/postie-small/    a postie workspace: the collection "Warehouse" of REQUESTS
      DIR/postie-big/      a postie workspace of one request, GET /big.json
      DIR/atac/            the same collection for ATAC (its JSON collection file)
      DIR/atac-big/        ATAC: one request, GET /big.json
      DIR/slumber/         the same collection for Slumber (slumber.yml)
      DIR/slumber-big/     Slumber: one request, GET /big.json

The three apps get the same requests with the same names, so the same word can be waited for.
"""

import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "run"))
import gen as run_gen  # noqa: E402  (benches/run/gen.py: the shared nginx config)

BIG_BYTES = 50 * 1000 * 1000
FIRST_SKU = "PST-000001"

# The comparable small collection, "Warehouse": request name, path.
REQUESTS = [("Inventory", "/small.json"), ("Catalogue", "/big.json")] + [
    ("Step %d" % n, "/api/step/%d?token=start" % n) for n in range(1, 6)
]
COLLECTION = "Warehouse"

WORDS = (
    "oak walnut steel linen wool cotton brass copper ceramic glass bamboo leather cedar "
    "maple granite marble slate canvas hemp cork"
).split()
THINGS = "lamp chair table shelf rug mug bowl vase stool desk bench crate basket clock mirror".split()
CITIES = "Lyon Porto Ghent Bergen Tartu Brno Graz Split Cork Turku Malmo Bilbao".split()


def product(i, rng):
    material, thing = rng.choice(WORDS), rng.choice(THINGS)
    return {
        "sku": "PST-%06d" % i,
        "name": "%s %s" % (material.capitalize(), thing),
        "description": "A %s %s made in %s, %d cm." % (material, thing, rng.choice(CITIES), rng.randint(20, 220)),
        "price": {"amount": round(rng.uniform(4, 900), 2), "currency": rng.choice(["EUR", "USD", "GBP"])},
        "stock": rng.randint(0, 500),
        "tags": rng.sample(WORDS, 3),
        "rating": round(rng.uniform(1, 5), 1),
        "active": rng.random() > 0.1,
        "updated": "2025-%02d-%02dT%02d:%02d:00Z"
        % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)),
    }


def write_big(path):
    rng = random.Random(13)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("[\n")
        size, i = 2, 0
        while True:
            i += 1
            line = json.dumps(product(i, rng), separators=(",", ":"))
            if size + len(line) + 3 > BIG_BYTES:
                break
            f.write(("," if i > 1 else "") + line + "\n")
            size += len(line) + (2 if i > 1 else 1)
        f.write("]\n")
    os.replace(tmp, path)


def small_body():
    rng = random.Random(7)
    return {
        "order": "ORD-20250311-0042",
        "customer": {"id": 1042, "name": "Ines Duarte", "email": "ines.duarte@example.com", "city": "Porto"},
        "items": [product(i, rng) for i in range(1, 4)],
        "total": {"amount": 214.9, "currency": "EUR"},
        "status": "shipped",
    }


def dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, indent=2) + "\n")


def slug(name):
    return name.lower().replace(" ", "-")


def postie_workspace(d, base, requests):
    # The workspace's name is not the collection's: the header must not show the awaited word.
    dump(os.path.join(d, "postie.json"), {"format": 1, "name": "Bench"})
    cdir = os.path.join(d, slug(COLLECTION))
    dump(os.path.join(cdir, "collection.json"), {"name": COLLECTION, "order": [slug(n) for n, _ in requests]})
    for name, path in requests:
        dump(os.path.join(cdir, slug(name) + ".json"), {"name": name, "method": "GET", "url": base + path})


def atac_collection(base, entries):
    # ATAC's collection file (one JSON file per collection in the directory given with
    # `atac --directory`), with the fields and defaults ATAC 0.24 writes itself.
    requests = []
    for name, path in entries:
        requests.append(
            {
                "name": name,
                "url": base + path,
                "params": [],
                "headers": [],
                "auth": "no_auth",
                "scripts": {"pre_request_script": None, "post_request_script": None},
                "settings": {
                    "use_config_proxy": True,
                    "allow_redirects": True,
                    "timeout": 30000,
                    "store_received_cookies": True,
                    "pretty_print_response_content": True,
                    "accept_invalid_certs": False,
                    "accept_invalid_hostnames": False,
                },
                "protocol": {"type": "http", "method": "GET", "body": "no_body"},
            }
        )
    return {"name": COLLECTION, "last_position": 0, "requests": requests}


def slumber_collection(base, entries):
    # Slumber 5's slumber.yml: request recipes keyed by id, in the working directory.
    out = ["# The same requests as postie's and ATAC's benchmark collection", "name: %s" % COLLECTION, "requests:"]
    for name, path in entries:
        out.append("  %s:" % slug(name).replace("-", "_"))
        out.append("    name: %s" % json.dumps(name))
        out.append("    method: GET")
        out.append("    url: %s" % json.dumps(base + path))
    return "\n".join(out) + "\n"


def write_files(d, port, big):
    base = "http://127.0.0.1:%d" % port
    www = os.path.join(d, "www")
    os.makedirs(www, exist_ok=True)
    with open(os.path.join(www, "small.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(small_body(), indent=2) + "\n")
    link = os.path.join(www, "big.json")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.abspath(big), link)
    extra = "\n".join(
        "    location = /%s { root %s; sendfile on; }" % (name, www) for name in ("small.json", "big.json")
    )
    with open(os.path.join(d, "nginx.conf"), "w", encoding="utf-8") as f:
        f.write(run_gen.nginx_conf(d, port, extra))
    postie_workspace(os.path.join(d, "postie-small"), base, REQUESTS)
    postie_workspace(os.path.join(d, "postie-big"), base, [("Catalogue", "/big.json")])
    for sub, reqs in (("atac", REQUESTS), ("atac-big", [("Catalogue", "/big.json")])):
        dump(os.path.join(d, sub, COLLECTION + ".json"), atac_collection(base, reqs))
    for sub, reqs in (("slumber", REQUESTS), ("slumber-big", [("Catalogue", "/big.json")])):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
        with open(os.path.join(d, sub, "slumber.yml"), "w", encoding="utf-8") as f:
            f.write(slumber_collection(base, reqs))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "big":
        write_big(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "files":
        write_files(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
