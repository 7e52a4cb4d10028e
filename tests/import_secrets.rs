//! Imports do not commit credentials: they become secret variables of the
//! workspace's environments (values in the git-ignored `.postie/secrets/`),
//! or, with no environment to hold them, stay and are named in the report.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// A fresh `postie init` workspace (it has a `local` environment).
fn workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    d
}

/// An input file outside the workspace (so it is not "committed").
fn input(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(name);
    fs::write(&p, text).unwrap();
    let p = p.to_string_lossy().into_owned();
    (d, p)
}

fn import(dir: &Path, args: &[&str], stdin: &str) -> String {
    let out = postie(dir)
        .arg("import")
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

/// Every file git would commit (everything outside `.postie/`), as text.
fn committed(dir: &Path) -> String {
    fn walk(p: &Path, out: &mut String) {
        for e in fs::read_dir(p).unwrap() {
            let e = e.unwrap();
            if e.file_name() == ".postie" {
                continue;
            }
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else {
                out.push_str(&fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    let mut out = String::new();
    walk(dir, &mut out);
    out
}

fn secrets(dir: &Path, env: &str) -> serde_json::Value {
    let text = fs::read_to_string(dir.join(format!(".postie/secrets/{env}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The workspace path of the request in collection `coll` whose file name
/// ends with `suffix` (file names carry the host and port).
fn request(dir: &Path, coll: &str, suffix: &str) -> String {
    let mut found: Vec<String> = fs::read_dir(dir.join(coll))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(&format!("{suffix}.json")) && n != "collection.json")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let name = found.remove(0);
    format!("{coll}/{}", name.trim_end_matches(".json"))
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_curl_bearer_token_becomes_a_secret_and_the_request_still_sends_it() {
    let server = echo();
    let ws = workspace();
    let url = server.url("/bearer");
    let report = import(
        ws.path(),
        &["curl", "-"],
        &format!("curl -H 'Authorization: Bearer abc123' {url}"),
    );
    assert!(report.contains("secret"), "{report}");
    assert!(
        report.contains("header Authorization → {{token}}"),
        "{report}"
    );
    assert!(report.contains(".postie/secrets/local.json"), "{report}");
    assert!(!committed(ws.path()).contains("abc123"));
    assert_eq!(secrets(ws.path(), "local")["token"], "abc123");
    let env = read(ws.path(), "environments/local.json");
    assert!(
        env.contains("\"token\": {\n      \"secret\": true"),
        "{env}"
    );
    let path = request(ws.path(), "127-0-0-1", "bearer");
    let req = read(ws.path(), &format!("{path}.json"));
    assert!(req.contains("Bearer {{token}}"), "{req}");

    // With the environment chosen, the token is sent as it was.
    let out = postie(ws.path())
        .args(["send", &path, "--env", "local"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("abc123"), "{}", stdout(&out));
}

#[test]
fn curl_user_and_password_keep_the_user_and_hide_the_password() {
    let ws = workspace();
    let report = import(
        ws.path(),
        &["curl", "-"],
        "curl -u alice:s3cr3t https://api.example.com/me",
    );
    assert!(report.contains("auth password → {{password}}"), "{report}");
    let path = request(ws.path(), "api-example-com", "me");
    let req = read(ws.path(), &format!("{path}.json"));
    assert!(req.contains("\"username\": \"alice\""), "{req}");
    assert!(req.contains("\"password\": \"{{password}}\""), "{req}");
    assert!(!committed(ws.path()).contains("s3cr3t"));
    assert_eq!(secrets(ws.path(), "local")["password"], "s3cr3t");
}

#[test]
fn credentials_in_the_url_and_api_key_headers_are_moved_and_one_value_is_one_variable() {
    let ws = workspace();
    let report = import(
        ws.path(),
        &["curl", "-"],
        "curl -H 'X-API-Key: k-111' 'https://bob:pw9@api.example.com/a?api_key=q-222&page=2'\n\
         curl -H 'X-API-Key: k-111' https://api.example.com/b\n",
    );
    let all = committed(ws.path());
    for secret in ["k-111", "q-222", "pw9"] {
        assert!(!all.contains(secret), "{secret} committed:\n{report}");
    }
    let s = secrets(ws.path(), "local");
    assert_eq!(s["x_api_key"], "k-111");
    assert_eq!(s["api_key"], "q-222");
    assert_eq!(s["password"], "pw9");
    // The same key in two requests is one variable, not x_api_key_2.
    assert!(s.get("x_api_key_2").is_none(), "{s}");
    let a = read(
        ws.path(),
        &format!("{}.json", request(ws.path(), "api-example-com", "-a")),
    );
    assert!(
        a.contains("https://bob:{{password}}@api.example.com/a?api_key={{api_key}}&page=2"),
        "{a}"
    );
}

#[test]
fn har_cookies_are_moved_into_a_secret() {
    let ws = workspace();
    let har = r#"{"log": {"version": "1.2", "entries": [{"request": {"method": "GET",
        "url": "https://shop.test/cart", "headers": [],
        "cookies": [{"name": "sid", "value": "s-999"}]},
        "response": {"status": 200, "headers": [], "content": {"size": 0, "mimeType": "text/plain"}}}]}}"#;
    let (_keep, file) = input("a.har", har);
    let report = import(ws.path(), &[&file], "");
    assert!(report.contains("header Cookie → {{cookie}}"), "{report}");
    assert!(!committed(ws.path()).contains("s-999"));
    assert_eq!(secrets(ws.path(), "local")["cookie"], "sid=s-999");
}

#[test]
fn postman_bearer_auth_of_the_collection_and_of_a_request_is_moved() {
    let ws = workspace();
    let collection = r#"{
      "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
      "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "coll-tok", "type": "string"}]},
      "item": [
        {"name": "Me", "request": {"method": "GET", "url": "https://shop.test/me",
          "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "req-tok", "type": "string"}]}}},
        {"name": "Templated", "request": {"method": "GET", "url": "https://shop.test/t",
          "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{my_token}}", "type": "string"}]}}}
      ]
    }"#;
    let (_keep, file) = input("shop.json", collection);
    let report = import(ws.path(), &["postman", &file], "");
    assert!(
        report.contains("shop/collection.json: auth token → {{token_2}}"),
        "{report}"
    );
    assert!(
        report.contains("shop/me.json: auth token → {{token}}"),
        "{report}"
    );
    // Already a variable: nothing to move, nothing said.
    assert!(!report.contains("templated"), "{report}");
    let all = committed(ws.path());
    assert!(!all.contains("coll-tok") && !all.contains("req-tok"));
    let s = secrets(ws.path(), "local");
    assert_eq!(
        (s["token"].as_str(), s["token_2"].as_str()),
        (Some("req-tok"), Some("coll-tok"))
    );
    assert!(read(ws.path(), "shop/templated.json").contains("{{my_token}}"));
}

#[test]
fn existing_secrets_are_kept_and_every_environment_gets_the_new_one() {
    let ws = workspace();
    fs::write(
        ws.path().join("environments/staging.json"),
        "{\n  \"variables\": {\n    \"token\": {\n      \"secret\": true\n    }\n  }\n}\n",
    )
    .unwrap();
    fs::create_dir_all(ws.path().join(".postie/secrets")).unwrap();
    fs::write(
        ws.path().join(".postie/secrets/staging.json"),
        "{\"token\": \"old\"}",
    )
    .unwrap();
    let report = import(
        ws.path(),
        &["curl", "-"],
        "curl -H 'Authorization: Bearer new' https://x.test/",
    );
    // `token` is taken (by another value): the new one is `token_2`.
    assert!(report.contains("{{token_2}}"), "{report}");
    for env in ["local", "staging"] {
        assert_eq!(secrets(ws.path(), env)["token_2"], "new", "{env}");
        assert!(read(ws.path(), &format!("environments/{env}.json")).contains("token_2"));
    }
    assert_eq!(secrets(ws.path(), "staging")["token"], "old");
}

#[test]
fn with_no_environment_the_credential_stays_and_the_report_names_file_and_field() {
    let ws = workspace();
    fs::remove_dir_all(ws.path().join("environments")).unwrap();
    let report = import(
        ws.path(),
        &["curl", "-"],
        "curl -H 'Authorization: Bearer abc' https://api.example.com/me",
    );
    assert!(report.contains("warning"), "{report}");
    let path = request(ws.path(), "api-example-com", "me");
    assert!(
        report.contains(&format!("{path}.json: header Authorization")),
        "{report}"
    );
    assert!(report.contains("no environment"), "{report}");
    assert!(read(ws.path(), &format!("{path}.json")).contains("Bearer abc"));
    assert!(!ws.path().join(".postie/secrets").exists());
}

#[test]
fn a_collection_variable_holding_a_credential_moves_under_its_own_name() {
    let ws = workspace();
    let collection = r#"{
      "info": {"name": "Vars", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
      "variable": [{"key": "access_token", "value": "v-777"}, {"key": "base", "value": "https://v.test"}],
      "item": [{"name": "Me", "request": {"method": "GET", "url": "{{base}}/me",
          "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{access_token}}"}]}}}]
    }"#;
    let (_keep, file) = input("vars.json", collection);
    let report = import(ws.path(), &["postman", &file], "");
    assert!(
        report.contains("vars/collection.json: variable access_token → {{access_token}}"),
        "{report}"
    );
    assert!(!committed(ws.path()).contains("v-777"));
    assert_eq!(secrets(ws.path(), "local")["access_token"], "v-777");
    // The harmless variable stays in the collection.
    assert!(read(ws.path(), "vars/collection.json").contains("https://v.test"));
}

#[test]
fn a_postman_environment_value_named_like_a_credential_becomes_secret() {
    let ws = workspace();
    let env = r#"{"name": "prod", "_postman_variable_scope": "environment",
        "values": [{"key": "api_key", "value": "e-555", "enabled": true},
                   {"key": "host", "value": "prod.test", "enabled": true}]}"#;
    let (_keep, file) = input("prod.json", env);
    let report = import(ws.path(), &["postman-env", &file], "");
    assert!(
        report.contains("environments/prod.json: variable api_key"),
        "{report}"
    );
    assert!(!committed(ws.path()).contains("e-555"));
    assert_eq!(secrets(ws.path(), "prod")["api_key"], "e-555");
    assert!(read(ws.path(), "environments/prod.json").contains("prod.test"));
}

#[test]
fn a_dry_run_lists_what_would_move_and_writes_nothing() {
    let ws = workspace();
    let report = import(
        ws.path(),
        &["curl", "-", "--dry-run"],
        "curl -H 'Authorization: Bearer dry' https://api.example.com/me",
    );
    assert!(
        report.contains("header Authorization → {{token}}"),
        "{report}"
    );
    assert!(!ws.path().join("api-example-com").exists());
    assert!(!ws.path().join(".postie/secrets").exists());
}

#[test]
fn postman_jwt_secret_and_private_keys_are_moved() {
    let ws = workspace();
    let pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAPLANTED\n-----END PRIVATE KEY-----\n";
    let collection = serde_json::json!({
      "info": {"name": "Keys", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
      "item": [
        {"name": "Hmac", "request": {"method": "GET", "url": "https://keys.test/h",
          "auth": {"type": "jwt", "jwt": [
            {"key": "algorithm", "value": "HS256"},
            {"key": "secret", "value": "jwt-sekrit"},
            {"key": "payload", "value": "{\"sub\": \"ada\"}"}]}}},
        {"name": "Rsa", "request": {"method": "GET", "url": "https://keys.test/r",
          "auth": {"type": "jwt", "jwt": [
            {"key": "algorithm", "value": "RS256"},
            {"key": "privateKey", "value": pem}]}}},
        {"name": "OAuth", "request": {"method": "GET", "url": "https://keys.test/o",
          "auth": {"type": "oauth1", "oauth1": [
            {"key": "consumerKey", "value": "ck"},
            {"key": "signatureMethod", "value": "RSA-SHA256"},
            {"key": "privateKey", "value": pem}]}}}
      ]
    })
    .to_string();
    let (_keep, file) = input("keys.json", &collection);
    let report = import(ws.path(), &["postman", &file], "");
    for said in [
        "keys/hmac.json: JWT secret → {{jwt_secret}}",
        "keys/rsa.json: JWT private key → {{jwt_private_key}}",
        // One value, one variable.
        "keys/oauth.json: OAuth 1.0 private key → {{jwt_private_key}}",
    ] {
        assert!(report.contains(said), "{said}\n{report}");
    }
    let all = committed(ws.path());
    assert!(
        !all.contains("jwt-sekrit") && !all.contains("PLANTED"),
        "{all}"
    );
    let s = secrets(ws.path(), "local");
    assert_eq!(s["jwt_secret"].as_str(), Some("jwt-sekrit"));
    assert_eq!(s["jwt_private_key"].as_str(), Some(pem));
}
