//! `postie send` against a real server on 127.0.0.1: the demo workspace,
//! every body and auth kind, errors and exit codes.

mod common;

use common::*;
use serde_json::Value;

fn send_json(dir: &std::path::Path, base: &str, request: &str) -> Value {
    let out = postie(dir)
        .args(["send", request, "--env", "local", "--json", "--var"])
        .arg(format!("base_url={base}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{request}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{request}: {e}\n{}", stdout(&out)))
}

fn echoed(report: &Value) -> Value {
    serde_json::from_str(report["body"].as_str().unwrap()).unwrap()
}

fn header<'a>(echo: &'a Value, name: &str) -> Vec<&'a str> {
    echo["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(name))
        .map(|h| h[1].as_str().unwrap())
        .collect()
}

#[test]
fn every_demo_request_answers_from_postie_echo() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();
    let list = postie(ws.path()).args(["ls", "--plain"]).output().unwrap();
    assert!(list.status.success(), "{}", stderr(&list));
    let paths: Vec<String> = stdout(&list).lines().map(String::from).collect();
    assert!(paths.len() >= 25, "{paths:?}");
    for path in &paths {
        let r = send_json(ws.path(), base, path);
        let status = r["status"].as_u64().unwrap();
        let expected = if path == "http/teapot" {
            418
        } else if path == "http/no-follow" {
            302
        } else {
            200
        };
        assert_eq!(status, expected, "{path}: {r}");
    }
}

#[test]
fn bodies_and_auth_arrive_as_the_server_sees_them() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();

    let r = echoed(&send_json(ws.path(), base, "bodies/form-login"));
    assert_eq!(
        r["form"],
        serde_json::json!([["username", "ada"], ["password", "open-sesame"]])
    );

    let r = echoed(&send_json(ws.path(), base, "bodies/upload-avatar"));
    let parts = r["multipart"].as_array().unwrap();
    assert_eq!(parts[0]["value"], "42");
    assert_eq!(parts[1]["filename"], "avatar.png");
    assert_eq!(parts[1]["content_type"], "image/png");
    assert_eq!(parts[1]["size"], 70);

    let r = echoed(&send_json(ws.path(), base, "bodies/graphql-viewer"));
    assert_eq!(r["json"]["variables"]["id"], "42");
    assert!(r["json"]["query"]
        .as_str()
        .unwrap()
        .starts_with("query Viewer"));

    let r = echoed(&send_json(ws.path(), base, "bodies/upload-report"));
    assert_eq!(r["body"], "quarter,revenue\n2026-Q3,1200\n");
    assert_eq!(header(&r, "content-type"), ["text/csv"]);

    let r = echoed(&send_json(ws.path(), base, "bodies/text-note"));
    assert_eq!(
        r["body"],
        "Remember: ünïcode, tabs\tand \"quotes\" survive as they are.\n"
    );

    let r = echoed(&send_json(ws.path(), base, "users/get-user"));
    assert_eq!(header(&r, "authorization"), ["Bearer local-dev-token"]);
    assert_eq!(header(&r, "x-client"), ["postie-demo"]);
    assert_eq!(r["path"], "/v1/users/42");

    let r = echoed(&send_json(ws.path(), base, "users/admin/list-sessions"));
    assert_eq!(header(&r, "authorization"), ["Basic YWRhOm9wZW4tc2VzYW1l"]);
    assert_eq!(header(&r, "x-admin"), ["true"]);

    let r = echoed(&send_json(ws.path(), base, "auth/api-key-query"));
    assert_eq!(
        r["query"],
        serde_json::json!([["q", "tea & biscuits"], ["api_key", "local-dev-token"]])
    );

    let r = send_json(ws.path(), base, "auth/digest");
    assert_eq!(echoed(&r)["authenticated"], true);

    let r = send_json(ws.path(), base, "http/redirects");
    assert_eq!(r["redirects"].as_array().unwrap().len(), 3);

    let r = send_json(ws.path(), base, "http/gzip");
    assert!(r["size"]["wire"].as_u64().unwrap() < r["size"]["decoded"].as_u64().unwrap());

    let r = send_json(ws.path(), base, "http/http2");
    assert_eq!(r["http_version"], "HTTP/2");
}

#[test]
fn the_body_goes_to_stdout_and_the_head_to_stderr_with_include() {
    let server = echo();
    let ws = demo_copy();
    let out = postie(ws.path())
        .args(["send", "users/get-user.json", "-e", "local", "-i", "--var"])
        .arg(format!("base_url={}", server.url("").trim_end_matches('/')))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["method"], "GET");
    let err = stderr(&out);
    assert!(err.starts_with("HTTP/1.1 200 OK\n"), "{err}");
    assert!(
        err.to_lowercase()
            .contains("content-type: application/json"),
        "{err}"
    );
}

#[test]
fn output_to_a_file_keeps_stdout_empty() {
    let server = echo();
    let ws = demo_copy();
    let out = postie(ws.path())
        .args([
            "send",
            "http/big-json",
            "-e",
            "local",
            "-o",
            "big.json",
            "--var",
        ])
        .arg(format!("base_url={}", server.url("").trim_end_matches('/')))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(ws.path().join("big.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v.as_array().unwrap().len() > 100);
}

/// The demo's postie.json without its `default_environment`, so a send
/// without --env uses no environment.
fn without_default_environment(ws: &std::path::Path) {
    let file = ws.join("postie.json");
    let mut config: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    config
        .as_object_mut()
        .unwrap()
        .remove("default_environment");
    std::fs::write(&file, serde_json::to_string_pretty(&config).unwrap()).unwrap();
}

#[test]
fn undefined_variables_are_named_with_their_location_and_nothing_is_sent() {
    let ws = demo_copy();
    without_default_environment(ws.path());
    // No --env: base_url, user_id and api_token are all undefined.
    let out = postie(ws.path())
        .args(["send", "users/get-user"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("undefined variable `user_id` in the URL"),
        "{err}"
    );
    assert!(err.contains("--> users/get-user.json:4:"), "{err}");
    assert!(
        err.contains("undefined variable `api_token` in auth token"),
        "{err}"
    );
    assert!(err.contains("not sent:"), "{err}");
}

#[test]
fn a_missing_secret_says_where_to_put_it() {
    let ws = demo_copy();
    let out = postie(ws.path())
        .args(["send", "auth/bearer", "--env", "staging"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".postie/secrets/staging.json or set POSTIE_VAR_api_token"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn secrets_from_the_process_environment_are_used() {
    let server = echo();
    let ws = demo_copy();
    let out = postie(ws.path())
        .args(["send", "auth/bearer", "--env", "staging", "--json", "--var"])
        .arg(format!("base_url={}", server.url("").trim_end_matches('/')))
        .env("POSTIE_VAR_api_token", "from-env")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let sent = r["request"]["headers"].as_array().unwrap();
    assert!(sent
        .iter()
        .any(|h| h[0] == "Authorization" && h[1] == "Bearer from-env"));
}

#[test]
fn network_failures_have_their_own_exit_codes() {
    let ws = demo_copy();
    // A port nothing listens on: bind, note it, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = postie(ws.path())
        .args(["send", "http/gzip", "-e", "local", "--var"])
        .arg(format!("base_url=http://127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("refused"), "{err}");

    let server = echo();
    let out = postie(ws.path())
        .args([
            "send",
            "http/slow",
            "-e",
            "local",
            "--timeout",
            "0.05",
            "--var",
        ])
        .arg(format!("base_url={}", server.url("").trim_end_matches('/')))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("timed out"));
}

#[test]
fn an_unknown_request_suggests_the_closest() {
    let ws = demo_copy();
    let out = postie(ws.path())
        .args(["send", "users/get-usr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `users/get-user`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_malformed_request_is_reported_with_line_and_column() {
    let ws = demo_copy();
    std::fs::write(
        ws.path().join("users/get-user.json"),
        "{\n  \"method\": \"GET\"\n  \"url\": \"x\"\n}\n",
    )
    .unwrap();
    let out = postie(ws.path())
        .args(["send", "users/get-user", "-e", "local"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--> users/get-user.json:3:3"), "{err}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let ws = demo_copy();
    let out = postie(ws.path())
        .args(["send", "users/get-user", "--var", "novalue"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("NAME=VALUE"));
    let out = postie(ws.path())
        .args(["send", "users/get-user", "-e", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no environment `nope` (environments: local, staging)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_an_environment_an_undefined_variable_names_the_workspace_environments() {
    let ws = demo_copy();
    without_default_environment(ws.path());
    let out = postie(ws.path())
        .args(["send", "users/get-user"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no environment chosen; this workspace has: local, staging (pass --env NAME)"),
        "{err}"
    );
    // A variable of the process environment is not the environment's to define.
    let out = postie(ws.path())
        .args(["send", "users/get-user", "-e", "local"])
        .output()
        .unwrap();
    assert!(
        !stderr(&out).contains("no environment chosen"),
        "{}",
        stderr(&out)
    );
}

/// The URL `send --json` reports for users/get-user, and what it said on stderr.
fn sent_user_url(ws: &std::path::Path, base: &str) -> (String, String) {
    let out = postie(ws)
        .args(["send", "users/get-user", "--json", "--var"])
        .arg(format!("base_url={base}"))
        .env("POSTIE_VAR_api_token", "t")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    (
        r["request"]["url"].as_str().unwrap().to_string(),
        stderr(&out),
    )
}

#[test]
fn send_without_env_uses_the_remembered_then_the_default_environment_and_says_which() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();

    // postie.json names `local` (user_id 42) as the default.
    let (url, err) = sent_user_url(ws.path(), base);
    assert!(url.ends_with("/users/42"), "{url}");
    assert!(
        err.contains("using environment `local`, postie.json's default_environment"),
        "{err}"
    );

    // The app remembered `staging` (user_id 7): that wins over the default.
    std::fs::create_dir_all(ws.path().join(".postie")).unwrap();
    std::fs::write(
        ws.path().join(".postie/state.json"),
        "{\"environment\": \"staging\"}",
    )
    .unwrap();
    let (url, err) = sent_user_url(ws.path(), base);
    assert!(url.ends_with("/users/7"), "{url}");
    assert!(
        err.contains("using environment `staging`, the last chosen in the app"),
        "{err}"
    );

    // --env wins over both, and is not announced.
    let out = postie(ws.path())
        .args(["send", "users/get-user", "--json", "-e", "local", "--var"])
        .arg(format!("base_url={base}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("using"), "{}", stderr(&out));

    // A corrupt state file is ignored with a warning; the default applies.
    std::fs::write(ws.path().join(".postie/state.json"), "{oops").unwrap();
    let (url, err) = sent_user_url(ws.path(), base);
    assert!(url.ends_with("/users/42"), "{url}");
    assert!(
        err.contains("warning: ignoring the remembered environment"),
        "{err}"
    );

    // A remembered environment that was deleted is skipped with a warning.
    std::fs::write(
        ws.path().join(".postie/state.json"),
        "{\"environment\": \"gone\"}",
    )
    .unwrap();
    let (url, err) = sent_user_url(ws.path(), base);
    assert!(url.ends_with("/users/42"), "{url}");
    assert!(err.contains("`gone`, no longer exists"), "{err}");
}

#[test]
fn oauth1_and_hawk_signatures_verify_at_postie_echo() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();
    // postman-echo's published credentials; timestamp and nonce fresh.
    let oauth = r#""consumer_key": "RKCGzna7bv9YD57c", "consumer_secret": "D+EdQ-gs$-%@2Nu7""#;
    let files = [
        (
            "http/oauth-header.json",
            format!(
                r#"{{"method": "GET", "url": "{{{{base_url}}}}/oauth1?q=a b",
                    "auth": {{"type": "oauth1", {oauth}, "signature_method": "HMAC-SHA256"}}}}"#
            ),
        ),
        (
            "http/oauth-form.json",
            format!(
                r#"{{"method": "POST", "url": "{{{{base_url}}}}/oauth1",
                    "body": {{"type": "form", "fields": [{{"name": "a", "value": "1 2"}}]}},
                    "auth": {{"type": "oauth1", {oauth}, "version": "1.0", "in": "params"}}}}"#
            ),
        ),
        (
            "http/hawk.json",
            r#"{"method": "GET", "url": "{{base_url}}/auth/hawk?x=1",
                "headers": [{"name": "Authorization", "value": "stale"}],
                "auth": {"type": "hawk", "id": "dh37fgj492je",
                         "key": "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn", "ext": "e"}}"#
                .to_string(),
        ),
    ];
    for (file, text) in &files {
        std::fs::write(ws.path().join(file), text).unwrap();
    }
    for (file, _) in &files {
        let path = file.trim_end_matches(".json");
        let r = send_json(ws.path(), base, path);
        assert_eq!(r["status"].as_u64(), Some(200), "{path}: {r}");
    }
}

/// RFC 7515 appendix A.3's P-256 key, as SEC1 PEM.
const EC_KEY: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEII6bEJ5xkJi/mASH3x9dd+nLKWBuvtImO19XwhPfhPSyoAoGCCqGSM49
AwEHoUQDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEXH8UTNG72b
focs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==
-----END EC PRIVATE KEY-----
";

fn jwt_part(token: &str, i: usize) -> Value {
    use base64::Engine as _;
    let part = token.split('.').nth(i).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn jwt_tokens_arrive_signed_with_their_claims() {
    use base64::Engine as _;
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = demo_copy();
    let files = [
        (
            "http/jwt-header.json",
            serde_json::json!({"method": "GET", "url": "{{base_url}}/jwt",
                "headers": [{"name": "Authorization", "value": "stale"}],
                "auth": {"type": "jwt", "algorithm": "HS256", "secret": "{{api_token}}",
                         "payload": "{\"sub\": \"{{demo_user}}\", \"aud\": \"demo\"}",
                         "header": "{\"kid\": \"k1\"}", "lifetime": "60"}}),
        ),
        (
            "http/jwt-query.json",
            serde_json::json!({"method": "GET", "url": "{{base_url}}/jwt?x=1",
                "auth": {"type": "jwt", "algorithm": "ES256", "private_key": EC_KEY,
                         "payload": "{\"exp\": 4102444800}", "in": "query", "query_key": "jwt"}}),
        ),
        (
            "http/jwt-bad.json",
            serde_json::json!({"method": "GET", "url": "{{base_url}}/jwt",
                "auth": {"type": "jwt", "algorithm": "RS256", "private_key": EC_KEY}}),
        ),
    ];
    for (file, json) in &files {
        std::fs::write(ws.path().join(file), json.to_string()).unwrap();
    }
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();

    let r = echoed(&send_json(ws.path(), base, "http/jwt-header"));
    let auth = header(&r, "authorization");
    assert_eq!(auth.len(), 1, "the stale header is replaced: {auth:?}");
    let token = auth[0].strip_prefix("Bearer ").unwrap();
    assert_eq!(
        jwt_part(token, 0),
        serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": "k1"})
    );
    let claims = jwt_part(token, 1);
    assert_eq!(
        (claims["sub"].as_str(), claims["aud"].as_str()),
        (Some("ada"), Some("demo"))
    );
    let iat = claims["iat"].as_u64().unwrap();
    assert!(iat >= before && iat <= before + 60, "{claims}");
    assert_eq!(claims["exp"].as_u64(), Some(iat + 60));
    let (input, sig) = token.rsplit_once('.').unwrap();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"local-dev-token");
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    ring::hmac::verify(&key, input.as_bytes(), &sig).unwrap();

    let r = echoed(&send_json(ws.path(), base, "http/jwt-query"));
    let query = r["query"].as_array().unwrap();
    assert_eq!(query[0], serde_json::json!(["x", "1"]));
    assert_eq!(query[1][0], "jwt");
    let token = query[1][1].as_str().unwrap();
    let claims = jwt_part(token, 1);
    assert_eq!(claims["exp"].as_u64(), Some(4102444800), "kept: {claims}");
    assert!(claims["iat"].as_u64().unwrap() >= before);
    let mut public = vec![4];
    for c in [
        "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    ] {
        public.extend(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(c)
                .unwrap(),
        );
    }
    let (input, sig) = token.rsplit_once('.').unwrap();
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, public)
        .verify(
            input.as_bytes(),
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(sig)
                .unwrap(),
        )
        .unwrap();

    // A key that does not suit the algorithm: nothing is sent, and the
    // error names the field and the file.
    let out = postie(ws.path())
        .args(["send", "http/jwt-bad", "--env", "local", "--var"])
        .arg(format!("base_url={base}"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("auth private_key"), "{err}");
    assert!(err.contains("RS256 needs an RSA key"), "{err}");
    assert!(err.contains("http/jwt-bad.json"), "{err}");
}

#[test]
fn jq_filters_the_json_body() {
    let server = echo();
    let ws = demo_copy();
    let base = format!("base_url={}", server.url("").trim_end_matches('/'));
    let send = |filter: &str| {
        postie(ws.path())
            .args(["send", "users/get-user.json", "-e", "local", "--jq", filter])
            .args(["--var", &base])
            .output()
            .unwrap()
    };
    let out = send(".method");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "\"GET\"\n");
    let out = send("[.method, (.headers | length > 0)]");
    assert_eq!(stdout(&out), "[\n  \"GET\",\n  true\n]\n");
    // A filter that does not compile is a usage error, and nothing is sent.
    let out = send(".method |");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--jq"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    // An error while filtering says so and fails.
    let out = send(".method + 1");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn json_carries_curl_timing_names_in_order_and_the_connection() {
    let server = echo();
    let ws = demo_copy();
    let base = server.url("");
    let r = send_json(ws.path(), base.trim_end_matches('/'), "users/get-user");
    let t = &r["timings"];
    let mut last = 0.0;
    for name in [
        "time_namelookup",
        "time_connect",
        "time_pretransfer",
        "time_starttransfer",
        "time_total",
    ] {
        let v = t[name].as_f64().unwrap_or_else(|| panic!("{name} in {t}"));
        assert!(v >= last, "{name} {v} before {last}: {t}");
        last = v;
    }
    // Plain http: no TLS, as curl prints it.
    assert_eq!(t["time_appconnect"], 0.0);
    assert_eq!(t["num_connects"], 1);
    let c = &r["connection"];
    assert_eq!(c["remote_ip"], "127.0.0.1");
    assert_eq!(c["http_version"], "HTTP/1.1");
    assert!(c["tls"].is_null());
    assert!(r["size"]["size_request"].as_u64().unwrap() > 0);
    assert!(r["size"]["size_header"].as_u64().unwrap() > 0);
}

#[test]
fn verbose_prints_the_exchange_like_curl_with_secrets_redacted() {
    let server = echo();
    let ws = demo_copy();
    let secret = "sekrit-token-4711";
    for request in ["auth/bearer", "auth/api-key-query"] {
        let out = postie(ws.path())
            .args(["send", request, "--env", "staging", "-v", "--var"])
            .arg(format!("base_url={}", server.url("").trim_end_matches('/')))
            .env("POSTIE_VAR_api_token", secret)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "* Connected to 127.0.0.1 (127.0.0.1) port {}",
                server.addr().port()
            )),
            "{err}"
        );
        assert!(err.contains("\n> GET /"), "{err}");
        assert!(err.contains("\n< HTTP/1.1 200 OK"), "{err}");
        assert!(err.contains("time_starttransfer="), "{err}");
        assert!(!err.contains(secret), "{request} leaks the secret:\n{err}");
    }
}

/// An API key's header (whatever its name) and the query's key stay behind
/// when a redirect goes to another origin; the same origin keeps them.
#[test]
fn an_api_key_never_follows_a_redirect_to_another_origin() {
    let (a, b) = (echo(), echo());
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    std::fs::write(root.join("postie.json"), r#"{"format": 1}"#).unwrap();
    std::fs::create_dir(root.join("api")).unwrap();
    std::fs::write(root.join("api/collection.json"), r#"{"name": "API"}"#).unwrap();
    for (name, target) in [("away", b.url("/anything")), ("home", a.url("/anything"))] {
        let to = url::form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>();
        let request = serde_json::json!({
            "method": "GET",
            "url": format!("{}?url={to}&sig=Q-SECRET", a.url("/redirect-to")),
            "auth": {"type": "apikey", "key": "X-Tenant", "value": "K-SECRET"}
        });
        std::fs::write(root.join(format!("api/{name}.json")), request.to_string()).unwrap();
    }
    let landed = |name: &str| {
        let out = postie(root)
            .args(["send", &format!("api/{name}"), "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        report["body"].as_str().unwrap().to_string()
    };
    let away = landed("away");
    assert!(!away.contains("K-SECRET"), "{away}");
    assert!(
        !away.contains("Q-SECRET"),
        "the Referer carried the query: {away}"
    );
    let home = landed("home");
    assert!(home.contains("K-SECRET"), "{home}");
}
