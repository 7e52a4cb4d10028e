//! `postie history`: list, show and diff past exchanges of the workspace,
//! and the small helpers `send` and `run` use to record theirs.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use clap::{Args, Subcommand};

use crate::exchange::Exchange;
use crate::history::{
    self, Capture, Diff, Entry, Filter, History, HistoryError, Outcome, Record, RequestRef,
    StatusFilter, Via,
};
use crate::runner::record::ItemInfo;
use crate::runner::run::ExchangeTap;
use crate::safe_text::escape;
use crate::storage::find_root;

use super::output::human_bytes;
use super::{exit, Failure};

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "History is kept in .postie/history/ (see docs/observability.md). \
Exit codes: 0 done, 1 no such entry or no workspace, 2 bad usage."
)]
pub struct HistoryArgs {
    #[command(subcommand)]
    command: Option<HistoryCommand>,
    #[command(flatten)]
    list: ListArgs,
}

#[derive(Debug, Subcommand)]
enum HistoryCommand {
    /// List past exchanges, newest first (what `postie history` alone does)
    List(ListArgs),
    /// Show one exchange: request, response head, timings, tests
    Show(ShowArgs),
    /// What changed between two exchanges (or a request's last two)
    Diff(DiffArgs),
}

#[derive(Debug, Args, Default)]
struct ListArgs {
    /// Only this request, a folder above requests, or a Postman file
    request: Option<String>,
    /// Only this status (`404`), class (`5xx`) or `none` (no response)
    #[arg(long, value_name = "STATUS", value_parser = clap::value_parser!(StatusArg))]
    status: Option<StatusArg>,
    /// Only entries whose request, URL, error or response body holds TEXT
    /// (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    grep: Option<String>,
    /// How many, newest first
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 20)]
    limit: usize,
    /// One JSON object per entry, one per line
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy)]
struct StatusArg(StatusFilter);

impl std::str::FromStr for StatusArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(StatusArg)
    }
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The entry's id, or enough of its start to be unique
    id: String,
    /// Also print the request and response bodies as kept
    #[arg(long)]
    body: bool,
    /// Print the whole record as JSON
    #[arg(long, conflicts_with = "body")]
    json: bool,
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// Two entry ids (older first), or one request: its last two entries
    #[arg(required = true, num_args = 1..=2, value_name = "ID1 ID2 | REQUEST")]
    what: Vec<String>,
    /// Print the diff as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(args: HistoryArgs, cwd: &Path) -> Result<(), Failure> {
    let root = find_root(cwd)?;
    let h = History::open(&root);
    let out = match args.command {
        None => list(&h, &args.list)?,
        Some(HistoryCommand::List(a)) => list(&h, &a)?,
        Some(HistoryCommand::Show(a)) => show(&h, &a)?,
        Some(HistoryCommand::Diff(a)) => diff(&h, &a)?,
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    Ok(())
}

fn failure(e: HistoryError) -> Failure {
    Failure::new(exit::INPUT, escape(&e.to_string(), false))
}

fn warn(warnings: &[history::Warning]) {
    for w in warnings {
        eprintln!("warning: {}", escape(&w.to_string(), false));
    }
}

fn list(h: &History, a: &ListArgs) -> Result<String, Failure> {
    let filter = Filter {
        request: a.request.clone(),
        status: a.status.map(|s| s.0),
        grep: a.grep.clone(),
        limit: Some(a.limit),
    };
    let loaded = h.list(&filter);
    warn(&loaded.warnings);
    if a.json {
        let mut out = String::new();
        for e in &loaded.value {
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
            out.push('\n');
        }
        return Ok(out);
    }
    if loaded.value.is_empty() {
        eprintln!("no history entries");
        return Ok(String::new());
    }
    Ok(list_lines(&loaded.value))
}

/// The status column: a status, or how the send ended without one.
fn status_text(outcome: Outcome, status: Option<u16>) -> String {
    match (status, outcome) {
        (Some(s), _) => s.to_string(),
        (None, Outcome::Failed) => "failed".into(),
        (None, Outcome::Skipped) => "skipped".into(),
        (None, _) => "not sent".into(),
    }
}

/// `2026-12-03T17:50:01.123Z` → `2026-12-03 17:50:01`.
fn when(at: &str) -> String {
    let t = at.replacen('T', " ", 1);
    t.split('.')
        .next()
        .unwrap_or(&t)
        .trim_end_matches('Z')
        .to_string()
}

fn list_lines(entries: &[Entry]) -> String {
    let mut out = format!(
        "{:<10}  {:<19}  {:<8}  {:>9}  {:>9}  REQUEST\n",
        "ID", "WHEN (UTC)", "STATUS", "TIME", "SIZE"
    );
    for e in entries {
        let time = e.total_ms.map_or(String::new(), |ms| format!("{ms:.1} ms"));
        let size = e.size.map_or(String::new(), human_bytes);
        let mut what = format!(
            "{} {}",
            e.method.as_deref().unwrap_or("-"),
            escape(&e.request, false)
        );
        if e.tests_passed + e.tests_failed > 0 {
            let _ = write!(what, "  tests {}✓ {}✗", e.tests_passed, e.tests_failed);
        }
        let _ = writeln!(
            out,
            "{:<10}  {:<19}  {:<8}  {:>9}  {:>9}  {what}",
            escape(&e.id, false),
            escape(&when(&e.at), false),
            status_text(e.outcome, e.status),
            time,
            size
        );
    }
    out
}

fn show(h: &History, a: &ShowArgs) -> Result<String, Failure> {
    let loaded = h.load(&a.id).map_err(failure)?;
    warn(&loaded.warnings);
    if a.json {
        let mut s = serde_json::to_string_pretty(&loaded.value).unwrap_or_default();
        s.push('\n');
        return Ok(s);
    }
    Ok(show_text(&loaded.value, a.body))
}

fn body_text(b: &history::Body, with_body: bool) -> String {
    let cut = if b.cut { ", only the start kept" } else { "" };
    if let Some(note) = &b.note {
        return format!("body: {}\n", escape(note, false));
    }
    match (&b.text, with_body) {
        (Some(t), true) => {
            let mut s = format!("body: {}{cut}\n{}", human_bytes(b.size), escape(t, true));
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        (Some(_), false) => format!(
            "body: {} of text{cut} (--body shows it)\n",
            human_bytes(b.size)
        ),
        (None, _) if b.base64.is_some() => format!(
            "body: {}, binary{cut} (kept as base64; --json shows it)\n",
            human_bytes(b.size)
        ),
        (None, _) => format!("body: {}, not kept\n", human_bytes(b.size)),
    }
}

/// `show`: the record as text, every untrusted part escaped.
fn show_text(r: &Record, with_body: bool) -> String {
    let e = |s: &str| escape(s, false);
    let mut out = format!(
        "{}  {}  via {}  {}\n",
        e(&r.id),
        e(&r.at),
        r.via.as_str(),
        e(&r.request.key)
    );
    if let Some(s) = &r.sent {
        let _ = writeln!(out, "> {} {}", e(&s.method), e(&s.url));
        for (n, v) in &s.headers {
            let _ = writeln!(out, "> {}: {}", e(n), e(v));
        }
        if let Some(b) = &s.body {
            out.push_str("> ");
            out.push_str(&body_text(b, with_body));
        }
    }
    if let Some(err) = &r.error {
        let _ = writeln!(out, "error: {}", e(err));
    }
    if let Some(id) = &r.trace_id {
        let _ = writeln!(out, "trace id {}", e(id));
    }
    match r.outcome {
        Outcome::Skipped => out.push_str("skipped by a pre-request script\n"),
        Outcome::NotSent if r.error.is_none() => out.push_str("not sent\n"),
        _ => {}
    }
    if let Some(x) = &r.response {
        for hop in &x.redirects {
            let _ = writeln!(
                out,
                "* redirected: {} {} -> {}",
                hop.status,
                e(&hop.url),
                e(&hop.location)
            );
        }
        let _ = writeln!(out, "< {} {} {}", e(&x.version), x.status, e(&x.reason));
        for (n, v) in &x.headers {
            let _ = writeln!(out, "< {}: {}", e(n), e(v));
        }
        let figures: Vec<String> = (x.timings.iter())
            .filter_map(|(k, v)| Some(format!("{} {:.1} ms", k.strip_suffix("_ms")?, v.as_f64()?)))
            .collect();
        if !figures.is_empty() {
            let _ = writeln!(out, "timings: {}", e(&figures.join(", ")));
        }
        let mut size = format!("size: {}", human_bytes(x.decoded_size));
        if x.wire_size != x.decoded_size {
            let _ = write!(size, " ({} on the wire)", human_bytes(x.wire_size));
        }
        if x.truncated {
            size.push_str(", cut at max_body_bytes when received");
        }
        out.push_str(&size);
        out.push('\n');
        out.push_str(&body_text(&x.body, with_body));
    }
    for t in &r.tests {
        let line = match (t.skipped, t.passed, &t.error) {
            (true, _, _) => format!("- {} (skipped)", e(&t.name)),
            (_, true, _) => format!("✓ {}", e(&t.name)),
            (_, false, Some(m)) => format!("✗ {}: {}", e(&t.name), e(m)),
            (_, false, None) => format!("✗ {}", e(&t.name)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    for s in &r.script_errors {
        let _ = writeln!(out, "script error: {}", e(s));
    }
    out
}

fn diff(h: &History, a: &DiffArgs) -> Result<String, Failure> {
    let (old, new) = match a.what.as_slice() {
        [one, two] => {
            let x = h.load(one).map_err(failure)?;
            let y = h.load(two).map_err(failure)?;
            warn(&x.warnings);
            (x.value, y.value)
        }
        [request] => {
            let loaded = h.last_two(request).map_err(failure)?;
            warn(&loaded.warnings);
            loaded.value
        }
        _ => {
            return Err(Failure::new(
                exit::USAGE,
                "diff takes two ids or one request",
            ))
        }
    };
    let d = history::diff(&old, &new);
    if a.json {
        let mut s = serde_json::to_string_pretty(&d).unwrap_or_default();
        s.push('\n');
        return Ok(s);
    }
    if old.request.key != new.request.key {
        eprintln!(
            "note: these are exchanges of two requests, {} and {}",
            escape(&old.request.key, false),
            escape(&new.request.key, false)
        );
    }
    Ok(diff_text(&old, &new, &d))
}

/// `diff`: status, headers and body changes as text, escaped.
fn diff_text(old: &Record, new: &Record, d: &Diff) -> String {
    let mut out = String::new();
    for l in history::diff_text::lines(old, new, d) {
        out.push_str(&escape(&l.text, false));
        out.push('\n');
    }
    out
}

/// The history a send or run records into, unless `--no-history` or
/// `POSTIE_HISTORY=off`; bad limits in the environment are said.
pub(super) fn open_for(root: &Path, via: Via, no_history: bool) -> Option<History> {
    if no_history || history::disabled_by_env() {
        return None;
    }
    let (limits, warnings) = history::Limits::from_env();
    for w in warnings {
        eprintln!("warning: history: {}", escape(&w, false));
    }
    Some(History::open(root).via(via).with_limits(limits))
}

/// Records a send's exchange; the body comes from `capture` when it
/// streamed to stdout or a file instead of staying in the exchange.
pub(super) fn record(h: &History, exchange: &Exchange, capture: Option<&Capture>) {
    let streamed = (exchange.response()).is_some_and(|r| r.body.is_empty() && r.decoded_size > 0);
    match capture {
        Some(c) if streamed => h.append(exchange, Some(&c.bytes())),
        _ => h.append(exchange, None),
    };
}

/// Waits for the history to be written; a failure is a warning, never
/// the command's failure.
pub(super) fn finish(h: &History) {
    if let Err(e) = h.flush() {
        eprintln!("warning: {}", escape(&e.to_string(), false));
    }
}

/// What `postie run` hands the runner: every exchange recorded as its
/// workspace request, or, for a Postman file inside a workspace, as
/// `FILE:Folder/Name`.
pub(super) fn run_tap(h: Arc<History>, postman_file: Option<String>) -> ExchangeTap {
    ExchangeTap(Arc::new(
        move |exchange: &Exchange, item: &ItemInfo| match &postman_file {
            Some(file) => {
                let mut name: Vec<&str> = item.folders.iter().map(String::as_str).collect();
                name.push(&item.name);
                let request = RequestRef::postman(file, &name.join("/"), Some(item.id.clone()));
                h.append_as(request, exchange, None);
            }
            None => {
                h.append(exchange, None);
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::record::{Body, ReceivedResponse, SentRequest};

    fn record(id: &str, status: u16, body: &str) -> Record {
        Record {
            v: 1,
            id: id.into(),
            at: "2026-12-03T17:50:01.123Z".into(),
            via: Via::Send,
            request: RequestRef::workspace("users/get"),
            outcome: Outcome::Response,
            sent: Some(SentRequest {
                method: "GET".into(),
                url: "http://127.0.0.1/\u{1b}[2J".into(),
                headers: vec![],
                body: None,
            }),
            error: None,
            response: Some(ReceivedResponse {
                status,
                reason: "OK".into(),
                version: "HTTP/1.1".into(),
                url: "http://127.0.0.1/".into(),
                headers: vec![("X-Evil".into(), "\u{1b}]0;t\u{7}".into())],
                body: Body {
                    size: body.len() as u64,
                    text: Some(body.into()),
                    ..Body::default()
                },
                wire_size: 2,
                decoded_size: body.len() as u64,
                truncated: false,
                redirects: vec![],
                timings: serde_json::from_str(r#"{"total_ms": 3.25}"#).unwrap(),
            }),
            tests: vec![],
            script_errors: vec![],
            trace_id: None,
        }
    }

    #[test]
    fn show_and_list_escape_what_the_server_sent() {
        let r = record("abc", 200, "{\"a\":\"\u{1b}[31m\"}");
        let text = show_text(&r, true);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text}"
        );
        assert!(text.contains("< X-Evil: \\e]0;t\\x07"), "{text}");
        assert!(text.contains("timings: total 3.2 ms"), "{text}");
        let list = list_lines(&[Entry::from(&r)]);
        assert!(
            list.contains("abc         2026-12-03 17:50:01  200"),
            "{list}"
        );
        assert!(list.contains("3.2 ms"), "{list}");
    }

    #[test]
    fn a_diff_reads_as_status_headers_and_json_paths() {
        let a = record("a", 200, r#"{"users":[{"name":"bo"}]}"#);
        let mut b = record("b", 500, r#"{"users":[{"name":"bob"}],"error":"x"}"#);
        if let Some(x) = b.response.as_mut() {
            x.headers.push(("Retry-After".into(), "1".into()));
        }
        let text = diff_text(&a, &b, &history::diff(&a, &b));
        assert!(text.contains("status: 200 -> 500"), "{text}");
        assert!(text.contains("  + Retry-After: 1"), "{text}");
        assert!(
            text.contains("  ~ $.users[0].name: \"bo\" -> \"bob\""),
            "{text}"
        );
        assert!(text.contains("  + $.error: \"x\""), "{text}");
        let same = diff_text(&a, &a, &history::diff(&a, &a));
        assert!(same.ends_with("no differences\n"), "{same}");
    }
}
