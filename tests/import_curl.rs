//! Every case of the shared corpus's `curl/cases.jsonl` (read in place from
//! `../shared/corpus`, or `$POSTIE_CORPUS`; skipped when absent) parses to
//! its expected method, URL, headers and body; cases with `"error"` must
//! fail.
//!
//! Fields compared loosely, on purpose:
//! - headers: postie makes some of curl's implicit headers explicit (the
//!   form Content-Type of a `-d` body it keeps as text, `Accept` for
//!   `--json`). Extra headers are accepted only when the case lists them
//!   in `implicit_headers`.
//! - body: a body postie stores as form fields is compared after encoding
//!   them again (the importer only makes fields when that gives back the
//!   same bytes); a body from a file or stdin (`null` in the case) must be
//!   a file body or none.
//! - `user`: compared as username and password (`-u name` with no colon
//!   means an empty password, which curl would prompt for).
//! - `compressed`: postie has no such setting (it always decodes), so the
//!   import report must say `--compressed` was changed.

mod common;
use std::path::PathBuf;

use postie::import::{curl, ImportedItem};
use postie::model::{Auth, Body, Request};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    common::corpus("")
}

fn body_text(r: &Request) -> Option<String> {
    match &r.body.body {
        Body::Raw { text, .. } => Some(text.clone()),
        Body::Form(fields) => {
            let mut s = url::form_urlencoded::Serializer::new(String::new());
            for f in fields {
                s.append_pair(&f.name, &f.value);
            }
            Some(s.finish())
        }
        _ => None,
    }
}

/// Differences between `r` and the expectation `e`, in words.
fn compare(r: &Request, e: &Value, compressed_noted: bool) -> Vec<String> {
    let mut bad = Vec::new();
    if r.method != e["method"] {
        bad.push(format!("method {} != {}", r.method, e["method"]));
    }
    if r.url != e["url"] {
        bad.push(format!("url {} != {}", r.url, e["url"]));
    }
    let implicit: Vec<(String, String)> = e["implicit_headers"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap_or("").to_ascii_lowercase(),
                        h[1].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let expected: Vec<(String, String)> = e["headers"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap_or("").to_string(),
                        h[1].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut mine: Vec<(String, String)> = r
        .headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect();
    let extra_ok = |h: &(String, String)| {
        let is_implicit = implicit
            .iter()
            .any(|(n, v)| *n == h.0.to_ascii_lowercase() && *v == h.1);
        !is_implicit || expected.contains(h)
    };
    mine.retain(|h| extra_ok(h));
    if mine != expected {
        bad.push(format!("headers {mine:?} != {expected:?}"));
    }
    if let Some(form) = e["form"].as_array() {
        match &r.body.body {
            Body::Multipart(parts) => {
                let got: Vec<Value> = parts
                    .iter()
                    .map(|p| {
                        let mut m = serde_json::Map::new();
                        m.insert("name".into(), p.name.clone().into());
                        if let Some(f) = &p.file {
                            m.insert("file".into(), f.clone().into());
                        } else {
                            m.insert("value".into(), p.value.clone().unwrap_or_default().into());
                        }
                        if let Some(t) = &p.content_type {
                            m.insert("type".into(), t.clone().into());
                        }
                        if let Some(f) = &p.filename {
                            m.insert("filename".into(), f.clone().into());
                        }
                        Value::Object(m)
                    })
                    .collect();
                if got != *form {
                    bad.push(format!("form {got:?} != {form:?}"));
                }
            }
            other => bad.push(format!("form expected, body is {other:?}")),
        }
    } else {
        let got = body_text(r);
        match e["body"].as_str() {
            Some(b) if got.as_deref() != Some(b) => bad.push(format!("body {got:?} != {b:?}")),
            None if got.is_some() => bad.push(format!("body {got:?} != null")),
            _ => {}
        }
    }
    if let Some(user) = e["user"].as_str() {
        let (u, p) = user.split_once(':').unwrap_or((user, ""));
        match &r.auth.auth {
            Auth::Basic { username, password } | Auth::Digest { username, password }
                if username == u && password == p => {}
            other => bad.push(format!("user {user} -> {other:?}")),
        }
        let digest = matches!(r.auth.auth, Auth::Digest { .. });
        if digest != (e["auth"] == "digest") {
            bad.push(format!("digest {digest} but auth {}", e["auth"]));
        }
    }
    let insecure = r.settings.verify_tls == Some(false);
    if insecure != (e["insecure"] == true) {
        bad.push(format!("insecure {insecure}"));
    }
    let follow = r.settings.follow_redirects == Some(true);
    if follow != (e["follow"] == true) {
        bad.push(format!("follow {follow}"));
    }
    if (e["compressed"] == true) != compressed_noted {
        bad.push(format!("compressed {compressed_noted}"));
    }
    bad
}

#[test]
fn every_corpus_curl_case_parses_as_expected() {
    let Some(root) = corpus() else { return };
    let text = std::fs::read_to_string(root.join("curl/cases.jsonl")).unwrap();
    let (mut total, mut passed, mut errors_ok) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        total += 1;
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let cmd = case["command"].as_str().unwrap();
        let e = &case["expect"];
        let result = curl::parse_import(cmd);
        if e.get("error").is_some() {
            match result {
                Err(_) => {
                    errors_ok += 1;
                    passed += 1;
                }
                Ok(_) => failures.push(format!("{id}: expected error {}", e["error"])),
            }
            assert!(curl::parse_curl(cmd).is_err(), "{id}");
            continue;
        }
        let imp = match result {
            Ok(i) => i,
            Err(err) => {
                failures.push(format!("{id}: {err}"));
                continue;
            }
        };
        let requests: Vec<&Request> = imp.collections[0]
            .items
            .iter()
            .filter_map(|i| match i {
                ImportedItem::Request(r) => Some(&**r),
                ImportedItem::Folder(_) => None,
            })
            .collect();
        let expects: Vec<&Value> = match case["expect_all"].as_array() {
            Some(all) => all.iter().collect(),
            None => vec![e],
        };
        let mut bad = Vec::new();
        if requests.len() < expects.len() {
            bad.push(format!(
                "{} requests for {} commands",
                requests.len(),
                expects.len()
            ));
        }
        for (i, (r, ex)) in requests.iter().zip(&expects).enumerate() {
            let item = format!("curl import/{}", r.name.as_deref().unwrap_or(""));
            let noted = imp
                .report
                .notes
                .iter()
                .any(|n| n.item == item && n.what == "--compressed");
            bad.extend(
                compare(r, ex, noted)
                    .into_iter()
                    .map(|b| format!("[{i}] {b}")),
            );
        }
        // The public one-command entry point agrees with the import.
        assert_eq!(
            curl::parse_curl(cmd).as_ref().ok(),
            requests.first().copied(),
            "{id}"
        );
        if bad.is_empty() {
            passed += 1;
        } else {
            failures.push(format!(
                "{id}: {}\n    {}",
                bad.join("\n    "),
                cmd.replace('\n', "\n    ")
            ));
        }
    }
    eprintln!("curl cases: {passed}/{total} passed ({errors_ok} expected errors)");
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {total} curl cases failed",
        failures.len()
    );
}
