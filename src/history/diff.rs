//! What changed between two exchanges of a request: status, headers
//! (added, removed, changed) and body. JSON bodies are compared as JSON
//! (keys added, removed, changed, with paths like `$.users[2].name`,
//! arrays by index); other text line by line. Pure functions.

use serde::Serialize;
use serde_json::Value;

use super::record::{Body, Record};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change<T> {
    Added { to: T },
    Removed { from: T },
    Changed { from: T, to: T },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderChange {
    pub name: String,
    #[serde(flatten)]
    pub change: Change<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonChange {
    /// `$.users[2].name`; keys that are not identifiers as `$["a b"]`.
    pub path: String,
    #[serde(flatten)]
    pub change: Change<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineTag {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub tag: LineTag,
    pub text: String,
}

/// A run of changed lines with up to three lines of context, as in a
/// unified diff (starts are 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "changes", rename_all = "snake_case")]
pub enum BodyDiff {
    Same,
    Json(Vec<JsonChange>),
    Lines(Vec<Hunk>),
    /// Bodies that are not text differ; sizes say by how much.
    Binary {
        old_size: u64,
        new_size: u64,
    },
}

/// Status, headers and body of `new` against `old`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// `None` when the status is the same (no response counts as a status).
    pub status: Option<Change<Option<u16>>>,
    pub headers: Vec<HeaderChange>,
    pub body: BodyDiff,
    /// A body was kept only in part, so the diff covers only that part.
    pub body_cut: bool,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.headers.is_empty() && self.body == BodyDiff::Same
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Record, new: &Record) -> Diff {
    let (a, b) = (old.status(), new.status());
    let empty = Body::default();
    let body_of = |r: &Record| -> Body {
        r.response
            .as_ref()
            .map_or(empty.clone(), |x| x.body.clone())
    };
    let (ob, nb) = (body_of(old), body_of(new));
    let no_headers = Vec::new();
    let heads = |r: &Record| -> Vec<(String, String)> {
        r.response
            .as_ref()
            .map_or(no_headers.clone(), |x| x.headers.clone())
    };
    Diff {
        status: (a != b).then_some(Change::Changed { from: a, to: b }),
        headers: diff_headers(&heads(old), &heads(new)),
        body: diff_bodies(&ob, &nb),
        body_cut: ob.cut || nb.cut,
    }
}

/// Headers by name (case-insensitive), repeated ones joined with `, `,
/// in name order.
pub fn diff_headers(old: &[(String, String)], new: &[(String, String)]) -> Vec<HeaderChange> {
    use std::collections::BTreeMap;
    fn by_name(h: &[(String, String)]) -> BTreeMap<String, (String, String)> {
        let mut m: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (n, v) in h {
            m.entry(n.to_ascii_lowercase())
                .and_modify(|(_, all)| {
                    all.push_str(", ");
                    all.push_str(v);
                })
                .or_insert_with(|| (n.clone(), v.clone()));
        }
        m
    }
    let (a, b) = (by_name(old), by_name(new));
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for key in names {
        let change = match (a.get(key), b.get(key)) {
            (Some((n, x)), Some((_, y))) if x != y => Some((
                n,
                Change::Changed {
                    from: x.clone(),
                    to: y.clone(),
                },
            )),
            (Some((n, x)), None) => Some((n, Change::Removed { from: x.clone() })),
            (None, Some((n, y))) => Some((n, Change::Added { to: y.clone() })),
            _ => None,
        };
        if let Some((name, change)) = change {
            out.push(HeaderChange {
                name: name.clone(),
                change,
            });
        }
    }
    out
}

/// JSON when both bodies parse as JSON, else lines when both are text,
/// else bytes.
pub fn diff_bodies(old: &Body, new: &Body) -> BodyDiff {
    if let (Some(a), Some(b)) = (&old.text, &new.text) {
        if a == b {
            return BodyDiff::Same;
        }
        let parse = |t: &str| serde_json::from_str::<Value>(t).ok();
        if let (Some(x), Some(y)) = (parse(a), parse(b)) {
            let changes = diff_json(&x, &y);
            return if changes.is_empty() {
                BodyDiff::Same
            } else {
                BodyDiff::Json(changes)
            };
        }
        return BodyDiff::Lines(diff_lines(a, b));
    }
    let (a, b) = (
        old.bytes().unwrap_or_default(),
        new.bytes().unwrap_or_default(),
    );
    if a == b && old.size == new.size {
        BodyDiff::Same
    } else {
        BodyDiff::Binary {
            old_size: old.size,
            new_size: new.size,
        }
    }
}

/// Keys added, removed and changed from `old` to `new`; arrays compared
/// index by index.
pub fn diff_json(old: &Value, new: &Value) -> Vec<JsonChange> {
    let mut out = Vec::new();
    walk(&mut String::from("$"), old, new, &mut out);
    out
}

fn walk(path: &mut String, a: &Value, b: &Value, out: &mut Vec<JsonChange>) {
    let len = path.len();
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                push_key(path, k);
                match y.get(k) {
                    Some(w) => walk(path, v, w, out),
                    None => out.push(JsonChange {
                        path: path.clone(),
                        change: Change::Removed { from: v.clone() },
                    }),
                }
                path.truncate(len);
            }
            for (k, w) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                push_key(path, k);
                out.push(JsonChange {
                    path: path.clone(),
                    change: Change::Added { to: w.clone() },
                });
                path.truncate(len);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                path.push_str(&format!("[{i}]"));
                match (x.get(i), y.get(i)) {
                    (Some(v), Some(w)) => walk(path, v, w, out),
                    (Some(v), None) => out.push(JsonChange {
                        path: path.clone(),
                        change: Change::Removed { from: v.clone() },
                    }),
                    (None, Some(w)) => out.push(JsonChange {
                        path: path.clone(),
                        change: Change::Added { to: w.clone() },
                    }),
                    (None, None) => {}
                }
                path.truncate(len);
            }
        }
        _ if a != b => out.push(JsonChange {
            path: path.clone(),
            change: Change::Changed {
                from: a.clone(),
                to: b.clone(),
            },
        }),
        _ => {}
    }
}

/// `.name`, or `["a b"]` for a key that is not an identifier.
fn push_key(path: &mut String, key: &str) {
    let ident = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        path.push('.');
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_string()).to_string());
        path.push(']');
    }
}

/// A line diff in hunks with three lines of context.
pub fn diff_lines(old: &str, new: &str) -> Vec<Hunk> {
    let d = similar::TextDiff::from_lines(old, new);
    let mut hunks = Vec::new();
    for group in d.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (o, n) = (first.old_range().start, first.new_range().start);
        let mut hunk = Hunk {
            old_start: o + 1,
            old_len: last.old_range().end - o,
            new_start: n + 1,
            new_len: last.new_range().end - n,
            lines: Vec::new(),
        };
        for op in &group {
            for change in d.iter_changes(op) {
                let tag = match change.tag() {
                    similar::ChangeTag::Equal => LineTag::Same,
                    similar::ChangeTag::Insert => LineTag::Added,
                    similar::ChangeTag::Delete => LineTag::Removed,
                };
                let text = change.value().trim_end_matches(['\n', '\r']).to_string();
                hunk.lines.push(DiffLine { tag, text });
            }
        }
        hunks.push(hunk);
    }
    hunks
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn paths(changes: &[JsonChange]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let k = match &c.change {
                    Change::Added { .. } => "+",
                    Change::Removed { .. } => "-",
                    Change::Changed { .. } => "~",
                };
                format!("{k}{}", c.path)
            })
            .collect()
    }

    #[test]
    fn json_changes_name_keys_added_removed_and_changed_with_paths() {
        let a = json!({"users": [{"name": "ann"}, {"name": "bo"}, {"name": "cy", "age": 3}], "gone": 1, "same": true});
        let b = json!({"users": [{"name": "ann"}, {"name": "bob"}, {"name": "cy"}, {"name": "di"}], "same": true, "new key": null});
        let d = diff_json(&a, &b);
        assert_eq!(
            paths(&d),
            [
                "~$.users[1].name",
                "-$.users[2].age",
                "+$.users[3]",
                "-$.gone",
                "+$[\"new key\"]"
            ]
        );
        assert_eq!(
            d[0].change,
            Change::Changed {
                from: json!("bo"),
                to: json!("bob")
            }
        );
    }

    #[test]
    fn json_of_another_type_is_one_change_and_equal_json_none() {
        let d = diff_json(&json!({"a": [1]}), &json!({"a": {"0": 1}}));
        assert_eq!(paths(&d), ["~$.a"]);
        assert!(diff_json(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1})).is_empty());
        assert_eq!(paths(&diff_json(&json!(1), &json!(2))), ["~$"]);
    }

    #[test]
    fn headers_are_compared_by_name_whatever_the_case() {
        let h = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let d = diff_headers(
            &h(&[
                ("Content-Type", "a"),
                ("X-Old", "1"),
                ("Vary", "x"),
                ("vary", "y"),
            ]),
            &h(&[("content-type", "b"), ("X-New", "2"), ("Vary", "x, y")]),
        );
        let names: Vec<&str> = d.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Content-Type", "X-New", "X-Old"]);
        assert!(matches!(&d[1].change, Change::Added { to } if to == "2"));
        assert!(matches!(&d[2].change, Change::Removed { from } if from == "1"));
    }

    fn text(t: &str) -> Body {
        Body {
            size: t.len() as u64,
            text: Some(t.into()),
            ..Body::default()
        }
    }

    #[test]
    fn text_bodies_diff_by_line_with_context_and_json_bodies_as_json() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let BodyDiff::Lines(h) = diff_bodies(&text(old), &text(new)) else {
            panic!("not lines")
        };
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].old_start, h[0].old_len), (2, 7));
        let shown: Vec<String> = (h[0].lines.iter())
            .map(|l| format!("{:?}:{}", l.tag, l.text))
            .collect();
        assert_eq!(
            shown,
            [
                "Same:b",
                "Same:c",
                "Same:d",
                "Removed:e",
                "Added:E",
                "Same:f",
                "Same:g",
                "Same:h"
            ]
        );
        assert!(matches!(
            diff_bodies(&text("{\"a\":1}"), &text("{ \"a\" : 2 }")),
            BodyDiff::Json(c) if c.len() == 1
        ));
        assert_eq!(
            diff_bodies(&text("{\"a\":1}"), &text("{ \"a\":1 }")),
            BodyDiff::Same
        );
        let bin = |b: &str, size| Body {
            size,
            base64: Some(b.into()),
            ..Body::default()
        };
        assert_eq!(
            diff_bodies(&bin("AA==", 1), &bin("AA==", 1)),
            BodyDiff::Same
        );
        assert_eq!(
            diff_bodies(&bin("AA==", 1), &bin("AQ==", 1)),
            BodyDiff::Binary {
                old_size: 1,
                new_size: 1
            }
        );
    }
}
