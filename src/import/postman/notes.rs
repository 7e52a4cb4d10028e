//! The import report while a collection is read: per-item notes, and notes
//! about Postman metadata that every item has (ids, example timings), which
//! are counted and reported once instead of once per item.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::import::Report;

/// Keys that only carry Postman's own bookkeeping (cloud ids, UI state);
/// they are counted and reported once as a group.
const BOOKKEEPING: &[&str] = &[
    "_postman_id",
    "id",
    "_exporter_id",
    "_collection_link",
    "_postman_isSubFolder",
    "uid",
];

#[derive(Default)]
pub struct Notes {
    pub report: Report,
    grouped: BTreeMap<(String, String), usize>,
}

impl Notes {
    pub fn dropped(&mut self, item: &str, what: impl Into<String>, why: impl Into<String>) {
        self.report.dropped(item, what, why);
    }

    pub fn changed(&mut self, item: &str, what: impl Into<String>, why: impl Into<String>) {
        self.report.changed(item, what, why);
    }

    /// One note for all occurrences, with a count.
    pub fn grouped(&mut self, what: &str, why: &str) {
        *self
            .grouped
            .entry((what.to_string(), why.to_string()))
            .or_default() += 1;
    }

    /// Reports every key of `obj` not in `known`: bookkeeping keys as a
    /// group, anything else for this item.
    pub fn unknown_keys(
        &mut self,
        item: &str,
        obj: &Map<String, Value>,
        known: &[&str],
        ctx: &str,
    ) {
        for (k, v) in obj {
            if known.contains(&k.as_str()) {
                continue;
            }
            if BOOKKEEPING.contains(&k.as_str()) {
                self.grouped(
                    "Postman ids and UI state (_postman_id, id, _exporter_id, ...)",
                    "postie identifies items by their names and files",
                );
            } else if !is_empty(v) {
                self.dropped(
                    item,
                    format!("{ctx} field `{k}`"),
                    "postie has no equivalent for it",
                );
            }
        }
    }

    pub fn finish(mut self, item: &str) -> Report {
        for ((what, why), n) in std::mem::take(&mut self.grouped) {
            let what = if n == 1 {
                what
            } else {
                format!("{what} ({n} times)")
            };
            self.report.dropped(item, what, why);
        }
        self.report
    }
}

/// Null, `""`, `[]` and `{}` hold nothing to lose.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}
