//! "Done means": secrets planted in a workspace request (a secret variable
//! in a header and the query, an Authorization header, a Cookie, API keys,
//! URL userinfo, a JWT's secret, private key and the token it signs) appear
//! in none of what postie writes about the exchange:
//! history, the log file at trace level, `send -v`, and the spans an OTLP
//! receiver on 127.0.0.1 gets.

mod common;

use std::path::Path;

use common::*;
use serde_json::json;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn all_files(dir: &Path) -> String {
    let mut out = String::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.push_str(&all_files(&p));
        } else {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    out
}

#[test]
fn planted_secrets_reach_no_history_log_verbose_output_or_span() {
    let server = echo();
    let port = server.addr().port();
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let secret_var = "sv-PLANTED-1a2b3c";
    let bearer = "bearer-PLANTED-4d5e6f";
    let cookie = "cookie-PLANTED-7a8b9c";
    let api_key = "apikey-PLANTED-0d1e2f";
    let query_key = "qkey-PLANTED-3a4b5c";
    let password = "pw-PLANTED-6d7e8f";
    let jwt_secret = "jwt-PLANTED-9a8b7c";
    // A line of the private key's PEM, and the start of every JWT
    // (`{"alg":`): the signed tokens are credentials too.
    let pem_line = "MHcCAQEEII6bEJ5xkJi/mASH3x9dd+nLKWBuvtImO19XwhPfhPSyoAoGCCqGSM49";
    let token_start = "eyJhbGciOi";
    let secrets = [
        secret_var,
        bearer,
        cookie,
        api_key,
        query_key,
        password,
        jwt_secret,
        pem_line,
        token_start,
    ];
    write(root, "postie.json", r#"{"format": 1}"#);
    write(
        root,
        "environments/local.json",
        &json!({"variables": {"sv": {"secret": true}, "port": port.to_string()}}).to_string(),
    );
    write(
        root,
        ".postie/secrets/local.json",
        &json!({ "sv": secret_var }).to_string(),
    );
    write(root, "api/collection.json", r#"{"name": "API"}"#);
    write(
        root,
        "api/secret.json",
        &json!({
            "method": "GET",
            "url": format!("http://user:{password}@127.0.0.1:{{{{port}}}}/anything?q={{{{sv}}}}&api_key={query_key}&page=1"),
            "headers": [
                {"name": "Authorization", "value": format!("Bearer {bearer}")},
                {"name": "Cookie", "value": format!("sid={cookie}")},
                {"name": "X-Api-Key", "value": api_key},
                {"name": "X-Echo", "value": "{{sv}}"}
            ]
        })
        .to_string(),
    );
    write(
        root,
        "api/jwt.json",
        &json!({
            "method": "GET",
            "url": "http://127.0.0.1:{{port}}/jwt",
            "auth": {"type": "jwt", "algorithm": "HS512", "secret": jwt_secret,
                     "payload": "{\"sub\": \"{{sv}}\"}"}
        })
        .to_string(),
    );
    let pem = format!(
        "-----BEGIN EC PRIVATE KEY-----\n{pem_line}\n\
         AwEHoUQDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEXH8UTNG72b\n\
         focs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==\n-----END EC PRIVATE KEY-----\n"
    );
    write(
        root,
        "api/jwt-query.json",
        &json!({
            "method": "GET",
            "url": "http://127.0.0.1:{{port}}/jwt",
            "auth": {"type": "jwt", "algorithm": "ES256", "private_key": pem, "in": "query"}
        })
        .to_string(),
    );
    // A test whose message shows a secret value it compares.
    write(
        root,
        "api/secret.test.js",
        r#"pm.test("echoes the header", () => pm.expect(pm.request.headers.get("X-Echo")).to.eql("nope"));"#,
    );
    let rx = common::otlp::Receiver::start();
    let otlp = rx.url();
    let report = root.join("report.json");
    let report_arg = report.display().to_string();
    let run: Vec<&str> = vec![
        "run",
        "api",
        // The secrets are planted on purpose: `postie check` would stop it.
        "--no-check",
        "-r",
        "cli,json",
        "--reporter-json-export",
        &report_arg,
    ];
    for command in [
        &["send", "api/secret", "-v"][..],
        &["send", "api/jwt", "-v"][..],
        &["send", "api/jwt-query", "-v"][..],
        &run[..],
    ] {
        let out = postie(root)
            .args(command)
            .args([
                "--env",
                "local",
                "--log-level",
                "trace",
                "--otlp-endpoint",
                &otlp,
            ])
            .env_remove("OTEL_EXPORTER_OTLP_HEADERS")
            .output()
            .unwrap();
        // Tests fail on purpose; the exchange happened.
        let failing = command[1] == "api/secret" || command[0] == "run";
        let code = out.status.code();
        assert!(
            if failing {
                matches!(code, Some(1) | Some(8))
            } else {
                code == Some(0)
            },
            "{command:?}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        if command[0] == "send" {
            assert!(err.contains("> GET "), "{command:?}: {err}");
        }
        let out_text = String::from_utf8_lossy(&out.stdout);
        if command[0] == "run" {
            // The run's report: the request, its test with the message.
            assert!(out_text.contains("echoes the header"), "{out_text}");
        }
        for s in secrets {
            assert!(!err.contains(s), "{s} on stderr of {command:?}:\n{err}");
            if command[0] == "run" {
                assert!(
                    !out_text.contains(s),
                    "{s} on stdout of {command:?}:\n{out_text}"
                );
            }
        }
    }
    let json_report = std::fs::read_to_string(&report).unwrap();
    assert!(json_report.contains("echoes the header"), "{json_report}");
    for s in secrets {
        assert!(
            !json_report.contains(s),
            "{s} in the run's JSON report:\n{json_report}"
        );
    }
    let history = all_files(&root.join(".postie/history"));
    assert!(history.lines().count() >= 2, "{history}");
    let log = all_files(&root.join(".postie/logs"));
    assert!(
        log.contains("request start") && log.contains("request end"),
        "{log}"
    );
    assert!(log.contains("TRACE") || log.contains("DEBUG"), "{log}");
    let spans = String::from_utf8_lossy(&rx.raw()).into_owned();
    assert!(spans.contains("url.full"), "spans arrived");
    for (what, text) in [("history", &history), ("log", &log), ("spans", &spans)] {
        for s in secrets {
            assert!(!text.contains(s), "{s} in {what}:\n{text}");
        }
    }
}
