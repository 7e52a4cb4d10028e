#!/usr/bin/env python3
"""Writes the inputs of benches/run.sh into DIR for a server on 127.0.0.1:PORT.

  nginx.conf                   20 JSON endpoints /api/step/N (pid, logs, temp paths in DIR)
  chain.postman_collection.json  the 20 requests, each with 3 pm.tests and a chained variable
  plain.postman_collection.json  the same requests without scripts, tokens written out
  chain.hurl                   the same requests with asserts and captures (one iteration)
  curl.cfg                     ITERATIONS x 20 URLs for one curl process (no checks)

Step N answers {"id": N, "token": "tN-...", "received": <token query param>, ...}; request
N+1 sends step N's token in its query and its test asserts the server received it, so a
run whose variable chaining broke fails its tests instead of passing quietly.

Usage: gen.py DIR PORT ITERATIONS
"""

import hashlib
import json
import os
import sys

STEPS = 20
START = "start"


def token(n):
    return "t%d-%s" % (n, hashlib.sha1(b"postie-bench-%d" % n).hexdigest()[:8])


def received_for(n):
    """The token request n sends in iteration 1 (the initial value for step 1)."""
    return START if n == 1 else token(n - 1)


def body(n):
    # nginx interpolates $arg_token (the query parameter as sent) into the reply.
    return json.dumps(
        {
            "id": n,
            "name": "step %d" % n,
            "token": token(n),
            "next": n % STEPS + 1,
            "items": [n, n * 2, n * 3],
            "ok": True,
            "received": "$arg_token",
        },
        separators=(",", ":"),
    )


def nginx_conf(d, port, extra=""):
    """nginx's config: the 20 steps, then `extra` location lines (benches/perf.sh adds its files)."""
    user = ""
    if os.geteuid() == 0:
        # Run as root, nginx would hand its worker to `nobody`; keep the current user.
        import grp
        import pwd

        user = "user %s %s;" % (pwd.getpwuid(0).pw_name, grp.getgrgid(os.getegid()).gr_name)
    locations = "\n".join(
        "    location = /api/step/%d { return 200 '%s'; }" % (n, body(n)) for n in range(1, STEPS + 1)
    )
    return f"""{user}
daemon on;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  default_type application/json;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {{
    listen 127.0.0.1:{port};
{locations}
{extra}
    location / {{ return 404 '{{"error":"not found"}}'; }}
  }}
}}
"""


def test_script(n):
    lines = [
        'pm.test("status is 200", function () {',
        "    pm.response.to.have.status(200);",
        "});",
        "const body = pm.response.json();",
        'pm.test("step %d answers", function () {' % n,
        "    pm.expect(body.id).to.eql(%d);" % n,
        "    pm.expect(body.ok).to.be.true;",
        "    pm.expect(body.items).to.have.lengthOf(3);",
        "});",
    ]
    if n > 1:
        # Step 1 receives step 20's token from the previous iteration (or the initial value).
        lines += [
            'pm.test("token chained", function () {',
            '    pm.expect(body.received).to.eql("%s");' % token(n - 1),
            "});",
        ]
    lines.append('pm.collectionVariables.set("token", body.token);')
    return lines


def collection(name, port, scripted):
    items = []
    for n in range(1, STEPS + 1):
        tok = "{{token}}" if scripted else received_for(n)
        item = {
            "name": "step %d" % n,
            "request": {
                "method": "GET",
                "header": [{"key": "Accept", "value": "application/json"}],
                "url": {
                    "raw": "{{base}}/api/step/%d?token=%s" % (n, tok),
                    "host": ["{{base}}"],
                    "path": ["api", "step", str(n)],
                    "query": [{"key": "token", "value": tok}],
                },
            },
        }
        if scripted:
            item["event"] = [{"listen": "test", "script": {"type": "text/javascript", "exec": test_script(n)}}]
        items.append(item)
    return {
        "info": {
            "name": name,
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
        "variable": [
            {"key": "base", "value": "http://127.0.0.1:%d" % port},
            {"key": "token", "value": START},
        ],
    }


def hurl_file(port):
    out = []
    for n in range(1, STEPS + 1):
        out.append("GET http://127.0.0.1:%d/api/step/%d?token={{token}}" % (port, n))
        out.append("Accept: application/json")
        out.append("HTTP 200")
        out.append("[Captures]")
        out.append('token: jsonpath "$.token"')
        out.append("[Asserts]")
        out.append('jsonpath "$.id" == %d' % n)
        out.append('jsonpath "$.ok" == true')
        out.append('jsonpath "$.items" count == 3')
        if n > 1:
            out.append('jsonpath "$.received" == "%s"' % token(n - 1))
        out.append("")
    return "\n".join(out)


def curl_config(port, iterations):
    out = []
    for i in range(iterations):
        for n in range(1, STEPS + 1):
            tok = START if (n == 1 and i == 0) else (token(STEPS) if n == 1 else token(n - 1))
            out.append('url = "http://127.0.0.1:%d/api/step/%d?token=%s"' % (port, n, tok))
            out.append('output = "/dev/null"')
    return "\n".join(out) + "\n"


def main():
    d, port, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    files = {
        "nginx.conf": nginx_conf(d, port),
        "chain.postman_collection.json": json.dumps(collection("postie bench: 20 chained steps", port, True), indent=2),
        "plain.postman_collection.json": json.dumps(collection("postie bench: 20 steps, no scripts", port, False), indent=2),
        "chain.hurl": hurl_file(port),
        "curl.cfg": curl_config(port, iterations),
    }
    for name, text in files.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
