//! OpenAPI/Swagger import against the shared corpus (read in place; the
//! tests skip with a message when it is absent).

mod common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use postie::import::{self, Format, Import, ImportedFolder, ImportedItem, NoteKind};
use postie::model::{Auth, Body, RawKind, Request};

fn corpus() -> Option<PathBuf> {
    common::corpus("openapi")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
    out.sort();
}

fn import(rel: &str) -> Option<Import> {
    let path = corpus()?.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    Some(import::parse(Format::OpenApi, &path, &text).unwrap())
}

fn requests(f: &ImportedFolder) -> Vec<&Request> {
    let mut out = Vec::new();
    for i in &f.items {
        match i {
            ImportedItem::Request(r) => out.push(&**r),
            ImportedItem::Folder(sub) => out.extend(requests(sub)),
        }
    }
    out
}

fn folder<'a>(f: &'a ImportedFolder, name: &str) -> &'a ImportedFolder {
    f.items
        .iter()
        .find_map(|i| match i {
            ImportedItem::Folder(sub) if sub.name == name => Some(&**sub),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no folder {name}"))
}

fn find<'a>(f: &'a ImportedFolder, name: &str) -> &'a Request {
    requests(f)
        .into_iter()
        .find(|r| r.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no request {name}"))
}

#[test]
fn every_corpus_spec_imports_or_fails_cleanly() {
    let Some(dir) = corpus() else { return };
    let mut all = Vec::new();
    files(&dir, &mut all);
    let (mut ok, mut reqs, mut folders, mut envs) = (0, 0, 0, 0);
    let mut notes: BTreeMap<String, usize> = BTreeMap::new();
    for path in &all {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            import::detect_format(path, &text),
            Some(Format::OpenApi),
            "{}",
            path.display()
        );
        let imp = import::parse(Format::OpenApi, path, &text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        ok += 1;
        let c = &imp.collections[0];
        reqs += requests(c).len();
        folders += c
            .items
            .iter()
            .filter(|i| matches!(i, ImportedItem::Folder(_)))
            .count();
        envs += imp.environments.len();
        for n in &imp.report.notes {
            let kind = if n.kind == NoteKind::Dropped {
                "dropped"
            } else {
                "changed"
            };
            let what = n.what.split_whitespace().next().unwrap_or("").to_string();
            *notes.entry(format!("{kind} {what}")).or_default() += 1;
        }
    }
    eprintln!(
        "openapi corpus: {ok} files, {reqs} requests, {folders} folders, {envs} environments; notes: {notes:?}"
    );
    assert_eq!(ok, all.len());
    assert!(reqs > 400, "{reqs}");
}

#[test]
fn petstore_v3_tags_params_and_servers() {
    let Some(imp) = import("oai/v3.0/petstore.yaml") else {
        return;
    };
    let c = &imp.collections[0];
    assert_eq!(c.name, "Swagger Petstore");
    assert_eq!(requests(folder(c, "pets")).len(), 3);
    let list = find(c, "List all pets");
    assert_eq!(list.url, "{{base_url}}/pets");
    assert_eq!(list.params[0].name, "limit");
    assert!(!list.params[0].enabled, "optional params are disabled");
    let one = find(c, "Info for a specific pet");
    assert_eq!(one.url, "{{base_url}}/pets/{{petId}}");
    let vars = &c.folder.variables;
    assert_eq!(
        vars.get("base_url").unwrap().value(),
        Some("http://petstore.swagger.io/v1")
    );
    assert!(vars.get("petId").is_some());
    assert_eq!(imp.environments.len(), 1);
}

#[test]
fn resolved_ref_body_and_security_scheme() {
    // petstore-expanded (3.0): POST /pets takes a NewPet through allOf/$ref.
    let Some(imp) = import("oai/v3.0/petstore-expanded.json") else {
        return;
    };
    let c = &imp.collections[0];
    let add = requests(c)
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    let Body::Raw {
        kind: RawKind::Json,
        text,
    } = &add.body.body
    else {
        panic!("{:?}", add.body)
    };
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(v, serde_json::json!({"name": "string", "tag": "string"}));

    let Some(imp) = import("openapi-to-postman/realWorldExamples/1password.yaml") else {
        return;
    };
    let c = &imp.collections[0];
    // 1Password: bearer security on each operation.
    let intro = requests(c)
        .into_iter()
        .find(|r| r.url.ends_with("/api/auth/introspect"))
        .unwrap();
    assert_eq!(
        intro.auth.auth,
        Auth::Bearer {
            token: "{{jwtsa}}".into()
        }
    );
    let env = &imp.environments[0].environment.variables;
    assert!(env.0.iter().any(|(_, v)| v.is_secret()));
}

#[test]
fn swagger2_body_form_and_api_key() {
    let Some(imp) = import("oai/v2.0/json/petstore.json") else {
        return;
    };
    let c = &imp.collections[0];
    assert_eq!(requests(c).len(), 3);
    let Some(imp) = import("openapi-to-postman/valid_swagger/yaml/instagram.yaml") else {
        return;
    };
    let c = &imp.collections[0];
    assert_eq!(requests(c).len(), 26);
    assert!(
        imp.report.notes.iter().any(|n| n.why.contains("oauth2")),
        "{:?}",
        imp.report
    );
}

#[test]
fn broken_and_unsupported_documents_error_clearly() {
    let p = Path::new("x.yaml");
    let e = import::parse(Format::OpenApi, p, "openapi: 3.0.0\ninfo: [\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line "), "{e}");
    let e = import::parse(Format::OpenApi, p, "{\"info\": {}}")
        .unwrap_err()
        .to_string();
    assert!(e.contains("neither"), "{e}");
    let e = import::parse(Format::OpenApi, p, "swaggerVersion: '1.2'\napis: []\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("1.2"), "{e}");
    let e = import::parse(Format::OpenApi, p, "\"just a string\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("not an object"), "{e}");
}

#[test]
fn written_workspace_loads_clean() {
    let Some(imp) = import("openapi-to-postman/valid_openapi/petstore-detailed.yaml") else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    postie::storage::init::init_workspace(d.path(), None).unwrap();
    let w = import::write_import(d.path(), &imp, None).unwrap();
    assert_eq!(w.requests, requests(&imp.collections[0]).len());
    let ws = postie::storage::load_workspace(d.path()).unwrap();
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    assert!(ws.environments.len() >= 2);
}

#[test]
fn largest_spec_imports_fast() {
    let Some(dir) = corpus() else { return };
    let path = dir.join("openapi-to-postman/valid_openapi/stripe_openapi.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let t = std::time::Instant::now();
    let imp = import::parse(Format::OpenApi, &path, &text).unwrap();
    let took = t.elapsed();
    eprintln!(
        "stripe_openapi.json ({} KB): {} requests in {took:?} (this build's profile)",
        text.len() / 1024,
        requests(&imp.collections[0]).len()
    );
    assert_eq!(requests(&imp.collections[0]).len(), 248);
}
