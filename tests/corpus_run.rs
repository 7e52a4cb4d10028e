//! newman's own fixture collections (`shared/corpus/postman/EXPECTED.json`)
//! run through `postie run` against `postie echo` on 127.0.0.1, with
//! newman's options from that file unchanged: each must end as newman's
//! tests require (all pass, or the failures they pin), with the test names
//! the scripts declare. Read in place; skipped with a message where the
//! corpus is absent.
//!
//! The collections were written for https://postman-echo.com and newman's
//! two local servers (ports 4041 and 4042): a copy of each file, in a
//! temporary folder, points them at `postie echo` and its two stand-ins
//! instead (scripts included, so what they compare against moves too).

mod common;

use std::collections::BTreeSet;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Runs that need a host outside this machine, and why.
const OUTSIDE: &[(&str, &str)] = &[
    (
        "head-requests",
        "sends HEAD to http://google.com and http://github.com and expects 200 after their redirects",
    ),
    (
        "v2-regression-tests",
        "expects https://expired.badssl.com to answer (an expired certificate on a public host)",
    ),
];

/// Test names EXPECTED.json lists (found literally in the scripts) that no
/// run reaches, and why.
const NEVER_RUN: &[(&str, &str, &str)] = &[
    (
        "newman-report-test",
        "Body contains status",
        "set after a deliberate TypeError in the same script",
    ),
    (
        "super-sandbox-test",
        "Recur. res. working",
        "the line that sets it is commented out",
    ),
    (
        "echo-v2",
        "response is parsed properly",
        "set (to false) only in a catch for a body that is not JSON",
    ),
    (
        "redirect-test",
        "Returned 302",
        "after `return 0;` in the same script (newman runs no assertion either)",
    ),
    (
        "inherited-entities",
        "request should use request level auth, over collection level auth",
        "its `event` sits inside `request`, where Postman's collection format reads no scripts",
    ),
];

/// Runs that do not yet end as newman's do, with the reason; the test
/// fails when one of them starts to agree, so the list only shrinks.
const KNOWN_DIFFERENT: &[(&str, &str)] = &[
    (
        "whatwg-url",
        "reqwest sends URLs as the `url` crate (WHATWG) normalises them, where newman sends them as written: `.` path segments are dropped, and with disableUrlEncoding quotes and `<>` in path and query are still percent-encoded; the run's rewrite makes `https://{{host.name}}:{{:p}}` (port from a variable) `https://127.0.0.1:<echo>:443`, which no client can send; three requests go to httpbin.org",
    ),
];

/// `postie echo` with newman's raw echo and redirect servers, as a child
/// process (killed on drop).
struct Servers {
    child: Child,
    echo: u16,
    raw: u16,
    redirect: u16,
}

impl Drop for Servers {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn servers() -> Servers {
    let (echo, raw, redirect) = (free_port(), free_port(), free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_postie"))
        .args(["echo", "--port", &echo.to_string()])
        .args(["--raw-port", &raw.to_string()])
        .args(["--redirect-port", &redirect.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    for port in [echo, raw, redirect] {
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "postie echo did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    Servers {
        child,
        echo,
        raw,
        redirect,
    }
}

/// The text with every host the fixtures use pointed at the local servers:
/// each `postman-echo.com` (with its port, in any URL form the fixtures
/// try: userinfo, backslashes) becomes the echo, and an `https:` before it
/// in the same URL becomes `http:`; newman's 4041 and 4042 their stand-ins.
fn rewrite(text: &str, s: &Servers) -> String {
    const HOST: &str = "postman-echo.com";
    let echo = format!("127.0.0.1:{}", s.echo);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        let (before, after) = rest.split_at(at);
        // The URL this host is in starts after the last quote or space.
        let start = before
            .rfind(|c: char| c == '"' || c.is_whitespace())
            .map_or(0, |i| i + 1);
        let (head, url_start) = before.split_at(start);
        out.push_str(head);
        out.push_str(&url_start.replacen("https:", "http:", 1));
        out.push_str(&echo);
        let after = &after[HOST.len()..];
        rest = after
            .strip_prefix(":443")
            .or_else(|| after.strip_prefix(":80"))
            .unwrap_or(after);
    }
    out.push_str(rest);
    out
        // `https://{{host}}/…` whose variable now names the local echo.
        .replace("https://{{", "http://{{")
        .replace("localhost:4041", &format!("localhost:{}", s.raw))
        .replace("127.0.0.1:4041", &format!("127.0.0.1:{}", s.raw))
        .replace("127.1:4041", &format!("127.1:{}", s.raw))
        .replace("localhost:4042", &format!("localhost:{}", s.redirect))
}

/// URL objects whose parts name postman-echo (`"host": ["postman-echo",
/// "com"]`): newman sends the parts, so they move to the echo too.
fn rewrite_parts(text: &str, s: &Servers) -> String {
    fn walk(v: &mut Value, s: &Servers) {
        match v {
            Value::Object(o) => {
                let host = o.get("host").and_then(Value::as_array).map(|parts| {
                    let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                    parts.join(".")
                });
                let port = o.get("port").and_then(Value::as_str).map(str::to_string);
                let moved = match (host.as_deref(), port.as_deref()) {
                    (Some("postman-echo.com"), _) => Some(s.echo),
                    (Some("localhost" | "127.0.0.1"), Some("4041")) => Some(s.raw),
                    (Some("localhost" | "127.0.0.1"), Some("4042")) => Some(s.redirect),
                    _ => None,
                };
                if let Some(port) = moved {
                    // newman's local servers keep their host name (scripts
                    // compare it); postman-echo becomes the local echo.
                    if host.as_deref() == Some("postman-echo.com") {
                        o.insert("host".into(), serde_json::json!(["127", "0", "0", "1"]));
                    }
                    o.insert("port".into(), Value::String(port.to_string()));
                    o.insert("protocol".into(), Value::String("http".into()));
                }
                o.values_mut().for_each(|v| walk(v, s));
            }
            Value::Array(a) => a.iter_mut().for_each(|v| walk(v, s)),
            _ => {}
        }
    }
    match serde_json::from_str::<Value>(text) {
        Ok(mut v) => {
            walk(&mut v, s);
            v.to_string()
        }
        _ => text.to_string(),
    }
}

/// Copies `src` to `dst` rewritten, in the same encoding (UTF-8 with or
/// without a BOM, or UTF-16LE with its BOM), so decoding is still tested.
fn copy_rewritten(src: &Path, dst: &Path, s: &Servers) {
    let bytes = std::fs::read(src).unwrap();
    let out = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = rewrite_parts(&rewrite(&String::from_utf16(&units).unwrap(), s), s);
        let mut out = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    } else {
        let (bom, rest) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (&b"\xEF\xBB\xBF"[..], rest),
            None => (&b""[..], &bytes[..]),
        };
        let mut out = bom.to_vec();
        let text = rewrite(&String::from_utf8_lossy(rest), s);
        out.extend_from_slice(rewrite_parts(&text, s).as_bytes());
        out
    };
    std::fs::write(dst, out).unwrap();
}

/// newman's run options (`run_config_content.run`) as `postie run` flags.
fn flags(config: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(run) = config.get("run").and_then(Value::as_object) else {
        return out;
    };
    for (key, value) in run {
        match (key.as_str(), value) {
            ("insecure", Value::Bool(true)) => out.push("--insecure".into()),
            ("ignoreRedirects", Value::Bool(true)) => out.push("--ignore-redirects".into()),
            ("timeout", v) => out.extend(["--timeout".into(), v.to_string()]),
            ("timeoutRequest", v) => out.extend(["--timeout-request".into(), v.to_string()]),
            ("timeoutScript", v) => out.extend(["--timeout-script".into(), v.to_string()]),
            (other, v) => panic!("run option {other}={v} has no flag here yet"),
        }
    }
    out
}

struct Ran {
    code: i32,
    /// (test name, passed)
    tests: Vec<(String, bool)>,
    errors: Vec<String>,
    output: String,
}

fn run_one(corpus: &Path, run: &Value, s: &Servers) -> Ran {
    let dir = tempfile::tempdir().unwrap();
    // newman's integration runs start in newman's root, where form files are
    // `test/integration/…`: the same layout here, reading the corpus in place.
    #[cfg(unix)]
    std::os::unix::fs::symlink(corpus.join("postman/newman"), dir.path().join("test")).unwrap();
    let mut args: Vec<String> = vec!["run".into()];
    let file = |key: &str| -> Option<PathBuf> {
        let rel = run.get(key)?.as_str()?;
        let src = corpus.join(rel);
        let dst = dir.path().join(src.file_name().unwrap());
        copy_rewritten(&src, &dst, s);
        Some(dst)
    };
    args.push(file("collection").unwrap().display().to_string());
    for (key, flag) in [
        ("environment", "-e"),
        ("globals", "-g"),
        ("iteration_data", "-d"),
    ] {
        if let Some(f) = file(key) {
            args.extend([flag.to_string(), f.display().to_string()]);
        }
    }
    if let Some(config) = run.get("run_config_content").filter(|v| !v.is_null()) {
        args.extend(flags(config));
    }
    let report = dir.path().join("report.json");
    args.extend([
        "-r".into(),
        "cli,json".into(),
        "--reporter-json-export".into(),
        report.display().to_string(),
        "--color".into(),
        "off".into(),
    ]);
    let out = Command::new(env!("CARGO_BIN_EXE_postie"))
        .args(&args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let output = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = std::fs::read(&report)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let mut tests = Vec::new();
    let mut errors = Vec::new();
    for e in json["run"]["executions"].as_array().into_iter().flatten() {
        for a in e["assertions"].as_array().into_iter().flatten() {
            let name = a["assertion"].as_str().unwrap_or_default().to_string();
            // A skipped test counts as run (it is declared) and not failed.
            tests.push((name, a.get("error").map_or(true, Value::is_null)));
        }
    }
    for f in json["run"]["failures"].as_array().into_iter().flatten() {
        errors.push(f.to_string());
    }
    Ran {
        code: out.status.code().unwrap_or(-1),
        tests,
        errors,
        output,
    }
}

fn name_of(run: &Value) -> String {
    let path = run["collection"].as_str().unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or(path);
    file.split('.').next().unwrap_or(file).to_string()
}

/// Checks one run against EXPECTED.json; `Err` says what differs.
fn check(run: &Value, ran: &Ran) -> Result<(), String> {
    let names: BTreeSet<&str> = ran.tests.iter().map(|(n, _)| n.as_str()).collect();
    let failed: Vec<&str> = (ran.tests.iter())
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| n.as_str())
        .collect();
    let collection = name_of(run);
    for expected in run["static_test_names"].as_array().into_iter().flatten() {
        let expected = expected.as_str().unwrap_or_default();
        // A template literal's name is only known when it runs.
        let dynamic = expected.contains("${");
        let unreachable = (NEVER_RUN.iter()).any(|(c, n, _)| *c == collection && *n == expected);
        if !dynamic && !unreachable && !names.contains(expected) {
            return Err(format!("test {expected:?} did not run"));
        }
    }
    match run["expected"].as_str() {
        Some("all_pass") => {
            if ran.code != 0 || !failed.is_empty() || !ran.errors.is_empty() {
                return Err(format!(
                    "expected every test to pass; exit {}, failed {failed:?}, failures {:?}",
                    ran.code, ran.errors
                ));
            }
        }
        Some("fail") => {
            if ran.code != 1 {
                return Err(format!("expected exit code 1, got {}", ran.code));
            }
            for f in run["failures"].as_array().into_iter().flatten() {
                let test = f["test"].as_str().unwrap_or_default();
                let found = if test == "(script error)" {
                    ran.errors.iter().any(|e| e.contains("script"))
                } else {
                    failed.contains(&test)
                };
                if !found {
                    return Err(format!("expected {test:?} to fail; failed {failed:?}"));
                }
            }
            for p in run["passes"].as_array().into_iter().flatten() {
                let p = p.as_str().unwrap_or_default();
                if !ran.tests.iter().any(|(n, ok)| n == p && *ok) {
                    return Err(format!("expected {p:?} to pass"));
                }
            }
        }
        Some("request_error") => {
            if ran.code != 1 {
                return Err(format!("expected exit code 1, got {}", ran.code));
            }
        }
        other => return Err(format!("unknown expectation {other:?}")),
    }
    Ok(())
}

#[test]
fn newman_fixture_collections_end_as_newman_requires() {
    let Some(corpus) = common::corpus("") else {
        return;
    };
    let expected: Value =
        serde_json::from_slice(&std::fs::read(corpus.join("postman/EXPECTED.json")).unwrap())
            .unwrap();
    let runs: Vec<Value> = expected["runs"].as_array().unwrap().clone();
    let s = servers();
    let mut problems = Vec::new();
    let mut passed = 0;
    // Two at a time: the machine has two cores and some runs wait on /delay.
    let chunks: Vec<&[Value]> = runs.chunks(runs.len().div_ceil(2)).collect();
    let results: Vec<(String, Result<(), String>, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let (corpus, s) = (&corpus, &s);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for run in chunk {
                        let name = name_of(run);
                        // `POSTIE_CORPUS_ONLY=echo-v2` runs (and shows) one.
                        if let Ok(only) = std::env::var("POSTIE_CORPUS_ONLY") {
                            if only != name {
                                continue;
                            }
                        }
                        if let Some((_, why)) = OUTSIDE.iter().find(|(n, _)| *n == name) {
                            eprintln!("skipped {name}: {why}");
                            continue;
                        }
                        let ran = run_one(corpus, run, s);
                        out.push((name, check(run, &ran), ran.output));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut known = 0;
    for (name, result, output) in results {
        if std::env::var_os("POSTIE_CORPUS_ONLY").is_some() {
            eprintln!("{output}");
        }
        let expected_to_differ = KNOWN_DIFFERENT.iter().find(|(n, _)| *n == name);
        match (result, expected_to_differ) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => problems.push(format!(
                "{name}: now agrees with newman; take it off KNOWN_DIFFERENT"
            )),
            (Err(why), Some((_, reason))) => {
                known += 1;
                eprintln!("known difference {name}: {reason} ({why})");
            }
            (Err(why), None) => problems.push(format!("{name}: {why}\n{output}")),
        }
    }
    assert!(
        problems.is_empty(),
        "{passed} agreed, {} did not:\n\n{}",
        problems.len(),
        problems.join("\n---\n")
    );
    if std::env::var_os("POSTIE_CORPUS_ONLY").is_none() {
        assert_eq!(passed + known, runs.len() - OUTSIDE.len());
    }
}
