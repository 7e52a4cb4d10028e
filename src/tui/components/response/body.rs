//! The body model: the bytes as received, the formatted and indexed text
//! shown, the view over it and its search; made once per response.

use std::sync::Arc;
use std::time::Duration;

use super::format::json_lines::pretty_json_lines;
use super::format::{indent_markup, pretty_index_from, pretty_json, BodyKind, MARKUP_FORMAT_LIMIT};
use super::search::Search;
use super::view::{map_invalid_bytes, Document, Shown, View};
use super::*;
use crate::tui::highlight::{Highlighter, Language, LineIndex, SyntaxAssets};

/// The body as received and as shown.
pub(super) struct Body {
    pub(super) kind: BodyKind,
    /// The body as text: as received if UTF-8, else with invalid bytes
    /// mapped to be shown as `\xNN`. Empty for binary bodies.
    pub(super) raw_text: String,
    /// The exact bytes, kept only when they differ from `raw_text`.
    pub(super) raw_bytes: Option<Vec<u8>>,
    /// Index of `raw_text`, built the first time it is shown.
    pub(super) raw_doc: Option<Document>,
    /// Formatted JSON/XML/HTML, or the hex dump of a binary body. Big
    /// JSON has no formatted text (the `String` is empty): its document
    /// draws the lines from `raw_text` (see [`Document::reads_raw`]).
    pub(super) pretty: Option<(String, Document)>,
    pub(super) show_raw: bool,
    /// A jq filter's output, shown instead of the body while it is on.
    pub(super) filtered: Option<(String, Document)>,
    /// The bytes jq reads, shared with its thread (made on first use).
    pub(super) jq_source: Option<Arc<Vec<u8>>>,
    pub(super) view: View,
    pub(super) search: Option<Search>,
}

impl Body {
    pub(super) fn bytes(&self) -> &[u8] {
        self.raw_bytes
            .as_deref()
            .unwrap_or(self.raw_text.as_bytes())
    }

    /// The text and document on screen.
    pub(super) fn shown(&mut self) -> Option<(&str, &mut Document)> {
        if let Some((text, doc)) = self.filtered.as_mut() {
            return Some((text.as_str(), doc));
        }
        if self.show_raw || self.pretty.is_none() {
            let doc = self.raw_doc.as_mut()?;
            return Some((self.raw_text.as_str(), doc));
        }
        let (text, doc) = self.pretty.as_mut()?;
        let text = if doc.reads_raw() {
            self.raw_text.as_str()
        } else {
            text.as_str()
        };
        Some((text, doc))
    }

    /// The document on screen with the text it reads.
    pub(super) fn shown_ref(&self) -> Option<Shown<'_>> {
        shown_of(
            &self.filtered,
            &self.pretty,
            &self.raw_doc,
            self.show_raw,
            &self.raw_text,
        )
    }

    /// The search and what it scans, borrowed together.
    pub(super) fn search_parts(&mut self) -> Option<(&mut Search, Shown<'_>)> {
        let shown = shown_of(
            &self.filtered,
            &self.pretty,
            &self.raw_doc,
            self.show_raw,
            &self.raw_text,
        )?;
        Some((self.search.as_mut()?, shown))
    }

    /// The document on screen.
    pub(super) fn shown_doc(&self) -> Option<&Document> {
        match (&self.filtered, &self.pretty) {
            (Some((_, doc)), _) => Some(doc),
            (None, Some((_, doc))) if !self.show_raw => Some(doc),
            _ => self.raw_doc.as_ref(),
        }
    }

    pub(super) fn can_toggle_raw(&self) -> bool {
        self.pretty.is_some() && self.kind != BodyKind::Binary
    }

    pub(super) fn refresh(&mut self) {
        let search = self.search.take();
        let mut view = std::mem::take(&mut self.view);
        if let Some((text, doc)) = self.shown() {
            view.clamp(doc, text);
            view.refresh(doc, text, search.as_ref());
        }
        self.view = view;
        self.search = search;
    }

    /// Runs `f` on the view with the shown text and document.
    pub(super) fn with_view(&mut self, f: impl FnOnce(&mut View, &Document, &str)) {
        let mut view = std::mem::take(&mut self.view);
        if let Some((text, doc)) = self.shown() {
            f(&mut view, doc, text);
        }
        self.view = view;
    }
}

impl ResponsePane {
    pub(super) fn assets(&mut self) -> Arc<SyntaxAssets> {
        Arc::clone(self.assets.get_or_insert_with(SyntaxAssets::load))
    }

    pub(super) fn highlighter(&mut self, language: Language, len: usize) -> Highlighter {
        if language == Language::Plain {
            return Highlighter::plain();
        }
        let assets = self.assets();
        Highlighter::new(&assets, &self.syntax_theme, language, len)
    }

    pub(super) fn prepare_body(&mut self, kind: BodyKind, bytes: Vec<u8>) -> Body {
        // Offsets are u32: a body over 4 GiB is shown up to there.
        let limit = u32::MAX as usize;
        let mut body = Body {
            kind,
            raw_text: String::new(),
            raw_bytes: None,
            raw_doc: None,
            pretty: None,
            show_raw: false,
            filtered: None,
            jq_source: None,
            view: View::default(),
            search: None,
        };
        let language = match kind {
            BodyKind::Binary => {
                let dump = hexdump::hex_dump(&bytes);
                let doc = Document::new(&dump, LineIndex::new(&dump), Highlighter::plain());
                body.pretty = Some((dump, doc));
                body.raw_bytes = Some(bytes);
                return body;
            }
            BodyKind::Text(language) => language,
        };
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.len() > limit {
                    let cut = (0..=limit).rev().find(|&i| text.is_char_boundary(i));
                    text.truncate(cut.unwrap_or(0));
                }
                body.pretty = self.format(&text, language);
                body.raw_text = text;
            }
            Err(e) => {
                let bytes = e.into_bytes();
                body.raw_text = map_invalid_bytes(&bytes[..bytes.len().min(limit / 2)]);
                body.raw_bytes = Some(bytes);
            }
        }
        if body.pretty.is_none() {
            self.index_raw(&mut body, language);
        }
        body
    }

    /// The formatted text of a body in `language`, if it formats.
    pub(super) fn format(&mut self, text: &str, language: Language) -> Option<(String, Document)> {
        let (pretty, index) = match language {
            // Offsets into an indexed document need a 64-bit `usize`.
            Language::Json
                if text.len() >= pretty_index_from() && cfg!(target_pointer_width = "64") =>
            {
                let lines = pretty_json_lines(text)?;
                // The line-local tokenizer: the only colourer that takes
                // lines one by one.
                let assets = self.assets();
                let highlighter = Highlighter::fast_json(&assets, &self.syntax_theme);
                let doc = Document::pretty_json(lines, highlighter);
                return Some((String::new(), doc));
            }
            Language::Json => {
                let p = pretty_json(text)?;
                let len = p.text.len();
                let index = LineIndex::from_starts(p.line_starts, len);
                let highlighter = self.highlighter(language, len);
                // Valid JSON holds no raw control bytes but DEL.
                let simple = text.is_ascii() && memchr::memchr(0x7f, text.as_bytes()).is_none();
                let doc = Document::formatted_json(index, simple, highlighter);
                return Some((p.text, doc));
            }
            Language::Xml | Language::Html if text.len() <= MARKUP_FORMAT_LIMIT => {
                let p = indent_markup(text, language == Language::Html);
                let index = LineIndex::new(&p);
                (p, index)
            }
            _ => return None,
        };
        let highlighter = self.highlighter(language, pretty.len());
        let doc = Document::new(&pretty, index, highlighter);
        Some((pretty, doc))
    }

    pub(super) fn index_raw(&mut self, body: &mut Body, language: Language) {
        if body.raw_doc.is_some() {
            return;
        }
        let highlighter = self.highlighter(language, body.raw_text.len());
        let index = LineIndex::new(&body.raw_text);
        body.raw_doc = Some(Document::new(&body.raw_text, index, highlighter));
    }

    pub(super) fn index_raw_of_loaded(&mut self, language: Language) {
        let Phase::Done(loaded) = &mut self.phase else {
            return;
        };
        if loaded.body.raw_doc.is_none() {
            let len = loaded.body.raw_text.len();
            let highlighter = self.highlighter(language, len);
            if let Phase::Done(loaded) = &mut self.phase {
                let text = &loaded.body.raw_text;
                let doc = Document::new(text, LineIndex::new(text), highlighter);
                loaded.body.raw_doc = Some(doc);
            }
        }
    }

    /// The shown text changed: start the scan over on the new one.
    pub(super) fn restart_search(&mut self) {
        let Phase::Done(loaded) = &mut self.phase else {
            return;
        };
        let body = &mut loaded.body;
        body.view.to_top();
        if let Some(old) = body.search.take() {
            let mut search = Search::new(&old.query);
            if let Some(shown) = body.shown_ref() {
                search.select_from(&shown, 0, self.search_budget);
            }
            body.search = Some(search);
        }
        reveal_current(body);
    }
}

/// Scrolls to the current match and redraws the rows.
pub(super) fn reveal_current(body: &mut Body) {
    let offset = body.search.as_ref().and_then(Search::current_offset);
    if let Some(offset) = offset {
        body.with_view(|v, d, t| v.reveal(d, t, offset));
    }
    body.refresh();
}

/// Gives a pending search one slice of time, so any key moves it on;
/// scrolls to its match if that selected one.
pub(super) fn advance_search(body: &mut Body, budget: Duration) {
    let Some((search, shown)) = body.search_parts() else {
        return;
    };
    if search.done {
        return;
    }
    let before = search.current_offset();
    search.advance(&shown, budget);
    if search.current_offset() != before {
        reveal_current(body);
    }
}

/// The document on screen and the text it reads, from the body's parts
/// (so a caller can hold it and the search at once): a jq filter's
/// output, else the formatted body unless raw is asked for, else the raw
/// text (once indexed).
pub(super) fn shown_of<'a>(
    filtered: &'a Option<(String, Document)>,
    pretty: &'a Option<(String, Document)>,
    raw_doc: &'a Option<Document>,
    show_raw: bool,
    raw: &'a str,
) -> Option<Shown<'a>> {
    match (filtered, pretty) {
        (Some((text, doc)), _) => Some(Shown { text, doc }),
        (None, Some((text, doc))) if !show_raw => {
            let text = if doc.reads_raw() { raw } else { text };
            Some(Shown { text, doc })
        }
        _ => raw_doc.as_ref().map(|doc| Shown { text: raw, doc }),
    }
}
