//! A misspelled field is a warning with its position and a suggestion,
//! not silence; the request is still sent.

mod common;

use common::*;
use predicates::str::contains;

fn workspace_with_typo(base: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = d.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("postie.json", "{\n  \"format\": 1\n}\n");
    write("api/collection.json", "{}\n");
    write(
        "api/get.json",
        &format!(
            "{{\n  \"method\": \"GET\",\n  \"url\": \"{base}/anything\",\n  \"hedaers\": [\n    {{\"name\": \"X-A\", \"value\": \"1\"}}\n  ]\n}}\n"
        ),
    );
    d
}

#[test]
fn send_warns_about_a_misspelled_field_with_its_position_and_still_sends() {
    let server = echo();
    let base = server.url("");
    let ws = workspace_with_typo(base.trim_end_matches('/'));
    let out = postie(ws.path())
        .args(["send", "api/get"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("api/get.json:4:3: warning: unknown field `hedaers`"),
        "{err}"
    );
    assert!(err.contains("did you mean `headers`?"), "{err}");
    // Sent all the same: the echo answered.
    assert!(
        stdout(&out).contains("\"path\": \"/anything\""),
        "{}",
        stdout(&out)
    );
}

#[test]
fn ls_warns_about_a_misspelled_field_and_succeeds() {
    let ws = workspace_with_typo("http://127.0.0.1:1");
    postie(ws.path())
        .arg("ls")
        .assert()
        .success()
        .stderr(contains(
            "api/get.json:4:3: warning: unknown field `hedaers`; did you mean `headers`?",
        ))
        .stdout(contains("api/get"));
}

#[test]
fn send_warns_about_the_chosen_environment_too() {
    let server = echo();
    let base = server.url("");
    let ws = workspace_with_typo(base.trim_end_matches('/'));
    std::fs::create_dir_all(ws.path().join("environments")).unwrap();
    std::fs::write(
        ws.path().join("environments/local.json"),
        "{\n  \"varibles\": {}\n}\n",
    )
    .unwrap();
    let out = postie(ws.path())
        .args(["send", "api/get", "--env", "local"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("environments/local.json:2:3: warning: unknown field `varibles`; did you mean `variables`?"),
        "{err}"
    );
}
