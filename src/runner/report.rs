//! Reporters: each reads the run's events as they happen and writes its
//! format (a terminal, a JSON file, a JUnit file). None of them keeps a
//! response body; those that must write totals first (JUnit) keep only
//! small records or spool to a temporary file.

use super::record::{Execution, RunInfo, Summary};
use crate::storage::atomic::AtomicFile;

/// What a reporter is told, in report order (iterations in order, requests
/// in the order they ran), whatever order parallel work finished in.
#[derive(Debug)]
pub enum Event<'a> {
    Start(&'a RunInfo),
    /// Before the first request of iteration `index` (0-based).
    Iteration {
        index: u32,
        count: u32,
    },
    Executed(&'a Execution),
    /// Something the user should read that is not a request's result
    /// (`--folder X` matched nothing, the loop bound was hit).
    Warning(&'a str),
    Done(&'a Summary),
}

pub trait Reporter: Send {
    /// An error ends the run with the reporter's failure (a full disk for
    /// `--reporter-json-export` must not pass silently).
    fn on(&mut self, event: &Event<'_>) -> std::io::Result<()>;
}

pub mod cli;
pub mod json;
pub mod junit;
pub mod select;
mod units;

use std::path::Path;

use super::record::{Failure, FailureKind, ItemInfo};
use crate::script::Phase;

/// Several reporters fed the same events (`-r cli,json,junit`).
pub struct Reporters(pub Vec<Box<dyn Reporter>>);

impl Reporter for Reporters {
    /// Every reporter sees every event even when one fails, so a full disk
    /// for one report does not also cut the terminal's output short; the
    /// first error is returned.
    fn on(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        let mut first = None;
        for reporter in &mut self.0 {
            if let Err(e) = reporter.on(event) {
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    }
}

/// `Folder / Sub / Request`, as newman names an item in its failure list
/// and JUnit suites.
pub fn full_name(item: &ItemInfo) -> String {
    let mut out = String::new();
    for folder in &item.folders {
        out.push_str(folder);
        out.push_str(" / ");
    }
    out.push_str(&item.name);
    out
}

/// The phase a script file belongs to: sidecars are `<stem>.pre.js` and
/// `<stem>.test.js` (`storage::layout`), so the name tells.
pub fn script_phase(file: &Path) -> Phase {
    let name = file.file_name().map(|n| n.to_string_lossy());
    match name {
        Some(n) if n.ends_with(".pre.js") => Phase::PreRequest,
        _ => Phase::Test,
    }
}

/// `("TypeError", "x is undefined")` from `TypeError: x is undefined`, as
/// newman shows an error's name apart from its message; `Error` when the
/// message names none.
pub fn split_error_name(message: &str) -> (&str, &str) {
    if let Some((name, rest)) = message.split_once(": ") {
        let ident = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            && name.starts_with(|c: char| c.is_ascii_uppercase());
        if ident {
            return (name, rest);
        }
    }
    ("Error", message)
}

/// The failures of one execution in the order newman reports them
/// (pre-request assertions and script errors, the request error, then the
/// test script's): the runner builds `Summary::failures` with it so the
/// numbers the CLI prints beside each failure match the list at the end.
pub fn failures_of(execution: &super::record::Execution) -> Vec<Failure> {
    let mut out = Vec::new();
    let failure = |kind, name: &str, message: &str| Failure {
        kind,
        iteration: execution.iteration,
        item: execution.item.clone(),
        name: name.to_string(),
        message: message.to_string(),
    };
    for phase in [Phase::PreRequest, Phase::Test] {
        for t in &execution.tests {
            if t.failed() && script_phase(&t.file) == phase {
                let message = t.error.as_deref().unwrap_or("failed");
                out.push(failure(FailureKind::Assertion, &t.name, message));
            }
        }
        for e in &execution.script_errors {
            if script_phase(&e.file) == phase {
                let name = format!("{}-script", phase.event_name());
                // Where it threw, after the message: `x is undefined
                // (users/get.test.js:3:7)`.
                let at = match (e.line, e.column) {
                    (Some(l), Some(c)) => format!(" ({}:{l}:{c})", e.file.display()),
                    (Some(l), None) => format!(" ({}:{l})", e.file.display()),
                    _ => String::new(),
                };
                let message = format!("{}{at}", e.message);
                out.push(failure(FailureKind::Script, &name, &message));
            }
        }
        if phase == Phase::PreRequest {
            if let Some(error) = &execution.error {
                out.push(failure(FailureKind::Request, &execution.item.name, error));
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::script::{ScriptError, ScriptErrorKind, TestResult};

    #[test]
    fn failures_come_in_the_order_they_happened() {
        let mut e = fixtures::iteration(0).remove(1);
        let test = |name: &str, file: &str| TestResult {
            name: name.into(),
            passed: false,
            skipped: false,
            error: Some(format!("{name} failed")),
            file: PathBuf::from(file),
        };
        let thrown = |file: &str| ScriptError {
            kind: ScriptErrorKind::Runtime,
            message: format!("TypeError: in {file}"),
            file: PathBuf::from(file),
            line: Some(3),
            column: None,
        };
        e.tests = vec![test("after", "a/x.test.js"), test("before", "a/x.pre.js")];
        e.script_errors = vec![thrown("a/x.test.js"), thrown("a/collection.pre.js")];
        e.error = Some("connect refused".into());
        let got: Vec<(FailureKind, String, String)> = failures_of(&e)
            .into_iter()
            .map(|f| (f.kind, f.name, f.message))
            .collect();
        use FailureKind::*;
        let want = [
            (Assertion, "before", "before failed"),
            (
                Script,
                "prerequest-script",
                "TypeError: in a/collection.pre.js (a/collection.pre.js:3)",
            ),
            (Request, "Create user", "connect refused"),
            (Assertion, "after", "after failed"),
            (
                Script,
                "test-script",
                "TypeError: in a/x.test.js (a/x.test.js:3)",
            ),
        ];
        let want: Vec<(FailureKind, String, String)> = want
            .into_iter()
            .map(|(k, n, m)| (k, n.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn names_phases_and_error_names() {
        let e = &fixtures::iteration(0)[1];
        assert_eq!(full_name(&e.item), "Users / Admin / Create user");
        assert_eq!(
            script_phase(Path::new("a/collection.pre.js")),
            Phase::PreRequest
        );
        assert_eq!(script_phase(Path::new("a/b.test.js")), Phase::Test);
        assert_eq!(split_error_name("TypeError: x"), ("TypeError", "x"));
        assert_eq!(
            split_error_name("script timed out: 5s"),
            ("Error", "script timed out: 5s")
        );
        assert_eq!(split_error_name("boom"), ("Error", "boom"));
    }
}

/// A report file at `path`, its directories made first (newman makes them
/// too), written atomically.
pub(crate) fn report_file(path: &std::path::Path) -> std::io::Result<AtomicFile> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    AtomicFile::create(path)
}

#[cfg(test)]
mod report_file_tests {
    use std::io::Write;

    #[test]
    fn a_report_file_makes_its_directories_and_appears_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("newman").join("report.json");
        let mut f = super::report_file(&dest).unwrap();
        f.write_all(b"{}").unwrap();
        assert!(!dest.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "{}");
    }
}
