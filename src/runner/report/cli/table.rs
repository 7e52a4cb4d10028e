//! newman's two tables, laid out as cli-table3 lays them out: the boxed
//! summary (a first column 25 wide, spanning rows widening the others)
//! and the borderless failure list.

use unicode_width::UnicodeWidthStr;

use super::paint::{Paint, Tone, GRAY, GREEN, PLAIN, RED, RED_UNDERLINE};
use crate::runner::record::Counter;

/// Text width plus cli-table3's one space of padding on each side.
fn cell_width(text: &str) -> usize {
    text.width() + 2
}

fn right(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(cell_width(text));
    format!(" {}{text} ", " ".repeat(pad))
}

fn left_pad(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(cell_width(text));
    format!(" {text}{} ", " ".repeat(pad))
}

/// The summary table: one row per counter, then one spanning row per note
/// (run duration, data received, response times).
pub fn summary(rows: &[(&str, Counter)], notes: &[String], p: Paint) -> String {
    const FIRST: usize = 25;
    let mut w1 = cell_width("executed");
    let mut w2 = cell_width("  failed");
    for (_, c) in rows {
        w1 = w1.max(cell_width(&c.executed.to_string()));
        w2 = w2.max(cell_width(&c.failed.to_string()));
    }
    // A spanning cell wider than the columns it spans widens them, the
    // first by half the difference (rounded up), the second by the rest;
    // the first column's width is fixed. Spanners are seen last first.
    for note in notes.iter().rev() {
        let desired = cell_width(note);
        let existing = FIRST + 1 + w1 + 1 + w2;
        if desired > existing {
            let missing = desired - existing;
            let first = missing.div_ceil(2);
            w1 += first;
            w2 += missing - first;
        }
    }
    let total = FIRST + 1 + w1 + 1 + w2;
    let border = |s: String| p.paint(GRAY, &s);
    let bar = |n: usize| "─".repeat(n);
    let v = border("│".to_string());
    let mut out = Vec::new();
    let row = |cells: [(String, Tone); 3]| {
        let widths = [FIRST, w1, w2];
        let mut line = v.clone();
        for ((text, tone), width) in cells.iter().zip(widths) {
            let padded = right(text, width);
            // Colour the text, not the padding around it.
            let start = padded.len() - text.len() - 1;
            line.push_str(&padded[..start]);
            line.push_str(&p.paint(*tone, text));
            line.push(' ');
            line.push_str(&v);
        }
        line
    };
    out.push(border(format!("┌{}┬{}┬{}┐", bar(FIRST), bar(w1), bar(w2))));
    out.push(row([
        (String::new(), PLAIN),
        ("executed".into(), PLAIN),
        ("  failed".into(), PLAIN),
    ]));
    for (label, c) in rows {
        out.push(border(format!("├{}┼{}┼{}┤", bar(FIRST), bar(w1), bar(w2))));
        let label_tone = if c.failed > 0 { RED } else { GREEN };
        let failed_tone = if c.failed > 0 { RED } else { PLAIN };
        out.push(row([
            (label.to_string(), label_tone),
            (c.executed.to_string(), PLAIN),
            (c.failed.to_string(), failed_tone),
        ]));
    }
    for (i, note) in notes.iter().enumerate() {
        if i == 0 {
            out.push(border(format!("├{}┴{}┴{}┤", bar(FIRST), bar(w1), bar(w2))));
        } else {
            out.push(border(format!("├{}┤", bar(total))));
        }
        out.push(format!("{v}{}{v}", left_pad(note, total)));
    }
    if notes.is_empty() {
        out.push(border(format!("└{}┴{}┴{}┘", bar(FIRST), bar(w1), bar(w2))));
    } else {
        out.push(border(format!("└{}┘", bar(total))));
    }
    out.join("\n")
}

/// One line of a cell and its colour.
pub type Line = (String, Tone);

/// One failure: its number (`1.`), the failure's name and the detail.
pub struct FailureRow {
    pub number: String,
    pub name: Vec<Line>,
    pub detail: Vec<Line>,
}

/// The failure list: `#  failure  detail`, a blank line between rows,
/// columns as wide as their widest line (newman's layout off a terminal).
pub fn failures(rows: &[FailureRow], p: Paint) -> String {
    let head = FailureRow {
        number: "#".into(),
        name: vec![("failure".into(), RED_UNDERLINE)],
        detail: vec![("detail".into(), RED_UNDERLINE)],
    };
    let all: Vec<&FailureRow> = std::iter::once(&head).chain(rows).collect();
    let widest = |lines: &[Line]| lines.iter().map(|(t, _)| cell_width(t)).max().unwrap_or(2);
    let w0 = all.iter().map(|r| cell_width(&r.number)).max().unwrap_or(2);
    let w1 = all.iter().map(|r| widest(&r.name)).max().unwrap_or(2);
    let w2 = all.iter().map(|r| widest(&r.detail)).max().unwrap_or(2);
    let mut out = Vec::new();
    for (i, r) in all.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        let height = r.name.len().max(r.detail.len()).max(1);
        for l in 0..height {
            let mut line = String::new();
            if l == 0 {
                let number = right(&r.number, w0);
                let tone = if i == 0 { RED_UNDERLINE } else { PLAIN };
                line.push_str(&number.replace(&r.number, &p.paint(tone, &r.number)));
            } else {
                line.push_str(&" ".repeat(w0));
            }
            for (lines, width) in [(&r.name, w1), (&r.detail, w2)] {
                match lines.get(l) {
                    Some((text, tone)) => {
                        let padded = left_pad(text, width);
                        line.push(' ');
                        line.push_str(&p.paint(*tone, text));
                        line.push_str(&padded[1 + text.len()..]);
                    }
                    None => line.push_str(&" ".repeat(width)),
                }
            }
            out.push(line.trim_end().to_string());
        }
    }
    out.join("\n")
}
