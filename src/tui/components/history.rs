//! The history view: past exchanges of the workspace (`.postie/history/`),
//! newest first, for the open request or all of them; filtered by text or
//! status; `enter` reopens one in its request's response pane; a diff of
//! two (marked and selected, or the selected and the one before it) shows
//! what changed. Reading the files is an effect: the list arrives as a
//! message, so the UI never waits on the disk.

pub mod draw;

use ratatui::layout::Rect;
use ratatui::Frame;

use crate::history::diff_text;
use crate::history::{Entry, Filter, StatusFilter};
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input};
use crate::tui::effect::Effect;
use crate::tui::widgets::line_input::{edit, Edit};

/// Entries listed at most (the newest); the filter finds older ones.
pub const MAX_ENTRIES: usize = 2_000;

/// A diff on screen.
#[derive(Debug, Clone)]
pub struct DiffShown {
    pub title: String,
    pub lines: Vec<diff_text::Line>,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub enum Listing {
    Loading,
    Loaded(Vec<Entry>),
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct HistoryView {
    /// The open request: the list shows only its exchanges while `scoped`.
    pub request: Option<String>,
    pub scoped: bool,
    /// The filter in force (text and statuses).
    pub query: String,
    /// The filter being typed.
    pub input: Option<String>,
    pub listing: Listing,
    /// Records history skipped while reading (torn or newer lines).
    pub warnings: usize,
    pub cursor: usize,
    scroll: usize,
    /// Rows the list shows (set from the layout).
    height: usize,
    /// The id marked for a diff.
    pub marked: Option<String>,
    pub diff: Option<DiffShown>,
    /// Which listing is wanted: answers to older asks are dropped.
    pub generation: u64,
}

impl HistoryView {
    /// A view of `request`'s exchanges (all, without one), and the effect
    /// that lists them.
    pub fn open(request: Option<String>) -> (HistoryView, Effect) {
        let mut view = HistoryView {
            scoped: request.is_some(),
            request,
            query: String::new(),
            input: None,
            listing: Listing::Loading,
            warnings: 0,
            cursor: 0,
            scroll: 0,
            height: 10,
            marked: None,
            diff: None,
            generation: 0,
        };
        let effect = view.reload();
        (view, effect)
    }

    /// What the list asks history for now.
    pub fn filter(&self) -> Filter {
        let mut filter = parse_query(&self.query);
        if self.scoped {
            filter.request = self.request.clone();
        }
        filter.limit = Some(MAX_ENTRIES);
        filter
    }

    fn reload(&mut self) -> Effect {
        self.generation += 1;
        self.listing = Listing::Loading;
        Effect::ListHistory {
            generation: self.generation,
            filter: self.filter(),
        }
    }

    /// Lists again (an exchange was added), keeping what is shown until
    /// the new listing arrives.
    pub fn refresh(&mut self) -> Effect {
        self.generation += 1;
        Effect::ListHistory {
            generation: self.generation,
            filter: self.filter(),
        }
    }

    /// The listing for `generation` arrived.
    pub fn listed(&mut self, generation: u64, result: Result<Vec<Entry>, String>, warnings: usize) {
        if generation != self.generation {
            return;
        }
        self.warnings = warnings;
        self.listing = match result {
            Ok(entries) => Listing::Loaded(entries),
            Err(e) => Listing::Failed(e),
        };
        self.cursor = self.cursor.min(self.entries().len().saturating_sub(1));
        self.clamp_scroll();
    }

    pub fn show_diff(&mut self, title: String, lines: Vec<diff_text::Line>) {
        self.diff = Some(DiffShown {
            title,
            lines,
            scroll: 0,
        });
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.listing {
            Listing::Loaded(e) => e,
            _ => &[],
        }
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.entries().get(self.cursor)
    }

    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Rows the list (or the diff) has; call on every resize.
    pub fn set_height(&mut self, rows: usize) {
        self.height = rows.max(1);
        self.clamp_scroll();
    }

    fn clamp_scroll(&mut self) {
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + self.height {
            self.scroll = self.cursor + 1 - self.height;
        }
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.entries().len();
        if n == 0 {
            return;
        }
        let to = (self.cursor as isize).saturating_add(delta);
        self.cursor = to.clamp(0, n as isize - 1) as usize;
        self.clamp_scroll();
    }

    /// The two exchanges a diff compares, older first: the marked one and
    /// the selected one, else the selected one and the exchange of the same
    /// request before it.
    fn diff_pair(&self) -> Result<(String, String), String> {
        let entries = self.entries();
        let sel = self.selected().ok_or("no exchange selected")?;
        if let Some(m) = &self.marked {
            if *m == sel.id {
                return Err("the marked exchange is the selected one: select another".into());
            }
            let mi = entries.iter().position(|e| e.id == *m);
            // The list is newest first: the lower index is the newer.
            return Ok(match mi {
                Some(mi) if mi < self.cursor => (sel.id.clone(), m.clone()),
                _ => (m.clone(), sel.id.clone()),
            });
        }
        let before = entries[self.cursor + 1..]
            .iter()
            .find(|e| e.request == sel.request)
            .ok_or_else(|| {
                format!(
                    "no earlier exchange of {} is listed: mark one with space",
                    crate::safe_text::escape(&sel.request, false)
                )
            })?;
        Ok((before.id.clone(), sel.id.clone()))
    }

    fn handle_input(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        let Some(text) = self.input.as_mut() else {
            return Flow::Bubble;
        };
        match edit(text, input) {
            Edit::Edited | Edit::Other => {}
            Edit::Confirm => return self.confirm_input(cx),
            Edit::Cancel => self.input = None,
        }
        Flow::Done
    }

    fn confirm_input(&mut self, cx: &mut Cx) -> Flow {
        let query = self.input.take().unwrap_or_default();
        if let Some(bad) = bad_status(&query) {
            cx.error(bad);
        }
        self.query = query;
        self.cursor = 0;
        self.scroll = 0;
        cx.effect(self.reload());
        Flow::Done
    }

    fn handle_diff(&mut self, action: Action) -> Flow {
        let height = self.height;
        let Some(d) = self.diff.as_mut() else {
            return Flow::Bubble;
        };
        let max = d.lines.len().saturating_sub(height);
        d.scroll = match action {
            Action::Up => d.scroll.saturating_sub(1),
            Action::Down => (d.scroll + 1).min(max),
            Action::PageUp => d.scroll.saturating_sub(height),
            Action::PageDown => (d.scroll + height).min(max),
            Action::Top => 0,
            Action::Bottom => max,
            Action::Back => {
                self.diff = None;
                return Flow::Done;
            }
            _ => return Flow::Bubble,
        };
        Flow::Done
    }
}

impl Component for HistoryView {
    fn context(&self) -> KeyContext {
        if self.input.is_some() {
            KeyContext::Text
        } else {
            KeyContext::History
        }
    }

    fn actions(&self) -> Vec<Action> {
        if self.input.is_some() {
            return vec![Action::Select, Action::Back];
        }
        let mut actions: Vec<Action> = Action::SCROLL.to_vec();
        if self.diff.is_none() {
            actions.extend([Action::Select, Action::Filter, Action::Mark, Action::Diff]);
            if self.request.is_some() {
                actions.push(Action::ToggleScope);
            }
        }
        actions.push(Action::Back);
        actions
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        if self.input.is_some() {
            return self.handle_input(input, cx);
        }
        let Input::Action(action) = input else {
            return Flow::Bubble;
        };
        if self.diff.is_some() {
            return self.handle_diff(*action);
        }
        let page = self.height as isize;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Filter => self.input = Some(self.query.clone()),
            Action::ToggleScope if self.request.is_some() => {
                self.scoped = !self.scoped;
                self.cursor = 0;
                self.scroll = 0;
                cx.effect(self.reload());
            }
            Action::Mark => {
                let Some(id) = self.selected().map(|e| e.id.clone()) else {
                    return Flow::Done;
                };
                self.marked = if self.marked.as_ref() == Some(&id) {
                    None
                } else {
                    Some(id)
                };
            }
            Action::Diff => match self.diff_pair() {
                Ok((old, new)) => cx.effect(Effect::DiffHistory { old, new }),
                Err(e) => cx.info(e),
            },
            Action::Select => match self.selected() {
                Some(e) => cx.effect(Effect::OpenHistory {
                    id: e.id.clone(),
                    position: None,
                }),
                None => cx.info("no exchange selected"),
            },
            Action::Back if !self.query.is_empty() => {
                self.query.clear();
                cx.effect(self.reload());
            }
            _ => return Flow::Bubble,
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        draw::draw(self, frame, area, dcx);
    }
}

/// `404 timeout`, `5xx`, `none`: words that read as statuses filter by
/// status (the last one wins), the rest is text to find.
pub fn parse_query(query: &str) -> Filter {
    let mut filter = Filter::default();
    let mut words = Vec::new();
    for w in query.split_whitespace() {
        match w.parse::<StatusFilter>() {
            Ok(s) if looks_like_status(w) => filter.status = Some(s),
            _ => words.push(w),
        }
    }
    if !words.is_empty() {
        filter.grep = Some(words.join(" "));
    }
    filter
}

/// A word meant as a status: three digits, `Nxx` or `none`.
fn looks_like_status(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    w == "none" || (w.len() == 3 && (w.bytes().all(|b| b.is_ascii_digit()) || w.ends_with("xx")))
}

/// A word shaped like a status that is not one (`7xx`), said, not dropped.
fn bad_status(query: &str) -> Option<String> {
    query
        .split_whitespace()
        .filter(|w| w.to_ascii_lowercase().ends_with("xx") && w.len() == 3)
        .find_map(|w| w.parse::<StatusFilter>().err())
}

#[cfg(test)]
mod tests;
