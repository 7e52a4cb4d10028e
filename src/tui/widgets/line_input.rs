//! One line of typed text (the response's search and jq filter, the
//! history filter): keys and pastes edit it, enter and esc end it. The
//! caller keeps the text and decides what ending means.

use crossterm::event::{KeyCode, KeyModifiers};

use crate::tui::action::Action;
use crate::tui::component::Input;

/// What an input did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Typed, deleted or pasted (the text may be unchanged: backspace on
    /// an empty line).
    Edited,
    /// Enter (or the select action).
    Confirm,
    /// Esc (or the back action).
    Cancel,
    /// An action that is not the line's (the caller may pass it on).
    Other,
}

/// Applies `input` to `text`. Control characters never get in: a paste
/// keeps its printable characters.
pub fn edit(text: &mut String, input: &Input) -> Edit {
    match input {
        Input::Key(k) => match k.code {
            KeyCode::Enter => Edit::Confirm,
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Backspace => {
                text.pop();
                Edit::Edited
            }
            KeyCode::Char(c)
                if !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                text.push(c);
                Edit::Edited
            }
            _ => Edit::Edited,
        },
        Input::Paste(p) => {
            text.extend(p.chars().filter(|c| !c.is_control()));
            Edit::Edited
        }
        Input::Action(Action::Select) => Edit::Confirm,
        Input::Action(Action::Back) => Edit::Cancel,
        Input::Action(_) => Edit::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEvent;

    fn key(code: KeyCode, mods: KeyModifiers) -> Input {
        Input::Key(KeyEvent::new(code, mods))
    }

    #[test]
    fn keys_edit_and_end_the_line() {
        let mut t = String::new();
        assert_eq!(
            edit(&mut t, &key(KeyCode::Char('a'), KeyModifiers::NONE)),
            Edit::Edited
        );
        assert_eq!(
            edit(&mut t, &key(KeyCode::Char('B'), KeyModifiers::SHIFT)),
            Edit::Edited
        );
        // ctrl and alt chords are not text.
        edit(&mut t, &key(KeyCode::Char('x'), KeyModifiers::CONTROL));
        assert_eq!(t, "aB");
        edit(&mut t, &Input::Paste("c\u{1b}[2Jd\n".into()));
        assert_eq!(t, "aBc[2Jd");
        edit(&mut t, &key(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(t, "aBc[2J");
        assert_eq!(
            edit(&mut t, &key(KeyCode::Enter, KeyModifiers::NONE)),
            Edit::Confirm
        );
        assert_eq!(edit(&mut t, &Input::Action(Action::Back)), Edit::Cancel);
        assert_eq!(edit(&mut t, &Input::Action(Action::Send)), Edit::Other);
    }
}
