//! Every input file `../shared/corpus/postman/EXPECTED.json` names for a
//! `postie run` reads (in place; skipped with a message when the corpus is
//! absent): each `collection` through `parse_runnable`, each `environment`
//! and `globals` through `vars_file::read`, each `iteration_data` through
//! `data::parse`, with a few values newman's tests rely on checked.

mod common;
use std::collections::BTreeMap;
use std::fs;

use postie::import::postman::{parse_runnable, RunnableCollection};
use postie::import::ImportedItem;
use postie::runner::data::{self, Row};
use postie::runner::vars_file::{self, VarsFile};
use serde_json::{json, Value};

#[test]
fn every_file_expected_json_names_reads() {
    let Some(root) = common::corpus("") else {
        return;
    };
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(root.join("postman/EXPECTED.json")).unwrap())
            .unwrap();
    let runs = expected["runs"].as_array().unwrap();
    assert!(runs.len() >= 50, "{} runs", runs.len());
    let mut collections: BTreeMap<String, RunnableCollection> = BTreeMap::new();
    let mut vars: BTreeMap<String, VarsFile> = BTreeMap::new();
    let mut data: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for run in runs {
        let file = |key: &str| run[key].as_str().map(str::to_string);
        let bytes =
            |path: &str| fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        if let Some(path) = file("collection") {
            let c = parse_runnable(&bytes(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(!c.import.collections[0].items.is_empty(), "{path}");
            assert!(c.document["item"].is_array(), "{path}");
            collections.insert(path, c);
        }
        for key in ["environment", "globals"] {
            if let Some(path) = file(key) {
                let v = vars_file::read(&bytes(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
                assert!(!v.values.is_empty(), "{path}");
                vars.insert(path, v);
            }
        }
        if let Some(path) = file("iteration_data") {
            let rows = data::parse(&bytes(&path), &path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(!rows.is_empty(), "{path}");
            data.insert(path, rows);
        }
    }
    eprintln!(
        "EXPECTED.json: {} collections, {} environment/globals files, {} data files",
        collections.len(),
        vars.len(),
        data.len()
    );
    assert_eq!((vars.len(), data.len()), (10, 5));

    // Collections: v1 converted, BOM read.
    let c =
        &collections["postman/newman/integration/multi-level-folders-v1.postman_collection.json"];
    let names: Vec<&str> = c.import.collections[0]
        .items
        .iter()
        .map(|i| match i {
            ImportedItem::Folder(f) => f.name.as_str(),
            ImportedItem::Request(r) => r.name.as_deref().unwrap_or(""),
        })
        .collect();
    assert_eq!(names, ["F1", "F2", "R1"]);
    assert_eq!(
        c.document["info"]["schema"],
        "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    );
    let c = &collections
        ["postman/newman/integration/bom-and-encoding/bom-in-collection-file.postman_collection.json"];
    assert_eq!(c.import.collections[0].items.len(), 3);

    // Environments and globals.
    let values = |path: &str| -> Value {
        Value::Array(
            vars[path]
                .values
                .iter()
                .map(|(k, v)| json!([k, v]))
                .collect(),
        )
    };
    let env = "postman-env/newman/integration/";
    assert_eq!(
        values(&format!(
            "{env}disabled-and-duplicate-variables/disabled-and-duplicates.postman_environment.json"
        )),
        json!([["oneDisabled", "1"], ["duplicate", "2"]])
    );
    let utf16 =
        &vars[&format!("{env}bom-and-encoding/utf16-le-encoding-in-env.postman_environment.json")];
    assert_eq!(
        utf16.name.as_deref(),
        Some("Localhost REST API - QA_master_localhost")
    );
    assert_eq!(
        utf16.values[1],
        ("servicePortNumber".into(), json!("44393"))
    );
    assert!(utf16.values[2]
        .1
        .as_str()
        .unwrap()
        .starts_with("<root xmlns:xsi="));
    assert_eq!(
        values(&format!(
            "{env}bom-and-encoding/bom-in-environment-file.postman_environment.json"
        )),
        json!([["fo/o", "alpha"], ["b\\ar", "beta"]])
    );
    let globals =
        &vars[&format!("{env}globals-env-data-files/globals-env-data-files.postman_globals.json")];
    assert_eq!(globals.values.len(), 7);
    assert_eq!(
        globals.values[2],
        ("Global Foo".into(), json!("Global Bar"))
    );

    // Iteration data.
    let data_dir = "postman/newman/integration/";
    let csv = &data[&format!("{data_dir}comma-test-csv/comma-test-csv.postman_data.csv")];
    assert_eq!(csv.len(), 1);
    assert_eq!(csv[0]["nameWithComma"], "Abhijit, Kane");
    assert_eq!(csv[0]["numberWithQuotes"], "00123");
    assert_eq!(csv[0]["numberWithoutQuotes"], 7890);
    assert_eq!(csv[0]["nullValue"], "");
    assert_eq!(csv[0]["spaceAfterComma"], "foo");
    assert_eq!(csv[0]["nameWithUnescapedQuotes"], "Abhijit \"KDOS\" Kane");
    let bom = &data[&format!("{data_dir}csv-with-bom/csv-with-bom.postman_data.csv")];
    assert_eq!(
        Value::Object(bom[0].clone()),
        json!({"c1": "123", "c2": "foo \"bar\" baz"})
    );
    let steph = &data[&format!("{data_dir}steph/steph.postman_data.json")];
    assert_eq!(steph.len(), 2);
    assert_eq!(steph[1]["first"], "sampleFirstName2");
    let replaced = &data[&format!(
        "{data_dir}data-file-var-replacement/data-file-var-replacement.postman_data.json"
    )];
    assert_eq!(replaced[1]["dataVar"], "value2");
}

#[test]
fn newman_cli_data_files_read_too() {
    let Some(root) = common::corpus("postman/newman/run") else {
        return;
    };
    for name in ["test-data.postman_data.json", "spaces/data.json"] {
        let rows = data::parse(&fs::read(root.join(name)).unwrap(), name).unwrap();
        assert_eq!(rows.len(), 2, "{name}");
        assert_eq!(rows[1]["key"], "value2", "{name}");
    }
}

/// The shapes newman reads besides the plain export: the collection in the
/// API's envelope, the environment as a bare list of variables, the
/// globals in their envelope; and an environment where the collection goes
/// is named as one.
#[test]
fn run_reads_the_api_envelopes_and_bare_variable_lists() {
    let echo = common::echo();
    let dir = tempfile::tempdir().unwrap();
    let base = echo.url("").trim_end_matches('/').to_string();
    let collection = json!({"collection": {
        "info": {"name": "Shapes", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{
            "name": "get",
            "request": {"method": "GET", "url": "{{base}}/get?e={{e}}&g={{g}}"},
            "event": [{"listen": "test", "script": {"exec": [
                "const args = pm.response.json().args;",
                "pm.test('env and globals arrived', () => { pm.expect(args.e).to.equal('from-env'); pm.expect(args.g).to.equal('from-globals'); });"
            ]}}]
        }]
    }});
    let environment = json!([
        {"key": "base", "value": base, "enabled": true, "type": "default"},
        {"key": "e", "value": "from-env", "enabled": true, "type": "default"},
        {"key": "e", "value": "disabled", "enabled": false, "type": "default"}
    ]);
    let globals = json!({"globals": {"name": "G", "values": [{"key": "g", "value": "from-globals"}],
        "_postman_variable_scope": "globals"}});
    for (name, v) in [
        ("c.json", &collection),
        ("e.json", &environment),
        ("g.json", &globals),
    ] {
        fs::write(dir.path().join(name), v.to_string()).unwrap();
    }
    let out = common::postie(dir.path())
        .args(["run", "c.json", "-e", "e.json", "-g", "g.json"])
        .output()
        .unwrap();
    let stdout = common::stdout(&out);
    assert!(out.status.success(), "{stdout}{}", common::stderr(&out));
    assert!(stdout.contains("env and globals arrived"), "{stdout}");

    let out = common::postie(dir.path())
        .args(["run", "e.json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = common::stderr(&out);
    assert!(
        stderr.contains("it is a Postman environment or globals file: pass it with -e or -g"),
        "{stderr}"
    );
}
