//! Small modal questions: a name to type, or a choice between buttons
//! (delete?, quit with unsaved edits?, the file changed on disk: whose
//! version?).

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Answer, Component, Cx, DrawCx, Flow, Input, NamePurpose, Notice};
use crate::tui::widgets::safe_text::safe_spans;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Name {
        title: String,
        purpose: NamePurpose,
        value: String,
    },
    Choice {
        title: String,
        message: String,
        /// (label, answer); `None` is a plain cancel.
        choices: Vec<(String, Option<Answer>)>,
        selected: usize,
    },
}

impl Dialog {
    pub fn name(purpose: NamePurpose, initial: String) -> Dialog {
        let title = match &purpose {
            NamePurpose::NewRequest { parent } => format!("New request in {parent}"),
            NamePurpose::NewFolder { parent } if parent.is_empty() => "New collection".into(),
            NamePurpose::NewFolder { parent } => format!("New folder in {parent}"),
            NamePurpose::Rename { path } => format!("Rename {path}"),
            NamePurpose::Duplicate { path } => format!("Duplicate {path} as"),
            NamePurpose::Move { path } => format!("Move {path} to folder"),
            NamePurpose::Import => "Import a file (Postman, curl, HAR, OpenAPI, .http)".into(),
            NamePurpose::Export { path, format } => format!("Export {path} ({format}) to file"),
            NamePurpose::Example { path } => format!("Save the response as an example of {path}"),
        };
        Dialog::Name {
            title,
            purpose,
            value: initial,
        }
    }

    pub fn choice(title: &str, message: &str, choices: Vec<(&str, Option<Answer>)>) -> Dialog {
        Dialog::Choice {
            title: title.to_string(),
            message: message.to_string(),
            choices: choices
                .into_iter()
                .map(|(l, a)| (l.to_string(), a))
                .collect(),
            selected: 0,
        }
    }
}

/// Answers with the typed name (an empty one answers nothing) and closes.
fn submit_name(purpose: &NamePurpose, value: &str, cx: &mut Cx) {
    let name = value.trim().to_string();
    if !name.is_empty() {
        cx.notice(Notice::Answer(Answer::Name {
            purpose: purpose.clone(),
            name,
        }));
    }
    cx.notice(Notice::CloseOverlay);
}

impl Component for Dialog {
    fn context(&self) -> KeyContext {
        match self {
            Dialog::Name { .. } => KeyContext::Text,
            Dialog::Choice { .. } => KeyContext::Dialog,
        }
    }

    fn actions(&self) -> Vec<Action> {
        vec![Action::Select, Action::Back, Action::Left, Action::Right]
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        match self {
            Dialog::Name { purpose, value, .. } => match input {
                Input::Key(k) => match k.code {
                    KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                        value.push(c)
                    }
                    KeyCode::Backspace => {
                        value.pop();
                    }
                    KeyCode::Enter => submit_name(purpose, value, cx),
                    _ => {}
                },
                Input::Paste(t) => value.push_str(t.lines().next().unwrap_or("")),
                Input::Action(Action::Back) => cx.notice(Notice::CloseOverlay),
                Input::Action(Action::Select) => submit_name(purpose, value, cx),
                Input::Action(_) => {}
            },
            Dialog::Choice {
                choices, selected, ..
            } => match input {
                Input::Action(Action::Left | Action::Up) => *selected = selected.saturating_sub(1),
                Input::Action(Action::Right | Action::Down) => {
                    *selected = (*selected + 1).min(choices.len().saturating_sub(1))
                }
                Input::Action(Action::Select) => {
                    if let Some((_, Some(answer))) = choices.get(*selected) {
                        cx.notice(Notice::Answer(answer.clone()));
                    }
                    cx.notice(Notice::CloseOverlay);
                }
                Input::Action(Action::Back) => cx.notice(Notice::CloseOverlay),
                _ => {}
            },
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let title = match self {
            Dialog::Name { title, .. } | Dialog::Choice { title, .. } => title,
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Line::from(safe_spans(
                &format!(" {title} "),
                theme.fg(theme.colors.title),
                theme.escaped(),
            )));
        let inner = block.inner(area);
        frame.render_widget(Clear, area);
        frame.render_widget(block, area);
        let lines = match self {
            Dialog::Name { value, .. } => vec![
                Line::from(vec![
                    Span::styled("> ", theme.fg(theme.colors.accent)),
                    Span::styled(value.clone(), theme.base()),
                    crate::tui::widgets::cursor::span(theme),
                ]),
                Line::default(),
                Line::from(Span::styled("enter confirms, esc cancels", theme.dim())),
            ],
            Dialog::Choice {
                message,
                choices,
                selected,
                ..
            } => {
                let mut buttons = Vec::new();
                for (i, (label, _)) in choices.iter().enumerate() {
                    let style = if i == *selected {
                        theme.selected(theme.colors.fg).add_modifier(Modifier::BOLD)
                    } else {
                        theme.base()
                    };
                    buttons.push(Span::styled(format!("[ {label} ]"), style));
                    buttons.push(Span::raw("  "));
                }
                vec![
                    Line::from(safe_spans(message, theme.base(), theme.escaped())),
                    Line::default(),
                    Line::from(buttons),
                ]
            }
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_a_name_and_enter_answers() {
        let mut d = Dialog::name(
            NamePurpose::NewRequest {
                parent: "api".into(),
            },
            String::new(),
        );
        let mut cx = Cx::default();
        for c in "get user".chars() {
            d.handle(
                &Input::Key(crossterm::event::KeyEvent::new(
                    KeyCode::Char(c),
                    KeyModifiers::NONE,
                )),
                &mut cx,
            );
        }
        d.handle(&Input::Action(Action::Select), &mut cx);
        assert_eq!(
            cx.notices[0],
            Notice::Answer(Answer::Name {
                purpose: NamePurpose::NewRequest {
                    parent: "api".into()
                },
                name: "get user".into()
            })
        );
    }

    #[test]
    fn choices_move_and_cancel_answers_nothing() {
        let mut d = Dialog::choice(
            "Quit?",
            "unsaved",
            vec![("Save all", Some(Answer::SaveAllAndQuit)), ("Cancel", None)],
        );
        let mut cx = Cx::default();
        d.handle(&Input::Action(Action::Right), &mut cx);
        d.handle(&Input::Action(Action::Select), &mut cx);
        assert_eq!(cx.notices, [Notice::CloseOverlay]);
    }

    #[test]
    fn the_chosen_button_shows_selected_in_every_colour_mode() {
        use crate::tui::widgets::list_row::testing::{
            assert_row_plain, assert_row_selected, draw_with, row_text, themes,
        };
        let mut d = Dialog::choice(
            "Quit?",
            "unsaved edits",
            vec![("Save all", Some(Answer::SaveAllAndQuit)), ("Cancel", None)],
        );
        for (mode, theme) in themes() {
            let buf = draw_with(&d, 40, 6, &theme, true);
            assert_eq!(row_text(&buf, 3, 1..23), "[ Save all ]  [ Cancel ]"[..22]);
            assert_row_selected(&buf, 3, 1..13, &theme, mode);
            assert_row_plain(&buf, 3, 13..25, &theme, mode);
        }
        d.handle(&Input::Action(Action::Right), &mut Cx::default());
        for (mode, theme) in themes() {
            let buf = draw_with(&d, 40, 6, &theme, true);
            assert_row_plain(&buf, 3, 1..15, &theme, mode);
            assert_row_selected(&buf, 3, 15..25, &theme, mode);
        }
    }

    #[test]
    fn tiny_sizes_draw_without_panic() {
        let theme = crate::tui::theme::Theme::dark();
        let name = Dialog::name(
            NamePurpose::NewFolder {
                parent: "api".into(),
            },
            "a name".into(),
        );
        let choice = Dialog::choice("Delete?", "sure?", vec![("Delete", None), ("Cancel", None)]);
        for (w, h) in [(1u16, 1u16), (2, 2), (3, 3), (20, 5)] {
            crate::tui::widgets::list_row::testing::draw_with(&name, w, h, &theme, true);
            crate::tui::widgets::list_row::testing::draw_with(&choice, w, h, &theme, true);
        }
    }
}
