//! The live jq filter over a JSON body: `|` opens it, every key runs the
//! filter again (on the jq thread, through an effect) and its output
//! replaces the body on screen; an error shows inline while the last good
//! output stays. `enter` keeps the filter, `esc` takes it away.

use std::sync::Arc;

use ratatui::text::Span;

use super::format::BodyKind;
use super::view::Document;
use super::*;
use crate::jq::JqError;
use crate::tui::effect::Effect;
use crate::tui::highlight::{Language, LineIndex};
use crate::tui::theme::Theme;
use crate::tui::widgets::line_input::{edit, Edit};
use crate::tui::widgets::safe_text::safe_spans;

/// The biggest body the live filter takes: jq's parsed form of a JSON
/// body takes about 14 times its size (`cargo bench --bench response`),
/// so 16 MiB costs some 230 MiB while a filter is on.
const MAX_LIVE_JQ_BYTES: usize = 16 * 1024 * 1024;

/// The filter on a pane's body.
#[derive(Debug, Clone)]
pub(super) struct JqView {
    pub(super) filter: String,
    /// The run whose answer is awaited or shown.
    pub(super) generation: u64,
    pub(super) pending: bool,
    pub(super) error: Option<JqError>,
}

impl ResponsePane {
    /// `|`: start typing a filter (the one in force, to edit it).
    pub(super) fn start_jq(&mut self, cx: &mut Cx) -> Flow {
        let Phase::Done(loaded) = &self.phase else {
            return Flow::Bubble;
        };
        if loaded.body.kind != BodyKind::Text(Language::Json) {
            cx.info("jq filters JSON bodies; this body is not JSON");
            return Flow::Done;
        }
        let size = loaded.body.bytes().len();
        if size > MAX_LIVE_JQ_BYTES {
            cx.error(format!(
                "too big for a live jq filter ({}; at most {}: a parsed body takes about 14 times \
                 its size); `postie send --jq` filters it from the shell",
                human_bytes(size as u64),
                human_bytes(MAX_LIVE_JQ_BYTES as u64)
            ));
            return Flow::Done;
        }
        self.tab = Tab::Body;
        self.jq_input = Some(
            self.jq
                .as_ref()
                .map(|j| j.filter.clone())
                .unwrap_or_default(),
        );
        Flow::Done
    }

    pub(super) fn handle_jq_input(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        let Some(text) = self.jq_input.as_mut() else {
            return Flow::Bubble;
        };
        let before = text.clone();
        match edit(text, input) {
            Edit::Edited => {}
            Edit::Confirm => self.jq_input = None,
            Edit::Cancel => self.clear_jq(),
            Edit::Other => return Flow::Bubble,
        }
        if let Some(text) = self.jq_input.clone().filter(|t| *t != before) {
            self.run_jq(text, cx);
        }
        Flow::Done
    }

    /// Asks for `filter` over the body; an empty one shows the body again.
    fn run_jq(&mut self, filter: String, cx: &mut Cx) {
        if filter.trim().is_empty() {
            self.jq = None;
            self.show_filtered(None);
            return;
        }
        let Phase::Done(loaded) = &mut self.phase else {
            return;
        };
        let body = &mut loaded.body;
        let source = body
            .jq_source
            .get_or_insert_with(|| {
                Arc::new(
                    body.raw_bytes
                        .clone()
                        .unwrap_or_else(|| body.raw_text.as_bytes().to_vec()),
                )
            })
            .clone();
        self.jq_generation += 1;
        let error = self.jq.as_mut().and_then(|j| j.error.take());
        self.jq = Some(JqView {
            filter: filter.clone(),
            generation: self.jq_generation,
            pending: true,
            error,
        });
        cx.effect(Effect::RunJq {
            pane: self.request.clone(),
            generation: self.jq_generation,
            filter,
            body: source,
        });
    }

    /// The filter goes; the body shows whole again.
    pub(super) fn clear_jq(&mut self) {
        self.jq_input = None;
        self.jq = None;
        self.show_filtered(None);
    }

    /// A filter's answer: its output replaces what is shown; an error is
    /// kept beside the last good output.
    pub fn on_jq_done(&mut self, generation: u64, result: Result<String, JqError>) {
        let Some(jq) = self.jq.as_mut().filter(|j| j.generation == generation) else {
            return; // a newer filter was asked for, or it was cleared
        };
        jq.pending = false;
        match result {
            Ok(text) => {
                jq.error = None;
                let highlighter = self.highlighter(Language::Json, text.len());
                let doc = Document::new(&text, LineIndex::new(&text), highlighter);
                self.show_filtered(Some((text, doc)));
            }
            Err(e) => jq.error = Some(e),
        }
    }

    fn show_filtered(&mut self, filtered: Option<(String, Document)>) {
        if let Phase::Done(loaded) = &mut self.phase {
            loaded.body.filtered = filtered;
            self.restart_search();
        }
    }

    /// The footer while a filter is typed or on: `| .users[].name` and
    /// its state.
    pub(super) fn jq_spans(&self, theme: &Theme) -> Option<Vec<Span<'static>>> {
        let typing = self.jq_input.as_ref();
        let filter = typing.or(self.jq.as_ref().map(|j| &j.filter))?;
        let mut spans = vec![Span::styled("| ", theme.fg(theme.colors.accent))];
        spans.extend(safe_spans(filter, theme.base(), theme.escaped()));
        if typing.is_some() {
            spans.push(crate::tui::widgets::cursor::span(theme));
        }
        match &self.jq {
            Some(j) if j.error.is_some() => {
                let e = j
                    .error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                spans.push(Span::raw("  "));
                spans.extend(safe_spans(
                    &e,
                    theme.fg(theme.colors.error),
                    theme.escaped(),
                ));
            }
            Some(j) if j.pending => spans.push(Span::styled("  running…", theme.dim())),
            _ => {}
        }
        Some(spans)
    }
}
