//! The environment switcher.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
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
        let lines: Vec<Line> = self
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let spans = match c {
                    None => vec![Span::styled("(no environment)", theme.dim())],
                    Some(name) => safe_spans(name, theme.base(), theme.escaped()),
                };
                let line = Line::from(spans);
                if i == self.cursor {
                    line.style(theme.selection())
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
