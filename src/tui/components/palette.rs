//! The command palette: fuzzy search over every request and every command.

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
use crate::tui::fuzzy;
use crate::tui::widgets::list_row::{method_badge, Highlight, ListRow, BADGE_WIDTH};
use crate::tui::widgets::safe_text::safe_spans;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Request {
        path: String,
        name: String,
        method: String,
    },
    Command {
        action: Action,
        keys: Option<String>,
    },
}

impl Entry {
    fn haystack(&self) -> String {
        match self {
            Entry::Request { path, name, method } => format!("{method} {path} {name}"),
            Entry::Command { action, .. } => action.describe().to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Palette {
    entries: Vec<Entry>,
    query: String,
    matches: Vec<usize>,
    cursor: usize,
    height: usize,
}

impl Palette {
    pub fn new(entries: Vec<Entry>) -> Palette {
        let mut p = Palette {
            entries,
            query: String::new(),
            matches: Vec::new(),
            cursor: 0,
            height: 10,
        };
        p.refilter();
        p
    }

    pub fn set_viewport(&mut self, height: u16) {
        self.height = usize::from(height.saturating_sub(4)).max(1);
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.matches
            .get(self.cursor)
            .and_then(|&i| self.entries.get(i))
    }

    fn refilter(&mut self) {
        let mut scored: Vec<(i64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let s = fuzzy::score(&self.query, &e.haystack());
                (s > 0).then_some((s, i))
            })
            .collect();
        if !self.query.is_empty() {
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
        self.cursor = 0;
    }
}

impl Component for Palette {
    fn context(&self) -> KeyContext {
        KeyContext::Palette
    }

    fn actions(&self) -> Vec<Action> {
        vec![Action::Up, Action::Down, Action::Select, Action::Back]
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        match input {
            Input::Action(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Input::Action(Action::Down) => {
                self.cursor = (self.cursor + 1).min(self.matches.len().saturating_sub(1))
            }
            Input::Action(Action::Back) => cx.notice(Notice::CloseOverlay),
            Input::Action(Action::Select) => {
                match self.selected().cloned() {
                    Some(Entry::Request { path, .. }) => cx.notice(Notice::OpenRequest(path)),
                    Some(Entry::Command { action, .. }) => cx.notice(Notice::RunAction(action)),
                    None => {}
                }
                cx.notice(Notice::CloseOverlay);
            }
            Input::Key(k) => match k.code {
                KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.query.push(c);
                    self.refilter();
                }
                KeyCode::Backspace => {
                    self.query.pop();
                    self.refilter();
                }
                _ => {}
            },
            Input::Paste(t) => {
                self.query.push_str(t.lines().next().unwrap_or(""));
                self.refilter();
            }
            Input::Action(_) => {}
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Span::styled(
                " Go to request or run a command ",
                theme.fg(theme.colors.title),
            ));
        let inner = block.inner(area);
        frame.render_widget(Clear, area);
        frame.render_widget(block, area);
        let mut lines = vec![Line::from(vec![
            Span::styled("> ", theme.fg(theme.colors.accent)),
            Span::styled(self.query.clone(), theme.base()),
            crate::tui::widgets::cursor::span(theme),
        ])];
        lines.push(Line::default());
        frame.render_widget(Paragraph::new(lines), inner);
        let rows = (inner.height as usize).saturating_sub(2);
        let list = inner.rows().skip(2);
        if self.matches.is_empty() {
            if let Some(area) = inner.rows().nth(2) {
                let none = ListRow::new(
                    Vec::new(),
                    vec![Span::styled("No match.", theme.dim())],
                    Vec::new(),
                );
                none.render(area, frame.buffer_mut(), theme, Highlight::None);
            }
        }
        let start = self.cursor.saturating_sub(rows.saturating_sub(1));
        let shown = self.matches.iter().enumerate().skip(start).take(rows);
        for ((i, &m), area) in shown.zip(list) {
            let Some(e) = self.entries.get(m) else {
                continue;
            };
            let row = match e {
                Entry::Request { path, name, method } => {
                    let mut body = safe_spans(path, theme.base(), theme.escaped());
                    body.push(Span::raw("  "));
                    body.extend(safe_spans(name, theme.dim(), theme.escaped()));
                    ListRow::new(method_badge(method, theme), body, Vec::new())
                }
                Entry::Command { action, keys } => {
                    let lead = vec![Span::styled(
                        format!("{:<w$}", ":", w = BADGE_WIDTH + 1),
                        theme.dim(),
                    )];
                    let body = vec![Span::styled(action.describe().to_string(), theme.base())];
                    let tail = keys
                        .iter()
                        .map(|k| Span::styled(format!("  {k}"), theme.fg(theme.colors.accent)))
                        .collect();
                    ListRow::new(lead, body, tail)
                }
            };
            let highlight = if i == self.cursor {
                Highlight::Focused
            } else {
                Highlight::None
            };
            row.render(area, frame.buffer_mut(), theme, highlight);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::Theme;
    use crate::tui::widgets::list_row::testing::{
        assert_row_plain, assert_row_selected, draw_with, row_text, themes,
    };

    fn palette() -> Palette {
        Palette::new(vec![
            Entry::Request {
                path: "users/get-user".into(),
                name: "Get user".into(),
                method: "GET".into(),
            },
            Entry::Request {
                path: "http/options".into(),
                name: "OPTIONS".into(),
                method: "OPTIONS".into(),
            },
            Entry::Command {
                action: Action::Save,
                keys: Some("ctrl-s".into()),
            },
        ])
    }

    fn down(p: &mut Palette) {
        p.handle(&Input::Action(Action::Down), &mut Cx::default());
    }

    #[test]
    fn every_cell_of_the_selected_row_shows_selected() {
        let mut p = palette();
        for row in 0..3u16 {
            for (mode, theme) in themes() {
                let m = format!("{mode}, row {row}");
                let buf = draw_with(&p, 50, 10, &theme, true);
                // Border, query, blank, then the matches.
                assert_row_selected(&buf, 3 + row, 1..49, &theme, &m);
                for other in (0..3).filter(|r| *r != row) {
                    assert_row_plain(&buf, 3 + other, 1..49, &theme, &m);
                }
            }
            down(&mut p);
        }
    }

    #[test]
    fn badges_fit_every_method_and_the_path_follows_a_gap() {
        let buf = draw_with(&palette(), 50, 10, &Theme::dark(), true);
        assert_eq!(
            row_text(&buf, 4, 1..49).trim_end(),
            "OPTIONS http/options  OPTIONS"
        );
        assert_eq!(
            row_text(&buf, 3, 1..49).trim_end(),
            "GET     users/get-user  Get user"
        );
    }

    #[test]
    fn a_long_row_ends_with_an_ellipsis() {
        let long = "a/very/deep/folder/structure/holding/a/request/with/a/long/name/too/long";
        let p = Palette::new(vec![
            Entry::Request {
                path: long.into(),
                name: "and a description that goes on".into(),
                method: "DELETE".into(),
            },
            Entry::Command {
                action: Action::Save,
                keys: Some("ctrl-s".into()),
            },
        ]);
        for (w, h) in [(80u16, 24u16), (60, 20), (24, 8)] {
            let buf = draw_with(&p, w, h, &Theme::dark(), true);
            let row = row_text(&buf, 3, 1..w - 1);
            assert!(row.trim_end().ends_with('…'), "{w}x{h}: {row:?}");
            assert!(row.starts_with("DELETE  a/very"), "{w}x{h}: {row:?}");
        }
        // A command keeps its keys in sight; its description gives way.
        let buf = draw_with(&p, 24, 8, &Theme::dark(), true);
        let row = row_text(&buf, 4, 1..23);
        assert!(row.trim_end().ends_with("…  ctrl-s"), "{row:?}");
    }

    #[test]
    fn tiny_sizes_draw_without_panic() {
        let mut p = palette();
        for (w, h) in [(1u16, 1u16), (2, 2), (3, 3), (20, 5), (5, 20)] {
            p.set_viewport(h);
            draw_with(&p, w, h, &Theme::dark(), true);
        }
    }
}
