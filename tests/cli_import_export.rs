//! `postie import` and `postie export` end to end.

use assert_cmd::Command;
use predicates::str::contains;

const COLLECTION: &str = r#"{
  "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "variable": [{"key": "base", "value": "http://127.0.0.1:1"}],
  "item": [{"name": "List items", "request": {"method": "GET", "url": "{{base}}/items",
            "auth": {"type": "oauth2", "oauth2": []}}}]
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
        .stdout(contains("auth type oauth2"));
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
        .stdout(contains("into curl-import"));
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
