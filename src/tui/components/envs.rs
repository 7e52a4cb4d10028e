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
    /// Variables scripts set this session (`environment token`, value),
    /// shown under the choices: they live until postie quits.
    script_vars: Vec<(String, String)>,
}

impl EnvSwitcher {
    pub fn new(environments: &[String], current: Option<&str>) -> EnvSwitcher {
        let mut choices = vec![None];
        choices.extend(environments.iter().cloned().map(Some));
        let cursor = choices
            .iter()
            .position(|c| c.as_deref() == current)
            .unwrap_or(0);
        EnvSwitcher {
            choices,
            cursor,
            script_vars: Vec::new(),
        }
    }

    pub fn with_script_vars(mut self, vars: Vec<(String, String)>) -> EnvSwitcher {
        self.script_vars = vars;
        self
    }

    /// Rows it would like, borders included.
    pub fn wanted_height(&self) -> u16 {
        let vars = if self.script_vars.is_empty() {
            0
        } else {
            self.script_vars.len() + 1
        };
        u16::try_from(self.choices.len() + vars + 2).unwrap_or(u16::MAX)
    }
}

impl Component for EnvSwitcher {
    fn context(&self) -> KeyContext {
        KeyContext::Palette
    }

    fn actions(&self) -> Vec<Action> {
        let mut actions = vec![Action::Up, Action::Down, Action::Select, Action::Back];
        if !self.script_vars.is_empty() {
            actions.push(Action::Save);
        }
        actions
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
            Input::Action(Action::Save) if !self.script_vars.is_empty() => {
                cx.notice(Notice::SaveScriptVars);
                cx.notice(Notice::CloseOverlay);
            }
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
        let mut inner = block.inner(area);
        frame.render_widget(Clear, area);
        frame.render_widget(block, area);
        // Script variables take the rows below the choices, never all.
        if !self.script_vars.is_empty() && inner.height >= 3 {
            let want = u16::try_from(self.script_vars.len() + 1).unwrap_or(u16::MAX);
            let choices = u16::try_from(self.choices.len()).unwrap_or(u16::MAX);
            let rows = want.min(
                inner
                    .height
                    .saturating_sub(choices.min(inner.height / 2).max(1)),
            );
            let vars = Rect {
                y: inner.y + inner.height - rows,
                height: rows,
                ..inner
            };
            inner.height -= rows;
            let mut lines = vars.rows();
            if let Some(head) = lines.next() {
                let title = vec![Span::styled(
                    "set by scripts this session (ctrl-s saves the environment's):",
                    theme.dim(),
                )];
                ListRow::new(Vec::new(), title, Vec::new()).render(
                    head,
                    frame.buffer_mut(),
                    theme,
                    Highlight::None,
                );
            }
            for ((label, value), row) in self.script_vars.iter().zip(lines) {
                let mut body = safe_spans(label, theme.base(), theme.escaped());
                body.push(Span::styled(" = ", theme.dim()));
                body.extend(safe_spans(value, theme.base(), theme.escaped()));
                ListRow::new(Vec::new(), body, Vec::new()).render(
                    row,
                    frame.buffer_mut(),
                    theme,
                    Highlight::None,
                );
            }
        }
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
    fn variables_scripts_set_are_listed_under_the_choices_escaped() {
        let vars = vec![
            ("environment token".to_string(), "abc\u{1b}[2J".to_string()),
            ("globals n".to_string(), "3".to_string()),
        ];
        let e = envs(&["local"], Some("local")).with_script_vars(vars);
        assert_eq!(e.wanted_height(), 2 + 3 + 2);
        let buf = draw_with(&e, 40, 7, &Theme::dark(), true);
        assert!(row_text(&buf, 2, 1..39).starts_with("local"));
        assert!(row_text(&buf, 3, 1..39).starts_with("set by scripts this session (ctrl-s"));
        assert!(
            row_text(&buf, 4, 1..39).starts_with("environment token = abc\\e[2J"),
            "{:?}",
            row_text(&buf, 4, 1..39)
        );
        assert!(row_text(&buf, 5, 1..39).starts_with("globals n = 3"));
        for (w, h) in [(1, 1), (10, 3), (20, 4)] {
            draw_with(&e, w, h, &Theme::dark(), true);
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
