//! `tracing` logs to a file in the state folder (`.postie/logs/postie.log`,
//! or the user's state directory outside a workspace), never to the
//! terminal: the TUI owns it. The level comes from `--log-level` or
//! `POSTIE_LOG`; the default, `warn`, records problems (script errors,
//! exporter failures) and costs nothing otherwise, because the file is only
//! created when the first line is written. The file is kept under
//! [`MAX_BYTES`] by moving it to `postie.log.1` when it fills.
//!
//! Every URL, header and message logged here went through the exchange's
//! redaction (secret values, credential headers and query parameters).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing::Level;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

use crate::exchange::{Ending, Exchange};
use crate::history::redact::Redactor;
use crate::http::PreparedRequest;

/// The log file is rotated past this size (one older file is kept).
pub const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Level when neither `--log-level` nor `POSTIE_LOG` says.
pub const DEFAULT_LEVEL: LevelFilter = LevelFilter::WARN;

/// `off`, `error`, `warn`, `info`, `debug` or `trace` (any case).
pub fn parse_level(s: &str) -> Result<LevelFilter, String> {
    s.trim()
        .parse::<LevelFilter>()
        .map_err(|_| format!("unknown log level {s:?} (off, error, warn, info, debug or trace)"))
}

/// `.postie/logs/postie.log` in a workspace; else the user's state
/// directory (`$XDG_STATE_HOME/postie/postie.log` or the platform's).
pub fn log_file(workspace: Option<&Path>) -> Option<PathBuf> {
    match workspace {
        Some(root) => Some(
            crate::storage::state::state_dir(root)
                .join("logs")
                .join("postie.log"),
        ),
        None => {
            let dirs = directories::ProjectDirs::from("", "", "postie")?;
            let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
            Some(dir.join("postie.log"))
        }
    }
}

/// Sends postie's `tracing` events at `level` and above to `file`, for
/// the rest of the process. Nothing happens at `off`; a second call (tests
/// in one process) keeps the first.
pub fn init(file: PathBuf, level: LevelFilter) {
    if level == LevelFilter::OFF {
        return;
    }
    let writer = RotatingFile::new(file, MAX_BYTES);
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(writer);
    // Only postie's own events: dependencies log through `log`, not here.
    let filter = Targets::new().with_target("postie", level);
    let subscriber = tracing_subscriber::registry().with(layer.with_filter(filter));
    let _ = tracing::subscriber::set_global_default(subscriber);
}

use tracing_subscriber::Layer as _;

/// A log file opened on first write and moved aside when it reaches
/// `max` bytes.
pub struct RotatingFile {
    path: PathBuf,
    max: u64,
    open: Mutex<Option<(File, u64)>>,
}

impl RotatingFile {
    pub fn new(path: PathBuf, max: u64) -> RotatingFile {
        RotatingFile {
            path,
            max,
            open: Mutex::new(None),
        }
    }

    fn open(&self) -> std::io::Result<(File, u64)> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
            // Inside a workspace, make sure `.postie/` stays out of git.
            if dir.file_name().is_some_and(|n| n == "logs") {
                if let Some(state) = dir.parent().and_then(Path::parent) {
                    if state.join(crate::storage::layout::WORKSPACE_FILE).exists() {
                        let _ = crate::storage::state::ensure_state_dir(state);
                    }
                }
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        let len = file.metadata().map_or(0, |m| m.len());
        Ok((file, len))
    }

    fn write_line(&self, buf: &[u8]) -> std::io::Result<()> {
        let mut guard = self
            .open
            .lock()
            .map_err(|_| std::io::Error::other("log file lock poisoned"))?;
        if guard.is_none() {
            *guard = Some(self.open()?);
        }
        let full = guard.as_ref().is_some_and(|(_, len)| *len >= self.max);
        if full {
            *guard = None;
            let mut old = self.path.clone().into_os_string();
            old.push(".1");
            std::fs::rename(&self.path, &old)?;
            *guard = Some(self.open()?);
        }
        if let Some((file, len)) = guard.as_mut() {
            file.write_all(buf)?;
            *len += buf.len() as u64;
        }
        Ok(())
    }
}

/// One event's writer (`tracing-subscriber` writes each event whole).
pub struct LineWriter<'a> {
    file: &'a RotatingFile,
}

impl Write for LineWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // A log that cannot be written must not stop a send.
        let _ = self.file.write_line(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for RotatingFile {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter { file: self }
    }
}

pub(crate) use crate::history::capture::REDACT_SCAN_BYTES;

/// What masks a request's secrets before it is sent: the exchange's secret
/// values, and the credentials the request carries in headers and URL.
fn redactor(exchange: &Exchange, request: &PreparedRequest) -> Redactor {
    let mut secrets = exchange.secrets.clone();
    {
        let s = request;
        for (n, v) in &s.headers {
            secrets.extend(crate::history::redact::header_secrets(n, v));
        }
        secrets.extend(crate::history::redact::url_secrets(&s.url));
    }
    Redactor::new(&secrets)
}

/// "request start", at info: method, redacted URL, trace id; at debug the
/// headers too, credential values masked.
pub fn request_start(exchange: &Exchange, request: &PreparedRequest) {
    if !tracing::enabled!(target: "postie::send", Level::INFO) {
        return;
    }
    let r = redactor(exchange, request);
    tracing::info!(
        target: "postie::send",
        request = %exchange.path,
        method = %request.method,
        url = %r.url(&request.url),
        trace_id = exchange.trace_id().as_deref(),
        "request start"
    );
    if tracing::enabled!(target: "postie::send", Level::DEBUG) {
        for (n, v) in &request.headers {
            tracing::debug!(target: "postie::send", header = %n, value = %r.header(n, v), "request header");
        }
    }
}

/// "request end" (info) with status, timing and connection reuse; a failed
/// send at warn; script errors at warn.
pub fn request_end(exchange: &Exchange) {
    // At the default level a good exchange logs nothing: skip building
    // its redactor (a scan of headers and body) on every request.
    let problem = !exchange.script_errors.is_empty()
        || matches!(exchange.ending, Ending::Failed(_) | Ending::NotSent(_));
    let wanted = if problem {
        tracing::enabled!(target: "postie::send", Level::WARN)
    } else {
        tracing::enabled!(target: "postie::send", Level::INFO)
    };
    if !wanted {
        return;
    }
    let r = crate::history::capture::redactor_for(exchange, None, REDACT_SCAN_BYTES);
    for e in &exchange.script_errors {
        tracing::warn!(
            target: "postie::script",
            request = %exchange.path,
            file = %e.file.display(),
            message = %r.text(&e.message),
            "script error"
        );
    }
    match &exchange.ending {
        Ending::Response(resp) => {
            let t = &resp.timings;
            tracing::info!(
                target: "postie::send",
                request = %exchange.path,
                status = resp.status,
                version = %resp.version,
                url = %r.url(&resp.url),
                total_ms = t.total.as_secs_f64() * 1000.0,
                ttfb_ms = t.ttfb.as_secs_f64() * 1000.0,
                reused_connection = t.reused,
                redirects = resp.redirects.len(),
                body_bytes = resp.decoded_size,
                trace_id = exchange.trace_id().as_deref(),
                "request end"
            );
            if t.reused {
                tracing::debug!(target: "postie::send", request = %exchange.path, "connection reused");
            }
        }
        Ending::Failed(e) => tracing::warn!(
            target: "postie::send",
            request = %exchange.path,
            error = %r.text(&e.to_string()),
            trace_id = exchange.trace_id().as_deref(),
            "request failed"
        ),
        Ending::NotSent(problems) => {
            let text: Vec<String> = problems.iter().map(|p| r.text(&p.message())).collect();
            tracing::warn!(
                target: "postie::send",
                request = %exchange.path,
                problems = %text.join("; "),
                "request not sent"
            );
        }
        Ending::Skipped => {
            tracing::info!(target: "postie::send", request = %exchange.path, "request skipped")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_made_on_first_write_and_rotated_when_full() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("logs").join("postie.log");
        let f = RotatingFile::new(path.clone(), 100);
        assert!(!path.exists(), "nothing written, no file");
        let line = [b'x'; 60];
        f.make_writer().write_all(&line).unwrap();
        f.make_writer().write_all(&line).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 120);
        // Past the limit: the next line starts a new file.
        f.make_writer().write_all(&line).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 60);
        let old = d.path().join("logs").join("postie.log.1");
        assert_eq!(std::fs::metadata(old).unwrap().len(), 120);
    }

    #[test]
    fn levels_parse_and_nonsense_is_refused() {
        assert_eq!(parse_level("TRACE").unwrap(), LevelFilter::TRACE);
        assert_eq!(parse_level("off").unwrap(), LevelFilter::OFF);
        assert!(parse_level("loud").is_err());
    }
}
