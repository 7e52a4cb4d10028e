//! JUnit XML as newman writes it (`-r junit`), so CI dashboards keep their
//! history: one `<testsuite>` per request item across all iterations
//! (named `Folder / Request`, with the item's id), one `<testcase>` per
//! distinct test name, classnames from newman's camel-casing, a failure
//! (`AssertionFailure`) counting how many iterations failed it, and
//! request and script errors counted in `errors` with their text in
//! `<system-err>`.
//!
//! Memory: the report is written at the end (the `<testsuites>` totals and
//! the grouping by item need the whole run), from small records kept per
//! item and per distinct test name, never per execution. Their size grows
//! with the collection, not with the number of iterations; error text is
//! capped per item.

mod class_name;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

pub use class_name::class_name;

use super::{full_name, script_phase, Event, Reporter};
use crate::runner::record::{Execution, RunInfo, Summary};
use crate::script::Phase;
use crate::storage::atomic::AtomicFile;

/// Error text kept per item for `<system-err>`; a run erroring on every
/// iteration keeps the first ones and counts the rest.
const SYSTEM_ERR_CAP: usize = 64 * 1024;

struct Case {
    name: String,
    /// Runs that failed, and the first failure's message.
    failures: u64,
    message: Option<String>,
    /// Some run executed it (not skipped).
    ran: bool,
}

struct Suite {
    id: String,
    name: String,
    runs: u64,
    time: Duration,
    /// newman gives every testcase the suite's last response time.
    last_time: Duration,
    /// Assertions of the last run (newman's `tests`).
    tests: usize,
    failures: u64,
    errors: u64,
    system_err: String,
    system_err_dropped: u64,
    cases: Vec<Case>,
    case_index: HashMap<String, usize>,
}

pub struct JunitReporter {
    file: Option<AtomicFile>,
    name: String,
    suites: Vec<Suite>,
    index: HashMap<String, usize>,
    executions: u64,
    total_time: Duration,
}

/// Text XML 1.0 can hold: its forbidden characters (most C0 controls,
/// U+FFFE, U+FFFF) are dropped, as no escape can represent them.
fn xml_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|&c| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    })
}

fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in xml_chars(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    out
}

/// A CDATA section; a `]]>` inside is split across two sections.
fn cdata(s: &str) -> String {
    let clean: String = xml_chars(s).collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}

fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

impl Suite {
    fn record(&mut self, e: &Execution) {
        self.runs += 1;
        let time = e.response.as_ref().map_or(Duration::ZERO, |r| r.time);
        self.time += time;
        self.last_time = time;
        self.tests = e.tests.len();

        let mut message = String::new();
        if let Some(error) = &e.error {
            self.errors += 1;
            let _ = writeln!(message, "RequestError: {error}");
        }
        message.push_str("\n---\n");
        // newman lists test-script errors before pre-request ones.
        for phase in [Phase::Test, Phase::PreRequest] {
            let prop = match phase {
                Phase::Test => "testScript",
                Phase::PreRequest => "prerequestScript",
            };
            for err in e
                .script_errors
                .iter()
                .filter(|s| script_phase(&s.file) == phase)
            {
                self.errors += 1;
                let _ = write!(message, "{prop}Error: {}\n---\n", err.message);
            }
        }
        if e.error.is_some() || !e.script_errors.is_empty() {
            if self.system_err.len() < SYSTEM_ERR_CAP {
                let _ = write!(self.system_err, "Iteration: {}\n{message}", e.iteration);
            } else {
                self.system_err_dropped += 1;
            }
        }

        for t in &e.tests {
            let i = match self.case_index.get(&t.name) {
                Some(&i) => i,
                None => {
                    self.cases.push(Case {
                        name: t.name.clone(),
                        failures: 0,
                        message: None,
                        ran: false,
                    });
                    self.case_index.insert(t.name.clone(), self.cases.len() - 1);
                    self.cases.len() - 1
                }
            };
            let case = &mut self.cases[i];
            case.ran |= !t.skipped;
            if t.failed() {
                self.failures += 1;
                case.failures += 1;
                if case.message.is_none() {
                    case.message = Some(t.error.clone().unwrap_or_default());
                }
            }
        }
    }

    fn write(&self, out: &mut String, collection: &str, timestamp: &str) {
        let mean = if self.runs == 0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(self.time.as_secs_f64() / self.runs as f64)
        };
        let _ = write!(
            out,
            "  <testsuite name=\"{}\" id=\"{}\" timestamp=\"{timestamp}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\"",
            attr(&self.name),
            attr(&self.id),
            self.tests,
            self.failures,
            self.errors,
            seconds(mean),
        );
        if self.cases.is_empty() && self.system_err.is_empty() {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        if !self.system_err.is_empty() {
            let mut text = self.system_err.clone();
            if self.system_err_dropped > 0 {
                let _ = writeln!(
                    text,
                    "({} more errored runs not shown)",
                    self.system_err_dropped
                );
            }
            let _ = writeln!(out, "    <system-err>{}</system-err>", cdata(&text));
        }
        let class = {
            let c = class_name(&self.name);
            if c.is_empty() {
                class_name(collection)
            } else {
                c
            }
        };
        for case in &self.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" time=\"{}\" classname=\"{}\"",
                attr(&case.name),
                seconds(self.last_time),
                attr(&class)
            );
            if case.failures > 0 {
                let message = case.message.as_deref().unwrap_or_default();
                let _ = write!(
                    out,
                    ">\n      <failure type=\"AssertionFailure\" message=\"{}\">\n",
                    attr(message)
                );
                for line in [
                    format!("Failed {} times.", case.failures),
                    format!("Collection name: {collection}."),
                    format!("Request name: {}.", self.name),
                    format!("Test description: {}.", case.name),
                    format!("Error message: {message}."),
                ] {
                    let _ = writeln!(out, "        {}", cdata(&line));
                }
                out.push_str("      </failure>\n    </testcase>\n");
            } else if !case.ran {
                out.push_str(">\n      <skipped/>\n    </testcase>\n");
            } else {
                out.push_str("/>\n");
            }
        }
        out.push_str("  </testsuite>\n");
    }
}

impl JunitReporter {
    /// Opens the report at `path` (its directories are created) so a path
    /// that cannot be written fails before the run; the file appears under
    /// that name only when the run is done.
    pub fn create(path: &Path) -> io::Result<JunitReporter> {
        Ok(JunitReporter {
            file: Some(super::report_file(path)?),
            name: String::new(),
            suites: Vec::new(),
            index: HashMap::new(),
            executions: 0,
            total_time: Duration::ZERO,
        })
    }

    fn executed(&mut self, e: &Execution) {
        // newman's report holds requests that ran; a skipped one has no
        // suite unless another iteration ran it.
        if e.skipped {
            return;
        }
        self.executions += 1;
        if let Some(r) = &e.response {
            self.total_time += r.time;
        }
        let i = match self.index.get(&e.item.id) {
            Some(&i) => i,
            None => {
                self.suites.push(Suite {
                    id: e.item.id.clone(),
                    name: full_name(&e.item),
                    runs: 0,
                    time: Duration::ZERO,
                    last_time: Duration::ZERO,
                    tests: 0,
                    failures: 0,
                    errors: 0,
                    system_err: String::new(),
                    system_err_dropped: 0,
                    cases: Vec::new(),
                    case_index: HashMap::new(),
                });
                self.index.insert(e.item.id.clone(), self.suites.len() - 1);
                self.suites.len() - 1
            }
        };
        self.suites[i].record(e);
    }

    fn done(&mut self, s: &Summary) -> io::Result<()> {
        let mut file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("the JUnit report is already complete"))?;
        if self.name.is_empty() {
            self.name = s.name.clone();
        }
        let timestamp = humantime::format_rfc3339_millis(s.started).to_string();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = write!(
            out,
            "<testsuites name=\"{}\" tests=\"{}\" time=\"{}\"",
            attr(&self.name),
            self.executions,
            seconds(self.total_time)
        );
        if self.suites.is_empty() {
            out.push_str("/>\n");
        } else {
            out.push_str(">\n");
            for suite in &self.suites {
                suite.write(&mut out, &self.name, &timestamp);
                // Write as we go: the text of one suite at a time.
                file.write_all(out.as_bytes())?;
                out.clear();
            }
            out.push_str("</testsuites>\n");
        }
        file.write_all(out.as_bytes())?;
        file.commit()
    }
}

impl Reporter for JunitReporter {
    fn on(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::Start(RunInfo { name, .. }) => {
                self.name = name.clone();
                Ok(())
            }
            Event::Iteration { .. } | Event::Warning(_) => Ok(()),
            Event::Executed(e) => {
                self.executed(e);
                Ok(())
            }
            Event::Done(s) => self.done(s),
        }
    }
}

#[cfg(test)]
mod tests;
