//! `postie send` running a request's Postman scripts against `postie echo`
//! on 127.0.0.1: chaining through variables, changes to the request
//! reaching the wire, failing and throwing scripts, exit codes.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A workspace whose `api/me` logs in from its pre-request script (with
/// `pm.sendRequest`), sends the token as a bearer, and tests the answer.
fn workspace(base: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "postie.json", "{\"format\": 1}\n");
    write(
        r,
        "api/collection.json",
        &format!("{{\"variables\": {{\"base_url\": \"{base}\"}}}}\n"),
    );
    write(
        r,
        "api/collection.pre.js",
        "pm.collectionVariables.set('from_collection', 'c1');\n",
    );
    write(
        r,
        "api/me.json",
        r#"{"method": "GET", "url": "{{base_url}}/bearer", "auth": {"type": "bearer", "token": "{{token}}"}}"#,
    );
    write(
        r,
        "api/me.pre.js",
        "const login = {\n  url: pm.collectionVariables.get('base_url') + '/login',\n  method: 'POST',\n  header: {'Content-Type': 'application/json'},\n  body: {mode: 'raw', raw: JSON.stringify({token: 'tok-' + pm.variables.get('from_collection')})}\n};\npm.sendRequest(login, (err, res) => {\n  pm.variables.set('token', res.json().json.token);\n});\n",
    );
    write(
        r,
        "api/me.test.js",
        "pm.test('status is 200', () => {\n  pm.response.to.have.status(200);\n});\npm.test('the token came back', function () {\n  pm.expect(pm.response.json().token).to.equal('tok-c1');\n});\n",
    );
    write(
        r,
        "api/failing.json",
        r#"{"method": "GET", "url": "{{base_url}}/status/404"}"#,
    );
    write(
        r,
        "api/failing.test.js",
        "pm.test('is ok', () => pm.response.to.have.status(200));\npm.test.skip('later', () => {});\nconsole.log('code', pm.response.code);\nconst x = undefinedThing.y;\n",
    );
    write(
        r,
        "api/headers.json",
        r#"{"method": "POST", "url": "{{base_url}}/anything", "body": {"type": "text"}}"#,
    );
    write(r, "api/headers.body.txt", "stored body");
    write(
        r,
        "api/headers.pre.js",
        "pm.request.headers.add({key: 'X-From-Script', value: 'yes'});\npm.request.url.query.add('q=1');\npm.request.body.update('changed by a script');\n",
    );
    d
}

#[test]
fn a_pre_request_script_sets_a_variable_and_the_test_script_asserts_on_the_json() {
    let server = echo();
    let ws = workspace(server.url("").trim_end_matches('/'));
    let out = postie(ws.path()).args(["send", "api/me"]).output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("✓ status is 200"), "{err}");
    assert!(err.contains("✓ the token came back"), "{err}");
    assert!(err.contains("tests: 2 passed, 0 failed"), "{err}");
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["token"], "tok-c1");
}

#[test]
fn a_failing_test_and_a_throwing_script_are_named_and_exit_with_8() {
    let server = echo();
    let ws = workspace(server.url("").trim_end_matches('/'));
    let out = postie(ws.path())
        .args(["send", "api/failing", "-v"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(8), "{err}");
    assert!(
        err.contains("✗ is ok: expected response to have status code 200 but got 404"),
        "{err}"
    );
    assert!(err.contains("- later (skipped)"), "{err}");
    assert!(
        err.contains("error: api/failing.test.js:4:11: ReferenceError"),
        "{err}"
    );
    assert!(
        err.contains("[log] api/failing.test.js:3: code 404"),
        "{err}"
    );
}

#[test]
fn json_carries_tests_and_console_and_no_scripts_runs_none() {
    let server = echo();
    let ws = workspace(server.url("").trim_end_matches('/'));
    let out = postie(ws.path())
        .args(["send", "api/failing", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(r["tests"][0]["name"], "is ok");
    assert_eq!(r["tests"][0]["passed"], false);
    assert_eq!(r["tests"][1]["skipped"], true);
    assert_eq!(r["console"][0]["text"], "code 404");
    assert_eq!(r["script_errors"][0]["line"], 4);

    let out = postie(ws.path())
        .args(["send", "api/failing", "--json", "--no-scripts"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(r["tests"], serde_json::json!([]));
}

#[test]
fn changes_a_pre_request_script_makes_to_the_request_reach_the_wire() {
    let server = echo();
    let ws = workspace(server.url("").trim_end_matches('/'));
    let out = postie(ws.path())
        .args(["send", "api/headers", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let echoed: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
    let headers = echoed["headers"].as_array().unwrap();
    assert!(
        headers
            .iter()
            .any(|h| h[0] == "x-from-script" && h[1] == "yes"),
        "{echoed}"
    );
    assert!(
        echoed["url"].as_str().unwrap().ends_with("/anything?q=1"),
        "{echoed}"
    );
    assert_eq!(echoed["body"], "changed by a script");
    // The stored request is untouched.
    let stored = std::fs::read_to_string(ws.path().join("api/headers.body.txt")).unwrap();
    assert_eq!(stored, "stored body");
}

#[test]
fn a_runaway_script_stops_at_its_time_limit_and_the_send_goes_on() {
    let server = echo();
    let ws = workspace(server.url("").trim_end_matches('/'));
    let r = ws.path();
    write(
        r,
        "api/slow.json",
        r#"{"method": "GET", "url": "{{base_url}}/get", "settings": {"script_timeout_ms": 200}}"#,
    );
    write(r, "api/slow.pre.js", "while (true) {}\n");
    write(
        r,
        "api/slow.test.js",
        "pm.test('still tested', () => pm.response.to.be.ok);\n",
    );
    let start = std::time::Instant::now();
    let out = postie(r).args(["send", "api/slow"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(8), "{err}");
    assert!(err.contains("error: api/slow.pre.js"), "{err}");
    assert!(err.contains("✓ still tested"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(4), "{err}");

    // --timeout-script overrides the setting.
    write(
        r,
        "api/slow.pre.js",
        "const t = Date.now(); while (Date.now() - t < 400) {}\n",
    );
    let out = postie(r)
        .args(["send", "api/slow", "--timeout-script", "2000"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn skip_request_in_the_collection_script_skips_the_rest_and_the_send() {
    let server = echo();
    let ws = workspace(server.url("").trim_end_matches('/'));
    let r = ws.path();
    write(
        r,
        "api/collection.pre.js",
        "if (pm.info.requestName === 'me') { pm.execution.skipRequest(); }\n",
    );
    write(r, "api/me.pre.js", "console.log('must not run');\n");
    let out = postie(r).args(["send", "api/me", "-v"]).output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("skipped"), "{err}");
    assert!(!err.contains("must not run"), "{err}");
    assert!(stdout(&out).is_empty());
}
