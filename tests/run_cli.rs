//! `postie run` as a CI job uses it: a Postman collection file with an
//! environment and a CSV data file, newman's options, exit codes, the JUnit
//! and JSON reports parsed back, exported environment and globals, and the
//! workspace form with `--env`.

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Value};

fn collection(base: &str) -> Value {
    json!({
        "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "base", "value": base}],
        "item": [
            {
                "name": "login",
                "request": {"method": "POST", "url": "{{base}}/anything/login?user={{user}}"},
                "event": [{"listen": "test", "script": {"exec": [
                    "pm.test('login ok', () => pm.response.to.have.status(200));",
                    "pm.environment.set('token', 'tok-' + pm.iterationData.get('user'));",
                    "pm.globals.set('logins', (pm.globals.get('logins') || 0) + 1);"
                ]}}]
            },
            {
                "name": "Orders",
                "item": [{
                    "name": "list",
                    "request": {"method": "GET", "url": "{{base}}/status/{{code}}"},
                    "event": [{"listen": "test", "script": {"exec": [
                        "pm.test('orders are there', () => pm.response.to.have.status(200));"
                    ]}}]
                }]
            }
        ]
    })
}

fn setup() -> (postie::echo::EchoServer, tempfile::TempDir) {
    let echo = echo();
    let dir = tempfile::tempdir().unwrap();
    let base = echo.url("").trim_end_matches('/').to_string();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("shop.json", &collection(&base).to_string());
    write(
        "env.json",
        r#"{"name": "ci", "values": [{"key": "region", "value": "eu", "enabled": true}]}"#,
    );
    // A BOM, a quoted cell with a comma, and bob's row makes `list` fail.
    write(
        "data.csv",
        "\u{feff}user,code,note\nann,200,\"a, b\"\nbob,404,\n",
    );
    (echo, dir)
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    postie(dir).arg("run").args(args).output().unwrap()
}

#[test]
fn a_postman_file_runs_with_data_rows_and_reports_like_newman() {
    let (_echo, dir) = setup();
    let out = run(
        dir.path(),
        &[
            "shop.json",
            "-e",
            "env.json",
            "-d",
            "data.csv",
            "-r",
            "cli,json,junit",
            "--reporter-json-export",
            "out/report.json",
            "--reporter-junit-export",
            "out/report.xml",
            "--export-environment",
            "out/env.json",
            "--export-globals",
            "out/globals.json",
        ],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(text.contains("Iteration 2/2"), "{text}");
    assert!(text.contains("✓  login ok"), "{text}");
    assert!(text.contains("1. orders are there"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour with NO_COLOR: {text}");

    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    let executions = report["run"]["executions"].as_array().unwrap();
    assert_eq!(executions.len(), 4);
    assert_eq!(report["run"]["stats"]["assertions"]["failed"], json!(1));
    let failures = report["run"]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["error"]["test"], json!("orders are there"));

    let junit = std::fs::read_to_string(dir.path().join("out/report.xml")).unwrap();
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(
        junit.contains("<testsuite name=\"Orders / list\""),
        "{junit}"
    );
    assert!(junit.contains("<failure"), "{junit}");

    // The run's end state, in newman's export shapes; the inputs untouched.
    let env: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/env.json")).unwrap()).unwrap();
    let values: Vec<(String, Value)> = (env["values"].as_array().unwrap().iter())
        .map(|v| (v["key"].as_str().unwrap().to_string(), v["value"].clone()))
        .collect();
    assert!(
        values.contains(&("region".into(), json!("eu"))),
        "{values:?}"
    );
    assert!(
        values.contains(&("token".into(), json!("tok-bob"))),
        "{values:?}"
    );
    let globals: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/globals.json")).unwrap())
            .unwrap();
    assert_eq!(globals["values"][0]["key"], json!("logins"));
    assert_eq!(globals["values"][0]["value"], json!(2));
    let original = std::fs::read_to_string(dir.path().join("env.json")).unwrap();
    assert!(!original.contains("token"));
}

#[test]
fn exit_codes_follow_newman_and_usage_errors_are_told_apart() {
    let (_echo, dir) = setup();
    // Only ann's row: everything passes.
    let pass = run(dir.path(), &["shop.json", "-d", "data.csv", "-n", "1"]);
    assert_eq!(pass.status.code(), Some(0), "{}", stdout(&pass));
    // Bob's failure, suppressed.
    let suppressed = run(dir.path(), &["shop.json", "-d", "data.csv", "-x"]);
    assert_eq!(suppressed.status.code(), Some(0));
    // A folder that is not there fails before anything is sent.
    let missing = run(dir.path(), &["shop.json", "--folder", "Nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("Nope"), "{}", stderr(&missing));
    // Three iterations (the last reuses bob's row); bail stops at bob's
    // first failure, so the third never runs.
    let bail = run(
        dir.path(),
        &[
            "shop.json",
            "-d",
            "data.csv",
            "--bail",
            "-r",
            "json",
            "--reporter-json-export",
            "b.json",
        ],
    );
    assert_eq!(bail.status.code(), Some(1));
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("b.json")).unwrap()).unwrap();
    assert_eq!(report["run"]["executions"].as_array().unwrap().len(), 4);
    let unknown = run(dir.path(), &["shop.json", "-r", "html"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("cli, json, junit"));
    let bad_shard = run(dir.path(), &["shop.json", "--shard", "3/2"]);
    assert_eq!(bad_shard.status.code(), Some(2));
    let not_there = run(dir.path(), &["nothing.json"]);
    assert_eq!(not_there.status.code(), Some(1));
    assert!(
        stderr(&not_there).contains("nothing.json: no such file"),
        "{}",
        stderr(&not_there)
    );
}

#[test]
fn a_workspace_collection_runs_with_its_environment() {
    let echo = echo();
    let ws = demo_copy();
    let base = echo.url("").trim_end_matches('/').to_string();
    let env = ws.path().join("environments/local.json");
    let text = std::fs::read_to_string(&env).unwrap();
    std::fs::write(&env, text.replace("http://127.0.0.1:8080", &base)).unwrap();
    let out = run(
        ws.path(),
        &["users", "--env", "local", "--reporter-cli-no-summary"],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("→ Get user"), "{text}");
    assert!(text.contains("✓  status is 200"), "{text}");
    assert!(!text.contains("iterations"), "summary left out: {text}");
}

#[test]
fn cookies_a_response_set_are_sent_later_in_the_run_and_seen_by_scripts() {
    let echo = echo();
    let dir = tempfile::tempdir().unwrap();
    let base = echo.url("").trim_end_matches('/').to_string();
    let collection = json!({
        "info": {"name": "jar", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "set", "request": {"method": "GET", "url": format!("{base}/cookies/set?foo=bar")}},
            {
                "name": "read",
                "request": {"method": "GET", "url": format!("{base}/cookies")},
                "event": [{"listen": "test", "script": {"exec": [
                    "pm.test('sent back', () => pm.expect(pm.response.json().cookies.foo).to.equal('bar'));",
                    "pm.test('in the jar', () => pm.expect(postman.getResponseCookie('foo').value).to.equal('bar'));",
                    "pm.test('pm.cookies', () => pm.expect(pm.cookies.get('foo')).to.equal('bar'));"
                ]}}]
            }
        ]
    });
    std::fs::write(dir.path().join("jar.json"), collection.to_string()).unwrap();
    let out = run(dir.path(), &["jar.json"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.matches('✓').count(), 3, "{text}");
}

#[test]
fn sharded_jobs_reports_merge_into_the_whole_runs_verdict() {
    let (_echo, dir) = setup();
    let json = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(name)).unwrap()).unwrap()
    };
    let base = ["shop.json", "-d", "data.csv", "-r", "json"];
    let whole = run(
        dir.path(),
        &[&base[..], &["--reporter-json-export", "whole.json"]].concat(),
    );
    assert_eq!(whole.status.code(), Some(1));
    for k in ["1", "2"] {
        let shard = format!("{k}/2");
        let file = format!("shard{k}.json");
        let out = run(
            dir.path(),
            &[
                &base[..],
                &["--shard", &shard, "--reporter-json-export", &file],
            ]
            .concat(),
        );
        // Only bob's iteration (the second) fails.
        assert_eq!(out.status.code(), Some(if k == "1" { 0 } else { 1 }));
    }
    let merged = run(
        dir.path(),
        &[
            "--merge",
            "shard2.json",
            "shard1.json",
            "-r",
            "cli,json,junit",
            "--reporter-json-export",
            "merged.json",
            "--reporter-junit-export",
            "merged.xml",
        ],
    );
    let text = stdout(&merged);
    assert_eq!(merged.status.code(), Some(1), "{text}{}", stderr(&merged));
    assert!(text.contains("Iteration 2/2"), "{text}");
    assert!(text.contains("1. orders are there"), "{text}");
    let (whole, merged_json) = (json("whole.json"), json("merged.json"));
    let outline = |report: &Value| -> Vec<String> {
        (report["run"]["executions"].as_array().unwrap().iter())
            .map(|e| {
                let tests: Vec<String> = (e["assertions"].as_array().unwrap().iter())
                    .map(|a| format!("{}={}", a["assertion"], a.get("error").is_none()))
                    .collect();
                format!(
                    "{} {} {}",
                    e["cursor"]["iteration"],
                    e["item"]["name"],
                    tests.join(",")
                )
            })
            .collect()
    };
    assert_eq!(outline(&merged_json), outline(&whole));
    for key in ["iterations", "requests", "assertions", "testScripts"] {
        assert_eq!(
            merged_json["run"]["stats"][key], whole["run"]["stats"][key],
            "{key}"
        );
    }
    assert_eq!(
        merged_json["run"]["failures"].as_array().unwrap().len(),
        whole["run"]["failures"].as_array().unwrap().len()
    );
    let junit = std::fs::read_to_string(dir.path().join("merged.xml")).unwrap();
    assert!(
        junit.contains("<testsuite name=\"Orders / list\""),
        "{junit}"
    );
    // Not a report: named, exit 1.
    let bad = run(dir.path(), &["--merge", "data.csv"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("data.csv"), "{}", stderr(&bad));
}
