//! Postman's `pm` scripts, run in an embedded JavaScript engine (QuickJS
//! through rquickjs) with nothing reachable but the `pm` API and the
//! libraries Postman's sandbox offers.
//!
//! The pipeline hands a phase's scripts and a [`ScriptState`] to an
//! `Engine`; the scripts read and change the state (variables, the
//! request before it is sent) and the engine returns an [`Outcome`]: tests,
//! console lines, errors. Values cross the boundary as JSON, so the JS side
//! (`src/script/js/`) and the Rust side agree on one shape.

mod engine;
mod modules;
mod sandbox;
#[cfg(test)]
mod scenario_tests;
mod state;
#[cfg(test)]
mod tests;

pub use engine::Engine;
pub use sandbox::Limits;
pub use state::*;

use std::path::PathBuf;

/// When a script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Before the request is resolved and sent (`pm.info.eventName` is
    /// `prerequest`).
    #[serde(rename = "prerequest")]
    PreRequest,
    /// After the response arrived (`test`).
    Test,
}

impl Phase {
    pub fn event_name(self) -> &'static str {
        match self {
            Phase::PreRequest => "prerequest",
            Phase::Test => "test",
        }
    }
}

/// One script to run: a sidecar's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub source: String,
    /// Shown in errors and console lines, relative to the workspace root
    /// (`users/get-user.test.js`, `users/collection.pre.js`).
    pub file: PathBuf,
}

/// What running one phase's scripts produced.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// In the order `pm.test` was called (async ones where they were called).
    pub tests: Vec<TestResult>,
    pub console: Vec<ConsoleLine>,
    /// Scripts that threw, failed to compile or hit a limit. The phase's
    /// other scripts still ran, as in Postman.
    pub errors: Vec<ScriptError>,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        !self.errors.is_empty() || self.tests.iter().any(TestResult::failed)
    }
}

impl TestResult {
    /// Ran and did not pass (a skipped test is not a failure).
    pub fn failed(&self) -> bool {
        !self.passed && !self.skipped
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TestResult {
    pub name: String,
    pub passed: bool,
    pub skipped: bool,
    /// The assertion's message (`expected 404 to equal 200`) when it failed.
    pub error: Option<String>,
    /// The script it was declared in.
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsoleLevel {
    Log,
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConsoleLine {
    pub level: ConsoleLevel,
    /// The arguments as console.log prints them, joined with spaces.
    pub text: String,
    pub file: PathBuf,
    /// 1-based line in `file`, when the engine knows it.
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScriptError {
    pub kind: ScriptErrorKind,
    /// The exception's message (`TypeError: cannot read property 'x' of undefined`).
    pub message: String,
    pub file: PathBuf,
    /// 1-based line and column in `file`, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptErrorKind {
    /// A syntax error.
    Compile,
    /// An uncaught exception (or a rejected promise).
    Runtime,
    /// Ran longer than the time limit.
    Timeout,
    /// Allocated more than the memory limit.
    Memory,
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// What the engine asks of the one who runs it: `pm.sendRequest` goes
/// through the pipeline's executor, never a network of its own.
pub trait Host {
    /// Sends `request` (already a final, resolved request: scripts resolve
    /// nothing) and waits for the answer. Errors are shown to the script's
    /// callback as its `err` argument.
    fn send_request(&mut self, request: ScriptRequest) -> Result<ScriptResponse, String>;
}

/// A host for scripts that may not send (tests of pure logic; `--no-network`).
pub struct NoNetwork;

impl Host for NoNetwork {
    fn send_request(&mut self, _request: ScriptRequest) -> Result<ScriptResponse, String> {
        Err("pm.sendRequest is not available here".into())
    }
}
