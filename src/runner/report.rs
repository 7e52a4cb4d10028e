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
