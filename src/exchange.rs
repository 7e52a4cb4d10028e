//! The exchange record: what one send did, from the request as sent to the
//! tests that ran on its response. The pipeline writes it once; the CLI,
//! the TUI's panes, reporters and history only read it.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::http::{PreparedRequest, Response, SendError};
use crate::prepare::Problem;
use crate::script::{ConsoleLine, Control, Outcome, ScriptError, TestResult};
use crate::telemetry::TraceIds;

/// Which scope a variable change happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VarScope {
    Globals,
    Collection,
    Environment,
}

/// A variable a script set or unset, for the caller to keep or drop.
/// (`pm.variables`, the local scope, dies with the exchange.)
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VarChange {
    pub scope: VarScope,
    pub name: String,
    /// `None`: unset.
    pub value: Option<serde_json::Value>,
}

/// How the send ended.
#[derive(Debug)]
pub enum Ending {
    /// A response arrived (any status).
    Response(Box<Response>),
    /// The transport failed or was cancelled.
    Failed(SendError),
    /// `pm.execution.skipRequest()` in a pre-request script.
    Skipped,
    /// The request could not be prepared (undefined variables, a missing
    /// file): each problem knows its field and file.
    NotSent(Vec<Problem>),
}

/// One send: the record every reader shares.
#[derive(Debug)]
pub struct Exchange {
    /// The workspace path of the request (`users/get-user`).
    pub path: String,
    /// What went on the wire, after scripts and auth (`None` when nothing
    /// did). The body of a file upload is its path, not its bytes.
    pub sent: Option<PreparedRequest>,
    pub ending: Ending,
    /// Tests of every script, pre-request ones first.
    pub tests: Vec<TestResult>,
    pub console: Vec<ConsoleLine>,
    pub script_errors: Vec<ScriptError>,
    /// Variables scripts set or unset in the kept scopes, in order.
    pub changed: Vec<VarChange>,
    pub control: Control,
    /// Values that came from secret variables or credentials, so a writer
    /// (history, `-v`, logs) can redact them without knowing their origin.
    pub secrets: Vec<String>,
    /// Scripts that ran, in order, for a reader that wants to show them.
    pub scripts_run: Vec<PathBuf>,
    /// W3C trace context of the request, when a `traceparent` header or
    /// OTLP export asked for one: the header's ids and the exported span's.
    pub trace: Option<TraceIds>,
    /// When the request was handed to the executor and when the exchange
    /// ended, on the wall clock (a failed send's span has only these).
    pub started_at: Option<SystemTime>,
    pub finished_at: Option<SystemTime>,
}

impl Exchange {
    /// A record of `path` with nothing done yet (ending: `Skipped`).
    pub fn new(path: impl Into<String>) -> Exchange {
        Exchange {
            path: path.into(),
            sent: None,
            ending: Ending::Skipped,
            tests: Vec::new(),
            console: Vec::new(),
            script_errors: Vec::new(),
            changed: Vec::new(),
            control: Control::default(),
            secrets: Vec::new(),
            scripts_run: Vec::new(),
            trace: None,
            started_at: None,
            finished_at: None,
        }
    }

    /// The trace id as tracing systems show it (32 hex digits).
    pub fn trace_id(&self) -> Option<String> {
        self.trace.as_ref().map(TraceIds::trace_hex)
    }

    pub fn response(&self) -> Option<&Response> {
        match &self.ending {
            Ending::Response(r) => Some(r),
            _ => None,
        }
    }

    pub fn problems(&self) -> &[Problem] {
        match &self.ending {
            Ending::NotSent(p) => p,
            _ => &[],
        }
    }

    pub fn error(&self) -> Option<&SendError> {
        match &self.ending {
            Ending::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// Any test failed or any script threw.
    pub fn scripts_failed(&self) -> bool {
        !self.script_errors.is_empty() || self.tests.iter().any(TestResult::failed)
    }

    /// Adds one phase's outcome.
    pub fn add(&mut self, outcome: Outcome) {
        self.tests.extend(outcome.tests);
        self.console.extend(outcome.console);
        self.script_errors.extend(outcome.errors);
    }

    /// `text` with every secret value replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut secrets: Vec<&String> = self.secrets.iter().filter(|s| s.len() >= 3).collect();
        // Longest first, so a secret containing another is hidden whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for s in secrets {
            out = out.replace(s.as_str(), "***");
        }
        out
    }
}

/// Whether `response` came over https with the server's certificate left
/// unchecked (the request's `verify_tls` was off): UIs mark it.
pub fn sent_unverified(sent: &Option<PreparedRequest>, response: &Response) -> bool {
    let verify_off = sent.as_ref().is_some_and(|s| !s.settings.verify_tls);
    let over_tls = response.url.starts_with("https:")
        || (response.redirects.iter()).any(|h| h.url.starts_with("https:"));
    verify_off && over_tls
}
