//! The environment switcher.

use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear};
use ratatui::Frame;

use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
use crate::tui::widgets::list_row::{Highlight, ListRow};
use crate::tui::widgets::safe_text::safe_spans;

#[derive(Debug, Clone)]
pub struct EnvSwitcher {
    /// `None` first: no environment.
    choices: Vec<Option<String>>,
    cursor: usize,
}

impl EnvSwitcher {
    pub fn new(environments: &[String], current: Option<&str>) -> EnvSwitcher {
        let mut choices = vec![None];
        choices.extend(environments.iter().cloned().map(Some));
        let cursor = choices
            .iter()
            .position(|c| c.as_deref() == current)
            .unwrap_or(0);
        EnvSwitcher { choices, cursor }
    }
}

impl Component for EnvSwitcher {
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
                self.cursor = (self.cursor + 1).min(self.choices.len() - 1)
            }
            Input::Action(Action::Select) => {
                if let Some(c) = self.choices.get(self.cursor) {
                    cx.notice(Notice::SelectEnvironment(c.clone()));
                }
                cx.notice(Notice::CloseOverlay);
            }
            Input::Action(Action::Back | Action::SwitchEnv) => cx.notice(Notice::CloseOverlay),
            _ => {}
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Span::styled(" Environment ", theme.fg(theme.colors.title)));
        let inner = block.inner(area);
        frame.render_widget(Clear, area);
        frame.render_widget(block, area);
        // Scrolls so the cursor stays in sight when there are more
        // environments than rows.
        let start = self
            .cursor
            .saturating_sub(usize::from(inner.height).saturating_sub(1));
        for ((i, c), area) in self
            .choices
            .iter()
            .enumerate()
            .skip(start)
            .zip(inner.rows())
        {
            let body = match c {
                None => vec![Span::styled("(no environment)", theme.dim())],
                Some(name) => safe_spans(name, theme.base(), theme.escaped()),
            };
            let highlight = if i == self.cursor {
                Highlight::Focused
            } else {
                Highlight::None
            };
            ListRow::new(Vec::new(), body, Vec::new()).render(
                area,
                frame.buffer_mut(),
                theme,
                highlight,
            );
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

    fn envs(names: &[&str], current: Option<&str>) -> EnvSwitcher {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        EnvSwitcher::new(&names, current)
    }

    #[test]
    fn a_named_environment_under_the_cursor_shows_selected() {
        let e = envs(&["local", "staging"], Some("staging"));
        for (mode, theme) in themes() {
            let buf = draw_with(&e, 30, 6, &theme, true);
            assert!(row_text(&buf, 3, 1..29).starts_with("staging"), "{mode}");
            assert_row_selected(&buf, 3, 1..29, &theme, mode);
            assert_row_plain(&buf, 2, 1..29, &theme, mode);
        }
        let none = envs(&["local"], None);
        for (mode, theme) in themes() {
            let buf = draw_with(&none, 30, 6, &theme, true);
            assert_row_selected(&buf, 1, 1..29, &theme, mode);
        }
    }

    #[test]
    fn a_long_name_ends_with_an_ellipsis() {
        let long = "production-eu-west-1-with-a-name-longer-than-the-picker-is-wide-by-far-really-much-longer";
        let e = envs(&[long], Some(long));
        for (w, h) in [(80u16, 24u16), (60, 20), (20, 5)] {
            let buf = draw_with(&e, w, h, &Theme::dark(), true);
            let row = row_text(&buf, 2, 1..w - 1);
            assert!(row.trim_end().ends_with('…'), "{w}x{h}: {row:?}");
            assert!(row.starts_with("production"), "{w}x{h}: {row:?}");
        }
    }

    #[test]
    fn tiny_sizes_draw_without_panic() {
        let e = envs(&["local", "staging"], Some("local"));
        for (w, h) in [(1, 1), (2, 2), (3, 3), (20, 5)] {
            draw_with(&e, w, h, &Theme::dark(), true);
        }
    }
}
