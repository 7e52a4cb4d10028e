//! History: every exchange (TUI, `postie send`, `postie run`) appended,
//! redacted, to JSON Lines segments in the workspace's `.postie/history/`,
//! bounded in records and bytes; read back as a list, one record, or a
//! diff of two.
//!
//! Appending never waits on the disk: a record is built (and redacted) on
//! the caller's thread and handed to a writer thread over a bounded queue,
//! so a long run only waits when the disk is slower than its requests, and
//! memory stays flat however many requests it sends.
//!
//! Limits come from the environment (postie.json has no place for them):
//! `POSTIE_HISTORY_MAX_RECORDS` (10000), `POSTIE_HISTORY_MAX_BYTES`
//! (100 MiB), `POSTIE_HISTORY_BODY_BYTES` (256 KiB, per body);
//! `POSTIE_HISTORY=off` records nothing.

pub mod capture;
pub mod diff;
pub mod diff_text;
pub mod record;
pub mod redact;
mod reopen;
pub mod store;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

pub use capture::Capture;
pub use diff::{diff, Diff};
pub use record::{Body, Entry, Outcome, Record, RequestRef, Via};
pub use store::Warning;

use crate::exchange::Exchange;

/// How much history keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_records: u64,
    pub max_bytes: u64,
    /// Bytes of each body kept (request and response).
    pub body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_records: 10_000,
            max_bytes: 100 * 1024 * 1024,
            body_bytes: 256 * 1024,
        }
    }
}

impl Limits {
    /// The defaults with `POSTIE_HISTORY_MAX_RECORDS`,
    /// `POSTIE_HISTORY_MAX_BYTES` and `POSTIE_HISTORY_BODY_BYTES` over
    /// them; a value that is not a positive number is ignored and said.
    pub fn from_env() -> (Limits, Vec<String>) {
        Limits::from_vars(|name| std::env::var(name).ok())
    }

    fn from_vars(get: impl Fn(&str) -> Option<String>) -> (Limits, Vec<String>) {
        let mut limits = Limits::default();
        let mut warnings = Vec::new();
        let mut read = |name: &str| -> Option<u64> {
            let v = get(name)?;
            match v.trim().parse::<u64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    warnings.push(format!("ignoring {name}={v:?}: expected a number above 0"));
                    None
                }
            }
        };
        if let Some(n) = read("POSTIE_HISTORY_MAX_RECORDS") {
            limits.max_records = n;
        }
        if let Some(n) = read("POSTIE_HISTORY_MAX_BYTES") {
            limits.max_bytes = n;
        }
        if let Some(n) = read("POSTIE_HISTORY_BODY_BYTES") {
            limits.body_bytes = usize::try_from(n).unwrap_or(usize::MAX);
        }
        (limits, warnings)
    }
}

/// `POSTIE_HISTORY=off` (or `0`, `false`, `no`): record nothing.
pub fn disabled_by_env() -> bool {
    std::env::var("POSTIE_HISTORY").is_ok_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "off" | "0" | "false" | "no"
        )
    })
}

/// `.postie/history/` of the workspace at `root`.
pub fn history_dir(root: &Path) -> PathBuf {
    crate::storage::state::state_dir(root).join("history")
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no history entry `{id}`")]
    NotFound { id: String },
    #[error("`{id}` names {} history entries ({}); give more of it", candidates.len(), candidates.join(", "))]
    Ambiguous { id: String, candidates: Vec<String> },
    #[error("`{request}` has {found} entr{} in history; a diff needs two", if *found == 1 { "y" } else { "ies" })]
    TooFew { request: String, found: usize },
    #[error("writing history in {dir}: {message}")]
    Write { dir: PathBuf, message: String },
}

/// Which entries a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A request path, a folder above requests, or a Postman file.
    pub request: Option<String>,
    pub status: Option<StatusFilter>,
    /// Case-insensitive text in the request, URL, error or response body.
    pub grep: Option<String>,
    /// The newest this many (all when `None`).
    pub limit: Option<usize>,
}

/// `404`, `5xx`, or `none` (no response: failed, skipped, not sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Exact(u16),
    Class(u16),
    NoResponse,
}

impl FromStr for StatusFilter {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        let bad = || format!("expected a status (404), a class (5xx) or `none`, got {s:?}");
        if s == "none" {
            return Ok(StatusFilter::NoResponse);
        }
        if let Some(d) = s.strip_suffix("xx") {
            return match d.parse::<u16>() {
                Ok(c @ 1..=5) if d.len() == 1 => Ok(StatusFilter::Class(c)),
                _ => Err(bad()),
            };
        }
        match s.parse::<u16>() {
            Ok(n @ 100..=999) => Ok(StatusFilter::Exact(n)),
            _ => Err(bad()),
        }
    }
}

impl StatusFilter {
    pub fn matches(self, status: Option<u16>) -> bool {
        match (self, status) {
            (StatusFilter::NoResponse, s) => s.is_none(),
            (StatusFilter::Exact(n), Some(s)) => s == n,
            (StatusFilter::Class(c), Some(s)) => s / 100 == c,
            (_, None) => false,
        }
    }
}

impl Filter {
    pub fn matches(&self, r: &Record) -> bool {
        if let Some(q) = &self.request {
            if !r.request.matches(q) {
                return false;
            }
        }
        if let Some(s) = self.status {
            if !s.matches(r.status()) {
                return false;
            }
        }
        if let Some(g) = &self.grep {
            let g = g.to_lowercase();
            let has = |s: &str| s.to_lowercase().contains(&g);
            let found = has(&r.request.key)
                || r.sent.as_ref().is_some_and(|s| has(&s.url))
                || r.error.as_deref().is_some_and(has)
                || (r.response.as_ref())
                    .and_then(|x| x.body.text.as_deref())
                    .is_some_and(has);
            if !found {
                return false;
            }
        }
        true
    }
}

/// What was read, and what was skipped on the way.
#[derive(Debug)]
pub struct Loaded<T> {
    pub value: T,
    pub warnings: Vec<Warning>,
}

enum Job {
    Write(Arc<Record>),
    Flush(mpsc::Sender<()>),
}

/// The writer thread and its queue.
struct Writer {
    tx: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<()>>,
}

/// Records waiting for the disk at most; a producer faster than the disk
/// waits for room rather than growing memory.
const QUEUE: usize = 64;

/// A workspace's history. Cheap to open (nothing is touched on disk until
/// the first append); share it between threads by reference or `Arc`.
pub struct History {
    /// The workspace, whose state folder is made (with its .gitignore)
    /// before the first write.
    workspace: Option<PathBuf>,
    dir: PathBuf,
    limits: Limits,
    via: Via,
    writer: OnceLock<Mutex<Writer>>,
    /// The first write error, kept until [`History::flush`] reports it.
    error: Arc<Mutex<Option<String>>>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("dir", &self.dir)
            .field("limits", &self.limits)
            .field("via", &self.via)
            .finish()
    }
}

impl History {
    /// The history of the workspace at `root`, with limits from the
    /// environment; records say they came from the TUI unless
    /// [`History::via`] says otherwise.
    pub fn open(root: &Path) -> History {
        let mut h = History::in_dir(history_dir(root), Limits::from_env().0);
        h.workspace = Some(root.to_path_buf());
        h
    }

    /// A history kept in `dir` (tests; other layouts).
    pub fn in_dir(dir: PathBuf, limits: Limits) -> History {
        History {
            workspace: None,
            dir,
            limits,
            via: Via::Tui,
            writer: OnceLock::new(),
            error: Arc::new(Mutex::new(None)),
        }
    }

    pub fn via(mut self, via: Via) -> History {
        self.via = via;
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> History {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A capture for a body that streams elsewhere, sized to what a record
    /// keeps.
    pub fn capture(&self) -> Capture {
        Capture::new(self.limits.body_bytes)
    }

    /// Appends `exchange` of its workspace request. `body`: the response
    /// body when it is not in the exchange (see [`Capture`]). Returns the
    /// record as written (redacted), for a view to keep.
    pub fn append(&self, exchange: &Exchange, body: Option<&[u8]>) -> Arc<Record> {
        self.append_as(RequestRef::workspace(&exchange.path), exchange, body)
    }

    /// [`History::append`] naming the request (a Postman item).
    pub fn append_as(
        &self,
        request: RequestRef,
        exchange: &Exchange,
        body: Option<&[u8]>,
    ) -> Arc<Record> {
        let record = capture::build(exchange, request, self.via, body, self.limits.body_bytes);
        self.append_record(record)
    }

    /// Queues a record built elsewhere. Waits only when the queue is full.
    pub fn append_record(&self, record: Record) -> Arc<Record> {
        let record = Arc::new(record);
        let writer = self.writer.get_or_init(|| Mutex::new(self.start()));
        let tx = writer.lock().ok().and_then(|w| w.tx.clone());
        if let Some(tx) = tx {
            // The writer only stops when the history is dropped.
            let _ = tx.send(Job::Write(Arc::clone(&record)));
        }
        record
    }

    fn start(&self) -> Writer {
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        let dir = self.dir.clone();
        let workspace = self.workspace.clone();
        let limits = self.limits;
        let error = Arc::clone(&self.error);
        let thread = std::thread::Builder::new()
            .name("postie-history".into())
            .spawn(move || write_loop(workspace.as_deref(), &dir, limits, &rx, &error));
        match thread {
            Ok(t) => Writer {
                tx: Some(tx),
                thread: Some(t),
            },
            Err(e) => {
                self.fail(e.to_string());
                Writer {
                    tx: None,
                    thread: None,
                }
            }
        }
    }

    fn fail(&self, message: String) {
        if let Ok(mut e) = self.error.lock() {
            e.get_or_insert(message);
        }
    }

    /// Waits until every record appended so far is on disk; the first
    /// write error since the last flush, if any.
    pub fn flush(&self) -> Result<(), HistoryError> {
        let tx = (self.writer.get())
            .and_then(|w| w.lock().ok())
            .and_then(|w| w.tx.clone());
        if let Some(tx) = tx {
            let (done, wait) = mpsc::channel();
            if tx.send(Job::Flush(done)).is_ok() {
                let _ = wait.recv();
            }
        }
        match self.error.lock().ok().and_then(|mut e| e.take()) {
            Some(message) => Err(HistoryError::Write {
                dir: self.dir.clone(),
                message,
            }),
            None => Ok(()),
        }
    }

    /// Entries matching `filter`, newest first, and what was skipped.
    pub fn list(&self, filter: &Filter) -> Loaded<Vec<Entry>> {
        let records = self.records(filter);
        Loaded {
            value: records.value.iter().map(Entry::from).collect(),
            warnings: records.warnings,
        }
    }

    /// Records matching `filter`, newest first. Only the newest
    /// `filter.limit` are ever held.
    pub fn records(&self, filter: &Filter) -> Loaded<Vec<Record>> {
        let mut kept: VecDeque<Record> = VecDeque::new();
        let warnings = store::read_all(&self.dir, |r| {
            if filter.matches(&r) {
                kept.push_back(r);
                if filter.limit.is_some_and(|n| kept.len() > n) {
                    kept.pop_front();
                }
            }
        });
        Loaded {
            value: kept.into_iter().rev().collect(),
            warnings,
        }
    }

    /// The record whose id is or starts with `id`.
    pub fn load(&self, id: &str) -> Result<Loaded<Record>, HistoryError> {
        let id = id.trim();
        // Only one record is held: the exact match, else the first match.
        let mut exact: Option<Record> = None;
        let mut first: Option<Record> = None;
        let mut ids: Vec<String> = Vec::new();
        let pre = |line: &[u8]| store::id_may_match(line, id);
        let warnings = store::read_where(&self.dir, pre, |r| {
            if id.is_empty() || !r.id.starts_with(id) {
                return;
            }
            if !ids.contains(&r.id) {
                ids.push(r.id.clone());
            }
            if r.id == id {
                exact = Some(r);
            } else if first.is_none() {
                first = Some(r);
            }
        });
        let found = match (exact, first) {
            (Some(r), _) => r,
            (None, Some(r)) if ids.len() == 1 => r,
            (None, Some(_)) => {
                return Err(HistoryError::Ambiguous {
                    id: id.to_string(),
                    candidates: ids,
                })
            }
            (None, None) => return Err(HistoryError::NotFound { id: id.to_string() }),
        };
        Ok(Loaded {
            value: found,
            warnings,
        })
    }

    /// The two newest records of `request` (older first), for a diff.
    pub fn last_two(&self, request: &str) -> Result<Loaded<(Record, Record)>, HistoryError> {
        let filter = Filter {
            request: Some(request.to_string()),
            limit: Some(2),
            ..Filter::default()
        };
        let Loaded {
            mut value,
            warnings,
        } = self.records(&filter);
        if value.len() < 2 {
            return Err(HistoryError::TooFew {
                request: request.to_string(),
                found: value.len(),
            });
        }
        let newer = value.remove(0);
        let older = value.remove(0);
        Ok(Loaded {
            value: (older, newer),
            warnings,
        })
    }
}

impl Drop for History {
    /// Lets the writer finish what was queued.
    fn drop(&mut self) {
        if let Some(w) = self.writer.take() {
            if let Ok(mut w) = w.into_inner() {
                drop(w.tx.take());
                if let Some(t) = w.thread.take() {
                    let _ = t.join();
                }
            }
        }
    }
}

fn write_loop(
    workspace: Option<&Path>,
    dir: &Path,
    limits: Limits,
    rx: &mpsc::Receiver<Job>,
    error: &Mutex<Option<String>>,
) {
    let fail = |message: String| {
        if let Ok(mut e) = error.lock() {
            e.get_or_insert(message);
        }
    };
    let mut appender: Option<store::Appender> = None;
    for job in rx {
        let record = match job {
            Job::Write(r) => r,
            Job::Flush(done) => {
                let _ = done.send(());
                continue;
            }
        };
        if appender.is_none() {
            if let Some(root) = workspace {
                // `.postie/.gitignore` first, so history never lands in git.
                if let Err(e) = crate::storage::state::ensure_state_dir(root) {
                    fail(e.to_string());
                }
            }
            match store::Appender::open(dir, limits) {
                Ok(a) => appender = Some(a),
                Err(e) => {
                    fail(e.to_string());
                    continue;
                }
            }
        }
        let line = match serde_json::to_vec(&*record) {
            Ok(l) => l,
            Err(e) => {
                fail(e.to_string());
                continue;
            }
        };
        if let Some(a) = appender.as_mut() {
            if let Err(e) = a.append(&line) {
                tracing::warn!(target: "postie::history", error = %e, "history record not written");
                fail(e.to_string());
                // Reopen next time: the segment may have been removed.
                appender = None;
            } else {
                tracing::debug!(
                    target: "postie::history",
                    id = %record.id,
                    request = %record.request.key,
                    bytes = line.len(),
                    "history record written"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::record::{Body, ReceivedResponse, SentRequest};
    use super::*;

    fn sample(id: &str, key: &str, status: u16, body: &str) -> Record {
        Record {
            v: record::RECORD_VERSION,
            id: id.into(),
            at: capture::now(),
            via: Via::Send,
            request: RequestRef::workspace(key),
            outcome: Outcome::Response,
            sent: Some(SentRequest {
                method: "GET".into(),
                url: format!("http://127.0.0.1/{key}"),
                headers: vec![],
                body: None,
            }),
            error: None,
            response: Some(ReceivedResponse {
                status,
                reason: String::new(),
                version: "HTTP/1.1".into(),
                url: String::new(),
                headers: vec![],
                body: Body {
                    size: body.len() as u64,
                    text: Some(body.into()),
                    ..Body::default()
                },
                wire_size: 0,
                decoded_size: body.len() as u64,
                truncated: false,
                redirects: vec![],
                timings: Default::default(),
            }),
            tests: vec![],
            script_errors: vec![],
            trace_id: None,
        }
    }

    fn ids(h: &History, filter: &Filter) -> Vec<String> {
        let loaded = h.list(filter);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        loaded.value.into_iter().map(|e| e.id).collect()
    }

    #[test]
    fn records_read_back_newest_first_and_filter_by_request_status_and_text() {
        let d = tempfile::tempdir().unwrap();
        let h = History::in_dir(d.path().join("h"), Limits::default());
        h.append_record(sample("a1", "users/get", 200, "{\"name\":\"Ann\"}"));
        h.append_record(sample("a2", "users/get", 503, "down"));
        h.append_record(sample("b1", "orders/list", 404, "no"));
        h.flush().unwrap();
        assert_eq!(ids(&h, &Filter::default()), ["b1", "a2", "a1"]);
        let by = |request: Option<&str>, status: Option<&str>, grep: Option<&str>| Filter {
            request: request.map(String::from),
            status: status.map(|s| s.parse().unwrap()),
            grep: grep.map(String::from),
            limit: None,
        };
        assert_eq!(ids(&h, &by(Some("users"), None, None)), ["a2", "a1"]);
        assert_eq!(ids(&h, &by(None, Some("5xx"), None)), ["a2"]);
        assert_eq!(ids(&h, &by(None, Some("404"), None)), ["b1"]);
        assert_eq!(ids(&h, &by(None, None, Some("ANN"))), ["a1"]);
        let newest = Filter {
            limit: Some(2),
            ..Filter::default()
        };
        assert_eq!(ids(&h, &newest), ["b1", "a2"]);
        let (old, new) = h.last_two("users/get").unwrap().value;
        assert_eq!((old.id.as_str(), new.id.as_str()), ("a1", "a2"));
        assert!(matches!(
            h.last_two("orders/list"),
            Err(HistoryError::TooFew { found: 1, .. })
        ));
    }

    #[test]
    fn an_id_is_found_by_a_unique_prefix_and_an_exact_id_wins() {
        let d = tempfile::tempdir().unwrap();
        let h = History::in_dir(d.path().join("h"), Limits::default());
        for id in ["abc", "abcd", "abd"] {
            h.append_record(sample(id, "r", 200, ""));
        }
        h.flush().unwrap();
        assert_eq!(h.load("abd").unwrap().value.id, "abd");
        assert_eq!(h.load("abc").unwrap().value.id, "abc");
        assert_eq!(h.load("abcd").unwrap().value.id, "abcd");
        assert!(
            matches!(h.load("ab"), Err(HistoryError::Ambiguous { candidates, .. }) if candidates.len() == 3)
        );
        assert!(matches!(h.load("x"), Err(HistoryError::NotFound { .. })));
        assert!(matches!(h.load(""), Err(HistoryError::NotFound { .. })));
        let line = serde_json::to_vec(&sample("abcdef", "r", 200, "")).unwrap();
        assert!(store::id_may_match(&line, "abc") && store::id_may_match(&line, "abcdef"));
        assert!(!store::id_may_match(&line, "abd"));
        assert!(store::id_may_match(b"{\"other\": 1}", "abd"));
    }

    #[test]
    fn history_keeps_within_its_record_and_byte_limits_and_keeps_the_newest() {
        let d = tempfile::tempdir().unwrap();
        let limits = Limits {
            max_records: 20,
            max_bytes: u64::MAX,
            body_bytes: 1024,
        };
        let h = History::in_dir(d.path().join("h"), limits);
        for i in 0..100 {
            h.append_record(sample(&format!("{i:04}"), "r", 200, "x"));
        }
        h.flush().unwrap();
        let kept = ids(&h, &Filter::default());
        assert!((16..=20).contains(&kept.len()), "{}", kept.len());
        assert_eq!(kept[0], "0099");

        let line = serde_json::to_vec(&sample("0000", "r", 200, &"y".repeat(200))).unwrap();
        let max_bytes = 20 * line.len() as u64;
        let limits = Limits {
            max_records: u64::MAX,
            max_bytes,
            body_bytes: 1024,
        };
        let h = History::in_dir(d.path().join("b"), limits);
        for i in 0..200 {
            h.append_record(sample(&format!("{i:04}"), "r", 200, &"y".repeat(200)));
        }
        h.flush().unwrap();
        let size: u64 = (store::segments(h.dir()).unwrap().iter())
            .map(|(_, p)| std::fs::metadata(p).unwrap().len())
            .sum();
        assert!(
            size <= max_bytes + line.len() as u64,
            "{size} > {max_bytes}"
        );
        assert!(size >= max_bytes * 7 / 10, "{size} too small");
        assert_eq!(ids(&h, &Filter::default())[0], "0199");
    }

    #[test]
    fn a_torn_last_record_is_skipped_and_the_next_writer_starts_on_a_new_line() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("h");
        let h = History::in_dir(dir.clone(), Limits::default());
        h.append_record(sample("one", "r", 200, ""));
        h.append_record(sample("two", "r", 200, ""));
        h.flush().unwrap();
        drop(h);
        // A kill mid-write: half a record, no newline.
        let (_, seg) = store::segments(&dir).unwrap().pop().unwrap();
        let whole = std::fs::read(&seg).unwrap();
        let mut torn = whole.clone();
        torn.extend_from_slice(&whole[..whole.len() / 3]);
        std::fs::write(&seg, &torn).unwrap();

        let h = History::in_dir(dir.clone(), Limits::default());
        assert_eq!(ids(&h, &Filter::default()), ["two", "one"]);
        h.append_record(sample("three", "r", 200, ""));
        h.flush().unwrap();
        let loaded = h.list(&Filter::default());
        let got: Vec<&str> = loaded.value.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(got, ["three", "two", "one"]);
        // The torn line is now a whole, damaged one: said, not fatal.
        assert!(
            matches!(&loaded.warnings[..], [Warning::Corrupt { line: 3, .. }]),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn a_corrupt_or_unreadable_history_reads_what_it_can_with_warnings() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("h");
        std::fs::create_dir_all(&dir).unwrap();
        let good = serde_json::to_string(&sample("ok", "r", 200, "")).unwrap();
        let mut newer = sample("new", "r", 200, "");
        newer.v = 99;
        let newer = serde_json::to_string(&newer).unwrap();
        std::fs::write(
            dir.join("00000001.jsonl"),
            format!("not json\n\u{0}\u{1}\n{good}\n{newer}\n{{\"v\":1}}\n"),
        )
        .unwrap();
        std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
        let h = History::in_dir(dir.clone(), Limits::default());
        let loaded = h.list(&Filter::default());
        assert_eq!(loaded.value.len(), 1);
        assert_eq!(loaded.warnings.len(), 4, "{:?}", loaded.warnings);
        assert!(matches!(loaded.warnings[2], Warning::Newer { line: 4, .. }));
        assert!(loaded.warnings[0].to_string().contains("00000001.jsonl:1"));
        // A history that is a file, not a folder: a warning, and writing
        // fails softly.
        let bad = History::in_dir(d.path().join("file"), Limits::default());
        std::fs::write(bad.dir(), "x").unwrap();
        assert_eq!(bad.list(&Filter::default()).warnings.len(), 1);
        bad.append_record(sample("x", "r", 200, ""));
        assert!(matches!(bad.flush(), Err(HistoryError::Write { .. })));
    }

    #[test]
    fn threads_append_at_once_without_losing_or_tearing_records() {
        let d = tempfile::tempdir().unwrap();
        let h = History::in_dir(d.path().join("h"), Limits::default());
        std::thread::scope(|s| {
            for t in 0..4 {
                let h = &h;
                s.spawn(move || {
                    for i in 0..50 {
                        h.append_record(sample(&format!("{t}-{i}"), "r", 200, "b"));
                    }
                });
            }
        });
        h.flush().unwrap();
        assert_eq!(ids(&h, &Filter::default()).len(), 200);
    }

    #[test]
    fn status_filters_parse_and_match() {
        let f: StatusFilter = "5xx".parse().unwrap();
        assert!(f.matches(Some(503)) && !f.matches(Some(404)) && !f.matches(None));
        let f: StatusFilter = "404".parse().unwrap();
        assert!(f.matches(Some(404)) && !f.matches(Some(400)));
        let f: StatusFilter = "none".parse().unwrap();
        assert!(f.matches(None) && !f.matches(Some(200)));
        for bad in ["6xx", "xx", "55xx", "42", "abc"] {
            assert!(bad.parse::<StatusFilter>().is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_come_from_the_environment_and_bad_values_are_said() {
        let vars = |name: &str| match name {
            "POSTIE_HISTORY_MAX_RECORDS" => Some("50".to_string()),
            "POSTIE_HISTORY_BODY_BYTES" => Some("lots".to_string()),
            _ => None,
        };
        let (l, w) = Limits::from_vars(vars);
        assert_eq!(l.max_records, 50);
        assert_eq!(l.body_bytes, Limits::default().body_bytes);
        assert_eq!(l.max_bytes, Limits::default().max_bytes);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("POSTIE_HISTORY_BODY_BYTES"), "{w:?}");
    }
}
