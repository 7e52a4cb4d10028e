//! Helpers for screen tests: draw a component into a `TestBackend` and read
//! the buffer back as text.

use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

use super::component::{Component, DrawCx};
use super::keymap::Keymap;
use super::theme::Theme;

/// Draws `c`, focused, with the dark theme and default keys, at `w`x`h`.
pub fn draw_component(c: &dyn Component, w: u16, h: u16) -> Buffer {
    draw_component_themed(c, w, h, &Theme::dark())
}

/// Draws `c`, focused, with `theme` and default keys, at `w`x`h`.
pub fn draw_component_themed(c: &dyn Component, w: u16, h: u16, theme: &Theme) -> Buffer {
    let keymap = Keymap::defaults();
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| {
        let dcx = DrawCx {
            theme,
            focused: true,
            keymap: &keymap,
        };
        c.draw(f, f.area(), &dcx);
    })
    .unwrap();
    term.backend().buffer().clone()
}

/// The buffer as text, one line per row, trailing spaces trimmed.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
