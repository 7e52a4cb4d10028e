//! `init`, `ls`, `completions`, and the demo workspace against the format's
//! promises: canonical bytes and the JSON Schemas.

mod common;

use std::path::Path;

use common::*;

#[test]
fn init_makes_a_workspace_that_lists_and_refuses_a_second_init() {
    let d = tempfile::tempdir().unwrap();
    let out = postie(d.path()).args(["init", "api"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ls = postie(&d.path().join("api")).args(["ls"]).output().unwrap();
    assert!(ls.status.success(), "{}", stderr(&ls));
    let text = stdout(&ls);
    assert!(text.contains("example/hello"), "{text}");
    assert!(text.contains("GET"), "{text}");
    let again = postie(d.path()).args(["init", "api"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("api is already a postie workspace"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn ls_prints_the_tree_in_order_and_plain_paths() {
    let ws = demo_copy();
    let out = postie(ws.path()).args(["ls", "users"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let first: Vec<&str> = text.lines().take(3).collect();
    assert!(
        first[0].starts_with("users/ ") && first[0].ends_with("  Users API"),
        "{text}"
    );
    assert!(
        first[1].starts_with("├── GET     users/list-users"),
        "{text}"
    );
    let plain = postie(ws.path())
        .args(["ls", "--plain", "auth"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&plain),
        "auth/api-key-header\nauth/api-key-query\nauth/basic\nauth/bearer\nauth/digest\nauth/oauth2\n"
    );
}

#[test]
fn ls_lists_malformed_files_as_errors_and_the_rest_still() {
    let ws = demo_copy();
    std::fs::write(
        ws.path().join("auth/basic.json"),
        "{\"method\": \"GET\",, }",
    )
    .unwrap();
    let out = postie(ws.path()).args(["ls", "--plain"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("auth/basic.json:1:18: error:"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("auth/digest\n"));
    assert!(!stdout(&out).contains("auth/basic\n"));
}

#[test]
fn outside_a_workspace_the_error_says_how_to_make_one() {
    let d = tempfile::tempdir().unwrap();
    let out = postie(d.path()).args(["ls"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("postie init"), "{}", stderr(&out));
}

#[test]
fn completions_are_generated_for_each_shell() {
    let d = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = postie(d.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(stdout(&out).contains("send"), "{shell}");
    }
}

fn json_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn demo_files_are_in_canonical_form_and_load_without_diagnostics() {
    let root = repo().join("examples/demo");
    let ws = postie::storage::load_workspace(&root).unwrap();
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    for r in ws.requests() {
        let text = std::fs::read_to_string(&r.file).unwrap();
        assert_eq!(
            postie::storage::save::to_canonical_json(&r.request),
            text,
            "{}",
            r.path
        );
    }
}

#[test]
fn demo_files_match_the_published_json_schemas() {
    let root = repo().join("examples/demo");
    let schema = |name: &str| {
        let text = std::fs::read_to_string(repo().join("docs/schema").join(name)).unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    };
    let (request, folder, env, workspace) = (
        schema("request.schema.json"),
        schema("folder.schema.json"),
        schema("environment.schema.json"),
        schema("workspace.schema.json"),
    );
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let mut checked = 0;
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        use postie::storage::layout::{classify, FileKind};
        let v = if rel == "postie.json" {
            &workspace
        } else if rel.starts_with("environments/") {
            &env
        } else {
            match classify(&name) {
                FileKind::Request { .. } => &request,
                FileKind::DirMeta => &folder,
                _ => continue,
            }
        };
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let errors: Vec<String> = v.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        checked += 1;
    }
    assert!(checked > 30, "{checked}");
    // The schema must reject what the loader rejects.
    let bad = serde_json::json!({"method": "GET X", "url": ""});
    assert!(!request.is_valid(&bad));
}

#[test]
fn jwt_and_rsa_oauth1_auth_match_the_schemas_and_bad_values_do_not() {
    for name in [
        "request.schema.json",
        "folder.schema.json",
        "environment.schema.json",
        "workspace.schema.json",
    ] {
        let text = std::fs::read_to_string(repo().join("docs/schema").join(name)).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(text.contains("\"jwt\""), "{name} lists jwt");
        assert!(text.contains("RSA-SHA256"), "{name} lists RSA-SHA256");
        if name != "request.schema.json" {
            continue;
        }
        let v = jsonschema::validator_for(&schema).unwrap();
        let request = |auth: serde_json::Value| serde_json::json!({"method": "GET", "url": "u", "auth": auth});
        for good in [
            serde_json::json!({"type": "jwt", "algorithm": "ES256", "private_key": "{{pk}}",
                "payload": "{}", "header": "{}", "lifetime": 60, "in": "query", "query_key": "t"}),
            serde_json::json!({"type": "jwt", "secret": "{{s}}", "secret_base64": true, "token_prefix": "JWT"}),
            serde_json::json!({"type": "oauth1", "consumer_key": "ck", "signature_method": "RSA-SHA512",
                "private_key": "{{pk}}"}),
        ] {
            let errors: Vec<String> = v
                .iter_errors(&request(good.clone()))
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{good}: {errors:?}");
        }
        for bad in [
            serde_json::json!({"type": "jwt", "algorithm": "ES512"}),
            serde_json::json!({"type": "jwt", "in": "body"}),
            serde_json::json!({"type": "oauth1", "signature_method": "RSA-SHA1"}),
        ] {
            assert!(!v.is_valid(&request(bad.clone())), "{bad}");
        }
    }
}

#[test]
fn the_variables_doc_lists_every_dynamic_value() {
    let doc = std::fs::read_to_string(repo().join("docs/variables.md")).unwrap();
    for name in postie::vars::dynamic_names() {
        assert!(
            doc.contains(&format!("`{{{{{name}}}}}`")),
            "docs/variables.md lacks {name}"
        );
    }
}

#[test]
fn init_names_the_directory_it_made_without_dot_slash_dot() {
    let d = tempfile::tempdir().unwrap();
    let here = d.path().join("here");
    std::fs::create_dir(&here).unwrap();
    let out = postie(&here).args(["init"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("Made a postie workspace in .:\n"),
        "{}",
        stdout(&out)
    );
    let out = postie(d.path()).args(["init", "./api/"]).output().unwrap();
    assert!(
        stdout(&out).starts_with("Made a postie workspace in api:\n"),
        "{}",
        stdout(&out)
    );
    let out = postie(d.path())
        .args(["-C", "elsewhere", "init", "."])
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("Made a postie workspace in elsewhere:\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn init_in_a_workspace_says_so_and_suggests_new_collection() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init"]).assert().success();
    let out = postie(d.path()).args(["init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("already a postie workspace"), "{err}");
    assert!(err.contains("postie new collection NAME"), "{err}");
}

#[test]
fn new_collection_and_new_request_make_files_that_list_and_send() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init"]).assert().success();
    let out = postie(d.path())
        .args(["new", "collection", "Users API"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("users-api/collection.json"),
        "{}",
        stdout(&out)
    );
    let out = postie(d.path())
        .args([
            "new",
            "request",
            "users-api/admin/get-user",
            "--method",
            "post",
            "--url",
        ])
        .arg("http://127.0.0.1:1/users")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Made users-api/admin/get-user:\n  users-api/admin/folder.json\n  users-api/admin/get-user.json\n"
    );
    let ls = postie(d.path()).args(["ls"]).output().unwrap();
    assert!(ls.status.success(), "{}", stderr(&ls));
    assert!(
        stdout(&ls).contains("POST    users-api/admin/get-user"),
        "{}",
        stdout(&ls)
    );

    // Never over an existing file.
    let again = postie(d.path())
        .args(["new", "request", "users-api/admin/get-user"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("users-api/admin/get-user.json already exists"),
        "{}",
        stderr(&again)
    );
    let again = postie(d.path())
        .args(["new", "collection", "users api"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("users-api already exists"),
        "{}",
        stderr(&again)
    );

    // A typo in the collection does not make a new one.
    let typo = postie(d.path())
        .args(["new", "request", "user-api/get-user"])
        .output()
        .unwrap();
    assert_eq!(typo.status.code(), Some(1));
    assert!(
        stderr(&typo).contains(
            "no collection `user-api` in the workspace (collections: example, users-api)"
        ),
        "{}",
        stderr(&typo)
    );
    assert!(!d.path().join("user-api").exists());
}

#[test]
fn help_examples_line_up_and_fit_80_columns() {
    let out = postie(Path::new(".")).arg("--help").output().unwrap();
    let text = stdout(&out);
    let examples: Vec<&str> = text
        .split("Examples:\n")
        .nth(1)
        .expect("an Examples section")
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(examples.len() >= 5, "{text}");
    let columns: Vec<usize> = examples
        .iter()
        .map(|l| {
            let at = l[2..].find("  ").map(|i| i + 2).expect("a description");
            at + l[at..].len() - l[at..].trim_start().len()
        })
        .collect();
    assert!(columns.iter().all(|c| *c == columns[0]), "{examples:#?}");
    assert!(
        examples.iter().all(|l| l.chars().count() <= 80),
        "{examples:#?}"
    );
}

#[test]
fn counts_agree_in_number() {
    let ws = demo_copy();
    // One undefined variable: "1 problem", not "1 problem(s)".
    let out = postie(ws.path())
        .args([
            "export",
            "curl",
            "users/get-user",
            "-e",
            "local",
            "--var",
            "users_url={{nope}}",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: 1 problem above (use --raw"),
        "{}",
        stderr(&out)
    );
}

/// The oauth2 block: what the loader reads the schema accepts, and what
/// the loader refuses the schema refuses too.
#[test]
fn oauth2_auth_matches_the_schemas_and_the_loader() {
    let text = std::fs::read_to_string(repo().join("docs/schema/request.schema.json")).unwrap();
    let v = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    for name in ["folder", "environment", "workspace"] {
        let other = std::fs::read_to_string(repo().join(format!("docs/schema/{name}.schema.json")));
        assert!(
            other.unwrap().contains("\"device_url\""),
            "{name} has oauth2"
        );
    }
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("postie.json"), r#"{"format": 1}"#).unwrap();
    std::fs::create_dir(d.path().join("api")).unwrap();
    std::fs::write(d.path().join("api/collection.json"), r#"{"name": "API"}"#).unwrap();
    let loads = |auth: &serde_json::Value| {
        let request = serde_json::json!({"method": "GET", "url": "u", "auth": auth});
        std::fs::write(d.path().join("api/r.json"), request.to_string()).unwrap();
        let loaded = postie::storage::load_request_context(d.path(), "api/r").is_ok();
        (loaded, v.is_valid(&request))
    };
    let full = serde_json::json!({
        "type": "oauth2", "grant": "authorization_code", "access_token": "{{t}}",
        "token_url": "https://a/token", "auth_url": "https://a/authorize",
        "device_url": "https://a/device", "refresh_url": "https://a/refresh",
        "redirect_uri": "http://127.0.0.1:8765/cb", "client_id": "c",
        "client_secret": "{{s}}", "scope": "read write", "audience": "api",
        "resource": "https://api", "state": "xyz", "username": "u", "password": "{{p}}",
        "pkce": false, "pkce_method": "plain", "code_verifier": "v", "client_auth": "body",
        "token_prefix": "Token", "in": "query",
        "params": {
            "authorize": [{"key": "prompt", "value": "consent"}],
            "token": [{"key": "tenant", "value": "acme", "in": "header", "enabled": false}],
            "refresh": [{"key": "k", "value": "v", "in": "query"}]
        }
    });
    assert_eq!(loads(&full), (true, true));
    for grant in ["client_credentials", "password", "device_code", "implicit"] {
        let a = serde_json::json!({"type": "oauth2", "grant": grant});
        assert_eq!(loads(&a), (true, true), "{grant}");
    }
    let mut bad_values = Vec::new();
    for (k, value) in [
        ("grant", serde_json::json!("magic")),
        ("client_auth", serde_json::json!("jwt")),
        ("in", serde_json::json!("body")),
        ("pkce", serde_json::json!("yes")),
        (
            "params",
            serde_json::json!({"token": [{"key": "a", "where": "x"}]}),
        ),
    ] {
        let mut a = full.clone();
        a[k] = value;
        bad_values.push((k, loads(&a)));
    }
    for (k, (loaded, valid)) in bad_values {
        assert!(!loaded && !valid, "{k}: loaded {loaded}, valid {valid}");
    }
}
