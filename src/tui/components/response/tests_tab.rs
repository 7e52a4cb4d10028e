//! The Tests tab: what the request's scripts reported (each test, each
//! script that threw, the console), as rows wrapped to the pane. Names,
//! messages and console text come from scripts, so they are untrusted:
//! every row is escaped when made, escapes kept apart to be styled so.
//!
//! A selection moves over the entries (a test, an error, a console line);
//! one that points into a script can be opened there in the editor.

use std::path::{Path, PathBuf};

use crate::script::{ConsoleLevel, ConsoleLine, Outcome, ScriptError, TestResult};
use crate::tui::widgets::safe_text::safe_pieces;

use super::problems::wrap;

/// How a piece of a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Pass,
    Fail,
    Skip,
    /// A script error, or a failed test's message.
    Error,
    Heading,
    /// Where a console line came from.
    Location,
    Log,
    Warn,
    Plain,
    /// An escaped character of untrusted text (`\e`, `<U+202E>`).
    Escaped,
}

/// One row on screen: pieces already escaped, and the entry it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub pieces: Vec<(String, Role)>,
    pub entry: Option<usize>,
}

/// A place in a script: where the editor should put its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// The script file, relative to the workspace (`users/get.test.js`).
    pub file: PathBuf,
    /// 1-based, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// A failed test's name, to find its `pm.test` when no line is known.
    pub test: Option<String>,
}

impl Spot {
    /// `users/get.test.js:3:7`.
    pub fn label(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

/// What one send's scripts reported, ready to draw.
#[derive(Debug, Clone)]
pub struct TestsView {
    outcome: Outcome,
    /// The open request's test script, for the empty state's hint.
    test_file: Option<String>,
    rows: Vec<Row>,
    /// Each entry's place, if it has one, and its first and last row.
    entries: Vec<(Option<Spot>, usize, usize)>,
    pub selected: usize,
    /// First row shown.
    pub scroll: usize,
}

/// Columns failed tests' messages are indented by.
const INDENT: usize = 4;

impl TestsView {
    pub fn new(outcome: Outcome, test_file: Option<String>, width: usize, height: usize) -> Self {
        let mut v = TestsView {
            outcome,
            test_file,
            rows: Vec::new(),
            entries: Vec::new(),
            selected: 0,
            scroll: 0,
        };
        v.layout(width, height);
        v
    }

    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Nothing ran that said anything.
    pub fn is_empty(&self) -> bool {
        let o = &self.outcome;
        o.tests.is_empty() && o.errors.is_empty() && o.console.is_empty()
    }

    /// `(passed, total)`; skipped tests count in the total, not as failed.
    pub fn counts(&self) -> (usize, usize) {
        let t = &self.outcome.tests;
        (t.iter().filter(|t| t.passed && !t.skipped).count(), t.len())
    }

    /// A test failed or a script threw.
    pub fn failed(&self) -> bool {
        self.outcome.failed()
    }

    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    /// The place the selected entry points at, if any.
    pub fn selected_spot(&self) -> Option<&Spot> {
        self.entries.get(self.selected)?.0.as_ref()
    }

    /// Rows of the selected entry.
    pub fn selected_rows(&self) -> Option<(usize, usize)> {
        self.entries.get(self.selected).map(|(_, a, b)| (*a, *b))
    }

    /// Rewraps to `width` columns, keeping the selection in view.
    pub fn layout(&mut self, width: usize, height: usize) {
        let (rows, entries) = build(&self.outcome, self.test_file.as_deref(), width.max(1));
        self.rows = rows;
        self.entries = entries;
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
        self.reveal(height);
    }

    /// Moves the selection by `delta` entries (clamped), then scrolls it into view.
    pub fn select_by(&mut self, delta: isize, height: usize) {
        let max = self.entries.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, max.max(0)) as usize;
        self.reveal(height);
    }

    /// Scrolls so the selected entry is on screen (its first row, if it is
    /// taller than the screen).
    fn reveal(&mut self, height: usize) {
        let height = height.max(1);
        let max = self.rows.len().saturating_sub(height);
        if let Some((first, last)) = self.selected_rows() {
            if last >= self.scroll + height {
                self.scroll = last + 1 - height;
            }
            if first < self.scroll {
                self.scroll = first;
            }
            // The section title above the first entry shows too.
            if self.selected == 0 {
                self.scroll = 0;
            }
        }
        self.scroll = self.scroll.min(max);
    }

    /// The tab as plain text (what `Copy` puts on the clipboard).
    pub fn plain_text(&self) -> String {
        self.rows
            .iter()
            .map(|r| {
                let line: String = r.pieces.iter().map(|(s, _)| s.as_str()).collect();
                format!("{}\n", line.trim_end())
            })
            .collect()
    }
}

/// `text` as pieces in `role`, its unsafe characters escaped and set apart.
fn untrusted(text: &str, role: Role) -> Vec<(String, Role)> {
    (safe_pieces(text).into_iter())
        .map(|(t, escaped)| (t, if escaped { Role::Escaped } else { role }))
        .collect()
}

type Entries = Vec<(Option<Spot>, usize, usize)>;

fn build(o: &Outcome, test_file: Option<&str>, width: usize) -> (Vec<Row>, Entries) {
    let mut rows: Vec<Row> = Vec::new();
    let mut entries: Entries = Vec::new();
    let mut add = |rows: &mut Vec<Row>, wrapped: Vec<Vec<(String, Role)>>, spot: Option<Spot>| {
        let first = rows.len();
        let entry = Some(entries.len());
        rows.extend(wrapped.into_iter().map(|pieces| Row { pieces, entry }));
        entries.push((spot, first, rows.len().saturating_sub(1).max(first)));
    };
    let blank = |rows: &mut Vec<Row>| {
        if !rows.is_empty() {
            rows.push(Row {
                pieces: Vec::new(),
                entry: None,
            });
        }
    };
    let heading = |rows: &mut Vec<Row>, text: &str| {
        rows.push(Row {
            pieces: vec![(text.to_string(), Role::Heading)],
            entry: None,
        })
    };
    if o.tests.is_empty() {
        let file = test_file.map_or_else(|| "<request>.test.js".to_string(), str::to_string);
        let hint = format!("No tests ran. Scripts go in {file} (Scripts tab).");
        rows.extend(
            wrap(&untrusted(&hint, Role::Plain), width, 2, Role::Plain)
                .into_iter()
                .map(|pieces| Row {
                    pieces,
                    entry: None,
                }),
        );
    }
    for t in &o.tests {
        add(&mut rows, test_rows(t, width), test_spot(t));
    }
    if !o.errors.is_empty() {
        blank(&mut rows);
        heading(&mut rows, "Errors");
    }
    for e in &o.errors {
        add(&mut rows, error_rows(e, width), Some(error_spot(e)));
    }
    if !o.console.is_empty() {
        blank(&mut rows);
        heading(&mut rows, "Console");
    }
    for c in &o.console {
        add(&mut rows, console_rows(c, width), console_spot(c));
    }
    (rows, entries)
}

fn test_rows(t: &TestResult, width: usize) -> Vec<Vec<(String, Role)>> {
    let (mark, role) = if t.skipped {
        ("- ", Role::Skip)
    } else if t.passed {
        ("✓ ", Role::Pass)
    } else {
        ("✗ ", Role::Fail)
    };
    let mut head = vec![(mark.to_string(), role)];
    head.extend(untrusted(&t.name, role));
    if t.skipped {
        head.push((" (skipped)".to_string(), Role::Skip));
    }
    let mut out = wrap(&head, width, 2, Role::Plain);
    if let (false, false, Some(msg)) = (t.passed, t.skipped, &t.error) {
        for line in msg.split('\n') {
            let mut seg = vec![(" ".repeat(INDENT), Role::Plain)];
            seg.extend(untrusted(line, Role::Error));
            out.extend(wrap(&seg, width, INDENT, Role::Plain));
        }
    }
    out
}

fn error_rows(e: &ScriptError, width: usize) -> Vec<Vec<(String, Role)>> {
    let spot = error_spot(e);
    let mut out = Vec::new();
    for (i, line) in e.message.split('\n').enumerate() {
        let mut seg = Vec::new();
        if i == 0 {
            seg.extend(untrusted(&spot.label(), Role::Error));
            seg.push(("  ".to_string(), Role::Plain));
        } else {
            seg.push((" ".repeat(INDENT), Role::Plain));
        }
        seg.extend(untrusted(line, Role::Error));
        out.extend(wrap(&seg, width, INDENT, Role::Plain));
    }
    out
}

fn console_rows(c: &ConsoleLine, width: usize) -> Vec<Vec<(String, Role)>> {
    let (level, role) = match c.level {
        ConsoleLevel::Log => ("log", Role::Log),
        ConsoleLevel::Info => ("info", Role::Log),
        ConsoleLevel::Warn => ("warn", Role::Warn),
        ConsoleLevel::Error => ("error", Role::Error),
    };
    let mut loc = c.file.display().to_string();
    if let Some(l) = c.line {
        loc.push_str(&format!(":{l}"));
    }
    let mut out = Vec::new();
    for (i, line) in c.text.split('\n').enumerate() {
        let mut seg = Vec::new();
        if i == 0 {
            let lead = if role == Role::Log {
                Role::Location
            } else {
                role
            };
            seg.push((format!("{level:<5} "), lead));
            seg.extend(untrusted(&loc, Role::Location));
            seg.push(("  ".to_string(), Role::Plain));
        } else {
            seg.push((" ".repeat(INDENT), Role::Plain));
        }
        seg.extend(untrusted(line, role));
        out.extend(wrap(&seg, width, INDENT, Role::Plain));
    }
    out
}

fn test_spot(t: &TestResult) -> Option<Spot> {
    (!t.passed && !t.skipped && is_script(&t.file)).then(|| Spot {
        file: t.file.clone(),
        line: None,
        column: None,
        test: Some(t.name.clone()),
    })
}

fn error_spot(e: &ScriptError) -> Spot {
    Spot {
        file: e.file.clone(),
        line: e.line,
        column: e.column,
        test: None,
    }
}

fn console_spot(c: &ConsoleLine) -> Option<Spot> {
    (c.line.is_some() && is_script(&c.file)).then(|| Spot {
        file: c.file.clone(),
        line: c.line,
        column: None,
        test: None,
    })
}

fn is_script(file: &Path) -> bool {
    !file.as_os_str().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(name: &str, passed: bool, skipped: bool, error: Option<&str>) -> TestResult {
        TestResult {
            name: name.into(),
            passed,
            skipped,
            error: error.map(str::to_string),
            file: "api/get.test.js".into(),
        }
    }

    fn text(v: &TestsView) -> Vec<String> {
        v.plain_text().lines().map(str::to_string).collect()
    }

    #[test]
    fn counts_leave_skipped_tests_out_of_the_failures() {
        let o = Outcome {
            tests: vec![
                test("a", true, false, None),
                test("b", false, true, None),
                test("c", true, false, None),
            ],
            ..Outcome::default()
        };
        let v = TestsView::new(o, None, 40, 10);
        assert_eq!(v.counts(), (2, 3));
        assert!(!v.failed());
    }

    #[test]
    fn a_failed_tests_message_wraps_indented_under_it() {
        let o = Outcome {
            tests: vec![test(
                "status",
                false,
                false,
                Some("expected 404 to equal 200 and some more words"),
            )],
            ..Outcome::default()
        };
        let v = TestsView::new(o, None, 24, 10);
        assert_eq!(
            text(&v),
            [
                "✗ status",
                "    expected 404 to",
                "    equal 200 and some",
                "    more words"
            ]
        );
        // One entry spans the test and its message.
        assert_eq!(v.entry_count(), 1);
        assert_eq!(v.selected_rows(), Some((0, 3)));
        assert_eq!(
            v.selected_spot().and_then(|s| s.test.clone()),
            Some("status".into())
        );
    }

    #[test]
    fn hostile_text_is_escaped_in_its_own_pieces() {
        let o = Outcome {
            tests: vec![test("a\u{1b}[2Jb\u{202e}c", true, false, None)],
            console: vec![ConsoleLine {
                level: ConsoleLevel::Log,
                text: "x\u{7}\u{200b}".into(),
                file: "api/get.test.js".into(),
                line: Some(2),
            }],
            ..Outcome::default()
        };
        let v = TestsView::new(o, None, 80, 10);
        let all = v.plain_text();
        assert!(all.contains("a\\e[2Jb<U+202E>c"), "{all}");
        assert!(all.contains("x\\x07<U+200B>"), "{all}");
        assert!(!all.contains('\u{1b}') && !all.contains('\u{202e}'));
        let escaped: Vec<&str> = v
            .rows()
            .iter()
            .flat_map(|r| &r.pieces)
            .filter(|(_, role)| *role == Role::Escaped)
            .map(|(s, _)| s.as_str())
            .collect();
        // Neighbouring escapes share a piece.
        assert_eq!(escaped, ["\\e", "<U+202E>", "\\x07<U+200B>"]);
    }

    #[test]
    fn the_selection_scrolls_into_view_and_stops_at_the_ends() {
        let o = Outcome {
            tests: (0..10)
                .map(|i| test(&format!("t{i}"), true, false, None))
                .collect(),
            ..Outcome::default()
        };
        let mut v = TestsView::new(o, None, 40, 3);
        v.select_by(5, 3);
        assert_eq!((v.selected, v.scroll), (5, 3));
        v.select_by(100, 3);
        assert_eq!((v.selected, v.scroll), (9, 7));
        v.select_by(-100, 3);
        assert_eq!((v.selected, v.scroll), (0, 0));
    }

    #[test]
    fn errors_and_console_lines_point_at_their_line() {
        let o = Outcome {
            errors: vec![ScriptError {
                kind: crate::script::ScriptErrorKind::Runtime,
                message: "TypeError: x is undefined".into(),
                file: "api/get.test.js".into(),
                line: Some(3),
                column: Some(7),
            }],
            console: vec![ConsoleLine {
                level: ConsoleLevel::Warn,
                text: "careful".into(),
                file: "api/get.pre.js".into(),
                line: Some(9),
            }],
            ..Outcome::default()
        };
        let mut v = TestsView::new(o, Some("api/get.test.js".into()), 80, 10);
        assert_eq!(
            text(&v),
            [
                "No tests ran. Scripts go in api/get.test.js (Scripts tab).",
                "",
                "Errors",
                "api/get.test.js:3:7  TypeError: x is undefined",
                "",
                "Console",
                "warn  api/get.pre.js:9  careful",
            ]
        );
        assert_eq!(
            v.selected_spot().map(Spot::label),
            Some("api/get.test.js:3:7".into())
        );
        v.select_by(1, 10);
        assert_eq!(
            v.selected_spot().map(Spot::label),
            Some("api/get.pre.js:9".into())
        );
    }
}
