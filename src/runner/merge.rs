//! `postie run --merge`: the JSON reports of a sharded run's jobs read back
//! and replayed, in run order, through the reporters, so N CI jobs give one
//! report (and one verdict) as if one job had run the whole suite.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::record::Execution;
use super::record::{ItemInfo, RequestHead, ResponseHead, RunInfo, Stopped};
use super::report::{Event, Reporter};
use super::tally::Tally;
use crate::script::{ConsoleLevel, ConsoleLine, ScriptError, ScriptErrorKind, TestResult};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not JSON: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: not a JSON report of `postie run` ({what})", path.display())]
    Shape { path: PathBuf, what: &'static str },
    #[error("no reports to merge")]
    Empty,
}

/// One shard's report, as read back.
#[derive(Debug)]
pub struct ShardReport {
    pub name: String,
    pub cycles: u32,
    pub length: usize,
    pub started: SystemTime,
    pub completed: SystemTime,
    pub stopped: Option<Stopped>,
    pub executions: Vec<Execution>,
}

/// Reads a report written by `-r json` (newman's layout with postie's
/// `folders` and assertion `file`, so names and phases survive).
pub fn read_report(path: &Path) -> Result<ShardReport, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let doc: Value = serde_json::from_str(&text).map_err(|source| MergeError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    let shape = |what| MergeError::Shape {
        path: path.to_path_buf(),
        what,
    };
    let run = doc.get("run").ok_or_else(|| shape("no `run`"))?;
    let list = (run.get("executions").and_then(Value::as_array))
        .ok_or_else(|| shape("no `run.executions`"))?;
    let timings = run.get("timings");
    let at = |key: &str| {
        let ms = timings.and_then(|t| t.get(key)).and_then(Value::as_u64);
        SystemTime::UNIX_EPOCH + Duration::from_millis(ms.unwrap_or(0))
    };
    let first = list.first().and_then(|e| e.get("cursor"));
    Ok(ShardReport {
        name: text_at(&doc, &["collection", "info", "name"]),
        cycles: number_at(first, "cycles").max(1) as u32,
        length: number_at(first, "length") as usize,
        started: at("started"),
        completed: at("completed"),
        stopped: run.get("error").and_then(stopped),
        executions: list.iter().map(execution).collect(),
    })
}

/// Replays `reports` to `reporter` in run order: iteration by iteration,
/// and within one the shards' parts in the order of their first request
/// (each part keeps its own order, so a `setNextRequest` loop stays as it
/// ran). Returns whether the whole run failed.
pub fn merge(reports: Vec<ShardReport>, reporter: &mut dyn Reporter) -> std::io::Result<bool> {
    let Some(first) = reports.first() else {
        return Ok(false);
    };
    let started = (reports.iter().map(|r| r.started).min()).unwrap_or(first.started);
    let completed = (reports.iter().map(|r| r.completed).max()).unwrap_or(first.completed);
    let info = RunInfo {
        name: first.name.clone(),
        iteration_count: reports.iter().map(|r| r.cycles).max().unwrap_or(1),
        requests: reports.iter().map(|r| r.length).max().unwrap_or(0),
        started,
    };
    let stopped = reports.iter().find_map(|r| r.stopped.clone());
    // (iteration, first position, shard) -> that part's executions.
    let mut parts: Vec<(u32, usize, usize, Vec<Execution>)> = Vec::new();
    for (shard, report) in reports.into_iter().enumerate() {
        for e in report.executions {
            match parts.last_mut() {
                Some(part) if part.0 == e.iteration && part.2 == shard => part.3.push(e),
                _ => parts.push((e.iteration, e.position, shard, vec![e])),
            }
        }
    }
    parts.sort_by_key(|p| (p.0, p.1, p.2));
    reporter.on(&Event::Start(&info))?;
    let mut tally = Tally::default();
    let mut announced = None;
    for (iteration, _, _, executions) in parts {
        if announced != Some(iteration) {
            if announced.is_some() {
                tally.end_iteration();
            }
            announced = Some(iteration);
            reporter.on(&Event::Iteration {
                index: iteration,
                count: info.iteration_count,
            })?;
        }
        for e in &executions {
            tally.add(e);
            reporter.on(&Event::Executed(e))?;
        }
    }
    if announced.is_some() {
        tally.end_iteration();
    }
    let duration = completed.duration_since(started).unwrap_or_default();
    let summary = tally.summary(&info.name, started, duration, stopped);
    reporter.on(&Event::Done(&summary))?;
    Ok(summary.failed())
}

fn text_at(v: &Value, path: &[&str]) -> String {
    let mut v = Some(v);
    for key in path {
        v = v.and_then(|x| x.get(key));
    }
    v.and_then(Value::as_str).unwrap_or_default().to_string()
}

fn number_at(v: Option<&Value>, key: &str) -> u64 {
    v.and_then(|x| x.get(key))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

fn pairs(v: Option<&Value>) -> Vec<(String, String)> {
    let list = v
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    list.iter()
        .map(|h| (text_at(h, &["key"]), text_at(h, &["value"])))
        .collect()
}

fn stopped(error: &Value) -> Option<Stopped> {
    let message = text_at(error, &["message"]);
    match error.get("name").and_then(Value::as_str)? {
        "Bail" => Some(Stopped::Bail(message)),
        "Loop" => Some(Stopped::Loop(message)),
        // The limit itself is in the message; the figure is not needed.
        "Timeout" => Some(Stopped::Timeout(Duration::ZERO)),
        "Cancelled" => Some(Stopped::Cancelled),
        _ => None,
    }
}

/// The phases back from curl's cumulative figures (seconds from the start
/// of the send); a phase that did not happen has no `phases_ms` entry.
fn timings(t: &Value) -> crate::http::Timings {
    let at = |key: &str| {
        let seconds = t.get(key).and_then(Value::as_f64).unwrap_or(0.0);
        Duration::try_from_secs_f64(seconds).unwrap_or_default()
    };
    let happened =
        |phase: &str| (t.get("phases_ms").and_then(|p| p.get(phase))).is_some_and(|v| !v.is_null());
    crate::http::Timings {
        start: at("time_redirect"),
        dns: happened("dns").then(|| at("time_namelookup")),
        connect: happened("connect").then(|| at("time_connect")),
        tls: happened("tls").then(|| at("time_appconnect")),
        sent: at("time_sent"),
        ttfb: at("time_starttransfer"),
        total: at("time_total"),
        reused: t.get("reused").and_then(Value::as_bool).unwrap_or(false),
    }
}

fn execution(v: &Value) -> Execution {
    let cursor = v.get("cursor");
    let item = v.get("item");
    let folders = (item
        .and_then(|i| i.get("folders"))
        .and_then(Value::as_array))
    .map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect()
    })
    .unwrap_or_default();
    let mut e = Execution::new(
        number_at(cursor, "iteration") as u32,
        number_at(cursor, "position") as usize,
        ItemInfo {
            id: text_at(v, &["item", "id"]),
            name: text_at(v, &["item", "name"]),
            folders,
        },
    );
    e.request = v.get("request").map(|r| RequestHead {
        method: text_at(r, &["method"]),
        url: text_at(r, &["url", "raw"]),
        headers: pairs(r.get("header")),
        body_size: 0,
    });
    e.response = v.get("response").map(|r| {
        let time = Duration::from_millis(number_at(Some(r), "responseTime"));
        ResponseHead {
            status: number_at(Some(r), "code") as u16,
            reason: text_at(r, &["status"]),
            version: String::new(),
            headers: pairs(r.get("header")),
            wire_size: number_at(Some(r), "responseSize"),
            decoded_size: number_at(Some(r), "responseSize"),
            ttfb: time,
            time,
            url: e
                .request
                .as_ref()
                .map(|q| q.url.clone())
                .unwrap_or_default(),
            timings: r.get("timings").map(timings).unwrap_or_default(),
            connection: Default::default(),
            sizes: Default::default(),
        }
    });
    e.error = v.get("requestError").map(|r| text_at(r, &["message"]));
    e.skipped = v.get("skipped").and_then(Value::as_bool).unwrap_or(false);
    let list = |key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    e.tests = list("assertions")
        .iter()
        .map(|a| {
            let error = a.get("error").map(|x| text_at(x, &["message"]));
            let skipped = a.get("skipped").and_then(Value::as_bool).unwrap_or(false);
            TestResult {
                name: text_at(a, &["assertion"]),
                passed: error.is_none() && !skipped,
                skipped,
                error,
                file: PathBuf::from(text_at(a, &["file"])),
            }
        })
        .collect();
    for (key, counter) in [("prerequestScript", 0), ("testScript", 1)] {
        for script in list(key) {
            let ran = if counter == 0 {
                &mut e.prerequest_scripts
            } else {
                &mut e.test_scripts
            };
            ran.executed += 1;
            let Some(error) = script.get("error") else {
                continue;
            };
            ran.failed += 1;
            let name = text_at(error, &["name"]);
            let message = text_at(error, &["message"]);
            let kind = match error.get("kind").and_then(Value::as_str) {
                Some("compile") => ScriptErrorKind::Compile,
                Some("timeout") => ScriptErrorKind::Timeout,
                Some("memory") => ScriptErrorKind::Memory,
                _ => ScriptErrorKind::Runtime,
            };
            let line = |k: &str| error.get(k).and_then(Value::as_u64).map(|n| n as u32);
            e.script_errors.push(ScriptError {
                kind,
                message: if name.is_empty() || name == "Error" {
                    message
                } else {
                    format!("{name}: {message}")
                },
                file: PathBuf::from(text_at(error, &["file"])),
                line: line("line"),
                column: line("column"),
            });
        }
    }
    e.console = list("console")
        .iter()
        .map(|c| ConsoleLine {
            level: match c.get("level").and_then(Value::as_str) {
                Some("info") => ConsoleLevel::Info,
                Some("warn") => ConsoleLevel::Warn,
                Some("error") => ConsoleLevel::Error,
                _ => ConsoleLevel::Log,
            },
            text: (c.get("messages").and_then(Value::as_array))
                .map(|m| {
                    let texts: Vec<&str> = m.iter().filter_map(Value::as_str).collect();
                    texts.join(" ")
                })
                .unwrap_or_default(),
            file: PathBuf::new(),
            line: None,
        })
        .collect();
    e
}

#[cfg(test)]
mod tests;
