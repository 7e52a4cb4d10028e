//! A diff as lines of text, each with what it says (added, removed...), so
//! the shell colours or escapes them and the app styles them alike. The
//! text is untrusted (it comes from servers): front ends escape it.

use serde_json::Value;

use super::diff::{BodyDiff, Change, Diff, LineTag};
use super::record::Record;
use crate::units::human_bytes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `--- id at`, `+++ id at`, `headers:`, `body (JSON):`.
    Heading,
    Added,
    Removed,
    Changed,
    /// An unchanged line around changed ones.
    Context,
    /// `@@ -1,3 +1,4 @@`.
    Hunk,
    /// `no differences`, a binary body's sizes.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: Kind,
    pub text: String,
}

fn line(kind: Kind, text: impl Into<String>) -> Line {
    Line {
        kind,
        text: text.into(),
    }
}

/// `d` (the diff of `new` against `old`) as lines.
pub fn lines(old: &Record, new: &Record, d: &Diff) -> Vec<Line> {
    let mut out = vec![
        line(Kind::Removed, format!("--- {} {}", old.id, old.at)),
        line(Kind::Added, format!("+++ {} {}", new.id, new.at)),
    ];
    if d.is_empty() {
        out.push(line(Kind::Note, "no differences"));
        return out;
    }
    let status = |s: &Option<u16>| s.map_or("no response".to_string(), |s| s.to_string());
    if let Some(Change::Changed { from, to }) = &d.status {
        out.push(line(
            Kind::Changed,
            format!("status: {} -> {}", status(from), status(to)),
        ));
    }
    if !d.headers.is_empty() {
        out.push(line(Kind::Heading, "headers:"));
        for h in &d.headers {
            out.push(changed(&h.name, &h.change, |s| s.clone()));
        }
    }
    let cut = if d.body_cut {
        " (only the kept start of a body)"
    } else {
        ""
    };
    match &d.body {
        BodyDiff::Same => {}
        BodyDiff::Json(changes) => {
            out.push(line(Kind::Heading, format!("body (JSON){cut}:")));
            for c in changes {
                out.push(changed(&c.path, &c.change, Value::to_string));
            }
        }
        BodyDiff::Lines(hunks) => {
            out.push(line(Kind::Heading, format!("body{cut}:")));
            for h in hunks {
                out.push(line(
                    Kind::Hunk,
                    format!(
                        "@@ -{},{} +{},{} @@",
                        h.old_start, h.old_len, h.new_start, h.new_len
                    ),
                ));
                for l in &h.lines {
                    let (kind, mark) = match l.tag {
                        LineTag::Same => (Kind::Context, ' '),
                        LineTag::Added => (Kind::Added, '+'),
                        LineTag::Removed => (Kind::Removed, '-'),
                    };
                    out.push(line(kind, format!("{mark}{}", l.text)));
                }
            }
        }
        BodyDiff::Binary { old_size, new_size } => out.push(line(
            Kind::Note,
            format!(
                "body: binary, differs ({} -> {}){cut}",
                human_bytes(*old_size),
                human_bytes(*new_size)
            ),
        )),
    }
    out
}

/// `  + name: value`, `  - name: value`, `  ~ name: old -> new`.
fn changed<T>(name: &str, change: &Change<T>, show: impl Fn(&T) -> String) -> Line {
    match change {
        Change::Added { to } => line(Kind::Added, format!("  + {name}: {}", show(to))),
        Change::Removed { from } => line(Kind::Removed, format!("  - {name}: {}", show(from))),
        Change::Changed { from, to } => line(
            Kind::Changed,
            format!("  ~ {name}: {} -> {}", show(from), show(to)),
        ),
    }
}
