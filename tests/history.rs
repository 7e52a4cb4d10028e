//! History from the shell: `postie send` and `postie run` record every
//! exchange in `.postie/history/` with secrets redacted, and `postie
//! history` lists, shows and diffs them.

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Value};

/// Every byte history wrote, all segments together.
fn history_bytes(root: &Path) -> String {
    let dir = root.join(".postie/history");
    let mut all = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    all
}

fn records(root: &Path) -> Vec<Value> {
    history_bytes(root)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn send(root: &Path, base: &str, request: &str, extra: &[&str]) -> std::process::Output {
    let out = postie(root)
        .args(["send", request, "--env", "staging", "--var"])
        .arg(format!("base_url={base}"))
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{request}: {}", stderr(&out));
    out
}

#[test]
fn planted_secrets_are_nowhere_in_history() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();
    let root = ws.path();
    let token = "PLANTED-tok-7f3a9c";
    let password = "PLANTED-pw-91c2e4";
    write(
        root,
        ".postie/secrets/staging.json",
        &json!({"api_token": token, "demo_password": password}).to_string(),
    );
    // Credentials that are no variable at all: a cookie and an API key
    // header typed in, and OAuth tokens in a JSON body.
    let cookie = "cookie-PLANTED-55aa";
    let key = "key-PLANTED-66bb";
    let oauth = "oauth-PLANTED-77cc";
    let refresh = "refresh-PLANTED-88dd";
    write(
        root,
        "users/token.json",
        &json!({
            "method": "POST",
            "url": "{{base_url}}/anything",
            "headers": [
                {"name": "Cookie", "value": format!("sid={cookie}")},
                {"name": "X-Api-Key", "value": key}
            ],
            "body": {"type": "json"}
        })
        .to_string(),
    );
    write(
        root,
        "users/token.body.json",
        &json!({"access_token": oauth, "refresh_token": refresh, "kind": "demo"}).to_string(),
    );
    for request in [
        "auth/bearer",
        "auth/api-key-header",
        "auth/api-key-query",
        "auth/basic",
        "bodies/form-login",
        "users/token",
    ] {
        // The body streams to stdout; history still keeps it.
        send(root, base, request, &[]);
    }
    send(root, base, "auth/bearer", &["--json"]);
    let all = history_bytes(root);
    for secret in [token, password, cookie, key, oauth, refresh] {
        assert!(!all.contains(secret), "{secret} is in history:\n{all}");
    }
    let rs = records(root);
    assert_eq!(rs.len(), 7, "{all}");
    // What was redacted is still recognisable, and bodies were kept.
    let token_request = rs
        .iter()
        .find(|r| r["request"]["key"] == "users/token")
        .unwrap();
    let sent_body = token_request["sent"]["body"]["text"].as_str().unwrap();
    assert!(sent_body.contains(r#""access_token":"***""#), "{sent_body}");
    assert!(sent_body.contains(r#""kind":"demo""#), "{sent_body}");
    let echoed = token_request["response"]["body"]["text"].as_str().unwrap();
    assert!(echoed.contains("\"kind\""), "{echoed}");
    let headers = token_request["sent"]["headers"].to_string();
    assert!(headers.contains(r#"["Cookie","sid=***"]"#), "{headers}");
    assert!(headers.contains(r#"["X-Api-Key","***"]"#), "{headers}");
    let bearer = &rs[0]["sent"]["headers"].to_string();
    assert!(
        bearer.contains(r#"["Authorization","Bearer ***"]"#),
        "{bearer}"
    );
    // And `postie history show` prints none of them either.
    for r in &rs {
        let out = postie(root)
            .args(["history", "show", r["id"].as_str().unwrap(), "--body"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        for secret in [token, password, cookie, key, oauth, refresh] {
            assert!(!text.contains(secret), "{secret} in:\n{text}");
        }
    }
    // The state folder keeps itself out of git.
    assert!(root.join(".postie/.gitignore").is_file());
}

#[test]
fn history_lists_shows_and_diffs_from_the_shell() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();
    let root = ws.path();
    write(
        root,
        "http/count.json",
        &json!({"method": "POST", "url": "{{base_url}}/anything", "body": {"type": "json"}})
            .to_string(),
    );
    write(
        root,
        "http/count.body.json",
        "{\"users\": [{\"name\": \"{{who}}\"}]}",
    );
    send(root, base, "http/count", &["--var", "who=ann"]);
    send(root, base, "http/count", &["--var", "who=bob"]);
    send(root, base, "http/teapot", &[]);
    // --no-history and POSTIE_HISTORY=off record nothing.
    send(root, base, "http/teapot", &["--no-history"]);
    let out = postie(root)
        .args(["send", "http/teapot", "--env", "staging", "--var"])
        .arg(format!("base_url={base}"))
        .env("POSTIE_HISTORY", "off")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(records(root).len(), 3);

    let out = postie(root).args(["history"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&out);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert!(
        lines[1].contains("418") && lines[1].ends_with("GET http/teapot"),
        "{list}"
    );
    assert!(lines[2].contains("POST http/count"), "{list}");

    let ids = |args: &[&str]| -> Vec<String> {
        let out = postie(root)
            .arg("history")
            .args(args)
            .arg("--json")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let all = ids(&[]);
    assert_eq!(all.len(), 3);
    assert_eq!(ids(&["http/count"]), all[1..]);
    assert_eq!(ids(&["list", "--status", "4xx"]), all[..1]);
    assert_eq!(ids(&["--status", "418", "-n", "5"]), all[..1]);
    assert_eq!(ids(&["--grep", "BOB"]), all[1..2]);
    assert_eq!(ids(&["-n", "1"]), all[..1]);

    let out = postie(root)
        .args(["history", "diff", "http/count"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let d = stdout(&out);
    assert!(
        d.contains(r#"~ $.json.users[0].name: "ann" -> "bob""#),
        "{d}"
    );
    assert!(!d.contains("status:"), "{d}");
    let out = postie(root)
        .args(["history", "diff", &all[2], &all[0], "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let d: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        d["status"],
        json!({"kind": "changed", "from": 200, "to": 418})
    );

    let out = postie(root)
        .args(["history", "show", &all[0][..6]])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(shown.contains("> GET http://127.0.0.1:"), "{shown}");
    assert!(shown.contains("< HTTP/1.1 418"), "{shown}");
    assert!(shown.contains("timings: ttfb "), "{shown}");

    // Unknown ids and a request with one entry: exit 1, said.
    let out = postie(root)
        .args(["history", "show", "zzzz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no history entry `zzzz`"),
        "{}",
        stderr(&out)
    );
    let out = postie(root)
        .args(["history", "diff", "http/teapot"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = postie(root)
        .args(["history", "--status", "9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_damaged_history_still_lists_with_a_warning() {
    let server = echo();
    let base = server.url("");
    let ws = demo_copy();
    let root = ws.path();
    send(root, base.trim_end_matches('/'), "http/teapot", &[]);
    let dir = root.join(".postie/history");
    let seg = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut text = std::fs::read(&seg).unwrap();
    text.extend_from_slice(b"garbage\n{\"v\":1,\"id\":\"tor");
    std::fs::write(&seg, text).unwrap();
    let out = postie(root).args(["history"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("http/teapot"));
    assert!(
        stderr(&out).contains("skipped a damaged record"),
        "{}",
        stderr(&out)
    );
    // Sending still works and starts on a new line after the torn one.
    send(root, base.trim_end_matches('/'), "http/teapot", &[]);
    let out = postie(root).args(["history", "--json"]).output().unwrap();
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
}

#[test]
fn a_binary_body_is_kept_as_base64_and_a_long_one_only_in_part() {
    let server = echo();
    let base = server.url("");
    let ws = demo_copy();
    let root = ws.path();
    write(
        root,
        "http/bin.json",
        &json!({"method": "GET", "url": "{{base_url}}/bytes/300"}).to_string(),
    );
    let out = postie(root)
        .args([
            "send", "http/bin", "--env", "staging", "-o", "out.bin", "--var",
        ])
        .arg(format!("base_url={}", base.trim_end_matches('/')))
        .env("POSTIE_HISTORY_BODY_BYTES", "100")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read(root.join("out.bin")).unwrap();
    assert_eq!(written.len(), 300);
    let r = &records(root)[0];
    let body = &r["response"]["body"];
    assert_eq!(body["size"], 300);
    assert_eq!(body["cut"], true);
    use base64::Engine as _;
    let kept = base64::engine::general_purpose::STANDARD
        .decode(body["base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(kept, written[..100]);
    let out = postie(root)
        .args(["history", "show", r["id"].as_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("binary, only the start kept (kept as base64"),
        "{}",
        stdout(&out)
    );
}

fn postman_collection(base: &str) -> Value {
    json!({
        "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "Orders", "item": [
                {"name": "List", "id": "list-1", "request": {"method": "GET", "url": format!("{base}/orders")}}
            ]},
            {"name": "Ping", "request": {"method": "GET", "url": format!("{base}/ping")}}
        ]
    })
}

#[test]
fn postie_run_records_each_request_unless_told_not_to() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();
    let root = ws.path();
    let run = |args: &[&str]| {
        let out = postie(root)
            .args(["run", "users", "--env", "local", "--var"])
            .arg(format!("base_url={base}"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.code().is_some(), "{}", stderr(&out));
    };
    run(&[]);
    let rs = records(root);
    assert!(rs.len() >= 5, "{}", rs.len());
    assert!(rs.iter().all(|r| r["via"] == "run"));
    assert!(rs.iter().any(|r| r["request"]["key"] == "users/get-user"));
    run(&["--no-history"]);
    assert_eq!(records(root).len(), rs.len());

    // A Postman file inside the workspace: items by file and name.
    write(
        root,
        "shop.postman.json",
        &postman_collection(base).to_string(),
    );
    let out = postie(root)
        .args(["run", "shop.postman.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rs = records(root);
    let keys: Vec<&str> = (rs.iter().rev().take(2))
        .map(|r| r["request"]["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["shop.postman.json:Ping", "shop.postman.json:Orders/List"]
    );
    let out = postie(root)
        .args(["history", "shop.postman.json", "--json"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));

    // Outside any workspace: no history, nothing written.
    let bare = tempfile::tempdir().unwrap();
    write(bare.path(), "c.json", &postman_collection(base).to_string());
    let out = postie(bare.path())
        .args(["run", "c.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!bare.path().join(".postie").exists());
}
