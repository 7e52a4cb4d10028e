//! `postie check` end to end: secrets planted in a workspace's committed
//! files are each reported with file and line (never shown), a clean
//! workspace and the demo pass, `postie run` stops on a finding unless
//! `--no-check`, and in a git repository what git ignores is not checked
//! while `--staged` reads the index.

mod common;

use std::path::Path;
use std::process::Command as Process;

use common::*;
use serde_json::{json, Value};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const SECRET_VAR: &str = "sv-PLANTED-1a2b3c4d";
const PROCESS_VAR: &str = "pv-PLANTED-5e6f7a8b";
const AWS_ID: &str = "AKIA2E0A8F3B244C9986";
const AWS_SECRET: &str = "7k2Jd9Lq0Zx4Vb8Nm3Rt6Yw1Pc5Hs2Gf8Ue4Ia0O";
const URL_PASSWORD: &str = "pw-PLANTED-9c0d";
const BEARER: &str = "bt-PLANTED-8f3Kq9ZxL2mN7vB4";
const PEM_LINE: &str = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2dFzPLANTED0123456789abcdefg";

/// A workspace with one secret variable (`api_token` of `staging`) and
/// nothing else to find.
fn clean_workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "postie.json", "{\n  \"format\": 1\n}\n");
    write(
        root,
        "environments/staging.json",
        "{\n  \"variables\": {\n    \"base_url\": \"http://127.0.0.1:1\",\n    \"api_token\": {\"secret\": true},\n    \"db_password\": {\"secret\": true}\n  }\n}\n",
    );
    write(
        root,
        ".postie/secrets/staging.json",
        &json!({"api_token": SECRET_VAR, "short": "abc"}).to_string(),
    );
    write(root, "api/collection.json", "{\n  \"name\": \"API\"\n}\n");
    write(
        root,
        "api/get.json",
        "{\n  \"method\": \"GET\",\n  \"url\": \"{{base_url}}/get\",\n  \"headers\": [\n    {\"name\": \"Authorization\", \"value\": \"Bearer {{api_token}}\"}\n  ],\n  \"auth\": {\"type\": \"basic\", \"username\": \"ada\", \"password\": \"{{db_password}}\"}\n}\n",
    );
    // Near misses: a short value, a placeholder, a template, a commit id.
    write(
        root,
        "api/get.md",
        "Send `Authorization: Bearer <token>` with your token, e.g. `abc` or\nhttps://user:{{password}}@host/ (commit 3f786850e387550fdab836ed7e6dc881de23001b).\n",
    );
    d
}

/// The clean workspace with a secret of each kind planted.
fn planted_workspace() -> tempfile::TempDir {
    let d = clean_workspace();
    let root = d.path();
    // Line 5: the secret variable's value in a header.
    write(
        root,
        "api/leaky.json",
        &format!(
            "{{\n  \"method\": \"POST\",\n  \"url\": \"https://ada:{URL_PASSWORD}@127.0.0.1:1/x\",\n  \"headers\": [\n    {{\"name\": \"X-Token\", \"value\": \"{SECRET_VAR}\"}}\n  ],\n  \"auth\": {{\n    \"type\": \"bearer\",\n    \"token\": \"{BEARER}\"\n  }}\n}}\n"
        ),
    );
    write(
        root,
        "api/leaky.body.json",
        &format!("{{\n  \"token\": \"{SECRET_VAR}\",\n  \"db\": \"{PROCESS_VAR}\"\n}}\n"),
    );
    write(
        root,
        "api/leaky.pre.js",
        &format!("// sign in\nconst t = \"{SECRET_VAR}\";\npm.variables.set(\"t\", t);\n"),
    );
    write(
        root,
        "api/leaky.test.js",
        &format!("const id = '{AWS_ID}';\nconst key = '{AWS_SECRET}';\n"),
    );
    write(
        root,
        "api/collection.md",
        &format!("Key for tests:\n\n-----BEGIN RSA PRIVATE KEY-----\n{PEM_LINE}\n-----END RSA PRIVATE KEY-----\n"),
    );
    d
}

fn check(root: &Path, args: &[&str]) -> std::process::Output {
    postie(root)
        .arg("check")
        .args(args)
        .env("POSTIE_VAR_db_password", PROCESS_VAR)
        .output()
        .unwrap()
}

fn assert_no_secret_shown(out: &std::process::Output) {
    let all = format!("{}{}", stdout(out), stderr(out));
    for s in [
        SECRET_VAR,
        PROCESS_VAR,
        AWS_ID,
        AWS_SECRET,
        URL_PASSWORD,
        BEARER,
        PEM_LINE,
    ] {
        assert!(!all.contains(s), "{s} shown:\n{all}");
        assert!(
            !all.contains(&s[..s.len() / 2]),
            "half of {s} shown:\n{all}"
        );
    }
}

#[test]
fn every_planted_secret_is_reported_with_file_and_line_never_shown() {
    let d = planted_workspace();
    let out = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(9), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "api/leaky.json:3:23: password in a URL: pw-…",
        "api/leaky.json:5:35: value of secret variable `api_token` of environment `staging`: sv-P…",
        "api/leaky.json:9:15: bearer auth `token` written as is: bt-P…",
        "api/leaky.body.json:2:13: value of secret variable `api_token`",
        "api/leaky.body.json:3:10: value of POSTIE_VAR_db_password (`db_password` is a secret variable): pv-P…",
        "api/leaky.pre.js:2:12: value of secret variable `api_token`",
        "api/leaky.test.js:1:13: AWS access key id: AKIA…",
        "api/leaky.test.js:2:14: AWS secret access key: 7k2J…",
        "api/collection.md:3:1: private key: -----BEGIN RSA PRIVATE KEY-----…",
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
    assert_eq!(text.lines().count(), 9, "{text}");
    assert!(
        stderr(&out).contains("9 possible secrets in 5 files"),
        "{}",
        stderr(&out)
    );
    assert_no_secret_shown(&out);
}

#[test]
fn json_findings_for_tools() {
    let d = planted_workspace();
    let out = check(d.path(), &["--json"]);
    assert_eq!(out.status.code(), Some(9));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 9);
    let pem = findings
        .iter()
        .find(|f| f["kind"] == "private_key")
        .unwrap();
    assert_eq!(pem["file"], "api/collection.md");
    assert_eq!(pem["line"], 3);
    assert_eq!(pem["column"], 1);
    assert!(v["files_checked"].as_u64().unwrap() >= 10, "{v}");
    assert_no_secret_shown(&out);
}

#[test]
fn a_folder_or_file_checks_only_that_and_paths_stay_relative_to_the_root() {
    let d = planted_workspace();
    let out = check(d.path(), &["api/leaky.test.js"]);
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    assert!(stdout(&out).starts_with("api/leaky.test.js:1:13:"));
    let out = check(&d.path().join("api"), &["."]);
    assert_eq!(out.status.code(), Some(9));
    assert!(stdout(&out).contains("api/leaky.json:"), "{}", stdout(&out));
    let out = check(d.path(), &["environments"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_clean_workspace_and_the_demo_pass() {
    let d = clean_workspace();
    let out = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("no secrets found in"),
        "{}",
        stderr(&out)
    );
    let demo = demo_copy();
    let out = postie(demo.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_bad_path_or_no_workspace_is_an_input_error() {
    let d = clean_workspace();
    let out = check(d.path(), &["no/such/dir"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such/dir"), "{}", stderr(&out));
    let empty = tempfile::tempdir().unwrap();
    let out = check(empty.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no postie workspace"));
}

#[test]
fn findings_are_silenced_by_the_allow_file_and_the_inline_mark() {
    let d = planted_workspace();
    let root = d.path();
    write(
        root,
        "api/leaky.pre.js",
        &format!("const t = \"{SECRET_VAR}\"; // postie-check: allow\n"),
    );
    let hash = postie::check::sha256_hex(BEARER);
    write(
        root,
        ".postie-check-allow",
        &format!("# fixtures\napi/leaky.body.json\napi/collection.md\nsha256:{hash}\n"),
    );
    let out = check(root, &[]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(!text.contains("leaky.pre.js") && !text.contains("bearer auth"));
    write(root, ".postie-check-allow", "sha256:nothex\n");
    let out = check(root, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".postie-check-allow:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn run_stops_on_a_planted_secret_and_no_check_runs_anyway() {
    let server = echo();
    let d = clean_workspace();
    let root = d.path();
    write(
        root,
        "environments/staging.json",
        &format!(
            "{{\"variables\": {{\"base_url\": \"http://{}\", \"api_token\": {{\"secret\": true}}}}}}",
            server.addr()
        ),
    );
    write(
        root,
        "api/get.json",
        &format!(
            "{{\"method\": \"GET\", \"url\": \"{{{{base_url}}}}/get\", \"headers\": [{{\"name\": \"X-T\", \"value\": \"{SECRET_VAR}\"}}]}}"
        ),
    );
    let out = postie(root)
        .args(["run", "api", "--env", "staging"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(9), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("api/get.json:1:"), "{err}");
    assert!(err.contains("--no-check"), "{err}");
    assert!(!err.contains(SECRET_VAR) && !stdout(&out).contains(SECRET_VAR));
    assert!(!stdout(&out).contains("GET"), "nothing was sent");

    let out = postie(root)
        .args(["run", "api", "--env", "staging", "--no-check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("/get"), "{}", stdout(&out));
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn in_a_git_repository_ignored_files_are_skipped_and_staged_reads_the_index() {
    let d = clean_workspace();
    let root = d.path();
    if !git(root, &["init", "-q"]) {
        eprintln!("skipped: no git");
        return;
    }
    write(root, ".gitignore", "local-notes.txt\n");
    write(root, "local-notes.txt", &format!("token {SECRET_VAR}\n"));
    assert!(git(root, &["add", "-A"]));
    assert!(git(root, &["commit", "-qm", "clean"]));
    // Ignored by git: not checked (a walk without git would find it).
    let out = check(root, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // Untracked but not ignored: a commit would take it.
    write(
        root,
        "api/new.pre.js",
        &format!("const t = '{SECRET_VAR}';\n"),
    );
    let out = check(root, &[]);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        stdout(&out).contains("api/new.pre.js:1:12:"),
        "{}",
        stdout(&out)
    );
    // Not staged: the commit would not take it.
    let out = check(root, &["--staged"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // Staged with the secret, then fixed only in the tree: the index is
    // what the commit takes.
    assert!(git(root, &["add", "api/new.pre.js"]));
    write(
        root,
        "api/new.pre.js",
        "const t = pm.environment.get('api_token');\n",
    );
    let out = check(root, &["--staged"]);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        stdout(&out).contains("api/new.pre.js:1:12:"),
        "{}",
        stdout(&out)
    );
    assert_no_secret_shown(&out);
    let out = check(root, &["--staged", "api/new.pre.js"]);
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(stdout(&out), stdout(&check(root, &["--staged"])));
    let out = check(&root.join("api"), &["--staged", "get.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = check(root, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn staged_outside_a_repository_says_so() {
    let d = clean_workspace();
    let out = check(d.path(), &["--staged"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("git repository"), "{}", stderr(&out));
}

#[test]
fn many_files_are_checked() {
    let d = clean_workspace();
    let root = d.path();
    for i in 0..2000 {
        write(
            root,
            &format!("bulk/r{:04}.json", i),
            &format!("{{\"method\": \"GET\", \"url\": \"{{{{base_url}}}}/items/{i}\"}}"),
        );
    }
    write(root, "bulk/r1999.pre.js", &format!("// {SECRET_VAR}\n"));
    let out = check(root, &["--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["files_checked"].as_u64().unwrap() > 2000);
    assert_eq!(v["findings"][0]["file"], "bulk/r1999.pre.js");
}

/// On the real files of the corpus (Postman collections, .http, curl
/// commands, HAR, OpenAPI): every finding points at its value, whose start
/// is the excerpt, at the line and column given, across non-ASCII text and
/// long JSON lines; the excerpt stays short; and the literal credentials
/// of Postman's auth fixtures are found.
#[test]
fn corpus_findings_point_at_their_values() {
    let Some(corpus) = corpus("") else { return };
    let ws = clean_workspace();
    let report =
        postie::check::check(ws.path(), &corpus, &postie::check::Options::default()).unwrap();
    assert!(report.files_checked > 100, "{}", report.files_checked);
    for f in &report.findings {
        let text =
            String::from_utf8_lossy(&std::fs::read(corpus.join(&f.file)).unwrap()).into_owned();
        let line = text.lines().nth(f.line - 1).unwrap();
        let at: String = line.chars().skip(f.column - 1).collect();
        let shown = f.excerpt.trim_end_matches('…');
        assert!(shown.chars().count() <= 4 || f.kind == postie::check::Kind::PrivateKey);
        // Postman's and postie's JSON escape the same way, so the value
        // starts where the column says.
        assert!(
            at.starts_with(shown),
            "{}:{}:{} {:?}: {at:.40}",
            f.file,
            f.line,
            f.column,
            f.kind
        );
    }
    let kinds: Vec<String> = report.findings.iter().map(|f| f.kind.to_string()).collect();
    for expected in [
        "oauth1 auth `consumer_secret` written as is",
        "bearer auth `token` written as is",
        "JSON Web Token",
    ] {
        assert!(
            kinds.iter().any(|k| k == expected),
            "no {expected}: {kinds:#?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    let d = clean_workspace();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "key.txt", &format!("token {SECRET_VAR}\n"));
    std::os::unix::fs::symlink(outside.path().join("key.txt"), d.path().join("api/key.txt"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), d.path().join("outside")).unwrap();
    let out = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    if git(d.path(), &["init", "-q"]) {
        let out = check(d.path(), &[]);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    }
}
