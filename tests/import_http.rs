//! `.http` import and export against the shared corpus, kulala's expected
//! parses, a `.http` → postie → `.http` → postie round trip, and a bounded
//! random-input test of the parser.

mod common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use postie::export::http_file::export_collection;
use postie::import::{self, http_file, Format, Import, ImportedItem, NoteKind};
use postie::model::{Body, Request};

fn corpus() -> Option<PathBuf> {
    common::corpus("http")
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(p);
        }
    }
    out.sort();
}

fn requests(imp: &Import) -> Vec<&Request> {
    imp.collections[0]
        .items
        .iter()
        .filter_map(|i| match i {
            ImportedItem::Request(r) => Some(&**r),
            ImportedItem::Folder(_) => None,
        })
        .collect()
}

fn load(path: &Path) -> Import {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(import::detect_format(path, &text), Some(Format::HttpFile));
    import::parse(Format::HttpFile, path, &text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_http_file_imports() {
    let Some(dir) = corpus() else { return };
    let mut all = Vec::new();
    files(&dir, ".http", &mut all);
    let (mut reqs, mut scripts, mut vars) = (0, 0, 0);
    let mut notes: BTreeMap<String, usize> = BTreeMap::new();
    let mut bodies: BTreeMap<&'static str, usize> = BTreeMap::new();
    for path in &all {
        let imp = load(path);
        vars += imp.collections[0].folder.variables.0.len();
        for r in requests(&imp) {
            reqs += 1;
            scripts += usize::from(r.pre_request.is_some()) + usize::from(r.test.is_some());
            *bodies.entry(r.body.body.type_name()).or_default() += 1;
            assert!(
                !r.method.is_empty() && !r.method.contains(' '),
                "{}: {r:?}",
                path.display()
            );
        }
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
        "http corpus: {} files, {reqs} requests, {vars} file variables, {scripts} scripts, bodies {bodies:?}; notes: {notes:?}",
        all.len()
    );
    assert_eq!(all.len(), 23);
    assert!(reqs >= 90, "{reqs}");
}

/// `key = "value"` in one of kulala's Lua-table sidecars.
fn lua_field(text: &str, key: &str) -> Option<String> {
    let needle = format!("{key} = \"");
    let start = text.find(&needle)? + needle.len();
    let end = text[start..].find('"')?;
    Some(text[start..start + end].to_string())
}

#[test]
fn kulala_expected_parses_where_they_apply() {
    let Some(dir) = corpus() else { return };
    let mut sidecars = Vec::new();
    files(&dir.join("kulala/expected"), "_request.txt", &mut sidecars);
    let (mut applied, mut stale) = (0, 0);
    for s in &sidecars {
        let text = std::fs::read_to_string(s).unwrap();
        let stem = s
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches("_request.txt")
            .to_string();
        // `advanced_A_2` is the second request of advanced_A.http.
        let base = stem
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end_matches('_');
        let base = base
            .strip_suffix("_E")
            .map(|_| "advanced_E")
            .unwrap_or(base);
        let file = dir.join("kulala/requests").join(format!("{base}.http"));
        let imp = load(&file);
        let url_raw = lua_field(&text, "url_raw").unwrap();
        let method = lua_field(&text, "method").unwrap();
        let Some(r) = requests(&imp).into_iter().find(|r| r.url == url_raw) else {
            // The sidecar was made from another version of the file.
            stale += 1;
            continue;
        };
        assert_eq!(r.method, method, "{stem}");
        let headers = &text[text.find("headers = {").unwrap()..];
        for h in &r.headers {
            let plain = format!("{} = \"{}\"", h.name, h.value);
            let quoted = format!("[\"{}\"] = \"", h.name);
            assert!(
                headers.contains(&plain) || headers.contains(&quoted) || h.value.contains("{{"),
                "{stem}: header {}",
                h.name
            );
        }
        applied += 1;
    }
    eprintln!("kulala sidecars: {} in all, {applied} checked, {stale} from another version of their .http file", sidecars.len());
    assert!(applied >= 2, "{applied}");
}

#[test]
fn a_file_in_detail_names_vars_bodies_and_scripts() {
    let Some(dir) = corpus() else { return };
    let imp = load(&dir.join("kulala/requests/advanced_A.http"));
    let vars = &imp.collections[0].folder.variables;
    assert_eq!(
        vars.get("ENV_PROJECT").unwrap().value(),
        Some("project_name")
    );
    let r = requests(&imp);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].name.as_deref(), Some("Request 1"));
    assert_eq!(r[0].url, "https://httpbin.org/advanced_1");
    let Body::Raw { text, .. } = &r[0].body.body else {
        panic!()
    };
    assert!(text.contains("\"project\": \"{{ENV_PROJECT}}\""));
    assert!(r[0]
        .test
        .as_deref()
        .unwrap()
        .starts_with("client.global.set(\"AID\""));

    let imp = load(&dir.join("kulala/requests/advanced_C.http"));
    let Body::Multipart(parts) = &requests(&imp)[0].body.body else {
        panic!()
    };
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["someFile", "x", "y", "w", "h"]);
    assert!(parts[0].file.as_deref().unwrap().ends_with("demo.png"));
    assert_eq!(parts[1].value.as_deref(), Some("0"));

    let imp = load(&dir.join("vscode-restclient/query-method-examples.http"));
    let r = requests(&imp);
    assert_eq!(r.iter().filter(|r| r.method == "QUERY").count(), 6);
    assert!(r
        .iter()
        .any(|r| matches!(&r.body.body, Body::Form(f) if f[0].name == "search")));
}

#[test]
fn env_files_become_environments_with_private_secrets() {
    let Some(dir) = corpus() else { return };
    for (name, private) in [
        ("http-client.env.json", false),
        ("http-client.private.env.json", true),
    ] {
        let path = dir.join("kulala/requests").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(import::detect_format(&path, &text), Some(Format::HttpEnv));
        let imp = import::parse(Format::HttpEnv, &path, &text).unwrap();
        let names: Vec<&str> = imp.environments.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["dev", "prod"]);
        let dev = &imp.environments[0];
        if private {
            assert!(dev
                .environment
                .variables
                .0
                .iter()
                .all(|(_, v)| v.is_secret()));
        } else {
            assert_eq!(
                dev.environment.variables.get("USERNAME").unwrap().value(),
                Some("gorillamoe")
            );
            assert_eq!(
                dev.environment
                    .variables
                    .get("DEFAULT_TIMEOUT")
                    .unwrap()
                    .value(),
                Some("1")
            );
            assert!(imp
                .report
                .notes
                .iter()
                .any(|n| n.what == "variable $default_headers"));
        }
    }
}

/// What a round trip must keep of a request.
fn key(r: &Request) -> String {
    format!(
        "{:?}",
        (
            &r.name,
            &r.method,
            &r.url,
            &r.params,
            &r.headers,
            &r.body,
            &r.settings,
            &r.pre_request,
            &r.test
        )
    )
}

#[test]
fn http_to_postie_to_http_to_postie_keeps_every_request() {
    let Some(dir) = corpus() else { return };
    let mut all = Vec::new();
    files(&dir, ".http", &mut all);
    let mut total = 0;
    for path in &all {
        let first = load(path);
        let d = tempfile::tempdir().unwrap();
        postie::storage::init::init_workspace(d.path(), None).unwrap();
        // No environment: credentials stay where they are (moving them is
        // tested in import_secrets.rs), so the requests compare as parsed.
        std::fs::remove_dir_all(d.path().join("environments")).unwrap();
        let w = import::write_import(d.path(), &first, None).unwrap();
        let ws = postie::storage::load_workspace(d.path()).unwrap();
        assert!(
            ws.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            ws.diagnostics
        );
        let exported = export_collection(&ws, &w.roots[0]).unwrap();
        let second = http_file::parse(&exported, Path::new(".")).unwrap();
        let a: Vec<String> = requests(&first).into_iter().map(key).collect();
        let b: Vec<String> = requests(&second).into_iter().map(key).collect();
        assert_eq!(a, b, "{}:\n{exported}", path.display());
        let va = &first.collections[0].folder.variables;
        let vb = &second.collections[0].folder.variables;
        assert_eq!(va, vb, "{}", path.display());
        total += a.len();
    }
    eprintln!(
        "round trip: {} files, {total} requests identical after .http -> postie -> .http -> postie",
        all.len()
    );
}

#[test]
fn export_writes_inherited_auth_headers_and_unknown_paths_error() {
    let d = tempfile::tempdir().unwrap();
    postie::storage::init::init_workspace(d.path(), None).unwrap();
    let imp = http_file::parse(
        "### Get\nGET https://x/a\n\n### Post\nPOST https://x/b\nContent-Type: application/x-www-form-urlencoded\n\na=1&b={{v}}\n",
        Path::new("."),
    )
    .unwrap();
    let mut imp = imp;
    imp.collections[0].folder.auth.auth = postie::model::Auth::Bearer {
        token: "{{t}}".into(),
    };
    imp.collections[0]
        .folder
        .headers
        .push(postie::model::KeyValue::new("X-Team", "a"));
    let w = import::write_import(d.path(), &imp, None).unwrap();
    let ws = postie::storage::load_workspace(d.path()).unwrap();
    let out = export_collection(&ws, &w.roots[0]).unwrap();
    assert!(
        out.contains("GET https://x/a\nX-Team: a\nAuthorization: Bearer {{t}}\n"),
        "{out}"
    );
    assert!(out.contains("\na=1&b={{v}}\n"), "{out}");
    let e = export_collection(&ws, "nope").unwrap_err().to_string();
    assert!(e.contains("nope"), "{e}");
}

/// Fuzz stand-in (there is no `fuzz/` crate on this branch): random soups
/// of `.http`-ish lines never panic and always finish.
#[test]
fn random_line_soup_never_panics() {
    const PIECES: &[&str] = &[
        "###",
        "### T",
        "# @name n",
        "// @no-redirect",
        "# @timeout 9999999999999999999m",
        "@v = 1",
        "@",
        "GET",
        "POST http://x/{{v}} HTTP/1.1",
        "http://y",
        "    ?a=1",
        "\t&b",
        " #f",
        "Content-Type: multipart/form-data; boundary=B",
        "Content-Type: application/x-www-form-urlencoded",
        "--B",
        "--B--",
        "Content-Disposition: form-data; name=\"a\"",
        "< ./f",
        "< ../../../x",
        "<",
        "< {%",
        "> {%",
        "%}",
        "{%",
        "> ./h.js",
        "<> r.json",
        "{",
        "}",
        "a=%zz&&=",
        "",
        " ",
        "é",
        "\u{feff}",
        "import x.http",
        "run #1",
        ":",
        "X:",
        "\r",
    ];
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    for _ in 0..3000 {
        let n = rng.usize(0..40);
        let mut text = String::new();
        for _ in 0..n {
            if rng.u8(0..10) == 0 {
                let len = rng.usize(0..12);
                text.extend((0..len).map(|_| rng.char('\u{0}'..='\u{7f}')));
            } else {
                text.push_str(PIECES[rng.usize(0..PIECES.len())]);
            }
            text.push(if rng.bool() { '\n' } else { ' ' });
        }
        let imp = http_file::parse(&text, Path::new("base")).unwrap();
        for r in requests(&imp) {
            assert!(!r.method.is_empty());
        }
    }
}
