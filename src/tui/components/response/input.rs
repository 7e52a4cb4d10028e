//! Keys on the response pane: what it offers, search typing, scrolling,
//! tabs, copy and save.

use std::path::PathBuf;

use ratatui::style::Style;
use ratatui::text::Span;

use super::format::BodyKind;
use super::search::Search;
use super::tests_tab::TestsView;
use super::*;
use crate::media::{self, MediaKind};
use crate::tui::action::Action;
use crate::tui::component::{Cx, Flow, Input, Notice};
use crate::tui::highlight::Language;
use crate::tui::widgets::safe_text::safe_spans;

/// The biggest body kept as an example: examples are for reading in git.
const MAX_EXAMPLE_BYTES: usize = 1024 * 1024;

impl ResponsePane {
    /// Scans on with a pending search; returns whether more work is left
    /// (the app may call this while idle, so counts finish without keys).
    pub fn tick(&mut self) -> bool {
        let Phase::Done(loaded) = &mut self.phase else {
            return false;
        };
        let body = &mut loaded.body;
        let Some((search, shown)) = body.search_parts() else {
            return false;
        };
        if search.done {
            return false;
        }
        let before = search.current_offset();
        let done = search.advance(&shown, self.search_budget);
        let selected = search.current_offset() != before;
        if selected {
            // The match a pending selection waited for turned up.
            reveal_current(body);
        } else {
            body.refresh();
        }
        !done
    }

    /// Whether a search is still scanning.
    pub fn busy(&self) -> bool {
        match &self.phase {
            Phase::Done(l) => l.body.search.as_ref().is_some_and(|s| !s.done),
            _ => false,
        }
    }

    /// Actions that apply now (help overlay, palette).
    pub fn actions(&self) -> Vec<Action> {
        let mut actions = self.actions_listed();
        // The problems view and the response share keys: list each once.
        let mut seen = std::collections::HashSet::new();
        actions.retain(|a| seen.insert(*a));
        actions
    }

    pub(super) fn actions_listed(&self) -> Vec<Action> {
        if self.search_input.is_some() || self.jq_input.is_some() {
            return vec![Action::Select, Action::Back];
        }
        let mut actions = Vec::new();
        if self.request.is_some() {
            actions.extend([Action::OlderExchange, Action::NewerExchange]);
        }
        if self.problems.is_some() {
            actions.extend(Action::SCROLL);
            actions.push(Action::Back);
        }
        let tests_spot = self.tests_shown()
            && self
                .tests
                .as_ref()
                .is_some_and(|t| t.selected_spot().is_some());
        let Phase::Done(loaded) = &self.phase else {
            if self.tests_shown() {
                actions.extend(Action::SCROLL);
                actions.push(Action::Copy);
                if tests_spot {
                    actions.push(Action::OpenScriptError);
                }
            }
            return actions;
        };
        actions.extend(Action::SCROLL);
        actions.extend([
            Action::NextTab,
            Action::PrevTab,
            Action::Copy,
            Action::SaveBody,
            Action::SaveExample,
        ]);
        if self.tab == Tab::Body {
            actions.push(Action::Search);
            if loaded.body.kind == BodyKind::Text(crate::tui::highlight::Language::Json) {
                actions.push(Action::JqFilter);
            }
            if self.jq.is_some() {
                actions.push(Action::Back);
            }
            if loaded.body.search.is_some() {
                actions.extend([Action::SearchNext, Action::SearchPrev, Action::Back]);
            }
            if loaded.body.kind != BodyKind::Binary {
                actions.push(Action::ToggleWrap);
            }
            if loaded.body.can_toggle_raw() {
                actions.push(Action::ToggleRaw);
            }
            if !loaded.body.view.wrap {
                actions.extend([Action::Left, Action::Right]);
            }
        } else if self.tab == Tab::Tests {
            if tests_spot {
                actions.push(Action::OpenScriptError);
            }
        } else if self.tab != Tab::Cookies {
            // The cookie table fits the pane; these may be wider.
            actions.extend([Action::Left, Action::Right]);
        }
        actions
    }

    pub(super) fn handle_search_input(&mut self, input: &Input) -> Flow {
        use crate::tui::widgets::line_input::{edit, Edit};
        let Some(query) = self.search_input.as_mut() else {
            return Flow::Bubble;
        };
        match edit(query, input) {
            Edit::Edited => {}
            Edit::Confirm => self.confirm_search(),
            Edit::Cancel => self.search_input = None,
            Edit::Other => return Flow::Bubble,
        }
        Flow::Done
    }

    pub(super) fn confirm_search(&mut self) {
        let query = self.search_input.take().unwrap_or_default();
        let Phase::Done(loaded) = &mut self.phase else {
            return;
        };
        let body = &mut loaded.body;
        if query.is_empty() {
            body.search = None;
            body.refresh();
            return;
        }
        let mut search = Search::new(&query);
        // From the top of the screen on, like a pager.
        let top = body.view.top.line;
        if let Some(shown) = body.shown_ref() {
            let from = shown.doc.line_start(top);
            search.select_from(&shown, from, self.search_budget);
        }
        body.search = Some(search);
        reveal_current(body);
    }

    /// Hands the shown response to the app, to keep as an example of the
    /// request (the app asks for its name).
    fn save_example(&self, cx: &mut Cx) -> Flow {
        let Phase::Done(loaded) = &self.phase else {
            cx.info("no response to keep as an example");
            return Flow::Done;
        };
        let Some(path) = self.request.clone() else {
            cx.info("open a request to keep its response as an example");
            return Flow::Done;
        };
        let body = &loaded.body;
        if body.kind == BodyKind::Binary {
            cx.error("a binary body cannot be an example (examples are text in git); save it to a file instead");
            return Flow::Done;
        }
        if loaded.truncated {
            cx.error("the body was cut when received; an example must be whole");
            return Flow::Done;
        }
        // The formatted text, as a reviewer reads it in git (not a jq
        // filter's output: the example is the response).
        let shown = shown_of(
            &None,
            &body.pretty,
            &body.raw_doc,
            body.show_raw,
            &body.raw_text,
        );
        let text = match shown.map(|s| s.doc.text_within(s.text, MAX_EXAMPLE_BYTES)) {
            Some(Ok(text)) => text,
            Some(Err(size)) => {
                cx.error(format!(
                    "too big for an example ({}; at most {}); save it to a file instead",
                    human_bytes(size as u64),
                    human_bytes(MAX_EXAMPLE_BYTES as u64)
                ));
                return Flow::Done;
            }
            None => return Flow::Done,
        };
        cx.notice(crate::tui::component::Notice::SaveExample {
            path,
            example: crate::tui::component::ExampleDraft {
                status: loaded.status,
                reason: loaded.reason.clone(),
                content_type: loaded.content_type.clone(),
                body: text.to_string(),
            },
        });
        Flow::Done
    }

    /// `<` and `>`: the request's exchanges in history, one at a time.
    fn step_history(&self, older: bool, cx: &mut Cx) -> Flow {
        let Some(request) = self.request.clone() else {
            cx.info("open a request to see its past exchanges");
            return Flow::Done;
        };
        cx.effect(crate::tui::effect::Effect::StepHistory {
            request,
            from: self.history_id.clone(),
            older,
        });
        Flow::Done
    }

    pub(super) fn handle_action(&mut self, action: Action, cx: &mut Cx) -> Flow {
        match action {
            Action::OlderExchange => return self.step_history(true, cx),
            Action::NewerExchange => return self.step_history(false, cx),
            Action::JqFilter => return self.start_jq(cx),
            Action::SaveExample => return self.save_example(cx),
            Action::Back if self.jq.is_some() && self.problems.is_none() => {
                self.clear_jq();
                return Flow::Done;
            }
            _ => {}
        }
        let rows = self.problem_rows();
        let Some(view) = self.problems.as_mut() else {
            return self.handle_response_action(action, cx);
        };
        let max = view.rows.len().saturating_sub(rows);
        view.scroll = match action {
            Action::Up => view.scroll.saturating_sub(1),
            Action::Down => (view.scroll + 1).min(max),
            Action::PageUp => view.scroll.saturating_sub(rows),
            Action::PageDown => (view.scroll + rows).min(max),
            Action::Top => 0,
            Action::Bottom => max,
            Action::Back => {
                self.problems = None;
                return Flow::Done;
            }
            _ => {
                // Anything the response takes (tabs, search, copy) goes to
                // it and puts the problems away.
                let flow = self.handle_response_action(action, cx);
                if flow == Flow::Done {
                    self.problems = None;
                }
                return flow;
            }
        };
        Flow::Done
    }

    pub(super) fn handle_response_action(&mut self, action: Action, cx: &mut Cx) -> Flow {
        if let (Action::Search, Phase::Done(_)) = (action, &self.phase) {
            self.tab = Tab::Body;
            self.search_input = Some(String::new());
            return Flow::Done;
        }
        if self.tests_shown() {
            if let Some(flow) = self.handle_tests_action(action, cx) {
                return flow;
            }
        }
        let rows = usize::from(self.height.saturating_sub(CHROME_ROWS)).max(1);
        let tab = self.tab;
        let Phase::Done(loaded) = &mut self.phase else {
            return Flow::Bubble;
        };
        match action {
            Action::NextTab | Action::PrevTab => {
                let n = Tab::ALL.len();
                let step = if action == Action::NextTab { 1 } else { n - 1 };
                self.tab = Tab::ALL[(self.tab.index() + step) % n];
                self.table_hscroll = [0; Tab::ALL.len()];
                return Flow::Done;
            }
            Action::Copy => {
                copy(loaded, self.tests.as_ref(), tab, cx);
                return Flow::Done;
            }
            Action::SaveBody => {
                save(loaded, cx);
                return Flow::Done;
            }
            _ => {}
        }
        if tab != Tab::Body {
            if let Action::Left | Action::Right = action {
                let max = table_width(loaded, tab).saturating_sub(usize::from(self.width));
                let h = &mut self.table_hscroll[tab.index()];
                *h = if action == Action::Left {
                    h.saturating_sub(HSCROLL_STEP)
                } else {
                    (*h + HSCROLL_STEP).min(max)
                };
                return Flow::Done;
            }
            let max = table_max_scroll(loaded, tab, rows);
            let scroll = &mut self.table_scroll[tab.index()];
            *scroll = match action {
                Action::Up => scroll.saturating_sub(1),
                Action::Down => (*scroll + 1).min(max),
                Action::PageUp => scroll.saturating_sub(rows),
                Action::PageDown => (*scroll + rows).min(max),
                Action::Top => 0,
                Action::Bottom => max,
                _ => return Flow::Bubble,
            };
            return Flow::Done;
        }
        let body = &mut loaded.body;
        match action {
            Action::Up => body.with_view(|v, d, t| v.scroll_up(d, t, 1)),
            Action::Down => body.with_view(|v, d, t| v.scroll_down(d, t, 1)),
            Action::PageUp => body.with_view(|v, d, t| v.scroll_up(d, t, rows)),
            Action::PageDown => body.with_view(|v, d, t| v.scroll_down(d, t, rows)),
            Action::Top => body.view.to_top(),
            Action::Bottom => body.with_view(|v, d, t| v.to_bottom(d, t)),
            Action::Left => body.view.scroll_left(HSCROLL_STEP),
            Action::Right => body.with_view(|v, d, t| v.scroll_right(d, t, HSCROLL_STEP)),
            Action::ToggleWrap if body.kind != BodyKind::Binary => {
                let wrap = !body.view.wrap;
                body.view.set_wrap(wrap);
            }
            Action::ToggleRaw if body.can_toggle_raw() => {
                body.show_raw = !body.show_raw;
                if body.show_raw {
                    let BodyKind::Text(language) = body.kind else {
                        return Flow::Done;
                    };
                    self.index_raw_of_loaded(language);
                }
                self.restart_search();
                return Flow::Done;
            }
            Action::SearchNext | Action::SearchPrev => {
                let Some((search, shown)) = body.search_parts() else {
                    return Flow::Bubble;
                };
                if action == Action::SearchNext {
                    search.next(&shown, self.search_budget);
                } else {
                    search.prev();
                }
                reveal_current(body);
                return Flow::Done;
            }
            Action::Back if body.search.is_some() => body.search = None,
            _ => return Flow::Bubble,
        }
        advance_search(body, self.search_budget);
        body.refresh();
        Flow::Done
    }

    /// Keys on the Tests tab: the selection moves over its entries, and
    /// one that points into a script opens there in the editor.
    pub(super) fn handle_tests_action(&mut self, action: Action, cx: &mut Cx) -> Option<Flow> {
        let rows = self.content_rows();
        let t = self.tests.as_mut()?;
        let page = rows as isize;
        match action {
            Action::Up => t.select_by(-1, rows),
            Action::Down => t.select_by(1, rows),
            Action::PageUp => t.select_by(-page, rows),
            Action::PageDown => t.select_by(page, rows),
            Action::Top => t.select_by(isize::MIN / 2, rows),
            Action::Bottom => t.select_by(isize::MAX / 2, rows),
            Action::OpenScriptError => match t.selected_spot() {
                Some(spot) => cx.notice(Notice::OpenScript {
                    file: spot.file.clone(),
                    line: spot.line,
                    column: spot.column,
                    test: spot.test.clone(),
                }),
                None => cx.info("this row points at no script line"),
            },
            Action::Copy if !matches!(self.phase, Phase::Done(_)) => {
                let text = t.plain_text();
                cx.info(format!(
                    "copied the tests ({})",
                    human_bytes(text.len() as u64)
                ));
                cx.effect(crate::tui::effect::Effect::Copy(text));
            }
            _ => return None,
        }
        Some(Flow::Done)
    }
}

/// The furthest a table tab scrolls down: its last row at the bottom.
pub(super) fn table_max_scroll(loaded: &Loaded, tab: Tab, rows: usize) -> usize {
    // The cookie table's column titles take a row.
    let shown = if tab == Tab::Cookies { rows - 1 } else { rows };
    table_len(loaded, tab).saturating_sub(shown.max(1))
}

/// Columns of the widest row of a table tab.
pub(super) fn table_width(loaded: &Loaded, tab: Tab) -> usize {
    let plain = |s: &str| -> usize {
        safe_spans(s, Style::default(), Style::default())
            .iter()
            .map(Span::width)
            .sum()
    };
    match tab {
        // The body scrolls in its view; the cookie table fits the pane;
        // the tests are wrapped.
        Tab::Body | Tab::Cookies | Tab::Tests => 0,
        Tab::Headers => loaded
            .headers
            .iter()
            .map(|h| header_line_styled(h, [Style::default(); 4]).width())
            .max()
            .unwrap_or(0),
        // The bars fit the pane; hop and certificate rows may not.
        Tab::Timing => timing_lines(loaded)
            .iter()
            .map(|l| plain(l))
            .max()
            .unwrap_or(0),
    }
}

pub(super) fn table_len(loaded: &Loaded, tab: Tab) -> usize {
    match tab {
        // The Tests tab keeps its own selection (`TestsView`).
        Tab::Body | Tab::Tests => 0,
        Tab::Headers => loaded.headers.len(),
        Tab::Cookies => loaded.cookies.len(),
        Tab::Timing => timing_lines(loaded).len(),
    }
}

pub(super) fn copy(loaded: &Loaded, tests: Option<&TestsView>, tab: Tab, cx: &mut Cx) {
    let text = match tab {
        Tab::Tests => tests.map(TestsView::plain_text).unwrap_or_default(),
        Tab::Body if loaded.body.kind == BodyKind::Binary => {
            cx.error("a binary body cannot be copied as text; save it to a file instead");
            return;
        }
        Tab::Body => {
            let shown = loaded.body.shown_ref();
            match shown.map(|s| s.doc.text_within(s.text, MAX_COPY_BYTES)) {
                Some(Ok(text)) => text.into_owned(),
                Some(Err(size)) => {
                    cx.error(format!(
                        "too big to copy ({}); save it to a file instead",
                        human_bytes(size as u64)
                    ));
                    return;
                }
                None => String::new(),
            }
        }
        Tab::Headers => loaded
            .headers
            .iter()
            .map(|h| format!("{}: {}\n", h.name, h.value_lossy()))
            .collect(),
        Tab::Cookies => loaded
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
            .map(|h| format!("{}\n", h.value_lossy()))
            .collect(),
        Tab::Timing => timing_lines(loaded).join("\n"),
    };
    if text.len() > MAX_COPY_BYTES {
        cx.error(format!(
            "too big to copy ({}); save it to a file instead",
            human_bytes(text.len() as u64)
        ));
        return;
    }
    let what = tab.title().to_lowercase();
    cx.info(format!(
        "copied the {what} ({})",
        human_bytes(text.len() as u64)
    ));
    cx.effect(crate::tui::effect::Effect::Copy(text));
}

pub(super) fn save(loaded: &Loaded, cx: &mut Cx) {
    let ext = extension(loaded.body.kind, loaded.content_type.as_deref());
    let path = PathBuf::from(format!("response-{}.{ext}", loaded.status));
    let bytes = loaded.body.bytes().to_vec();
    cx.info(format!(
        "saving the body to {} ({})",
        path.display(),
        human_bytes(bytes.len() as u64)
    ));
    cx.effect(crate::tui::effect::Effect::WriteFile { path, bytes });
}

/// A file extension for a saved body.
pub(super) fn extension(kind: BodyKind, content_type: Option<&str>) -> &'static str {
    let media = match kind {
        BodyKind::Text(Language::Json) => MediaKind::Json,
        BodyKind::Text(Language::Xml) => MediaKind::Xml,
        BodyKind::Text(Language::Html) => MediaKind::Html,
        BodyKind::Text(Language::JavaScript) => MediaKind::JavaScript,
        BodyKind::Text(Language::Css) => MediaKind::Css,
        BodyKind::Text(Language::Yaml) => MediaKind::Yaml,
        BodyKind::Text(Language::Plain) => MediaKind::Text,
        BodyKind::Binary => return media::binary_extension(content_type.unwrap_or("")),
    };
    media.extension()
}
