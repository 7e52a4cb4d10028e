#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 600) seconds, one after
# another, one process each (the machine is shared), then prints a summary
# of execs and crashes. Opt-in: CI never runs it.
#
#   fuzz/run-all.sh                      # every target, 10 minutes each
#   FUZZ_SECONDS=180 fuzz/run-all.sh template data_file
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on stable Rust it sets
# RUSTC_BOOTSTRAP=1 for the nightly flags cargo-fuzz passes. Seeds come from
# the shared corpus (POSTIE_CORPUS, or ../shared/corpus beside the repo),
# copied into fuzz/corpus/<target> at run time and never committed.
set -u

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
seconds="${FUZZ_SECONDS:-600}"
# postie is safe Rust: panics, hangs and OOMs are what we hunt, and those
# need no sanitizer; without ASan each run is about twice as fast.
sanitizer="${FUZZ_SANITIZER:-none}"
all=(load_request template import_postman import_curl import_openapi import_http import_har import_tools data_file sanitizer)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

shared=""
for c in "${POSTIE_CORPUS:-}" "$repo/../shared/corpus" "$repo/../../shared/corpus"; do
    if [ -n "$c" ] && [ -d "$c" ]; then shared="$(cd "$c" && pwd)"; break; fi
done
[ -n "$shared" ] || echo "note: no shared corpus found; targets start from small inline seeds"

export RUSTC_BOOTSTRAP=1 CARGO_INCREMENTAL=0

# Copies files under 256 KiB matching find's arguments into $1 (big seeds
# only slow every run down).
seed_files() {
    local dest="$1"; shift
    [ -n "$shared" ] || return 0
    find "$shared" -type f -size -256k "$@" -print0 2>/dev/null |
        while IFS= read -r -d '' f; do
            cp "$f" "$dest/$(echo "$f" | sha1sum | cut -c1-16)-$(basename "$f")"
        done
}

seed() {
    local t="$1" dest="$here/corpus/$1"
    mkdir -p "$dest"
    case "$t" in
    load_request)
        # The first byte picks the file: 0 request, 1 collection, 2 environment, 3 postie.json.
        local i=0
        while IFS= read -r -d '' f; do
            local sel=0
            case "$(basename "$f")" in
            collection.json | folder.json) sel=1 ;;
            postie.json) sel=3 ;;
            esac
            case "$f" in */environments/*) sel=2 ;; esac
            { printf "\\x0$sel"; cat "$f"; } >"$dest/example-$i"
            i=$((i + 1))
        done < <(find "$repo/examples" -name '*.json' ! -name '*.body.json' ! -name '*.example.*' -print0)
        ;;
    template)
        printf '%s' 'http://{{host}}/{{ path }}/{{$randomInt}}?t={{$timestamp}}&e={{$env.HOME}}
host={{path}}
path={{host}}' >"$dest/cycle"
        printf '%s' '{{a}}{{{b}}}{{ }}{{$guid}}{{$isoTimestamp}}{{$randomEmail}}{{unclosed
a={{b}}{{b}}{{b}}
b={{c}}{{c}}
c=é{{a' >"$dest/mixed"
        ;;
    import_postman) seed_files "$dest" \( -path '*/postman/*' -o -path '*/postman-env/*' \) -name '*.json' ;;
    import_openapi) seed_files "$dest" -path '*/openapi/*' \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) ;;
    import_http) seed_files "$dest" -path '*/http/*' \( -name '*.http' -o -name '*.rest' -o -name '*env.json' \) ;;
    import_har) seed_files "$dest" -path '*/har/*' -name '*.har' ;;
    import_curl)
        if [ -n "$shared" ] && [ -f "$shared/curl/cases.jsonl" ]; then
            local n=0
            while IFS= read -r line; do
                printf '%s' "$line" | jq -j '.command' >"$dest/case-$n" 2>/dev/null || rm -f "$dest/case-$n"
                n=$((n + 1))
            done <"$shared/curl/cases.jsonl"
        fi
        ;;
    import_tools)
        printf '%s' '{"_type": "export", "__export_format": 4, "resources": [{"_id": "wrk_1", "_type": "workspace", "name": "W"}, {"_id": "req_1", "parentId": "wrk_1", "_type": "request", "name": "R", "method": "POST", "url": "{{ _.base }}/x", "body": {"mimeType": "application/json", "text": "{}"}}]}' >"$dest/insomnia"
        printf 'meta {\n  name: Echo\n  seq: 1\n}\n\npost {\n  url: {{baseUrl}}/anything\n  body: json\n  auth: bearer\n}\n\nauth:bearer {\n  token: t\n}\n\nbody:json {\n  {"who": "ada"}\n}\n' >"$dest/bruno"
        printf 'opencollection: 1.0.0\ninfo:\n  name: Shop\nbundled: true\nconfig:\n  environments:\n    - name: Dev\n      variables:\n        - name: token\n          secret: true\nitems:\n  - info:\n      name: Users\n      type: folder\n    items:\n      - info:\n          name: Login\n          type: http\n          seq: 1\n        http:\n          method: POST\n          url: "{{base}}/login"\n          body:\n            type: multipart-form\n            data:\n              - name: f\n                type: file\n                value: [a.txt, b.txt]\n          auth:\n            type: apikey\n            key: k\n            value: v\n            placement: query\n' >"$dest/opencollection"
        ;;
    data_file) seed_files "$dest" -path '*/postman/*' \( -name '*data*.csv' -o -name '*data*.json' -o -name '*.csv' \) ;;
    sanitizer)
        printf 'plain\n\ttab\x1b[31mred\x07\x7f\xc2\x9b\xe2\x80\xae\xef\xbb\xbf\xff\xfe' >"$dest/controls"
        ;;
    esac
}

summary=()
cd "$repo" || exit 1
cargo fuzz build -s "$sanitizer" || exit 1
mkdir -p "$here/logs"
for t in "${targets[@]}"; do
    seed "$t"
    before=$(find "$here/artifacts/$t" -type f 2>/dev/null | wc -l)
    log="$here/logs/$t.log"
    echo "== $t: ${seconds}s ($(find "$here/corpus/$t" -type f | wc -l) inputs in the corpus)"
    # -jobs/-workers 1: one process; libFuzzer writes the run to fuzz-0.log.
    rm -f fuzz-0.log
    cargo fuzz run -s "$sanitizer" "$t" -- -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -jobs=1 -workers=1 -print_final_stats=1 >/dev/null 2>&1
    mv -f fuzz-0.log "$log" 2>/dev/null
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" 2>/dev/null | grep -Eo '[0-9]+$' | tail -1)
    # A run stopped by a finding prints no final stats; its last status line counts.
    [ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" 2>/dev/null | tail -1 | tr -d '#')
    secs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" 2>/dev/null | grep -Eo 'in [0-9]+' | grep -Eo '[0-9]+')
    after=$(find "$here/artifacts/$t" -type f 2>/dev/null | wc -l)
    summary+=("$(printf '%-16s %6ss %12s execs %3d new crash/timeout/oom files' "$t" "${secs:-<$seconds}" "${execs:-?}" $((after - before)))")
done
echo
echo "target           time          execs  findings (fuzz/artifacts/<target>, logs in fuzz/logs)"
printf '%s\n' "${summary[@]}"
