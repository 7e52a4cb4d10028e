//! The terminal report, laid out like newman's CLI reporter: the
//! collection's name, `Iteration k/n`, folder and request lines, each
//! request's `GET url [200 OK, 1.2kB, 35ms]`, its tests (`✓` or a failure
//! number), console lines, then the summary table and the failure list.
//! Every untrusted string goes through `safe_text`, so nothing a server or
//! a script sends can move the cursor or recolour the terminal.

mod paint;
mod table;

use std::io::{self, Write};
use std::time::{Instant, SystemTime};

use paint::{
    Paint, Tone, BLUE, CYAN, GRAY, GRAY_UNDERLINE, GREEN, PLAIN, RED, RED_BOLD, WHITE, YELLOW,
};
use table::FailureRow;

use super::units::{file_size, pretty_ms};
use super::{full_name, script_phase, split_error_name, Event, Reporter};
use crate::runner::record::{
    Execution, FailureKind, RequestHead, ResponseHead, RunInfo, Stopped, Summary,
};
use crate::safe_text;
use crate::script::{ConsoleLevel, Phase};

/// What the terminal report shows; newman's `--reporter-cli-*` options.
#[derive(Debug, Clone, Default)]
pub struct CliStyle {
    /// ANSI colours (`--color on`, or a terminal without `NO_COLOR`).
    pub color: bool,
    /// A live line (requests done, failures, rate) redrawn in place; only
    /// for a terminal, never for a pipe or CI log.
    pub progress: bool,
    /// Request and response headers and timings under each request.
    pub verbose: bool,
    /// Nothing at all (`--silent`).
    pub silent: bool,
    pub no_summary: bool,
    pub no_failures: bool,
    pub no_assertions: bool,
    pub no_success_assertions: bool,
    pub no_console: bool,
    pub no_banner: bool,
    /// A UTC timestamp before each request and assertion line.
    pub show_timestamps: bool,
}

/// `--color on|off|auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    On,
    Off,
    #[default]
    Auto,
}

impl CliStyle {
    /// Colour and the live line for where the report goes: `--color`,
    /// whether stdout is a terminal, `NO_COLOR` (set and not empty) and
    /// `CI` (set). Colour follows newman (`on`, `off`, else a terminal),
    /// and `NO_COLOR` turns `auto` off. The live line needs a terminal
    /// that is not a CI log and escape sequences, so colour too: without
    /// colour nothing but text is written.
    pub fn for_output(choice: ColorChoice, terminal: bool, no_color: bool, ci: bool) -> CliStyle {
        let color = match choice {
            ColorChoice::On => true,
            ColorChoice::Off => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        CliStyle {
            color,
            progress: color && terminal && !ci,
            ..CliStyle::default()
        }
    }
}

pub struct CliReporter {
    out: Box<dyn Write + Send>,
    style: CliStyle,
    paint: Paint,
    iterations: u32,
    requests: usize,
    /// The folders of the last request printed, to print a folder line
    /// only when it changes.
    folders: Option<Vec<String>>,
    /// Failures numbered so far, for `  3. test name`.
    failures: u64,
    done: u64,
    failed_requests: u64,
    started: Option<Instant>,
    progress_shown: bool,
}

/// Untrusted text on one line: newlines and tabs escaped too.
fn safe(s: &str) -> String {
    safe_text::escape(s, false)
}

/// Untrusted text that may span lines, one entry per line.
fn safe_lines(s: &str) -> Vec<String> {
    s.split('\n').map(safe).collect()
}

fn timestamp() -> String {
    format!("[{}]", humantime::format_rfc3339_seconds(SystemTime::now()))
}

/// Status line, headers and body on the wire, for newman's size column.
fn response_size(r: &ResponseHead) -> u64 {
    let status = format!("HTTP/X.X {} {}\r\n\r\n", r.status, r.reason).len();
    let headers: usize = r.headers.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
    (status + headers) as u64 + r.wire_size
}

fn request_size(r: &RequestHead) -> u64 {
    let headers: usize = r.headers.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
    headers as u64 + r.body_size
}

impl CliReporter {
    pub fn new(out: Box<dyn Write + Send>, style: CliStyle) -> CliReporter {
        CliReporter {
            out,
            paint: Paint { on: style.color },
            style,
            iterations: 1,
            requests: 0,
            folders: None,
            failures: 0,
            done: 0,
            failed_requests: 0,
            started: None,
            progress_shown: false,
        }
    }

    fn p(&self, tone: Tone, text: &str) -> String {
        self.paint.paint(tone, text)
    }

    fn start(&mut self, info: &RunInfo, buf: &mut String) {
        self.iterations = info.iteration_count;
        self.requests = info.requests;
        self.started = Some(Instant::now());
        if !self.style.no_banner {
            buf.push_str("postie\n\n");
        }
        buf.push_str(&safe(&info.name));
        buf.push('\n');
    }

    fn iteration(&mut self, index: u32, count: u32, buf: &mut String) {
        // A new iteration starts over: its first folder is named again.
        self.folders = None;
        if count > 1 {
            let header = format!("Iteration {}/{}", index + 1, count);
            buf.push('\n');
            buf.push_str(&self.p(GRAY_UNDERLINE, &header));
            buf.push('\n');
        }
    }

    fn executed(&mut self, e: &Execution, buf: &mut String) {
        self.done += 1;
        if e.failed() {
            self.failed_requests += 1;
        }
        if self.folders.as_ref() != Some(&e.item.folders) {
            if !e.item.folders.is_empty() {
                buf.push_str("\n❏ ");
                buf.push_str(&safe(&e.item.folders.join(" / ")));
            }
            self.folders = Some(e.item.folders.clone());
        }
        let arrow = if e.item.folders.is_empty() {
            "→"
        } else {
            "↳"
        };
        buf.push_str(&format!("\n{arrow} {}\n", safe(&e.item.name)));

        self.phase(e, Phase::PreRequest, buf);
        self.request_line(e, buf);
        self.phase(e, Phase::Test, buf);
    }

    /// One phase's console lines, assertions and script errors, in the
    /// order a reader follows them.
    fn phase(&mut self, e: &Execution, phase: Phase, buf: &mut String) {
        if !self.style.no_console {
            for line in e.console.iter().filter(|c| script_phase(&c.file) == phase) {
                let tone = match line.level {
                    ConsoleLevel::Log => GRAY,
                    ConsoleLevel::Info => CYAN,
                    ConsoleLevel::Warn => YELLOW,
                    ConsoleLevel::Error => RED,
                };
                if self.style.show_timestamps {
                    buf.push_str(&format!("\n  {}\n", self.p(GRAY, &timestamp())));
                }
                buf.push_str(&self.p(tone, "  ┌"));
                buf.push('\n');
                for text in safe_lines(&line.text) {
                    buf.push_str(&format!(
                        "  {} {}\n",
                        self.p(tone, "│"),
                        self.p(GRAY, &text)
                    ));
                }
                buf.push_str(&self.p(tone, "  └"));
                buf.push('\n');
            }
        }
        for t in e.tests.iter().filter(|t| script_phase(&t.file) == phase) {
            let failed = t.failed();
            if failed {
                self.failures += 1;
            }
            if self.style.no_assertions || (self.style.no_success_assertions && !failed) {
                continue;
            }
            let name = safe(&t.name);
            let stamp = if self.style.show_timestamps {
                format!("  {}", self.p(GRAY, &timestamp()))
            } else {
                String::new()
            };
            let line = if t.skipped {
                format!(
                    "{stamp}{} {}",
                    self.p(CYAN, "  - "),
                    self.p(CYAN, &format!("[skipped] {name}"))
                )
            } else if failed {
                let number = format!("{:>3}.", self.failures);
                format!(
                    "{stamp}{} {}",
                    self.p(RED_BOLD, &number),
                    self.p(RED_BOLD, &name)
                )
            } else {
                format!("{stamp}{} {}", self.p(GREEN, "  ✓ "), self.p(GRAY, &name))
            };
            buf.push_str(&line);
            buf.push('\n');
        }
        for err in e
            .script_errors
            .iter()
            .filter(|s| script_phase(&s.file) == phase)
        {
            self.failures += 1;
            let (name, _) = split_error_name(&err.message);
            let line = format!(
                "{:>3}⠄ {} in {}-script",
                self.failures,
                safe(name),
                phase.event_name()
            );
            buf.push_str(&self.p(RED_BOLD, &line));
            buf.push('\n');
        }
    }

    fn request_line(&mut self, e: &Execution, buf: &mut String) {
        let stamp = if self.style.show_timestamps {
            format!("{}  ", self.p(GRAY, &timestamp()))
        } else {
            String::new()
        };
        let Some(req) = &e.request else {
            if let Some(error) = &e.error {
                self.failures += 1;
                buf.push_str(&format!("  {}\n", self.p(RED, "[errored]")));
                for line in safe_lines(error) {
                    buf.push_str(&self.p(RED, &format!("     {line}")));
                    buf.push('\n');
                }
            } else if e.skipped {
                buf.push_str(&format!("  {}\n", self.p(CYAN, "[skipped]")));
            }
            return;
        };
        buf.push_str(&format!(
            "  {stamp}{} {}",
            self.p(GRAY, &safe(&req.method)),
            self.p(GRAY, &safe(&req.url))
        ));
        if !(self.style.verbose && e.response.is_some()) {
            buf.push(' ');
        }
        match (&e.response, &e.error) {
            (Some(res), _) if !self.style.verbose => {
                let meta = format!(
                    "[{} {}, {}, {}]",
                    res.status,
                    safe(&res.reason),
                    file_size(response_size(res)),
                    pretty_ms(res.time)
                );
                buf.push_str(&self.p(GRAY, &meta));
                buf.push('\n');
            }
            (Some(res), _) => {
                buf.push('\n');
                self.verbose(req, res, buf);
            }
            (None, Some(error)) => {
                self.failures += 1;
                buf.push_str(&self.p(RED, "[errored]"));
                buf.push('\n');
                for line in safe_lines(error) {
                    buf.push_str(&self.p(RED, &format!("     {line}")));
                    buf.push('\n');
                }
            }
            (None, None) => {
                let note = if e.skipped {
                    "[skipped]"
                } else {
                    "[no response]"
                };
                buf.push_str(&self.p(CYAN, note));
                buf.push('\n');
            }
        }
    }

    /// `--verbose`: the one-line summary newman prints, then the headers
    /// both ways and the response's timings.
    fn verbose(&self, req: &RequestHead, res: &ResponseHead, buf: &mut String) {
        let star = format!(" {} ", self.p(GRAY, "★"));
        let up = self.p(GRAY, "↑");
        let down = self.p(GRAY, "↓");
        let parts = [
            format!("{} {}", res.status, safe(&res.reason)),
            format!("{} {}", pretty_ms(res.time), self.p(GRAY, "time")),
            format!(
                "{}{up} {}{down} {}",
                file_size(request_size(req)),
                file_size(response_size(res)),
                self.p(GRAY, "size")
            ),
            format!(
                "{}{up} {}{down} {}",
                req.headers.len(),
                res.headers.len(),
                self.p(GRAY, "headers")
            ),
        ];
        buf.push_str(&format!("  {}\n", parts.join(&star)));
        let block = |title: String, headers: &[(String, String)], buf: &mut String| {
            buf.push_str(&format!("  {} {title}\n", self.p(WHITE, "┌")));
            for (k, v) in headers {
                buf.push_str(&format!(
                    "  {} {}: {}\n",
                    self.p(WHITE, "│"),
                    self.p(BLUE, &safe(k)),
                    self.p(GRAY, &safe(v))
                ));
            }
            buf.push_str(&format!("  {}\n", self.p(WHITE, "└")));
        };
        block(
            format!("{} request headers", self.p(WHITE, "↑")),
            &req.headers,
            buf,
        );
        block(
            format!(
                "{} response headers {}",
                self.p(WHITE, "↓"),
                self.p(GRAY, &safe(&res.version))
            ),
            &res.headers,
            buf,
        );
        if res.url != req.url {
            buf.push_str(&format!(
                "  {} {}\n",
                self.p(GRAY, "final url:"),
                safe(&res.url)
            ));
        }
        let download = res.time.saturating_sub(res.ttfb);
        let heads = ["transfer-start", "download", "total"];
        let values = [
            pretty_ms(res.ttfb),
            pretty_ms(download),
            pretty_ms(res.time),
        ];
        let mut head_line = String::from(" ");
        let mut value_line = String::from(" ");
        for (h, v) in heads.iter().zip(&values) {
            let width = h.len().max(v.chars().count()) + 2;
            head_line.push_str(&format!(
                " {}{}",
                self.p(WHITE, h),
                " ".repeat(width - h.len() - 1)
            ));
            value_line.push_str(&format!(
                " {}{}",
                self.p(GRAY, v),
                " ".repeat(width - v.chars().count() - 1)
            ));
        }
        buf.push_str(&format!(
            "\n{}\n{}\n\n",
            head_line.trim_end(),
            value_line.trim_end()
        ));
    }

    fn finish(&mut self, s: &Summary, buf: &mut String) {
        if let Some(stopped) = &s.stopped {
            let text = match stopped {
                Stopped::Bail(why) => format!("run stopped (--bail): {}", safe(why)),
                Stopped::Loop(why) => format!("run stopped: {}", safe(why)),
                Stopped::Timeout(after) => {
                    format!("run stopped: --timeout ran out after {}", pretty_ms(*after))
                }
                Stopped::Cancelled => "run cancelled".to_string(),
            };
            let tone = if matches!(stopped, Stopped::Bail(_)) {
                YELLOW
            } else {
                RED
            };
            buf.push('\n');
            buf.push_str(&self.p(tone, &text));
            buf.push('\n');
        }
        if !self.style.no_summary {
            let rows = [
                ("iterations", s.iterations),
                ("requests", s.requests),
                ("test-scripts", s.test_scripts),
                ("prerequest-scripts", s.prerequest_scripts),
                ("assertions", s.assertions),
            ];
            let mut notes = vec![
                format!("total run duration: {}", pretty_ms(s.duration)),
                format!(
                    "total data received: {} (approx)",
                    file_size(s.data_received)
                ),
            ];
            let t = &s.response_times;
            if t.count > 0 && !t.mean.is_zero() {
                notes.push(format!(
                    "average response time: {} [min: {}, max: {}, s.d.: {}, p95: {}]",
                    pretty_ms(t.mean),
                    pretty_ms(t.min),
                    pretty_ms(t.max),
                    pretty_ms(t.sd),
                    pretty_ms(t.p95)
                ));
                for (name, t) in s.phase_times.named() {
                    if t.count > 0 {
                        notes.push(format!(
                            "  {name}: [min: {}, avg: {}, p95: {}, max: {}] over {}",
                            pretty_ms(t.min),
                            pretty_ms(t.mean),
                            pretty_ms(t.p95),
                            pretty_ms(t.max),
                            t.count
                        ));
                    }
                }
            }
            buf.push('\n');
            buf.push_str(&table::summary(&rows, &notes, self.paint));
            buf.push('\n');
        }
        if !self.style.no_failures && !s.failures.is_empty() {
            let digits = s.failures.len().to_string().len();
            let many_iterations = s.iterations.executed > 1 || self.iterations > 1;
            let rows: Vec<FailureRow> = s
                .failures
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let (name, message) = match f.kind {
                        FailureKind::Assertion => ("AssertionError", f.message.as_str()),
                        FailureKind::Script => split_error_name(&f.message),
                        FailureKind::Request => ("Error", f.message.as_str()),
                    };
                    let mut name_lines = vec![(safe(name), PLAIN)];
                    if many_iterations {
                        name_lines.push((format!("iteration: {}", f.iteration + 1), GRAY));
                    }
                    let mut detail = Vec::new();
                    if f.kind == FailureKind::Assertion {
                        detail.push((safe(&f.name), PLAIN));
                    }
                    detail.extend(safe_lines(message).into_iter().map(|l| (l, GRAY)));
                    let at = match f.kind {
                        FailureKind::Assertion => None,
                        FailureKind::Script => Some(safe(&f.name)),
                        FailureKind::Request => Some("request".to_string()),
                    };
                    if let Some(at) = at {
                        detail.push((format!("at {at}"), GRAY));
                    }
                    detail.push((format!("inside \"{}\"", safe(&full_name(&f.item))), GRAY));
                    FailureRow {
                        number: format!("{:>digits$}.", i + 1),
                        name: name_lines,
                        detail,
                    }
                })
                .collect();
            buf.push('\n');
            buf.push_str(&table::failures(&rows, self.paint));
            buf.push('\n');
            let more = s.failure_count.saturating_sub(s.failures.len() as u64);
            if more > 0 {
                buf.push_str(&self.p(RED, &format!("\n… and {more} more failures\n")));
            }
        }
    }

    fn progress_line(&self) -> String {
        let total = u64::from(self.iterations) * self.requests as u64;
        let done = if total >= self.done && total > 0 {
            format!("{}/{total}", self.done)
        } else {
            self.done.to_string()
        };
        let secs = self.started.map_or(0.0, |s| s.elapsed().as_secs_f64());
        let rate = if secs > 0.0 {
            self.done as f64 / secs
        } else {
            0.0
        };
        let failed = format!("{} failed", self.failed_requests);
        let failed = if self.failed_requests > 0 {
            self.p(RED, &failed)
        } else {
            failed
        };
        format!(
            "  {} requests · {failed} · {}",
            done,
            self.p(GRAY, &format!("{rate:.1}/s"))
        )
    }
}

/// Moves to the line's start and clears it.
const CLEAR_LINE: &str = "\r\x1b[2K";

impl Reporter for CliReporter {
    fn on(&mut self, event: &Event<'_>) -> io::Result<()> {
        if self.style.silent {
            return Ok(());
        }
        let mut buf = String::new();
        if self.progress_shown {
            buf.push_str(CLEAR_LINE);
            self.progress_shown = false;
        }
        match event {
            Event::Start(info) => self.start(info, &mut buf),
            Event::Iteration { index, count } => self.iteration(*index, *count, &mut buf),
            Event::Executed(e) => self.executed(e, &mut buf),
            Event::Warning(text) => {
                buf.push('\n');
                buf.push_str(&self.p(YELLOW, &safe(text)));
                buf.push('\n');
            }
            Event::Done(s) => self.finish(s, &mut buf),
        }
        let live = matches!(event, Event::Executed(_) | Event::Iteration { .. });
        if self.style.progress && live {
            buf.push_str(&self.progress_line());
            self.progress_shown = true;
        }
        self.out.write_all(buf.as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests;
