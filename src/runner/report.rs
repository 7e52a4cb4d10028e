//! Reporters: each reads the run's events as they happen and writes its
//! format (a terminal, a JSON file, a JUnit file). None of them keeps a
//! response body; those that must write totals first (JUnit) keep only
//! small records or spool to a temporary file.

use super::record::{Execution, RunInfo, Summary};

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

pub mod atomic_file;
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
                let message = t.error.as_deref().unwrap_or_default();
                out.push(failure(FailureKind::Assertion, &t.name, message));
            }
        }
        for e in &execution.script_errors {
            if script_phase(&e.file) == phase {
                let name = format!("{}-script", phase.event_name());
                out.push(failure(FailureKind::Script, &name, &e.message));
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
mod fixtures;
