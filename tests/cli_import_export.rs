//! `postie import` and `postie export` end to end.

use assert_cmd::Command;
use predicates::str::contains;

const COLLECTION: &str = r#"{
  "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "variable": [{"key": "base", "value": "http://127.0.0.1:1"}],
  "item": [{"name": "List items", "request": {"method": "GET", "url": "{{base}}/items",
            "auth": {"type": "ntlm", "ntlm": []}}}]
}"#;

fn postie(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("postie").unwrap();
    c.current_dir(dir)
        .env_remove("POSTIE_ENV")
        .env_remove("POSTIE_WORKSPACE");
    c
}

#[test]
fn import_dry_run_then_for_real_then_export() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    std::fs::create_dir(d.path().join("in")).unwrap();
    std::fs::write(d.path().join("in/shop.json"), COLLECTION).unwrap();

    postie(d.path())
        .args(["import", "in/shop.json", "--dry-run"])
        .assert()
        .success()
        .stdout(contains("1 collection, 1 request, 1 variable"))
        .stdout(contains("auth type ntlm"));
    assert!(!d.path().join("shop").exists());

    postie(d.path())
        .args(["import", "postman", "in/shop.json"])
        .assert()
        .success()
        .stdout(contains("into shop"));
    assert!(d.path().join("shop/list-items.json").is_file());

    postie(d.path())
        .args(["export", "curl", "shop/list-items", "--raw"])
        .assert()
        .success()
        .stdout(contains("'{{base}}/items'"));
    postie(d.path())
        .args(["export", "curl", "shop/list-items"])
        .assert()
        .success()
        .stdout(contains("http://127.0.0.1:1/items"));
    postie(d.path())
        .args(["export", "postman", "shop", "-o", "out.json"])
        .assert()
        .success();
    let out = std::fs::read_to_string(d.path().join("out.json")).unwrap();
    assert!(out.contains("\"name\": \"List items\""), "{out}");

    // curl from standard input.
    postie(d.path())
        .args(["import", "curl", "-"])
        .write_stdin("curl -X POST https://example.com/a -d x=1")
        .assert()
        .success()
        .stdout(contains("into example-com"));
}

fn collection_title(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(dir.join("collection.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["name"].as_str().unwrap_or_default().to_string()
}

#[test]
fn two_imports_make_collections_with_distinct_titles() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    let import = |cmd: &str, into: &str| {
        postie(d.path())
            .args(["import", "curl", "-"])
            .write_stdin(cmd.to_string())
            .assert()
            .success()
            .stdout(contains(format!("into {into}")));
    };
    // Named after the host the commands talk to, numbered when taken.
    import("curl https://api.example.com/a", "api-example-com");
    import("curl https://api.example.com/b", "api-example-com-2");
    assert_eq!(
        collection_title(&d.path().join("api-example-com")),
        "api.example.com"
    );
    assert_eq!(
        collection_title(&d.path().join("api-example-com-2")),
        "api.example.com 2"
    );
    // No host to name it after: the default name, numbered.
    import("curl '{{base}}/a'", "curl-import");
    import("curl '{{base}}/b'", "curl-import-2");
    assert_eq!(
        collection_title(&d.path().join("curl-import")),
        "curl import"
    );
    assert_eq!(
        collection_title(&d.path().join("curl-import-2")),
        "curl import 2"
    );
    postie(d.path())
        .arg("ls")
        .assert()
        .success()
        .stdout(contains("curl import 2"));

    // The same for other importers' names (a HAR without a page title).
    let har = r#"{"log": {"version": "1.2", "entries": [{"request": {"method": "GET",
        "url": "https://shop.test/x", "headers": []}, "response": {"status": 200, "headers": [],
        "content": {"size": 0, "mimeType": "text/plain"}}}]}}"#;
    std::fs::write(d.path().join("a.har"), har).unwrap();
    for _ in 0..2 {
        postie(d.path())
            .args(["import", "a.har"])
            .assert()
            .success();
    }
    assert_eq!(collection_title(&d.path().join("shop-test")), "shop.test");
    assert_eq!(
        collection_title(&d.path().join("shop-test-2")),
        "shop.test 2"
    );
}

#[test]
fn bad_input_fails_with_the_position_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    std::fs::write(
        d.path().join("bad.json"),
        "{\n  \"info\": {,\n  \"item\": []\n}",
    )
    .unwrap();
    let before: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    postie(d.path())
        .args(["import", "postman", "bad.json"])
        .assert()
        .code(1)
        .stderr(contains("line 2, column 12"));
    let after: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before.len(), after.len());
    postie(d.path())
        .args(["import", "curl", "-"])
        .write_stdin("curl 'unterminated")
        .assert()
        .code(1)
        .stderr(contains("unterminated single quote"));
}

#[test]
fn a_collection_talking_to_swagger_hosts_imports_as_postman_without_naming_the_format() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    let text = r#"{"info": {"name": "Pets", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
      "item": [{"name": "openapi", "request": {"method": "GET",
        "url": {"raw": "https://petstore.swagger.io/v2/swagger.json", "host": ["petstore", "swagger", "io"],
                "path": ["v2", "swagger.json"]}}},
               {"name": "spec", "request": {"method": "GET", "url": "https://openapi.example/openapi.yaml"}}]}"#;
    std::fs::write(d.path().join("swagger.json"), text).unwrap();
    postie(d.path())
        .args(["import", "swagger.json"])
        .assert()
        .success()
        .stdout(contains("(Postman collection)"))
        .stdout(contains("1 collection, 2 requests"));
    assert!(d.path().join("pets/openapi.json").is_file());
}

#[test]
fn other_tools_files_and_unknown_shapes_are_refused_with_what_they_are() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    let cases = [
        (
            "insomnia.yaml",
            "type: collection.insomnia.rest/5.0\nname: x\n",
            "it is an Insomnia v5 (YAML) export",
        ),
        (
            "data.json",
            r#"[{"id": 1, "name": "a"}]"#,
            "iteration data goes to `postie run -d`",
        ),
        ("odd.json", r#"{"foo": 1}"#, "an object with the keys `foo`"),
    ];
    for (name, text, why) in cases {
        std::fs::write(d.path().join(name), text).unwrap();
        postie(d.path())
            .args(["import", name])
            .assert()
            .code(1)
            .stderr(contains(format!("could not import {name}: ")))
            .stderr(contains(why));
    }
}

#[test]
fn into_makes_a_missing_collection_and_folders_and_names_what_a_request_is() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    std::fs::write(d.path().join("shop.json"), COLLECTION).unwrap();

    // A dry run says what it would make and makes nothing.
    postie(d.path())
        .args(["import", "shop.json", "--into", "Store/v2", "--dry-run"])
        .assert()
        .success()
        .stdout(contains("would make store for it"))
        .stdout(contains("would make store/v2 for it"));
    assert!(!d.path().join("store").exists());

    postie(d.path())
        .args(["import", "shop.json", "--into", "Store/v2"])
        .assert()
        .success()
        .stdout(contains("made store for it"))
        .stdout(contains("into store/v2/shop"));
    assert!(d.path().join("store/collection.json").is_file());
    assert!(d.path().join("store/v2/shop/list-items.json").is_file());
    assert_eq!(collection_title(&d.path().join("store")), "Store");

    // Into an existing collection, a new folder path inside it.
    postie(d.path())
        .args(["import", "shop.json", "--into", "store/v2/more"])
        .assert()
        .success()
        .stdout(contains("made store/v2/more for it"))
        .stdout(contains("into store/v2/more/shop"));

    // A request is not a place to import into; nothing is made.
    postie(d.path())
        .args(["import", "shop.json", "--into", "store/v2/shop/list-items"])
        .assert()
        .code(1)
        .stderr(contains(
            "`store/v2/shop/list-items` is a request, not a collection or folder",
        ));
    postie(d.path())
        .args(["import", "shop.json", "--into", "environments"])
        .assert()
        .code(1)
        .stderr(contains("is the environments directory"));
    std::fs::create_dir(d.path().join("notes")).unwrap();
    postie(d.path())
        .args(["import", "shop.json", "--into", "notes/x"])
        .assert()
        .code(1)
        .stderr(contains("`notes` is a directory without collection.json"));
    assert!(!d.path().join("notes/x").exists());
}

/// An Insomnia v4 export imports (folders, environments, templates, a
/// test script in Insomnia's API) and runs against a local server.
#[test]
fn an_insomnia_export_imports_and_runs() {
    let server = postie::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let base = server.url("");
    let export = serde_json::json!({
        "_type": "export", "__export_format": 4, "__export_source": "insomnia.desktop.app:v8.6.1",
        "resources": [
            {"_id": "wrk_1", "parentId": null, "name": "Shop", "_type": "workspace"},
            {"_id": "env_1", "parentId": "wrk_1", "name": "Base Environment", "_type": "environment",
             "data": {"base_url": base.trim_end_matches('/')}},
            {"_id": "env_2", "parentId": "env_1", "name": "Staging", "_type": "environment",
             "data": {"who": "ada"}},
            {"_id": "fld_1", "parentId": "wrk_1", "name": "Users", "_type": "request_group"},
            {"_id": "req_1", "parentId": "fld_1", "name": "Echo", "_type": "request",
             "method": "POST", "url": "{{ _.base_url }}/anything",
             "body": {"mimeType": "application/json", "text": "{\"who\": \"{{ _.who }}\"}"},
             "afterResponseScript": "insomnia.test('echoed', () => insomnia.expect(insomnia.response.json().json.who).to.eql('ada'));"}
        ]
    });
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    std::fs::write(d.path().join("shop.json"), export.to_string()).unwrap();
    postie(d.path())
        .args(["import", "shop.json"])
        .assert()
        .success()
        .stdout(contains("Insomnia export"));
    postie(d.path())
        .args(["run", "shop", "--env", "staging"])
        .assert()
        .success()
        .stdout(contains("echoed"));
}

/// A Bruno collection (a folder with bruno.json) imports with its folders
/// and environments and runs against a local server.
#[test]
fn a_bruno_collection_folder_imports_and_runs() {
    let server = postie::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let base = server.url("");
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    let b = d.path().join("from-bruno");
    std::fs::create_dir_all(b.join("environments")).unwrap();
    std::fs::create_dir_all(b.join("users")).unwrap();
    std::fs::write(
        b.join("bruno.json"),
        r#"{"version": "1", "name": "Shop", "type": "collection"}"#,
    )
    .unwrap();
    std::fs::write(
        b.join("users/echo.bru"),
        "meta {\n  name: Echo\n  seq: 1\n}\n\npost {\n  url: {{baseUrl}}/anything\n  body: json\n  auth: none\n}\n\nbody:json {\n  {\"who\": \"ada\"}\n}\n",
    )
    .unwrap();
    std::fs::write(
        b.join("environments/Staging.bru"),
        format!("vars {{\n  baseUrl: {}\n}}\n", base.trim_end_matches('/')),
    )
    .unwrap();
    postie(d.path())
        .args(["import", "from-bruno"])
        .assert()
        .success()
        .stdout(contains("(Bruno)"));
    postie(d.path())
        .args(["run", "shop", "--env", "staging"])
        .assert()
        .success()
        .stdout(contains("Echo"));
    // A folder that is not one is refused with what it lacks.
    std::fs::create_dir(d.path().join("plain")).unwrap();
    postie(d.path())
        .args(["import", "plain"])
        .assert()
        .code(1)
        .stderr(contains("no bruno.json"));
}

/// A Bruno YAML collection (OpenCollection: a folder with
/// opencollection.yml) imports with its folders, defaults and environments
/// and runs against a local server; so does the same as one bundled file.
#[test]
fn an_opencollection_yaml_collection_imports_and_runs() {
    let server = postie::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    let c = d.path().join("from-bruno-yaml");
    std::fs::create_dir_all(c.join("environments")).unwrap();
    std::fs::create_dir_all(c.join("users")).unwrap();
    std::fs::write(
        c.join("opencollection.yml"),
        "opencollection: 1.0.0\ninfo:\n  name: Shop\nrequest:\n  headers:\n    - name: X-App\n      value: shop\n",
    )
    .unwrap();
    std::fs::write(
        c.join("users/folder.yml"),
        "info:\n  name: Users\n  type: folder\n  seq: 1\n",
    )
    .unwrap();
    std::fs::write(
        c.join("users/echo.yml"),
        "info:\n  name: Echo\n  type: http\n  seq: 1\nhttp:\n  method: POST\n  url: \"{{baseUrl}}/anything\"\n  body:\n    type: json\n    data: '{\"who\": \"ada\"}'\n  auth: inherit\n",
    )
    .unwrap();
    std::fs::write(
        c.join("environments/Staging.yml"),
        format!("name: Staging\nvariables:\n  - name: baseUrl\n    value: {base}\n"),
    )
    .unwrap();
    postie(d.path())
        .args(["import", "from-bruno-yaml"])
        .assert()
        .success()
        .stdout(contains("(OpenCollection (Bruno YAML))"));
    let request = std::fs::read_to_string(d.path().join("shop/users/echo.json")).unwrap();
    assert!(request.contains("/anything"), "{request}");
    postie(d.path())
        .args([
            "run",
            "shop",
            "--env",
            "staging",
            "-r",
            "cli,json",
            "--reporter-json-export",
            "out.json",
        ])
        .assert()
        .success()
        .stdout(contains("Echo"));
    let report = std::fs::read_to_string(d.path().join("out.json")).unwrap();
    assert!(
        report.contains("X-App") || report.contains("x-app"),
        "the collection's header was sent: {report}"
    );

    // The same collection as one bundled file.
    let bundled = format!(
        "opencollection: 1.0.0\ninfo:\n  name: Bundled\nbundled: true\nconfig:\n  environments:\n    - name: Dev\n      variables:\n        - name: baseUrl\n          value: {base}\nitems:\n  - info:\n      name: Ping\n      type: http\n    http:\n      method: GET\n      url: \"{{{{baseUrl}}}}/ping\"\n"
    );
    std::fs::write(d.path().join("bundled.yml"), bundled).unwrap();
    postie(d.path())
        .args(["import", "bundled.yml"])
        .assert()
        .success();
    postie(d.path())
        .args(["run", "bundled", "--env", "dev"])
        .assert()
        .success()
        .stdout(contains("Ping"));
}
