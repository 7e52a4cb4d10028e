//! The command palette: fuzzy search over every request and every command.

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
use crate::tui::fuzzy;
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
        let rows = (inner.height as usize).saturating_sub(2);
        let start = self.cursor.saturating_sub(rows.saturating_sub(1));
        for (i, &m) in self.matches.iter().enumerate().skip(start).take(rows) {
            let Some(e) = self.entries.get(m) else {
                continue;
            };
            let mut spans = match e {
                Entry::Request { path, name, method } => {
                    let mut s = vec![Span::styled(
                        format!("{:<7}", method.chars().take(7).collect::<String>()),
                        theme.method(method),
                    )];
                    s.extend(safe_spans(path, theme.base(), theme.escaped()));
                    s.push(Span::raw("  "));
                    s.extend(safe_spans(name, theme.dim(), theme.escaped()));
                    s
                }
                Entry::Command { action, keys } => {
                    let mut s = vec![
                        Span::styled(":      ", theme.dim()),
                        Span::styled(action.describe().to_string(), theme.base()),
                    ];
                    if let Some(k) = keys {
                        s.push(Span::styled(
                            format!("  {k}"),
                            theme.fg(theme.colors.accent),
                        ));
                    }
                    s
                }
            };
            if spans.is_empty() {
                spans.push(Span::raw(""));
            }
            let mut line = Line::from(spans);
            if i == self.cursor {
                line = line.style(theme.selection());
            }
            lines.push(line);
        }
        if self.matches.is_empty() {
            lines.push(Line::from(Span::styled("No match.", theme.dim())));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
