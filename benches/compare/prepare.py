#!/usr/bin/env python3
"""Prepares benches/newman-compare.sh's runs.

Copies CORPUS/postman and CORPUS/postman-env into WORK/tree with hosts rewritten to the
local `postie echo` (each file keeps its encoding and BOM: UTF-8, UTF-8 with BOM, UTF-16),
links WORK/wd/test/integration to the copied newman fixtures (their file uploads name
paths relative to newman's repository root, where newman's own runner starts), and writes
WORK/plan.jsonl: one line per scripted collection with the options EXPECTED.json gives it.

Usage: prepare.py CORPUS WORK ECHO_PORT RAW_PORT REDIRECT_PORT
"""

import codecs
import json
import os
import re
import shutil
import sys
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "127.1", ""}


def decode(raw):
    """(text, encoding, bom) or None for bytes that are not text."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(enc), enc, bom
            except UnicodeDecodeError:
                return None
    try:
        return raw.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        return None


def rewriter(echo, raw, redirect):
    local = "127.0.0.1:%d" % echo
    rules = [
        # scheme and userinfo kept apart: https://user:pw@postman-echo.com -> http://user:pw@127.0.0.1:P
        # ("https:\\\\host" in JSON text is a URL written with backslashes, kept as written)
        (
            re.compile(r"https?:(//|(?:\\\\){2})((?:[^/\\\s\"'@]*@)*)(?:www\.)?postman-echo\.com"),
            lambda m: "http:%s%s%s" % (m.group(1), m.group(2), local),
        ),
        (re.compile(r"(www\.)?postman-echo\.com"), lambda m: local),
        (re.compile(r"https://\{\{"), lambda m: "http://{{"),
        (re.compile(r"\b(localhost|127\.0\.0\.1|127\.1):4041\b"), lambda m: "%s:%d" % (m.group(1), raw)),
        (re.compile(r"\b(localhost|127\.0\.0\.1|127\.1):4042\b"), lambda m: "%s:%d" % (m.group(1), redirect)),
    ]

    def apply(text):
        for pattern, repl in rules:
            text = pattern.sub(repl, text)
        return text

    return apply


def url_fixer(echo, raw, redirect):
    """Rewrites URL objects ({"protocol", "host": [...], "port", ...}): newman builds the
    request from these fields and ignores "raw" when they are there."""
    ports = {"4041": str(raw), "4042": str(redirect)}

    def fix(o):
        changed = False
        if isinstance(o, dict):
            host = o.get("host")
            if isinstance(host, (list, str)) and ("raw" in o or "path" in o or "protocol" in o):
                joined = ".".join(host) if isinstance(host, list) else host
                if re.fullmatch(r"(www\.)?postman-echo\.com", joined):
                    o["host"] = ["127", "0", "0", "1"] if isinstance(host, list) else "127.0.0.1"
                    o["port"] = str(echo)
                    o["protocol"] = "http"
                    changed = True
                elif joined in LOCAL_HOSTS and str(o.get("port")) in ports:
                    o["port"] = ports[str(o["port"])]
                    changed = True
                elif joined.startswith("{{") and o.get("protocol") == "https":
                    o["protocol"] = "http"
                    changed = True
            for v in o.values():
                changed = fix(v) or changed
        elif isinstance(o, list):
            for v in o:
                changed = fix(v) or changed
        return changed

    return fix


def copy_tree(src, dst, rewrite, fix_urls):
    for root, _, files in os.walk(src):
        out_dir = os.path.join(dst, os.path.relpath(root, src))
        os.makedirs(out_dir, exist_ok=True)
        for name in files:
            s, d = os.path.join(root, name), os.path.join(out_dir, name)
            with open(s, "rb") as f:
                raw = f.read()
            decoded = decode(raw)
            if decoded is None:
                shutil.copyfile(s, d)
                continue
            text, enc, bom = decoded
            text = rewrite(text)
            if name.endswith(".json"):
                try:
                    doc = json.loads(text)
                except ValueError:
                    doc = None
                if doc is not None and fix_urls(doc):
                    text = json.dumps(doc, indent=2, ensure_ascii=False)
            with open(d, "wb") as f:
                f.write(bom + text.encode(enc))


def load_json(path):
    with open(path, "rb") as f:
        decoded = decode(f.read())
    if decoded is None:
        raise ValueError("not text")
    return json.loads(decoded[0])


def has_script(o):
    """An "event" with a non-empty script (or a v1 collection's tests/preRequestScript)."""
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "event" and isinstance(v, (list, dict)):
                for e in v if isinstance(v, list) else [v]:  # newman takes a lone event too
                    script = e.get("script") if isinstance(e, dict) else None
                    lines = script.get("exec") if isinstance(script, dict) else None
                    if isinstance(lines, str):
                        lines = [lines]
                    if isinstance(lines, list) and any(str(x).strip() for x in lines):
                        return True
            if k in ("tests", "preRequestScript") and isinstance(v, str) and v.strip():
                return True
            if has_script(v):
                return True
    elif isinstance(o, list):
        return any(has_script(x) for x in o)
    return False


def request_urls(o, out):
    """Every request URL of a collection (v2 items, v1 requests) and pm.sendRequest literals."""
    if isinstance(o, dict):
        url = None
        if isinstance(o.get("request"), dict):
            url = o["request"].get("url")
        elif isinstance(o.get("request"), str):
            url = o["request"]
        elif "method" in o and "url" in o:
            url = o["url"]
        if isinstance(url, dict):
            host = url.get("host")
            if host:  # newman builds the URL from the fields when they are there
                url = ".".join(host) if isinstance(host, list) else str(host)
            else:
                url = url.get("raw")
        if isinstance(url, str):
            out.append(url)
        for k, v in o.items():
            if k == "exec" and isinstance(v, list):
                text = "\n".join(str(x) for x in v)
                out.extend(re.findall(r"sendRequest\(\s*['\"]([^'\"]+)", text))
            else:
                request_urls(v, out)
    elif isinstance(o, list):
        for x in o:
            request_urls(x, out)
    return out


def outside_hosts(collection):
    hosts = set()
    for url in request_urls(collection, []):
        if "{{" in url.split("/")[0] or url.startswith("{{"):
            continue  # a variable host: only the run tells
        if "://" not in url:
            url = "http://" + url
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        # (whatwg-url's odd URLs have hosts such as "https" or blanks: names only)
        if host not in LOCAL_HOSTS and re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", host):
            hosts.add(host)
    return sorted(hosts)


FLAGS = {
    "insecure": ("-k", False),
    "ignoreRedirects": ("--ignore-redirects", False),
    "timeout": ("--timeout", True),
    "timeoutRequest": ("--timeout-request", True),
    "timeoutScript": ("--timeout-script", True),
}


def main():
    corpus, work = sys.argv[1], sys.argv[2]
    echo, raw, redirect = (int(x) for x in sys.argv[3:6])
    tree = os.path.join(work, "tree")
    rewrite = rewriter(echo, raw, redirect)
    for part in ("postman", "postman-env"):
        if os.path.isdir(os.path.join(corpus, part)):
            copy_tree(os.path.join(corpus, part), os.path.join(tree, part), rewrite, url_fixer(echo, raw, redirect))
    wd = os.path.join(work, "wd")
    os.makedirs(os.path.join(wd, "test"), exist_ok=True)
    fixtures = os.path.join(tree, "postman", "newman", "integration")
    if os.path.isdir(fixtures):
        os.symlink(fixtures, os.path.join(wd, "test", "integration"))

    expected = {}
    try:
        for run in load_json(os.path.join(corpus, "postman", "EXPECTED.json")).get("runs", []):
            expected[run["collection"]] = run
    except (OSError, ValueError) as e:
        print("EXPECTED.json not read (%s): collections run without options" % e, file=sys.stderr)

    plan = []
    for root, dirs, files in os.walk(os.path.join(tree, "postman")):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, tree)
            if not name.endswith(".json") or name == "EXPECTED.json":
                continue
            try:
                doc = load_json(path)
            except (OSError, ValueError):
                continue
            if not has_script(doc):
                continue
            entry = expected.get(rel, {})
            args, notes = [], []
            for key, flag in (("environment", "-e"), ("globals", "-g"), ("iteration_data", "-d")):
                if entry.get(key):
                    args += [flag, os.path.join(tree, entry[key])]
            run = (entry.get("run_config_content") or {}).get("run") or {}
            for key, value in run.items():
                if key not in FLAGS:
                    notes.append("run option %s not passed" % key)
                    continue
                flag, takes_value = FLAGS[key]
                if takes_value:
                    args += [flag, str(value)]
                elif value:
                    args.append(flag)
            plan.append(
                {
                    "collection": rel,
                    "path": path,
                    "args": args,
                    "outside_hosts": outside_hosts(doc),
                    "expected": entry.get("expected"),
                    "notes": notes,
                }
            )
    with open(os.path.join(work, "plan.jsonl"), "w", encoding="utf-8") as f:
        for p in plan:
            f.write(json.dumps(p) + "\n")
    print(len(plan))


if __name__ == "__main__":
    main()
