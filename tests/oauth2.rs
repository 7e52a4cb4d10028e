//! OAuth 2.0 end to end: every grant through `postie send` and `postie run`
//! against the local authorization server in `common::oauth_server`, with
//! the browser step of the code grant done by fetching the authorization
//! URL the way a browser would, and the user's device approval done by the
//! server's test hook.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::oauth_server::{browser_get, AuthServer, ClientAuth, ServerConfig, DEVICE_GRANT};
use common::*;
use serde_json::{json, Value};

const SECRET: &str = "postie-secret";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A workspace whose `api/get` request calls the server's `/api` with
/// `auth`; the client secret is a secret variable of environment `local`.
fn workspace(server: &AuthServer, auth: Value) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "postie.json", r#"{"format": 1}"#);
    write(
        root,
        "environments/local.json",
        &json!({"variables": {"client_secret": {"secret": true}}}).to_string(),
    );
    write(
        root,
        ".postie/secrets/local.json",
        &json!({ "client_secret": SECRET }).to_string(),
    );
    write(
        root,
        "api/collection.json",
        &json!({"name": "API", "auth": auth}).to_string(),
    );
    for name in ["get", "again"] {
        write(
            root,
            &format!("api/{name}.json"),
            &json!({"method": "GET", "url": server.api_url()}).to_string(),
        );
    }
    d
}

fn base_auth(server: &AuthServer, grant: &str) -> Value {
    json!({
        "type": "oauth2",
        "grant": grant,
        "token_url": server.token_url(),
        "client_id": "postie-client",
        "client_secret": "{{client_secret}}",
        "scope": "read",
    })
}

fn send(root: &Path, extra: &[&str]) -> std::process::Output {
    postie(root)
        .args(["send", "api/get", "--env", "local"])
        .args(extra)
        .output()
        .unwrap()
}

fn assert_ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
    assert!(stdout(out).contains(r#""ok":true"#), "{}", stdout(out));
}

fn cached_tokens(root: &Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(root.join(".postie/oauth2")) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn client_credentials_fetches_once_then_uses_the_cache() {
    let server = AuthServer::start(ServerConfig::default());
    let ws = workspace(&server, base_auth(&server, "client_credentials"));
    assert_ok(&send(ws.path(), &[]));
    assert_ok(&send(ws.path(), &[]));
    assert_eq!(server.grant_count("client_credentials"), 1);
    let token_requests = server.requests_to("/token");
    assert_eq!(token_requests[0].client_auth, ClientAuth::Basic);
    assert_eq!(token_requests[0].param("scope"), Some("read"));
    // The cache is one private file in the git-ignored state folder.
    let files = cached_tokens(ws.path());
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "token file mode {mode:o}");
    }
    assert!(ws.path().join(".postie/.gitignore").is_file());
    // Another environment is another token.
    write(ws.path(), "environments/other.json", r#"{"variables": {}}"#);
    let out = postie(ws.path())
        .args(["send", "api/get", "--env", "other"])
        .args(["--var", &format!("client_secret={SECRET}")])
        .output()
        .unwrap();
    assert_ok(&out);
    assert_eq!(server.grant_count("client_credentials"), 2);
}

/// `export curl` (and the app's copy as curl) gives a command that works:
/// with the cached token, or a note saying there is none yet.
#[test]
fn export_curl_carries_the_cached_token() {
    let server = AuthServer::start(ServerConfig::default());
    let ws = workspace(&server, base_auth(&server, "client_credentials"));
    let export = |root: &Path| {
        postie(root)
            .args(["export", "curl", "api/get", "--env", "local"])
            .output()
            .unwrap()
    };
    let before = export(ws.path());
    assert!(before.status.success(), "{}", stderr(&before));
    assert!(
        !stdout(&before).contains("Authorization"),
        "{}",
        stdout(&before)
    );
    assert!(stderr(&before).contains("no OAuth 2.0 token is cached"));
    assert_ok(&send(ws.path(), &[]));
    let after = export(ws.path());
    let token = server.issued_access_tokens().pop().unwrap();
    assert!(
        stdout(&after).contains(&format!("Authorization: Bearer {token}")),
        "{}",
        stdout(&after)
    );
    assert!(stderr(&after).is_empty(), "{}", stderr(&after));
    assert_eq!(
        server.grant_count("client_credentials"),
        1,
        "export fetches none"
    );
}

#[test]
fn client_secret_in_the_body_and_extra_parameters_go_where_the_settings_say() {
    let server = AuthServer::start(ServerConfig::default());
    let mut auth = base_auth(&server, "client_credentials");
    auth["client_auth"] = json!("body");
    auth["audience"] = json!("https://api.example");
    auth["params"] = json!({"token": [{"key": "tenant", "value": "acme"}]});
    let ws = workspace(&server, auth);
    assert_ok(&send(ws.path(), &[]));
    let r = &server.requests_to("/token")[0];
    assert_eq!(r.client_auth, ClientAuth::Body);
    assert_eq!(r.param("audience"), Some("https://api.example"));
    assert_eq!(r.param("tenant"), Some("acme"));
}

#[test]
fn token_in_the_query_with_a_custom_prefix_elsewhere() {
    let server = AuthServer::start(ServerConfig::default());
    let mut auth = base_auth(&server, "client_credentials");
    auth["in"] = json!("query");
    let ws = workspace(&server, auth);
    assert_ok(&send(ws.path(), &[]));
    let api = server.requests_to("/api");
    assert!(api[0].query.iter().any(|(k, _)| k == "access_token"));
    assert!(api[0].header("authorization").is_none());
}

#[test]
fn password_grant_and_a_wrong_password_shown_as_the_server_said() {
    let server = AuthServer::start(ServerConfig::default());
    let mut auth = base_auth(&server, "password");
    auth["username"] = json!("alice");
    auth["password"] = json!("wonderland");
    let ws = workspace(&server, auth.clone());
    assert_ok(&send(ws.path(), &[]));
    assert_eq!(server.grant_count("password"), 1);

    auth["password"] = json!("wrong");
    let ws = workspace(&server, auth);
    let out = send(ws.path(), &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("invalid_grant"), "{err}");
    assert!(err.contains("token request"), "{err}");
    assert!(
        server.requests_to("/api").len() == 1,
        "the request was sent"
    );
}

#[test]
fn a_wrong_client_secret_is_invalid_client_and_nothing_is_sent() {
    let server = AuthServer::start(ServerConfig::default());
    let ws = workspace(&server, base_auth(&server, "client_credentials"));
    let out = postie(ws.path())
        .args([
            "send",
            "api/get",
            "--env",
            "local",
            "--var",
            "client_secret=nope",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("invalid_client"), "{err}");
    assert!(err.contains(&server.token_url()), "{err}");
    assert!(server.requests_to("/api").is_empty());
    assert!(cached_tokens(ws.path()).is_empty());
}

#[test]
fn an_expiring_token_is_refreshed_and_a_401_gets_one_retry() {
    let server = AuthServer::start(ServerConfig {
        expires_in: 3600,
        refresh_for_client_credentials: true,
        ..ServerConfig::default()
    });
    let ws = workspace(&server, base_auth(&server, "client_credentials"));
    assert_ok(&send(ws.path(), &[]));
    // The server forgets the token: the cached one gets a 401, postie
    // refreshes and sends again once.
    server.revoke_all_access_tokens();
    let out = send(ws.path(), &["-v"]);
    assert_ok(&out);
    assert_eq!(server.grant_count("refresh_token"), 1);
    assert_eq!(server.grant_count("client_credentials"), 1);
    assert_eq!(server.requests_to("/api").len(), 3);

    // A token about to expire is refreshed before it is used.
    let short = AuthServer::start(ServerConfig {
        expires_in: 1,
        refresh_for_client_credentials: true,
        ..ServerConfig::default()
    });
    let ws = workspace(&short, base_auth(&short, "client_credentials"));
    assert_ok(&send(ws.path(), &[]));
    assert_ok(&send(ws.path(), &[]));
    assert_eq!(short.grant_count("refresh_token"), 1);
    assert_eq!(short.requests_to("/api").len(), 2, "no 401 on the way");

    // A dead refresh token: the grant runs again.
    short.revoke_all_refresh_tokens();
    assert_ok(&send(ws.path(), &[]));
    assert_eq!(short.grant_count("client_credentials"), 2);
}

/// `postie send` running in the background, its stderr read line by line.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: String,
}

impl Running {
    fn start(root: &Path) -> Running {
        Running::with_args(root, SEND)
    }

    fn with_args(root: &Path, args: &[&str]) -> Running {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("postie"));
        cmd.current_dir(root)
            .args(args)
            .env_remove("POSTIE_ENV")
            .env_remove("POSTIE_WORKSPACE")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let err = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Running {
            child,
            lines,
            seen: String::new(),
        }
    }

    /// The first stderr line for which `pick` gives something, within 20 s.
    fn wait_for<T>(&mut self, pick: impl Fn(&str) -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                    if let Some(t) = pick(&line) {
                        return t;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("waited in vain; stderr so far:\n{}", self.seen)
                }
            }
        }
    }

    fn finish(mut self) -> (bool, String, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("postie did not finish; stderr:\n{}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let status = self.child.wait().unwrap();
        let mut out = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push_str(&line);
            self.seen.push('\n');
        }
        (status.success(), out, self.seen)
    }
}

fn url_in(line: &str) -> Option<String> {
    let at = line.find("http://")?;
    Some(line[at..].split_whitespace().next()?.to_string())
}

/// The code grant started with `args`: the workspace, the running postie
/// and the authorization URL it printed. `redirect`: a `redirect_uri` not
/// on this machine (pasted back), or `None` for the loopback listener.
fn code_grant(
    server: &AuthServer,
    redirect: Option<&str>,
    args: &[&str],
) -> (tempfile::TempDir, Running, String) {
    let mut auth = base_auth(server, "authorization_code");
    auth["auth_url"] = json!(server.authorize_url());
    if let Some(r) = redirect {
        auth["redirect_uri"] = json!(r);
    }
    let ws = workspace(server, auth);
    let mut run = Running::with_args(ws.path(), args);
    let url = run.wait_for(|l| url_in(l).filter(|u| u.contains("/authorize?")));
    (ws, run, url)
}

const SEND: &[&str] = &["send", "api/get", "--env", "local"];
const ELSEWHERE: Option<&str> = Some("https://app.example/callback");

#[test]
fn code_grant_with_pkce_through_the_loopback_redirect() {
    let server = AuthServer::start(ServerConfig::default());
    let (_ws, run, url) = code_grant(&server, None, SEND);
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    // The browser: the server approves and redirects to postie's listener.
    let (status, location) = browser_get(&url);
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
    let (status, _) = browser_get(&location);
    assert_eq!(status, 200, "the listener answers the browser");
    let (ok, out, err) = run.finish();
    assert!(ok, "{err}");
    assert!(out.contains(r#""ok":true"#), "{out}");
    let token = &server.requests_to("/token")[0];
    assert_eq!(token.grant_type.as_deref(), Some("authorization_code"));
    assert!(token.param("code_verifier").is_some());
}

#[test]
fn a_pasted_redirect_with_another_state_is_refused() {
    let server = AuthServer::start(ServerConfig::default());
    // Not on this machine: postie cannot listen, the user pastes.
    let (_ws, mut run, url) = code_grant(&server, ELSEWHERE, SEND);
    run.wait_for(|l| l.contains("paste").then_some(()));
    let (status, location) = browser_get(&url);
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert!(location.starts_with("https://app.example/callback?"));
    let mut stdin = run.child.stdin.take().unwrap();
    // A redirect that is not the answer to this request (RFC 6749 10.12).
    writeln!(stdin, "https://app.example/callback?state=forged&code=x").unwrap();
    drop(stdin);
    let (ok, _out, err) = run.finish();
    assert!(!ok, "{err}");
    assert!(err.contains("state does not match"), "{err}");
    assert!(err.contains("authorization"), "{err}");
    assert!(server.requests_to("/token").is_empty());
}

#[test]
fn a_pasted_redirect_url_completes_the_code_grant() {
    let server = AuthServer::start(ServerConfig::default());
    let (_ws, mut run, url) = code_grant(&server, ELSEWHERE, SEND);
    let (_, location) = browser_get(&url);
    let mut stdin = run.child.stdin.take().unwrap();
    writeln!(stdin, "{}", location.unwrap()).unwrap();
    let (ok, out, err) = run.finish();
    assert!(ok, "{err}");
    assert!(out.contains(r#""ok":true"#), "{out}");
}

#[test]
fn a_denied_authorization_is_shown_as_the_server_said() {
    let server = AuthServer::start(ServerConfig {
        deny_authorization: true,
        ..ServerConfig::default()
    });
    let (_ws, run, url) = code_grant(&server, None, SEND);
    let (_, location) = browser_get(&url);
    browser_get(&location.unwrap());
    let (ok, _, err) = run.finish();
    assert!(!ok);
    assert!(err.contains("access_denied"), "{err}");
    assert!(server.requests_to("/api").is_empty());
}

fn device_auth(server: &AuthServer) -> Value {
    let mut auth = base_auth(server, "device_code");
    auth["device_url"] = json!(server.device_url());
    auth
}

#[test]
fn device_grant_shows_the_code_and_polls_until_approved() {
    let server = AuthServer::start(ServerConfig::default());
    let ws = workspace(&server, device_auth(&server));
    let mut run = Running::start(ws.path());
    let code = run.wait_for(|l| {
        let t = l.trim();
        (t.len() == 9 && t.as_bytes()[4] == b'-').then(|| t.to_string())
    });
    assert!(
        run.seen.contains(&server.verification_url()),
        "{}",
        run.seen
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(server.approve_device(&code));
    let (ok, out, err) = run.finish();
    assert!(ok, "{err}");
    assert!(out.contains(r#""ok":true"#), "{out}");
    assert!(server.grant_count(DEVICE_GRANT) >= 2, "it polled");
}

#[test]
fn device_grant_slows_down_when_told_and_stops_when_denied_or_expired() {
    let server = AuthServer::start(ServerConfig {
        slow_down_once: true,
        device_auto_approve_after: Some(3),
        ..ServerConfig::default()
    });
    let ws = workspace(&server, device_auth(&server));
    let started = Instant::now();
    assert_ok(&send(ws.path(), &[]));
    // slow_down adds 5 s to the interval (RFC 8628 3.5).
    assert!(started.elapsed() >= Duration::from_secs(5));
    let polls: Vec<Instant> = (server.requests_to("/token").iter())
        .filter(|r| r.grant_type.as_deref() == Some(DEVICE_GRANT))
        .map(|r| r.at)
        .collect();
    assert!(polls.len() >= 3, "{}", polls.len());
    assert!(polls[2] - polls[1] >= Duration::from_secs(5));

    for (hook, error) in [("deny", "access_denied"), ("expire", "expired_token")] {
        let server = AuthServer::start(ServerConfig::default());
        let ws = workspace(&server, device_auth(&server));
        let mut run = Running::start(ws.path());
        let code = run.wait_for(|l| {
            let t = l.trim();
            (t.len() == 9 && t.as_bytes()[4] == b'-').then(|| t.to_string())
        });
        match hook {
            "deny" => assert!(server.deny_device(&code)),
            _ => assert!(server.expire_device(&code)),
        }
        let (ok, _, err) = run.finish();
        assert!(!ok);
        assert!(err.contains(error), "{hook}: {err}");
    }
}

#[test]
fn run_shares_one_token_across_the_collection() {
    for grant in ["client_credentials", "password"] {
        let server = AuthServer::start(ServerConfig::default());
        let mut auth = base_auth(&server, grant);
        auth["username"] = json!("alice");
        auth["password"] = json!("wonderland");
        let ws = workspace(&server, auth);
        let out = postie(ws.path())
            // A literal password on purpose: `postie check` would stop it.
            .args(["run", "api", "--env", "local", "-n", "2", "--no-check"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
        assert_eq!(server.requests_to("/api").len(), 4);
        assert_eq!(server.grant_count(grant), 1, "{grant}");
    }
}

/// `postie run` in CI or over SSH: the device code on stderr, one approval
/// for the whole run.
#[test]
fn run_with_the_device_grant_asks_once() {
    let server = AuthServer::start(ServerConfig::default());
    let ws = workspace(&server, device_auth(&server));
    let mut run = Running::with_args(ws.path(), &["run", "api", "--env", "local"]);
    let code = run.wait_for(|l| {
        let t = l.trim();
        (t.len() == 9 && t.as_bytes()[4] == b'-').then(|| t.to_string())
    });
    assert!(server.approve_device(&code));
    let (ok, out, err) = run.finish();
    assert!(ok, "{out}\n{err}");
    assert_eq!(server.requests_to("/api").len(), 2);
    assert_eq!(server.user_codes().len(), 1, "one prompt for the run");
}

/// `postie run` with the code grant over SSH: the redirected URL pasted on
/// stdin.
#[test]
fn run_with_the_code_grant_takes_the_pasted_redirect() {
    let server = AuthServer::start(ServerConfig::default());
    let (_ws, mut run, url) = code_grant(&server, ELSEWHERE, &["run", "api", "--env", "local"]);
    let (_, location) = browser_get(&url);
    let mut stdin = run.child.stdin.take().unwrap();
    writeln!(stdin, "{}", location.unwrap()).unwrap();
    let (ok, out, err) = run.finish();
    assert!(ok, "{out}\n{err}");
    assert_eq!(server.requests_to("/api").len(), 2);
    assert_eq!(server.grant_count("authorization_code"), 1);
}

/// "Done means": a Postman collection with OAuth 2.0 client credentials
/// runs under `postie run` as it is, and after `postie import`.
#[test]
fn a_postman_collection_with_client_credentials_runs_without_editing() {
    let server = AuthServer::start(ServerConfig::default());
    let collection = json!({
        "info": {"name": "Billing", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "auth": {"type": "oauth2", "oauth2": [
            {"key": "grant_type", "value": "client_credentials", "type": "string"},
            {"key": "accessTokenUrl", "value": "{{token_url}}", "type": "string"},
            {"key": "clientId", "value": "postie-client", "type": "string"},
            {"key": "clientSecret", "value": SECRET, "type": "string"},
            {"key": "scope", "value": "read", "type": "string"},
            {"key": "client_authentication", "value": "body", "type": "string"},
            {"key": "addTokenTo", "value": "header", "type": "string"},
            {"key": "tokenName", "value": "billing", "type": "string"}
        ]},
        "variable": [{"key": "token_url", "value": server.token_url()}],
        "item": [{
            "name": "Invoices",
            "request": {"method": "GET", "url": server.api_url()},
            "event": [{"listen": "test", "script": {"exec": [
                "pm.test('authorized', () => pm.response.to.have.status(200));"
            ]}}]
        }]
    });
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "billing.postman_collection.json",
        &collection.to_string(),
    );
    let out = postie(d.path())
        .args(["run", "billing.postman_collection.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("authorized"), "{}", stdout(&out));
    assert_eq!(server.grant_count("client_credentials"), 1);
    assert_eq!(
        server.requests_to("/token")[0].client_auth,
        ClientAuth::Body
    );

    // Imported into a workspace: the secret moves to a secret variable
    // and the request runs the same.
    let ws = tempfile::tempdir().unwrap();
    postie(ws.path()).args(["init", "."]).assert().success();
    let out = postie(ws.path())
        .arg("import")
        .arg(d.path().join("billing.postman_collection.json"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("auth type oauth2"),
        "{}",
        stdout(&out)
    );
    let committed = all_committed(ws.path());
    assert!(!committed.contains(SECRET), "{committed}");
    let out = postie(ws.path()).args(["run", "billing"]).output().unwrap();
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
}

/// The text of every file outside the state folder.
fn all_committed(dir: &Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.file_name().is_some_and(|n| n == ".postie") {
            continue;
        }
        if p.is_dir() {
            out.push_str(&all_committed(&p));
        } else {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    out
}

/// Tokens and the client secret reach no history, log, `-v` output or
/// committed file.
#[test]
fn tokens_and_the_client_secret_never_leak() {
    let server = AuthServer::start(ServerConfig {
        refresh_for_client_credentials: true,
        ..ServerConfig::default()
    });
    let ws = workspace(&server, base_auth(&server, "client_credentials"));
    let out = send(ws.path(), &["-v", "--log-level", "trace"]);
    assert_ok(&out);
    server.revoke_all_access_tokens();
    let again = send(ws.path(), &["-v", "--log-level", "trace"]);
    assert_ok(&again);
    let run = postie(ws.path())
        .args(["run", "api", "--env", "local", "--log-level", "trace"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let issued = server.issued_access_tokens();
    assert_eq!(issued.len(), 2, "{issued:?}");
    let mut secrets: Vec<String> = issued;
    secrets.push(SECRET.into());
    secrets.extend(
        (server.requests_to("/token").iter())
            .filter_map(|r| r.param("refresh_token").map(String::from)),
    );
    let mut shown = String::new();
    for o in [&out, &again, &run] {
        shown.push_str(&stdout(o));
        shown.push_str(&stderr(o));
    }
    // The body echoes the token by design: the server's answer is data.
    let shown = shown.replace(r#""token":"at-"#, "");
    let committed = all_committed(ws.path());
    let mut state = String::new();
    for e in walk(&ws.path().join(".postie")) {
        // The token cache and the secrets file hold them by design.
        let by_design = [".postie/oauth2", ".postie/secrets"];
        if !by_design.iter().any(|d| e.starts_with(ws.path().join(d))) {
            state.push_str(&String::from_utf8_lossy(&std::fs::read(&e).unwrap()));
        }
    }
    for s in &secrets {
        assert!(!shown.contains(s.as_str()), "{s} shown:\n{shown}");
        assert!(!committed.contains(s.as_str()), "{s} in a committed file");
        assert!(
            !state.contains(s.as_str()),
            "{s} in history or logs:\n{state}"
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
