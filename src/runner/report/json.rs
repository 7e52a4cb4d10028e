//! newman's JSON report (`-r json`), the parts a user reads: the run's
//! stats, timings, transfers and failures, and one entry per request with
//! its cursor, request, response head, assertions, script errors and
//! console lines. Executions are written to the file as they arrive, never
//! gathered; the totals follow them. The file is renamed into place only
//! when the run is done.

use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::{json, Map, Value};

use super::{script_phase, split_error_name, Event, Reporter};
use crate::http::{connection_json, curl_figures, sizes_json};
use crate::runner::record::{
    Counter, Execution, FailureKind, PhaseTimes, RunInfo, Stopped, Summary,
};
use crate::script::Phase;
use crate::storage::atomic::AtomicFile;

pub struct JsonReporter {
    /// `None` once the report is complete and renamed into place.
    file: Option<AtomicFile>,
    started: bool,
    executions: u64,
    cycles: u32,
    length: usize,
}

/// Pretty JSON as newman writes it (two spaces), each line after the
/// first indented by `depth` levels so a value sits inside the document
/// written around it. JSON strings never hold a raw newline, so only
/// structure is shifted.
fn pretty(value: &Value, depth: usize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    Ok(text.replace('\n', &format!("\n{}", "  ".repeat(depth))))
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn epoch_millis(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn counter(c: Counter) -> Value {
    json!({ "total": c.executed, "pending": 0, "failed": c.failed })
}

fn headers(list: &[(String, String)]) -> Value {
    list.iter()
        .map(|(k, v)| json!({ "key": k, "value": v }))
        .collect()
}

/// A URL in Postman's shape (`host` and `path` as segments, `query` as
/// pairs) with `raw` beside it for readers who want the string.
fn url(raw: &str) -> Value {
    let mut o = Map::new();
    o.insert("raw".into(), raw.into());
    if let Ok(u) = url::Url::parse(raw) {
        o.insert("protocol".into(), u.scheme().into());
        if let Some(host) = u.host_str() {
            let parts: Vec<&str> = host.split('.').collect();
            o.insert("host".into(), json!(parts));
        }
        if let Some(port) = u.port() {
            o.insert("port".into(), port.to_string().into());
        }
        let path: Vec<&str> = u
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        o.insert("path".into(), json!(path));
        let query: Vec<Value> = u
            .query_pairs()
            .map(|(k, v)| json!({ "key": k, "value": v }))
            .collect();
        o.insert("query".into(), query.into());
    }
    Value::Object(o)
}

fn execution(e: &Execution, cycles: u32, length: usize) -> Value {
    let mut o = Map::new();
    o.insert(
        "cursor".into(),
        json!({
            "position": e.position,
            "iteration": e.iteration,
            "length": length,
            "cycles": cycles,
        }),
    );
    // `folders` is postie's: `postie run --merge` names items with it.
    o.insert(
        "item".into(),
        json!({ "id": e.item.id, "name": e.item.name, "folders": e.item.folders }),
    );
    if let Some(r) = &e.request {
        o.insert(
            "request".into(),
            json!({ "url": url(&r.url), "method": r.method, "header": headers(&r.headers) }),
        );
    }
    if let Some(r) = &e.response {
        o.insert(
            "response".into(),
            json!({
                "status": r.reason,
                "code": r.status,
                "header": headers(&r.headers),
                "responseTime": r.time.as_millis() as u64,
                "responseSize": r.decoded_size,
                "timings": curl_figures(&r.timings, r.url.starts_with("https:")),
                "connection": connection_json(&r.connection),
                "sizes": sizes_json(&r.sizes, r.wire_size, r.decoded_size),
            }),
        );
    }
    o.insert("id".into(), e.item.id.clone().into());
    if e.skipped {
        o.insert("skipped".into(), true.into());
    }
    let assertions: Vec<Value> = e
        .tests
        .iter()
        .map(|t| {
            let mut a = Map::new();
            a.insert("assertion".into(), t.name.clone().into());
            a.insert("skipped".into(), t.skipped.into());
            // postie's: the script that declared it (its phase).
            a.insert("file".into(), t.file.to_string_lossy().into());
            if t.failed() {
                a.insert(
                    "error".into(),
                    json!({
                        "name": "AssertionError",
                        "test": t.name,
                        "message": t.error.as_deref().unwrap_or_default(),
                    }),
                );
            }
            Value::Object(a)
        })
        .collect();
    if !assertions.is_empty() {
        o.insert("assertions".into(), assertions.into());
    }
    // One entry per script run, as newman lists them; those that threw
    // carry the error.
    for (phase, key, ran) in [
        (Phase::PreRequest, "prerequestScript", e.prerequest_scripts),
        (Phase::Test, "testScript", e.test_scripts),
    ] {
        let mut scripts: Vec<Value> = e
            .script_errors
            .iter()
            .filter(|s| script_phase(&s.file) == phase)
            .map(|s| {
                let (name, message) = split_error_name(&s.message);
                json!({ "error": {
                    "name": name,
                    "message": message,
                    "kind": s.kind,
                    "file": s.file.to_string_lossy(),
                    "line": s.line,
                    "column": s.column,
                }})
            })
            .collect();
        while (scripts.len() as u64) < ran.executed {
            scripts.push(json!({}));
        }
        if !scripts.is_empty() {
            o.insert(key.into(), scripts.into());
        }
    }
    if let Some(error) = &e.error {
        o.insert(
            "requestError".into(),
            json!({ "name": "Error", "message": error }),
        );
    }
    if !e.console.is_empty() {
        let console: Vec<Value> = e
            .console
            .iter()
            .map(|c| json!({ "level": c.level, "messages": [c.text] }))
            .collect();
        o.insert("console".into(), console.into());
    }
    Value::Object(o)
}

/// Per-phase min/avg/p95/max in ms; a phase no request had is absent.
fn phases(p: &PhaseTimes) -> Value {
    let mut m = Map::new();
    for (name, t) in p.named() {
        if t.count > 0 {
            m.insert(
                name.into(),
                json!({
                    "count": t.count,
                    "min": millis(t.min),
                    "avg": millis(t.mean),
                    "p95": millis(t.p95),
                    "max": millis(t.max),
                }),
            );
        }
    }
    Value::Object(m)
}

/// What follows the executions: `(key, value)` in newman's order.
fn totals(s: &Summary, executions: u64) -> Vec<(&'static str, Value)> {
    let items = counter(Counter {
        executed: executions,
        failed: 0,
    });
    let mut scripts = s.prerequest_scripts;
    scripts.add(s.test_scripts);
    let t = &s.response_times;
    let failures: Vec<Value> = s
        .failures
        .iter()
        .map(|f| {
            let (name, message, at) = match f.kind {
                FailureKind::Assertion => ("AssertionError", f.message.as_str(), "assertion"),
                FailureKind::Script => {
                    let (n, m) = split_error_name(&f.message);
                    (n, m, f.name.as_str())
                }
                FailureKind::Request => ("Error", f.message.as_str(), "request"),
            };
            let mut error = Map::new();
            error.insert("name".into(), name.into());
            if f.kind == FailureKind::Assertion {
                error.insert("test".into(), f.name.clone().into());
            }
            error.insert("message".into(), message.into());
            json!({
                "error": error,
                "at": at,
                "source": { "id": f.item.id, "name": f.item.name },
                "cursor": { "iteration": f.iteration },
            })
        })
        .collect();
    let error = s.stopped.as_ref().map(|stopped| {
        let (name, message) = match stopped {
            Stopped::Bail(why) => ("Bail", why.clone()),
            Stopped::Loop(why) => ("Loop", why.clone()),
            Stopped::Timeout(after) => (
                "Timeout",
                format!("the run's --timeout ran out after {}ms", after.as_millis()),
            ),
            Stopped::Cancelled => ("Cancelled", "the run was cancelled".to_string()),
        };
        json!({ "name": name, "message": message })
    });
    let mut out = vec![
        (
            "stats",
            json!({
                "iterations": counter(s.iterations),
                "items": items,
                "scripts": counter(scripts),
                "prerequests": items,
                "requests": counter(s.requests),
                "tests": items,
                "assertions": counter(s.assertions),
                "testScripts": counter(s.test_scripts),
                "prerequestScripts": counter(s.prerequest_scripts),
            }),
        ),
        (
            "timings",
            json!({
                "responseAverage": millis(t.mean),
                "responseMin": millis(t.min),
                "responseMax": millis(t.max),
                "responseSd": millis(t.sd),
                "responseP95": millis(t.p95),
                "phases": phases(&s.phase_times),
                "started": epoch_millis(s.started),
                "completed": epoch_millis(s.started + s.duration),
            }),
        ),
        ("transfers", json!({ "responseTotal": s.data_received })),
        ("failures", failures.into()),
    ];
    let omitted = s.failure_count.saturating_sub(s.failures.len() as u64);
    if omitted > 0 {
        out.push(("failuresOmitted", omitted.into()));
    }
    out.push(("error", error.unwrap_or(Value::Null)));
    out
}

impl JsonReporter {
    /// Starts the report at `path` (its directories are created); the
    /// file appears under that name only when the run is done.
    pub fn create(path: &Path) -> io::Result<JsonReporter> {
        Ok(JsonReporter {
            file: Some(super::report_file(path)?),
            started: false,
            executions: 0,
            cycles: 1,
            length: 0,
        })
    }

    fn file(&mut self) -> io::Result<&mut AtomicFile> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("the JSON report is already complete"))
    }

    fn start(&mut self, name: &str) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let collection = json!({ "info": { "name": name } });
        let head = format!(
            "{{\n  \"collection\": {},\n  \"run\": {{\n    \"executions\": [",
            pretty(&collection, 1)?
        );
        self.file()?.write_all(head.as_bytes())
    }

    fn executed(&mut self, e: &Execution) -> io::Result<()> {
        let sep = if self.executions == 0 {
            "\n      "
        } else {
            ",\n      "
        };
        let text = pretty(&execution(e, self.cycles, self.length), 3)?;
        self.executions += 1;
        let file = self.file()?;
        file.write_all(sep.as_bytes())?;
        file.write_all(text.as_bytes())
    }

    fn done(&mut self, s: &Summary) -> io::Result<()> {
        self.start(&s.name)?;
        let mut tail = String::from(if self.executions == 0 { "]" } else { "\n    ]" });
        for (key, value) in totals(s, self.executions) {
            tail.push_str(&format!(",\n    \"{key}\": {}", pretty(&value, 2)?));
        }
        tail.push_str("\n  }\n}\n");
        let mut file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("the JSON report is already complete"))?;
        file.write_all(tail.as_bytes())?;
        file.commit()
    }
}

impl Reporter for JsonReporter {
    fn on(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::Start(RunInfo {
                name,
                iteration_count,
                requests,
                ..
            }) => {
                self.cycles = *iteration_count;
                self.length = *requests;
                self.start(name)
            }
            Event::Iteration { .. } | Event::Warning(_) => Ok(()),
            Event::Executed(e) => {
                // A run that never started cannot write requests anywhere
                // sensible; the header goes first whatever happens.
                if !self.started {
                    self.start("")?;
                }
                self.executed(e)
            }
            Event::Done(s) => self.done(s),
        }
    }
}

#[cfg(test)]
mod tests;
