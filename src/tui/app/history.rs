//! The history view and past exchanges, connected to the app: opening the
//! view, its listings and diffs arriving, and a past exchange reopened in
//! its request's response pane.

use super::App;
use crate::history::Record;
use crate::tui::action::Action;
use crate::tui::component::{Component, Cx, Flow, Input};
use crate::tui::components::history::HistoryView;
use crate::tui::layout::Focus;

impl App {
    /// Opens the history view on the open request's exchanges.
    pub(super) fn open_history(&mut self, cx: &mut Cx) {
        let (view, effect) = HistoryView::open(self.editor.path().map(str::to_string));
        self.history = Some(view);
        cx.effect(effect);
    }

    /// Keys while the history view is shown; what it leaves (closing,
    /// global keys) is the app's.
    pub(super) fn history_input(&mut self, input: Input, cx: &mut Cx) {
        let Some(view) = self.history.as_mut() else {
            return;
        };
        if view.handle(&input, cx) == Flow::Done {
            return;
        }
        if let Input::Action(a) = input {
            match a {
                Action::Back | Action::History => self.history = None,
                Action::FocusNext
                | Action::FocusPrev
                | Action::FocusTree
                | Action::FocusEditor
                | Action::FocusResponse => {
                    self.history = None;
                    self.global(a, cx);
                }
                Action::Quit | Action::Help | Action::Palette | Action::SwitchEnv => {
                    self.global(a, cx)
                }
                _ => {}
            }
        }
    }

    /// A past exchange arrived: shown in its request's pane, which the
    /// editor opens; the history view closes.
    pub(super) fn on_history_record(
        &mut self,
        result: Result<Box<Record>, String>,
        position: Option<(usize, usize)>,
        cx: &mut Cx,
    ) {
        let record = match result {
            Ok(r) => r,
            Err(e) => return cx.error(e),
        };
        let path = record.request.key.clone();
        let in_tree = record.request.file.is_none()
            && self.tree.request_paths().iter().any(|(p, _, _)| *p == path);
        if !in_tree {
            return cx.error(format!(
                "{} is not a request of this workspace any more; `postie history show {}` shows it",
                crate::safe_text::escape(&path, false),
                record.id
            ));
        }
        if self.editor.path() != Some(path.as_str()) {
            self.open_request(&path, cx);
        }
        self.pane_for(path).show_record(&record, position);
        self.history = None;
        self.focus = Focus::Response;
    }
}
