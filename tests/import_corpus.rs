//! Every input file of the shared corpus, through what `postie import FILE`
//! does: the format told from the file itself (no format named), parsed,
//! written into a fresh workspace. Each one imports, or is refused with a
//! reason that names the problem; none panics. Sidecars and companions
//! (expected outputs, data files) are not inputs and are left out; the
//! README's table says which is which.

mod common;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use postie::import::{self, Format};

/// The README's kinds of input files, and the format each must be told as.
const KINDS: &[(&str, Format)] = &[
    ("[postman]", Format::Postman),
    ("[postman-env]", Format::PostmanEnvironment),
    ("[openapi]", Format::OpenApi),
    ("[http]", Format::HttpFile),
    ("[har]", Format::Har),
];

/// Inputs that are broken on purpose, and what the refusal must say.
const REFUSED: &[(&str, &str)] = &[(
    "har/mitmproxy/brokenfile.har",
    "line 5, column 1: not a valid HAR: not valid JSON: expected `,` or `}`",
)];

/// Bytes above which an input is planned rather than written.
const LARGE: usize = 300_000;

enum Outcome {
    Imported,
    Refused(String),
}

/// `postie import FILE` without a format, into a new workspace.
fn import_file(path: &Path, shown: &str) -> Result<Outcome, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    let text = import::text::decode_input(&bytes);
    let format = match import::identify(path, shown, &text) {
        Ok(f) => f,
        Err(e) => return Ok(Outcome::Refused(e.to_string())),
    };
    let imported = match import::parse(format, path, &text) {
        Ok(i) => i,
        Err(e) => return Ok(Outcome::Refused(format!("{shown}: {e}"))),
    };
    let ws = tempfile::tempdir().map_err(|e| e.to_string())?;
    postie::storage::init::init_workspace(ws.path(), None).map_err(|e| e.to_string())?;
    // The few large files (thousands of requests and examples) are only
    // planned: the same code, names and secrets included, without the
    // thousands of fsynced writes that take a minute on a busy CI disk.
    let written = if bytes.len() > LARGE {
        import::plan_import(ws.path(), &imported, None)
    } else {
        import::write_import(ws.path(), &imported, None)
    };
    written.map_err(|e| format!("{shown}: imported but not written: {e}"))?;
    Ok(Outcome::Imported)
}

/// The format detection gives `text` read from standard input.
fn format_of(text: &str) -> Option<Format> {
    import::detect_format(Path::new("-"), text)
}

#[test]
fn every_corpus_input_imports_or_is_refused_with_the_reason() {
    let Some(root) = common::corpus("") else {
        return;
    };
    let mut table: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut inputs = Vec::new();
    for (kind, want) in KINDS {
        let files = common::listed(&root, kind);
        assert!(!files.is_empty(), "the README lists no {kind} files");
        for (path, _) in files {
            let rel = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            inputs.push((*kind, *want, path, rel));
        }
    }
    // Writing is mostly waiting for fsync: a few threads share the wait.
    let results: Vec<_> = std::thread::scope(|scope| {
        let workers: Vec<_> = inputs
            .chunks(inputs.len().div_ceil(4))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(_, _, path, rel)| {
                            let text = import::text::decode_input(&std::fs::read(path).unwrap());
                            let told = import::detect_format(path, &text);
                            let outcome = catch_unwind(AssertUnwindSafe(|| import_file(path, rel)));
                            (told, outcome)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let seen = inputs.len();
    for ((kind, want, _, rel), (told, outcome)) in inputs.iter().zip(results) {
        let refused_on_purpose = REFUSED.iter().find(|(p, _)| p == rel);
        let row = table.entry(kind.to_string()).or_default();
        match outcome {
            Err(_) => problems.push(format!("{rel}: panicked")),
            Ok(Err(e)) => problems.push(e),
            Ok(Ok(Outcome::Imported)) => {
                row.0 += 1;
                if told != Some(*want) {
                    problems.push(format!("{rel}: told as {told:?}, not {want:?}"));
                }
                if refused_on_purpose.is_some() {
                    problems.push(format!("{rel}: imported, but it is broken on purpose"));
                }
            }
            Ok(Ok(Outcome::Refused(why))) => {
                row.1 += 1;
                *reasons.entry(reason_of(&why, rel)).or_default() += 1;
                match refused_on_purpose {
                    Some((_, must_say)) if why.contains(must_say) => {}
                    Some((_, must_say)) => {
                        problems.push(format!("{rel}: refused with {why:?}, not {must_say:?}"))
                    }
                    None => problems.push(format!("{rel}: refused: {why}")),
                }
            }
        }
    }

    // curl commands are lines of one file: each is an input of its own,
    // read as from standard input.
    let cases = std::fs::read_to_string(root.join("curl/cases.jsonl")).unwrap();
    let (mut curl_ok, mut curl_refused) = (0, 0);
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let command = case["command"].as_str().unwrap_or_default();
        let broken = case.pointer("/expect/error").is_some();
        let result = catch_unwind(|| match format_of(command) {
            Some(f) => import::parse(f, Path::new("-"), command)
                .map(|_| f)
                .map_err(|e| e.to_string()),
            None => Err(import::identify(Path::new("-"), "-", command)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()),
        });
        match result {
            Err(_) => problems.push(format!("curl case {id}: panicked")),
            Ok(Ok(f)) if f != Format::Curl => {
                problems.push(format!("curl case {id}: told as {f:?}"))
            }
            Ok(Ok(_)) if broken => {
                problems.push(format!("curl case {id}: imported, but it is broken"))
            }
            Ok(Ok(_)) => curl_ok += 1,
            Ok(Err(why)) => {
                curl_refused += 1;
                *reasons.entry(reason_of(&why, "-")).or_default() += 1;
                if !broken {
                    problems.push(format!("curl case {id}: refused: {why}"));
                }
            }
        }
    }
    table.insert("[curl] (cases.jsonl)".into(), (curl_ok, curl_refused));

    eprintln!("{:<24} {:>8} {:>8}", "corpus inputs", "imported", "refused");
    for (kind, (ok, refused)) in &table {
        eprintln!("{kind:<24} {ok:>8} {refused:>8}");
    }
    eprintln!("refused, by reason:");
    for (why, n) in &reasons {
        eprintln!("{n:>5}  {why}");
    }
    assert!(seen >= 170, "only {seen} input files listed");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The reason without the file name and position, to group refusals.
fn reason_of(why: &str, rel: &str) -> String {
    let why = why
        .strip_prefix(&format!("could not import {rel}: "))
        .or_else(|| why.strip_prefix(&format!("{rel}: ")))
        .unwrap_or(why);
    let mut short = String::new();
    for part in why.split(' ') {
        if part.starts_with(|c: char| c.is_ascii_digit()) {
            short.push_str("N ");
        } else {
            short.push_str(part);
            short.push(' ');
        }
        if short.len() > 70 {
            break;
        }
    }
    short.trim_end().to_string()
}

#[test]
fn text_shapes_are_told_without_a_file_name() {
    assert_eq!(format_of("curl https://x/"), Some(Format::Curl));
    assert_eq!(
        format_of("GET https://x/\nAccept: */*\n"),
        Some(Format::HttpFile)
    );
    assert_eq!(
        format_of("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        Some(Format::OpenApi)
    );
    assert_eq!(format_of("{\"log\": {\"entries\": []}}"), Some(Format::Har));
    assert_eq!(format_of("just words"), None);
}
