//! One cursor look for every text field (the URL and other editor boxes,
//! the palette, response search, dialogs): the cell under the cursor drawn
//! reversed in the theme's text colours, a block that shows on any
//! background, in truecolor, 16 colours and `NO_COLOR` alike.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

use crate::tui::theme::Theme;

/// The style of the cell under the cursor.
pub fn style(theme: &Theme) -> Style {
    Style::default()
        .fg(theme.colors.fg)
        .bg(theme.colors.bg)
        .add_modifier(Modifier::REVERSED)
}

/// The cursor after the end of a one-line input: an empty cell.
pub fn span(theme: &Theme) -> Span<'static> {
    Span::styled(" ", style(theme))
}

/// What a tui-textarea draws its cursor with. The box takes its cursor
/// style when it opens, where no theme is at hand, so it draws this mark
/// (a modifier pair no pane uses) and [`restyle_marked`] gives the marked
/// cell the theme's style while drawing; a theme switch applies at once.
pub fn textarea_mark() -> Style {
    Style::default().add_modifier(MARK)
}

const MARK: Modifier = Modifier::REVERSED.union(Modifier::RAPID_BLINK);

/// Gives cells drawn with [`textarea_mark`] in `area` the cursor style.
pub fn restyle_marked(buf: &mut Buffer, area: Rect, theme: &Theme) {
    let area = area.intersection(buf.area);
    let cursor = style(theme).remove_modifier(Modifier::RAPID_BLINK);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                if cell.modifier.contains(MARK) {
                    cell.set_style(cursor);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::style::Color;

    use super::*;
    use crate::http::{Response, Timings};
    use crate::model::{Body, KeyValue, RawKind, Request};
    use crate::tui::action::Action;
    use crate::tui::component::{Component, Cx, Input, NamePurpose};
    use crate::tui::components::dialog::Dialog;
    use crate::tui::components::editor::EditorPane;
    use crate::tui::components::palette::Palette;
    use crate::tui::components::response::ResponsePane;
    use crate::tui::highlight::SyntaxAssets;
    use crate::tui::test_util::{buffer_text, draw_component};

    fn send(c: &mut dyn Component, input: Input) {
        c.handle(&input, &mut Cx::default());
    }

    fn typ(c: &mut dyn Component, s: &str) {
        for ch in s.chars() {
            send(
                c,
                Input::Key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE)),
            );
        }
    }

    /// The cell just after the first `text` on screen.
    fn after(buf: &Buffer, text: &str) -> (u16, u16) {
        let screen = buffer_text(buf);
        for (y, line) in screen.lines().enumerate() {
            if let Some(byte) = line.find(text) {
                let x = line[..byte].chars().count() + text.chars().count();
                return (x as u16, y as u16);
            }
        }
        panic!("{text:?} is not on screen:\n{screen}");
    }

    /// Every cell on screen with the cursor's style.
    fn cursor_cells(buf: &Buffer) -> Vec<(u16, u16)> {
        let want = style(&Theme::dark());
        let a = buf.area;
        let mut out = Vec::new();
        for y in a.top()..a.bottom() {
            for x in a.left()..a.right() {
                let c = &buf[(x, y)];
                if Some(c.fg) == want.fg && Some(c.bg) == want.bg && c.modifier == want.add_modifier
                {
                    out.push((x, y));
                }
            }
        }
        out
    }

    /// `component` draws one cursor cell, right after `text`.
    fn assert_cursor_after(component: &dyn Component, text: &str, w: u16, h: u16) {
        let buf = draw_component(component, w, h);
        let at = after(&buf, text);
        assert_eq!(cursor_cells(&buf), vec![at], "{}", buffer_text(&buf));
    }

    #[test]
    fn the_style_is_a_reversed_cell_in_the_themes_text_colours() {
        let theme = Theme::dark();
        let s = style(&theme);
        assert_eq!(s.fg, Some(theme.colors.fg));
        assert!(s.add_modifier.contains(Modifier::REVERSED));
        // Without colours it is still a block.
        let plain = style(&Theme::dark().for_terminal(false, true));
        assert_eq!(plain.fg, Some(Color::Reset));
        assert!(plain.add_modifier.contains(Modifier::REVERSED));
    }

    fn editor() -> EditorPane {
        let mut r = Request::new("GET", "h/path");
        r.headers = vec![KeyValue::new("X-Key", "abc")];
        r.body.body = Body::Raw {
            kind: RawKind::Json,
            text: "{}".into(),
        };
        let mut p = EditorPane::new();
        p.open("c/r".into(), r);
        p
    }

    #[test]
    fn every_editor_text_box_draws_the_cursor_cell() {
        // The URL.
        let mut p = editor();
        send(&mut p, Input::Action(Action::Edit));
        typ(&mut p, "/x");
        assert_cursor_after(&p, "h/path/x", 80, 12);
        // The method.
        let mut p = editor();
        for a in [Action::Left, Action::Edit] {
            send(&mut p, Input::Action(a));
        }
        assert_cursor_after(&p, "GET", 80, 12);
        // A header value.
        let mut p = editor();
        for a in [
            Action::NextTab,
            Action::Down,
            Action::Right,
            Action::Right,
            Action::Edit,
        ] {
            send(&mut p, Input::Action(a));
        }
        assert_cursor_after(&p, "abc", 80, 12);
        // The body's textarea.
        let mut p = editor();
        for a in [
            Action::NextTab,
            Action::NextTab,
            Action::Down,
            Action::Down,
            Action::Edit,
        ] {
            send(&mut p, Input::Action(a));
        }
        send(
            &mut p,
            Input::Key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE)),
        );
        assert_cursor_after(&p, "{}", 80, 12);
    }

    #[test]
    fn the_palette_draws_the_cursor_cell() {
        let mut p = Palette::new(Vec::new());
        typ(&mut p, "sen");
        assert_cursor_after(&p, "> sen", 60, 10);
    }

    #[test]
    fn the_tree_filter_draws_the_cursor_cell() {
        let mut t = crate::tui::components::tree::TreePane::new();
        send(&mut t, Input::Action(crate::tui::action::Action::Filter));
        typ(&mut t, "get");
        assert_cursor_after(&t, "/get", 40, 10);
    }

    #[test]
    fn a_dialog_input_draws_the_cursor_cell() {
        let d = Dialog::name(
            NamePurpose::Rename {
                path: "c/old".into(),
            },
            "old name".into(),
        );
        assert_cursor_after(&d, "> old name", 60, 10);
    }

    #[test]
    fn the_response_search_draws_the_cursor_cell() {
        let mut p = ResponsePane::new("base16-ocean.dark").with_assets(SyntaxAssets::load());
        p.set_viewport(78, 10);
        p.set_response(Response {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: Vec::new(),
            body: b"hello".to_vec(),
            wire_size: 5,
            decoded_size: 5,
            truncated: false,
            redirects: Vec::new(),
            url: "http://localhost/".into(),
            cookies: Vec::new(),
            timings: Timings {
                ttfb: Duration::from_millis(1),
                total: Duration::from_millis(2),
                ..Default::default()
            },
            ..Default::default()
        });
        send(&mut p, Input::Action(Action::Search));
        typ(&mut p, "hel");
        assert_cursor_after(&p, "/hel", 80, 12);
    }
}
