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

#[cfg(test)]
mod tests {
    use super::*;

    fn c(executed: u64, failed: u64) -> Counter {
        Counter { executed, failed }
    }

    const OFF: Paint = Paint { on: false };

    // Expected tables are cli-table3 0.6.5's output for newman's options.

    #[test]
    fn a_wide_number_widens_its_column_and_notes_widen_the_rest() {
        let notes = [
            "total run duration: 79ms".to_string(),
            "total data received: 0B (approx)".to_string(),
            "average response time: 27ms [min: 27ms, max: 27ms, s.d.: 0µs]".to_string(),
        ];
        let rows = [("iterations", c(1, 0)), ("requests", c(123_456_789, 0))];
        let want = "\
┌─────────────────────────┬───────────────────┬─────────────────┐
│                         │          executed │          failed │
├─────────────────────────┼───────────────────┼─────────────────┤
│              iterations │                 1 │               0 │
├─────────────────────────┼───────────────────┼─────────────────┤
│                requests │         123456789 │               0 │
├─────────────────────────┴───────────────────┴─────────────────┤
│ total run duration: 79ms                                      │
├───────────────────────────────────────────────────────────────┤
│ total data received: 0B (approx)                              │
├───────────────────────────────────────────────────────────────┤
│ average response time: 27ms [min: 27ms, max: 27ms, s.d.: 0µs] │
└───────────────────────────────────────────────────────────────┘";
        assert_eq!(summary(&rows, &notes, OFF), want);
    }

    #[test]
    fn short_notes_leave_the_columns_as_they_are() {
        let want = "\
┌─────────────────────────┬──────────┬──────────┐
│                         │ executed │   failed │
├─────────────────────────┼──────────┼──────────┤
│              iterations │        1 │        0 │
├─────────────────────────┴──────────┴──────────┤
│ x                                             │
└───────────────────────────────────────────────┘";
        assert_eq!(
            summary(&[("iterations", c(1, 0))], &["x".into()], OFF),
            want
        );
    }

    #[test]
    fn the_failure_list_aligns_multi_line_cells() {
        let row = |n: &str, name: &str, detail: &[&str]| FailureRow {
            number: n.into(),
            name: vec![(name.into(), PLAIN), ("iteration: 1".into(), GRAY)],
            detail: detail.iter().map(|d| (d.to_string(), GRAY)).collect(),
        };
        let rows = [
            row(
                "1.",
                "AssertionError",
                &[
                    "created",
                    "expected 500 to equal 201",
                    "inside \"Users / Admin / Create user\"",
                ],
            ),
            row(
                "2.",
                "TypeError",
                &[
                    "cannot read property 'x' of undefined",
                    "at test-script",
                    "inside \"Broken script\"",
                ],
            ),
        ];
        let want = "  #  failure         detail

 1.  AssertionError  created
     iteration: 1    expected 500 to equal 201
                     inside \"Users / Admin / Create user\"

 2.  TypeError       cannot read property 'x' of undefined
     iteration: 1    at test-script
                     inside \"Broken script\"";
        assert_eq!(failures(&rows, OFF), want);
    }
}
