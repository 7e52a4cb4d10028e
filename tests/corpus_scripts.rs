//! Every pre-request and test script of the corpus's Postman collections
//! (read in place from `../shared/corpus`; skipped with a message when it
//! is absent) runs in postie's engine against a stand-in response, with no
//! network. Assertions may fail (the stand-in is not the service the
//! collection was written for), but no script may fail to compile, and no
//! script may reach for a `pm`/`postman` function, a global or a library
//! postie lacks: that is what a user would hit first.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use postie::import::{self, ImportedItem};
use postie::script::{
    Engine, Limits, NoNetwork, Phase, Script, ScriptErrorKind, ScriptHeader, ScriptRequest,
    ScriptResponse, ScriptState,
};

/// The collections the corpus README lists as `[postman]` (v1 ones are
/// refused by the import).
fn collections(root: &Path) -> Vec<PathBuf> {
    (common::listed(root, "[postman]").into_iter())
        .filter(|(_, row)| !row.contains("schema v1"))
        .map(|(path, _)| path)
        .collect()
}

/// (phase, script, where) for every script in the collection.
fn scripts_of(items: &[ImportedItem], at: &str, out: &mut Vec<(Phase, String, String)>) {
    for it in items {
        let (pre, test, name, children) = match it {
            ImportedItem::Folder(f) => (
                &f.folder.pre_request,
                &f.folder.test,
                f.name.clone(),
                Some(&f.items),
            ),
            ImportedItem::Request(r) => (
                &r.pre_request,
                &r.test,
                r.name.clone().unwrap_or_default(),
                None,
            ),
        };
        let place = format!("{at}/{name}");
        if let Some(s) = pre {
            out.push((Phase::PreRequest, s.clone(), place.clone()));
        }
        if let Some(s) = test {
            out.push((Phase::Test, s.clone(), place.clone()));
        }
        if let Some(children) = children {
            scripts_of(children, &place, out);
        }
    }
}

fn state(phase: Phase) -> ScriptState {
    let mut s = ScriptState {
        request: ScriptRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:9/get?foo=bar".into(),
            ..ScriptRequest::default()
        },
        ..ScriptState::default()
    };
    if phase == Phase::Test {
        s.response = Some(ScriptResponse {
            code: 200,
            status: "OK".into(),
            headers: vec![ScriptHeader {
                key: "Content-Type".into(),
                value: "application/json".into(),
                disabled: false,
            }],
            body: r#"{"args": {"foo": "bar"}, "headers": {}, "url": "http://127.0.0.1:9/get"}"#
                .into(),
            response_time: 5.0,
            response_size: 70,
            cookies: Vec::new(),
        });
    }
    s
}

/// A runtime error that says postie lacks something a script uses. QuickJS
/// does not name the missing function in "not a function", so any counts.
fn missing_api(message: &str) -> bool {
    // newman's request-name-in-script collection calls it on purpose, to
    // test how a script error is reported.
    const DELIBERATE: &[&str] = &["undefFunction is not defined"];
    if DELIBERATE.iter().any(|d| message.contains(d)) {
        return false;
    }
    message.contains("Cannot find module")
        || message.contains("is not defined")
        || message.contains("not a function")
}

#[test]
fn every_corpus_script_compiles_and_finds_the_api_it_uses() {
    let Some(root) = common::corpus("") else {
        return;
    };
    let files = collections(&root);
    assert!(files.len() >= 80, "{} collections", files.len());
    let limits = Limits {
        timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let (mut total, mut errors) = (0, 0);
    let mut missing: Vec<String> = Vec::new();
    let mut compile: Vec<String> = Vec::new();
    for path in files {
        let text = import::text::decode_input(&fs::read(&path).unwrap());
        let Ok(imp) = import::postman::parse_collection(&text) else {
            continue; // the deliberately broken ones; import tests cover them
        };
        let c = &imp.collections[0];
        let mut found = Vec::new();
        if let Some(s) = &c.folder.pre_request {
            found.push((Phase::PreRequest, s.clone(), "collection".to_string()));
        }
        if let Some(s) = &c.folder.test {
            found.push((Phase::Test, s.clone(), "collection".to_string()));
        }
        scripts_of(&c.items, "", &mut found);
        // One engine per collection, as a run has.
        let mut engine = Engine::new(limits);
        for (phase, source, place) in found {
            total += 1;
            let mut s = state(phase);
            let script = Script {
                source,
                file: PathBuf::from("script.js"),
            };
            let outcome = engine.run(phase, &[script], &mut s, &mut NoNetwork);
            for e in &outcome.errors {
                errors += 1;
                let at = format!("{} {place}: {}", path.display(), e.message);
                if e.kind == ScriptErrorKind::Compile {
                    compile.push(at);
                } else if missing_api(&e.message) {
                    missing.push(at);
                }
            }
        }
    }
    eprintln!(
        "corpus scripts: {total} run, {errors} errors (stand-in data), {} missing API, {} compile",
        missing.len(),
        compile.len()
    );
    assert!(total >= 100, "{total} scripts");
    assert!(compile.is_empty(), "{compile:#?}");
    assert!(missing.is_empty(), "{missing:#?}");
}
