//! What reporters read: one [`Execution`] per request sent (or skipped),
//! without its body, and the [`Summary`] at the end. The runner builds an
//! execution from the pipeline's exchange and drops the exchange, so a long
//! run keeps no bodies.

use std::time::{Duration, SystemTime};

use crate::script::{ConsoleLine, ScriptError, TestResult};

/// Where a request sits in the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInfo {
    /// Postman's item id when the collection has one, else the workspace
    /// path (`users/get-user`): stable across runs, for JUnit ids.
    pub id: String,
    /// The request's display name.
    pub name: String,
    /// Display names of the folders down to the request, outermost first
    /// (the collection itself not included).
    pub folders: Vec<String>,
}

/// The request as sent: secrets already redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// Bytes of the body as sent (0 when none or streamed from a file).
    pub body_size: u64,
}

/// The response without its body. Header values are shown lossily when
/// they are not UTF-8; secrets are redacted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseHead {
    pub status: u16,
    pub reason: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
    /// Body bytes on the wire (compressed) and decoded.
    pub wire_size: u64,
    pub decoded_size: u64,
    /// Time to the first byte of the final response, and to its last byte.
    pub ttfb: Duration,
    pub time: Duration,
    pub url: String,
    /// The final hop's phases, connection and TLS facts, and sizes.
    pub timings: crate::http::Timings,
    pub connection: crate::http::Connection,
    pub sizes: crate::http::Sizes,
}

/// One request of one iteration.
#[derive(Debug, Clone)]
pub struct Execution {
    /// 0-based.
    pub iteration: u32,
    /// Index of the request in the run's order (the same in every
    /// iteration; with `setNextRequest` a request may run more than once).
    pub position: usize,
    pub item: ItemInfo,
    /// `None` when nothing was sent (skipped, or not sent at all).
    pub request: Option<RequestHead>,
    pub response: Option<ResponseHead>,
    /// Why there is no response: a transport error or the problems that
    /// kept the request from being sent (`undefined variable {{x}}`).
    pub error: Option<String>,
    /// `pm.execution.skipRequest()` stopped it before sending.
    pub skipped: bool,
    /// Tests of every script, pre-request ones first.
    pub tests: Vec<TestResult>,
    pub console: Vec<ConsoleLine>,
    pub script_errors: Vec<ScriptError>,
    /// Scripts that ran, and how many of each phase threw.
    pub prerequest_scripts: Counter,
    pub test_scripts: Counter,
    /// The response body, kept only for a failed execution and only when
    /// the run asks for it (the TUI's jump to a failure); reporters never
    /// need it.
    pub body: Option<std::sync::Arc<Vec<u8>>>,
}

impl Execution {
    /// A record of `item` with nothing done yet.
    pub fn new(iteration: u32, position: usize, item: ItemInfo) -> Execution {
        Execution {
            iteration,
            position,
            item,
            request: None,
            response: None,
            error: None,
            skipped: false,
            tests: Vec::new(),
            console: Vec::new(),
            script_errors: Vec::new(),
            prerequest_scripts: Counter::default(),
            test_scripts: Counter::default(),
            body: None,
        }
    }

    /// Any test failed, a script threw, or the request errored.
    pub fn failed(&self) -> bool {
        self.error.is_some()
            || !self.script_errors.is_empty()
            || self.tests.iter().any(TestResult::failed)
    }
}

/// Executed and failed, as newman's summary table counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counter {
    pub executed: u64,
    pub failed: u64,
}

impl Counter {
    pub fn add(&mut self, other: Counter) {
        self.executed += other.executed;
        self.failed += other.failed;
    }
}

/// What failed, for the list after the summary table and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// A test's assertion failed.
    Assertion,
    /// A pre-request or test script threw (or timed out).
    Script,
    /// The request could not be sent or got no response.
    Request,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub iteration: u32,
    pub item: ItemInfo,
    /// The test's name; for a script error, `prerequest-script` or
    /// `test-script`; for a request error, the request's name.
    pub name: String,
    pub message: String,
}

/// Response time statistics in a fixed number of buckets, so a run of any
/// length keeps the same memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeStats {
    pub count: u64,
    pub min: Duration,
    pub max: Duration,
    pub mean: Duration,
    pub p95: Duration,
    /// Standard deviation, as newman shows it.
    pub sd: Duration,
}

/// Why the run stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// `--bail` after a failure (or a folder that was not found).
    Bail(String),
    /// `setNextRequest` looped past the bound.
    Loop(String),
    /// `--timeout` ran out.
    Timeout(Duration),
    /// Ctrl-C or the TUI's cancel.
    Cancelled,
}

/// The run's totals, given to reporters at the end.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The collection's name.
    pub name: String,
    pub iterations: Counter,
    pub requests: Counter,
    pub test_scripts: Counter,
    pub prerequest_scripts: Counter,
    pub assertions: Counter,
    /// The first [`MAX_FAILURES`] failures in report order; `failure_count`
    /// counts them all.
    pub failures: Vec<Failure>,
    pub failure_count: u64,
    pub started: SystemTime,
    pub duration: Duration,
    /// Decoded response bytes (newman's "total data received").
    pub data_received: u64,
    pub response_times: TimeStats,
    /// Per phase, over the requests where the phase happened (a reused
    /// connection has no DNS, connect or TLS).
    pub phase_times: PhaseTimes,
    pub stopped: Option<Stopped>,
}

/// Statistics of each phase of the run's requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhaseTimes {
    pub dns: TimeStats,
    pub connect: TimeStats,
    pub tls: TimeStats,
    /// From the request's start (after redirects) to the first byte.
    pub ttfb: TimeStats,
    pub download: TimeStats,
}

impl PhaseTimes {
    /// Each phase with its name, in the order a request goes through them.
    pub fn named(&self) -> [(&'static str, &TimeStats); 5] {
        [
            ("dns", &self.dns),
            ("connect", &self.connect),
            ("tls", &self.tls),
            ("ttfb", &self.ttfb),
            ("download", &self.download),
        ]
    }
}

/// Failures listed in full; a run with more only counts the rest.
pub const MAX_FAILURES: usize = 1_000;

impl Summary {
    /// The run's verdict: something failed (newman's exit code 1).
    pub fn failed(&self) -> bool {
        self.failure_count > 0
            || matches!(self.stopped, Some(Stopped::Loop(_) | Stopped::Timeout(_)))
    }
}

/// What is known before the first request.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub name: String,
    pub iteration_count: u32,
    /// Requests in one iteration's order.
    pub requests: usize,
    pub started: SystemTime,
}
