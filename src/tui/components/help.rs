//! The help overlay, generated from the active keymap and the focused
//! pane's actions, so it can never drift from what the keys really do.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
use crate::tui::keymap::Keymap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub title: String,
    /// (keys, what they do)
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct HelpOverlay {
    pub sections: Vec<HelpSection>,
    scroll: usize,
    height: usize,
}

/// Rows for `ctx`: each action once, with all its keys.
fn rows_for(keymap: &Keymap, ctx: KeyContext, only: Option<&[Action]>) -> Vec<(String, String)> {
    let mut rows: Vec<(Action, Vec<String>)> = Vec::new();
    for (keys, action) in keymap.bindings(ctx) {
        if only.is_some_and(|o| !o.contains(&action)) {
            continue;
        }
        match rows.iter_mut().find(|(a, _)| *a == action) {
            Some((_, ks)) => ks.push(keys),
            None => rows.push((action, vec![keys])),
        }
    }
    rows.into_iter()
        .map(|(a, ks)| (ks.join(", "), a.describe().to_string()))
        .collect()
}

impl HelpOverlay {
    pub fn build(keymap: &Keymap, focused: KeyContext, focused_actions: &[Action]) -> HelpOverlay {
        let mut sections = Vec::new();
        let pane = rows_for(keymap, focused, None);
        if !pane.is_empty() {
            sections.push(HelpSection {
                title: format!("In the {} pane", focused.table_name()),
                rows: pane,
            });
        }
        // Global keys the focused pane actually uses (movement etc.) plus
        // the always-on ones.
        let global = rows_for(keymap, KeyContext::Global, None)
            .into_iter()
            .filter(|(_, d)| {
                let movement = [
                    Action::Up,
                    Action::Down,
                    Action::Left,
                    Action::Right,
                    Action::PageUp,
                    Action::PageDown,
                    Action::Top,
                    Action::Bottom,
                    Action::Select,
                    Action::Back,
                ];
                !movement.iter().any(|a| a.describe() == d)
                    || focused_actions.iter().any(|a| a.describe() == d)
            })
            .collect::<Vec<_>>();
        sections.push(HelpSection {
            title: "Everywhere".into(),
            rows: global,
        });
        sections.push(HelpSection {
            title: "While typing in a field".into(),
            rows: rows_for(keymap, KeyContext::Text, None),
        });
        HelpOverlay {
            sections,
            scroll: 0,
            height: 10,
        }
    }

    pub fn set_viewport(&mut self, height: u16) {
        self.height = usize::from(height.saturating_sub(2)).max(1);
        self.scroll = self.scroll.min(self.max_scroll());
    }

    fn line_count(&self) -> usize {
        self.sections.iter().map(|s| s.rows.len() + 2).sum()
    }

    fn max_scroll(&self) -> usize {
        self.line_count().saturating_sub(self.height)
    }
}

impl Component for HelpOverlay {
    fn context(&self) -> KeyContext {
        KeyContext::Help
    }

    fn actions(&self) -> Vec<Action> {
        vec![
            Action::Up,
            Action::Down,
            Action::PageUp,
            Action::PageDown,
            Action::Back,
        ]
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        let Input::Action(a) = input else {
            return Flow::Done;
        };
        match a {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(self.max_scroll()),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(self.height),
            Action::PageDown => self.scroll = (self.scroll + self.height).min(self.max_scroll()),
            Action::Back | Action::Help | Action::Quit => cx.notice(Notice::CloseOverlay),
            _ => {}
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Span::styled(" Keys ", theme.fg(theme.colors.title)))
            .title_bottom(Span::styled(" esc closes ", theme.dim()));
        let inner = block.inner(area);
        frame.render_widget(Clear, area);
        frame.render_widget(block, area);
        let key_width = self
            .sections
            .iter()
            .flat_map(|s| s.rows.iter().map(|(k, _)| k.chars().count()))
            .max()
            .unwrap_or(0)
            .min(24);
        let mut lines = Vec::new();
        for s in &self.sections {
            lines.push(Line::from(Span::styled(
                s.title.clone(),
                theme.base().add_modifier(Modifier::BOLD),
            )));
            for (k, d) in &s.rows {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {k:<key_width$}  "),
                        theme.fg(theme.colors.accent),
                    ),
                    Span::styled(d.clone(), theme.base()),
                ]));
            }
            lines.push(Line::default());
        }
        let visible: Vec<Line> = lines
            .into_iter()
            .skip(self.scroll)
            .take(inner.height as usize)
            .collect();
        frame.render_widget(Paragraph::new(visible), inner);
    }
}
