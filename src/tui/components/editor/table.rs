//! The four row tables of a request (params, headers, form fields,
//! multipart parts) behind one interface: columns are 0 the enabled
//! checkbox, then 1..=3 the text cells.

use ratatui::layout::Constraint;

use crate::model::{Body, KeyValue, Part, Request};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableId {
    Params,
    Headers,
    Form,
    Parts,
}

/// Number of columns including the checkbox.
pub const COLUMNS: usize = 4;

/// Cursor and scroll of one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableCursor {
    pub row: usize,
    pub col: usize,
    pub offset: usize,
}

impl TableCursor {
    pub fn clamp(&mut self, len: usize) {
        self.row = self.row.min(len.saturating_sub(1));
        self.col = self.col.clamp(0, COLUMNS - 1);
        self.offset = self.offset.min(self.row);
    }
}

impl TableId {
    pub fn titles(self) -> &'static [&'static str] {
        match self {
            TableId::Parts => &["name", "value or @file", "content type"],
            _ => &["name", "value", "description"],
        }
    }

    pub fn widths(self) -> &'static [Constraint] {
        &[
            Constraint::Fill(2),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ]
    }

    fn kvs(self, r: &Request) -> Option<&Vec<KeyValue>> {
        match (self, &r.body.body) {
            (TableId::Params, _) => Some(&r.params),
            (TableId::Headers, _) => Some(&r.headers),
            (TableId::Form, Body::Form(f)) => Some(f),
            _ => None,
        }
    }

    fn kvs_mut(self, r: &mut Request) -> Option<&mut Vec<KeyValue>> {
        match (self, &mut r.body.body) {
            (TableId::Params, _) => Some(&mut r.params),
            (TableId::Headers, _) => Some(&mut r.headers),
            (TableId::Form, Body::Form(f)) => Some(f),
            _ => None,
        }
    }

    fn parts(self, r: &Request) -> Option<&Vec<Part>> {
        match (self, &r.body.body) {
            (TableId::Parts, Body::Multipart(p)) => Some(p),
            _ => None,
        }
    }

    fn parts_mut(self, r: &mut Request) -> Option<&mut Vec<Part>> {
        match (self, &mut r.body.body) {
            (TableId::Parts, Body::Multipart(p)) => Some(p),
            _ => None,
        }
    }

    /// The Params rows that are pairs of the URL's own query (shown first).
    fn url_rows(self, r: &Request) -> Vec<KeyValue> {
        match self {
            TableId::Params => super::url::query_rows(&r.url),
            _ => Vec::new(),
        }
    }

    /// Before a Params row changes, the URL's pairs become rows of their
    /// own, so row numbers stay as shown (see `url`).
    fn own_rows(self, r: &mut Request) {
        if self == TableId::Params {
            super::url::move_query_into_params(&mut r.url, &mut r.params);
        }
    }

    pub fn len(self, r: &Request) -> usize {
        self.url_rows(r).len()
            + self
                .kvs(r)
                .map(Vec::len)
                .or_else(|| self.parts(r).map(Vec::len))
                .unwrap_or(0)
    }

    /// Rows as (enabled, [cell texts]) for drawing.
    pub fn rows(self, r: &Request) -> Vec<(bool, [String; 3])> {
        if let Some(kvs) = self.kvs(r) {
            return self
                .url_rows(r)
                .iter()
                .chain(kvs)
                .map(|kv| {
                    (
                        kv.enabled,
                        [
                            kv.name.clone(),
                            kv.value.clone(),
                            kv.description.clone().unwrap_or_default(),
                        ],
                    )
                })
                .collect();
        }
        self.parts(r)
            .map(|parts| {
                parts
                    .iter()
                    .map(|p| (p.enabled, [p.name.clone(), part_value(p), part_type(p)]))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn cell(self, r: &Request, row: usize, col: usize) -> String {
        self.rows(r)
            .get(row)
            .and_then(|(_, cells)| cells.get(col.wrapping_sub(1)).cloned())
            .unwrap_or_default()
    }

    /// Writes a text cell; unchanged text is not written.
    pub fn set_cell(self, r: &mut Request, row: usize, col: usize, text: String) {
        if self.cell(r, row, col) == text {
            return;
        }
        self.own_rows(r);
        if let Some(kv) = self.kvs_mut(r).and_then(|k| k.get_mut(row)) {
            match col {
                1 => kv.name = text,
                2 => kv.value = text,
                3 => kv.description = (!text.is_empty()).then_some(text),
                _ => {}
            }
        } else if let Some(p) = self.parts_mut(r).and_then(|p| p.get_mut(row)) {
            match col {
                1 => p.name = text,
                // "@path" sends a file, anything else is the text value.
                2 => match text.strip_prefix('@') {
                    Some(file) => {
                        p.file = Some(file.to_string());
                        p.value = None;
                    }
                    None => {
                        p.value = Some(text);
                        p.file = None;
                    }
                },
                3 => p.content_type = (!text.is_empty()).then_some(text),
                _ => {}
            }
        }
    }

    pub fn toggle(self, r: &mut Request, row: usize) {
        self.own_rows(r);
        if let Some(kv) = self.kvs_mut(r).and_then(|k| k.get_mut(row)) {
            kv.enabled = !kv.enabled;
        } else if let Some(p) = self.parts_mut(r).and_then(|p| p.get_mut(row)) {
            p.enabled = !p.enabled;
        }
    }

    /// Inserts an empty row at `at` (clamped); returns its index.
    pub fn add_row(self, r: &mut Request, at: usize) -> usize {
        self.own_rows(r);
        if let Some(kvs) = self.kvs_mut(r) {
            let at = at.min(kvs.len());
            kvs.insert(at, KeyValue::new("", ""));
            return at;
        }
        if let Some(parts) = self.parts_mut(r) {
            let at = at.min(parts.len());
            parts.insert(
                at,
                Part {
                    name: String::new(),
                    value: Some(String::new()),
                    file: None,
                    filename: None,
                    content_type: None,
                    enabled: true,
                    description: None,
                    extra: Default::default(),
                },
            );
            return at;
        }
        0
    }

    pub fn delete_row(self, r: &mut Request, row: usize) {
        self.own_rows(r);
        if let Some(kvs) = self.kvs_mut(r) {
            if row < kvs.len() {
                kvs.remove(row);
            }
        } else if let Some(parts) = self.parts_mut(r) {
            if row < parts.len() {
                parts.remove(row);
            }
        }
    }
}

fn part_value(p: &Part) -> String {
    match (&p.file, &p.value) {
        (Some(f), _) => format!("@{f}"),
        (None, Some(v)) => v.clone(),
        (None, None) => String::new(),
    }
}

fn part_type(p: &Part) -> String {
    p.content_type.clone().unwrap_or_default()
}
