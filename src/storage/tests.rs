//! Round trips and error handling of the on-disk format.

use std::fs;
use std::path::Path;

use super::*;
use crate::model::{Body, Example, KeyValue, RawKind, Request};

fn workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("postie.json"), "{\n  \"format\": 1\n}\n").unwrap();
    fs::create_dir(d.path().join("api")).unwrap();
    fs::write(d.path().join("api/collection.json"), "{}\n").unwrap();
    d
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

#[test]
fn a_hand_written_minimal_request_loads_with_defaults() {
    let ws = workspace();
    write(
        ws.path(),
        "api/users/ping.json",
        r#"{"method": "GET", "url": "http://127.0.0.1:8080/"}"#,
    );
    let w = load_workspace(ws.path()).unwrap();
    assert!(w.diagnostics.is_empty(), "{:?}", w.diagnostics);
    let reqs = w.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "api/users/ping");
    assert_eq!(reqs[0].name(), "ping");
}

#[test]
fn canonical_files_round_trip_byte_for_byte() {
    let ws = workspace();
    let text = r#"{
  "name": "Create user",
  "method": "POST",
  "url": "{{base_url}}/users",
  "params": [
    {
      "name": "dry_run",
      "value": "1",
      "enabled": false,
      "description": "validate only"
    }
  ],
  "headers": [
    {
      "name": "X-Trace",
      "value": "{{$guid}}"
    }
  ],
  "body": {
    "type": "json"
  },
  "auth": {
    "type": "bearer",
    "token": "{{token}}"
  },
  "settings": {
    "timeout_ms": 5000,
    "http_version": "1.1"
  },
  "x-future-field": {
    "kept": [
      1,
      2
    ]
  }
}
"#;
    write(ws.path(), "api/create-user.json", text);
    write(
        ws.path(),
        "api/create-user.body.json",
        "{\"name\": \"Ada\"}",
    );
    let dir = ws.path().join("api");
    let req = load::load_request(ws.path(), &dir, "create-user").unwrap();
    assert_eq!(save::to_canonical_json(&req), text);
    // Force a write through a changed copy, then back.
    let mut changed = req.clone();
    changed.url.push('/');
    save::save_request(ws.path(), &dir, "create-user", &changed).unwrap();
    save::save_request(ws.path(), &dir, "create-user", &req).unwrap();
    assert_eq!(
        fs::read_to_string(dir.join("create-user.json")).unwrap(),
        text
    );
    assert_eq!(
        fs::read_to_string(dir.join("create-user.body.json")).unwrap(),
        "{\"name\": \"Ada\"}"
    );
}

#[test]
fn saving_an_unchanged_hand_formatted_file_keeps_its_bytes() {
    let ws = workspace();
    let text = "{ \"url\": \"http://x/\",    \"method\": \"GET\" }";
    write(ws.path(), "api/a.json", text);
    let dir = ws.path().join("api");
    let req = load::load_request(ws.path(), &dir, "a").unwrap();
    save::save_request(ws.path(), &dir, "a", &req).unwrap();
    assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), text);
}

#[test]
fn bodies_scripts_and_descriptions_live_in_sidecars() {
    let ws = workspace();
    let dir = ws.path().join("api");
    let mut req = Request::new("POST", "http://x/");
    req.body.body = Body::Raw {
        kind: RawKind::Xml,
        text: "<a>\"quoted\"</a>\n".into(),
    };
    req.pre_request = Some("pm.variables.set('a', 1);\n".into());
    req.test = Some("pm.test('ok', () => {});\n".into());
    req.description = Some("# Hello\n".into());
    req.examples.push(Example {
        name: "Created OK".into(),
        status: Some(201),
        headers: vec![KeyValue::new("Content-Type", "application/json")],
        extra: Default::default(),
        body: Some("{\"id\": 1}\n".into()),
    });
    save::save_request(ws.path(), &dir, "make", &req).unwrap();
    let json = fs::read_to_string(dir.join("make.json")).unwrap();
    assert!(!json.contains("quoted") && !json.contains("pm.") && !json.contains("Hello"));
    assert_eq!(
        fs::read_to_string(dir.join("make.body.xml")).unwrap(),
        "<a>\"quoted\"</a>\n"
    );
    assert!(dir.join("make.pre.js").is_file());
    assert!(dir.join("make.test.js").is_file());
    assert!(dir.join("make.md").is_file());
    assert!(dir.join("make.example.created-ok.json").is_file());
    assert_eq!(load::load_request(ws.path(), &dir, "make").unwrap(), req);

    // Changing the body type and dropping a script removes stale sidecars.
    let mut req2 = req.clone();
    req2.body.body = Body::Raw {
        kind: RawKind::Text,
        text: "plain".into(),
    };
    req2.test = None;
    save::save_request(ws.path(), &dir, "make", &req2).unwrap();
    assert!(!dir.join("make.body.xml").exists());
    assert!(!dir.join("make.test.js").exists());
    assert_eq!(
        fs::read_to_string(dir.join("make.body.txt")).unwrap(),
        "plain"
    );
}

#[test]
fn a_malformed_file_is_reported_with_position_and_the_rest_loads() {
    let ws = workspace();
    write(
        ws.path(),
        "api/good.json",
        r#"{"method":"GET","url":"http://x/"}"#,
    );
    write(
        ws.path(),
        "api/bad.json",
        "{\n  \"method\": \"GET\",\n  \"url\": \"http://x/\"\n  \"oops\": 1\n}",
    );
    let w = load_workspace(ws.path()).unwrap();
    assert_eq!(w.requests().len(), 1);
    let d = &w.diagnostics[0];
    assert_eq!(
        d.render_short(),
        "api/bad.json:4:3: error: expected `,` or `}`"
    );
}

#[test]
fn a_file_that_was_not_understood_is_never_overwritten() {
    let ws = workspace();
    let dir = ws.path().join("api");
    write(ws.path(), "api/bad.json", "{ not json");
    let err =
        save::save_request(ws.path(), &dir, "bad", &Request::new("GET", "http://x/")).unwrap_err();
    assert!(matches!(err, StorageError::NotUnderstood(_)), "{err}");
    assert_eq!(
        fs::read_to_string(dir.join("bad.json")).unwrap(),
        "{ not json"
    );
}

#[test]
fn semantic_errors_point_at_the_field() {
    let ws = workspace();
    write(
        ws.path(),
        "api/m.json",
        "{\n  \"method\": \"GET X\",\n  \"url\": \"/\"\n}",
    );
    write(
        ws.path(),
        "api/a.json",
        "{\n  \"method\": \"GET\",\n  \"url\": \"/\",\n  \"auth\": {\"type\": \"oauth9\"}\n}",
    );
    let w = load_workspace(ws.path()).unwrap();
    let msgs: Vec<String> = w.diagnostics.iter().map(|d| d.render_short()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("api/m.json:2:3: error: method")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("api/a.json:4:") && m.contains("oauth9")),
        "{msgs:?}"
    );
}

#[test]
fn stray_sidecars_are_reported_not_lost() {
    let ws = workspace();
    write(ws.path(), "api/gone.body.json", "{}");
    write(ws.path(), "api/README.md", "docs");
    let w = load_workspace(ws.path()).unwrap();
    assert_eq!(w.diagnostics.len(), 1, "{:?}", w.diagnostics);
    assert!(w.diagnostics[0].render_short().contains("stray sidecar"));
    assert!(ws.path().join("api/gone.body.json").exists());
}

#[test]
fn order_lists_first_then_the_rest_by_name() {
    let ws = workspace();
    write(
        ws.path(),
        "api/collection.json",
        "{\"order\": [\"zeta\", \"admin\"]}",
    );
    for n in ["alpha", "zeta", "beta"] {
        write(
            ws.path(),
            &format!("api/{n}.json"),
            r#"{"method":"GET","url":"/x"}"#,
        );
    }
    write(ws.path(), "api/admin/folder.json", "{}");
    write(ws.path(), "api/other/folder.json", "{}");
    let w = load_workspace(ws.path()).unwrap();
    let names: Vec<String> = w.collections[0]
        .items
        .iter()
        .map(|i| match i {
            Item::Folder(f) => f.path.clone(),
            Item::Request(r) => r.path.clone(),
            Item::Broken(b) => b.path.clone(),
        })
        .collect();
    assert_eq!(
        names,
        [
            "api/zeta",
            "api/admin",
            "api/other",
            "api/alpha",
            "api/beta"
        ]
    );
}

#[test]
fn moving_renaming_duplicating_and_deleting_carry_sidecars() {
    let ws = workspace();
    let dir = ws.path().join("api");
    write(
        ws.path(),
        "api/collection.json",
        "{\n  \"order\": [\n    \"a\"\n  ]\n}\n",
    );
    write(
        ws.path(),
        "api/a.json",
        r#"{"method":"POST","url":"/x","body":{"type":"json"}}"#,
    );
    write(ws.path(), "api/a.body.json", "{}");
    write(ws.path(), "api/a.test.js", "//");
    ops::move_request(&dir, "a", &dir, "b").unwrap();
    assert!(
        dir.join("b.json").is_file()
            && dir.join("b.body.json").is_file()
            && dir.join("b.test.js").is_file()
    );
    assert!(!dir.join("a.body.json").exists());
    assert!(fs::read_to_string(dir.join("collection.json"))
        .unwrap()
        .contains("\"b\""));

    ops::duplicate_request(&dir, "b", "c").unwrap();
    assert!(dir.join("c.body.json").is_file() && dir.join("b.body.json").is_file());
    assert!(matches!(
        ops::duplicate_request(&dir, "b", "c"),
        Err(StorageError::Exists(_))
    ));

    let sub = dir.join("sub");
    ops::move_request(&dir, "c", &sub, "c").unwrap();
    assert!(sub.join("c.test.js").is_file());

    ops::delete_request(&dir, "b").unwrap();
    assert!(!dir.join("b.json").exists() && !dir.join("b.body.json").exists());
    assert!(!fs::read_to_string(dir.join("collection.json"))
        .unwrap()
        .contains("\"b\""));
}

#[test]
fn secret_values_stay_out_of_committed_files() {
    let ws = workspace();
    let env: crate::model::Environment = serde_json::from_str(
        r#"{"variables": {"base_url": "http://x", "token": {"value": "s3cret", "secret": true}}}"#,
    )
    .unwrap();
    save::save_environment(ws.path(), "dev", &env).unwrap();
    let text = fs::read_to_string(ws.path().join("environments/dev.json")).unwrap();
    assert!(!text.contains("s3cret"), "{text}");
    state::save_secrets(ws.path(), "dev", &[("token".into(), "s3cret".into())]).unwrap();
    assert_eq!(
        state::load_secrets(ws.path(), "dev").unwrap()[0].1,
        "s3cret"
    );
    let ignore = fs::read_to_string(ws.path().join(".postie/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"));
}

#[test]
fn the_context_loads_only_the_chain_and_suggests_on_typos() {
    let ws = workspace();
    write(
        ws.path(),
        "api/users/folder.json",
        r#"{"variables": {"x": "1"}}"#,
    );
    write(
        ws.path(),
        "api/users/get-user.json",
        r#"{"method":"GET","url":"/u"}"#,
    );
    write(ws.path(), "api/other/broken.json", "{");
    let ctx = load_request_context(ws.path(), "api/users/get-user").unwrap();
    assert_eq!(ctx.chain.len(), 2);
    assert_eq!(ctx.chain[1].0, "api/users");
    let err = load_request_context(ws.path(), "api/users/get-usr").unwrap_err();
    assert!(
        err.to_string()
            .contains("did you mean `api/users/get-user`"),
        "{err}"
    );
    assert!(load_request_context(ws.path(), "api/../../etc/passwd").is_err());
}

#[test]
fn a_newer_format_is_refused() {
    let ws = workspace();
    fs::write(ws.path().join("postie.json"), "{\"format\": 99}").unwrap();
    assert!(matches!(
        load_workspace(ws.path()),
        Err(StorageError::FormatTooNew { .. })
    ));
}

#[test]
fn the_loaded_tree_gives_the_same_context_as_reading_the_request_from_disk() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    let ws = load_workspace(&root).unwrap();
    let requests = ws.requests();
    assert!(requests.len() > 20);
    for r in requests {
        let from_tree = ws.context_for(&r.path, r.request.clone()).unwrap();
        let from_disk = load_request_context(&root, &r.path).unwrap();
        assert_eq!(from_tree.chain, from_disk.chain, "{}", r.path);
        assert_eq!(from_tree.file, from_disk.file, "{}", r.path);
        assert_eq!(from_tree.config, from_disk.config, "{}", r.path);
        assert_eq!(from_tree.request, from_disk.request, "{}", r.path);
    }
    assert!(ws.context_for("nope/x", Request::new("GET", "/")).is_none());
    assert!(ws.context_for("lonely", Request::new("GET", "/")).is_none());
}

#[test]
fn the_first_collections_are_handed_out_before_the_rest_loads() {
    let d = workspace();
    for c in ["a", "b", "c", "d", "e"] {
        write(d.path(), &format!("{c}/collection.json"), "{}\n");
        for r in 0..20 {
            write(
                d.path(),
                &format!("{c}/r{r}.json"),
                "{\n  \"method\": \"GET\",\n  \"url\": \"/x\"\n}\n",
            );
        }
    }
    write(d.path(), "c/bad.json", "{ nope");
    let mut parts = Vec::new();
    let all = load_workspace_progressive(d.path(), |ws| parts.push(ws)).unwrap();
    assert_eq!(parts.len(), 1, "one first part");
    let part = &parts[0];
    let names =
        |ws: &Workspace| -> Vec<String> { ws.collections.iter().map(|c| c.path.clone()).collect() };
    // A prefix in name order, not all of it, with the loaded requests.
    assert_eq!(part.collections.len(), 1, "the first collection alone");
    assert_eq!(names(part), names(&all)[..part.collections.len()]);
    assert_eq!(part.collections[0].items.len(), 20, "a/ is whole");
    assert!(part.diagnostics.is_empty(), "problems come with all of it");
    assert_eq!(names(&all), ["a", "api", "b", "c", "d", "e"]);
    assert_eq!(all.requests().len(), 100);
    assert_eq!(all.diagnostics.len(), 1, "{:?}", all.diagnostics);
    // The same as loading it in one go.
    assert_eq!(names(&load_workspace(d.path()).unwrap()), names(&all));

    // One collection (`api`): nothing to wait for, no part.
    let one = workspace();
    let mut called = false;
    load_workspace_progressive(one.path(), |_| called = true).unwrap();
    assert!(!called);
}
