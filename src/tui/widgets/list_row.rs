//! One row of a list (tree, environment picker, palette): a fixed lead
//! (indent, method badge), a body cut with `…` when the row is too narrow,
//! and a fixed tail (markers, keys). The selected row is restyled cell by
//! cell after its spans are drawn (`highlight`), so no span's own colours
//! can hide the selection.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthChar;

use crate::tui::theme::Theme;
use crate::tui::widgets::safe_text::safe_spans;

/// Columns of a method badge: the longest standard methods (`OPTIONS`,
/// `CONNECT`) fit; longer custom ones are cut with `…`.
pub const BADGE_WIDTH: usize = 7;

/// Whether and how a row is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    None,
    /// The selected row of the focused list.
    Focused,
    /// The selected row of a list without focus: shown, but dimmer.
    Unfocused,
}

#[derive(Debug, Default, Clone)]
pub struct ListRow<'a> {
    pub lead: Vec<Span<'a>>,
    pub body: Vec<Span<'a>>,
    pub tail: Vec<Span<'a>>,
}

impl<'a> ListRow<'a> {
    pub fn new(lead: Vec<Span<'a>>, body: Vec<Span<'a>>, tail: Vec<Span<'a>>) -> ListRow<'a> {
        ListRow { lead, body, tail }
    }

    /// The row fitted to `width` columns: the body gives way first, then
    /// (when even lead and tail do not fit) the whole row is cut.
    pub fn line(self, width: usize) -> Line<'a> {
        let (lead, body, tail) = (
            spans_width(&self.lead),
            spans_width(&self.body),
            spans_width(&self.tail),
        );
        if lead + body + tail <= width {
            return Line::from([self.lead, self.body, self.tail].concat());
        }
        if lead + tail < width {
            let body = truncate(self.body, width - lead - tail);
            return Line::from([self.lead, body, self.tail].concat());
        }
        Line::from(truncate([self.lead, self.body, self.tail].concat(), width))
    }

    /// Draws the row on the first line of `area`, then its highlight.
    pub fn render(self, area: Rect, buf: &mut Buffer, theme: &Theme, highlight: Highlight) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let row = Rect { height: 1, ..area };
        self.line(usize::from(row.width)).render(row, buf);
        self::highlight(buf, row, theme, highlight);
    }
}

/// Restyles every cell of `area` as selected (see `Theme::selected`),
/// keeping each cell's text and modifiers and, where readable, its colour.
pub fn highlight(buf: &mut Buffer, area: Rect, theme: &Theme, highlight: Highlight) {
    if highlight == Highlight::None {
        return;
    }
    let area = area.intersection(buf.area);
    for pos in area.positions() {
        if let Some(cell) = buf.cell_mut(pos) {
            let mut style = theme.selected(cell.fg);
            if highlight == Highlight::Unfocused {
                style = style.add_modifier(Modifier::DIM);
            }
            cell.set_style(style);
        }
    }
}

/// A method as a badge of `BADGE_WIDTH` columns plus a gap.
pub fn method_badge<'a>(method: &str, theme: &Theme) -> Vec<Span<'a>> {
    let mut spans = truncate(
        safe_spans(method, theme.method(method), theme.escaped()),
        BADGE_WIDTH,
    );
    let pad = BADGE_WIDTH + 1 - spans_width(&spans).min(BADGE_WIDTH);
    spans.push(Span::styled(" ".repeat(pad), Style::default()));
    spans
}

pub fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(Span::width).sum()
}

/// `spans` cut to `width` columns (or fewer), ending in `…` (in the style of
/// the text it cuts) when anything was cut.
pub fn truncate<'a>(spans: Vec<Span<'a>>, width: usize) -> Vec<Span<'a>> {
    if spans_width(&spans) <= width {
        return spans;
    }
    if width == 0 {
        return Vec::new();
    }
    let room = width - 1;
    let mut out = Vec::new();
    let mut used = 0;
    let mut cut_style = Style::default();
    for span in spans {
        cut_style = span.style;
        let w = span.width();
        if used + w <= room {
            used += w;
            out.push(span);
            continue;
        }
        let mut kept = String::new();
        for c in span.content.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > room {
                break;
            }
            used += cw;
            kept.push(c);
        }
        if !kept.is_empty() {
            out.push(Span::styled(kept, span.style));
        }
        break;
    }
    // `name …` reads as a name and a mark; `name…` as a name cut short.
    while let Some(last) = out.pop() {
        let kept = last.content.trim_end();
        if !kept.is_empty() {
            out.push(Span::styled(kept.to_string(), last.style));
            break;
        }
    }
    out.push(Span::styled("…", cut_style));
    out
}

#[cfg(test)]
pub mod testing {
    //! Screen-test helpers for lists: draw in each colour mode, and check
    //! that a selected row shows on every cell.

    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::style::{Color, Modifier};
    use ratatui::Terminal;

    use crate::tui::component::{Component, DrawCx};
    use crate::tui::keymap::Keymap;
    use crate::tui::theme::{self, Theme};

    /// The dark theme in truecolor, in 16 colours and with NO_COLOR, and
    /// the light theme in 16 colours.
    pub fn themes() -> Vec<(&'static str, Theme)> {
        vec![
            ("truecolor", Theme::dark().for_terminal(true, false)),
            ("16 colours", Theme::dark().for_terminal(false, false)),
            ("NO_COLOR", Theme::dark().for_terminal(true, true)),
            (
                "light 16 colours",
                Theme::light().for_terminal(false, false),
            ),
        ]
    }

    pub fn draw_with(c: &dyn Component, w: u16, h: u16, theme: &Theme, focused: bool) -> Buffer {
        let keymap = Keymap::defaults();
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| {
            let dcx = DrawCx {
                theme,
                focused,
                keymap: &keymap,
            };
            c.draw(f, f.area(), &dcx);
        })
        .unwrap();
        term.backend().buffer().clone()
    }

    /// The text of row `y` between columns `xs`.
    pub fn row_text(buf: &Buffer, y: u16, xs: std::ops::Range<u16>) -> String {
        xs.map(|x| buf[(x, y)].symbol().to_string()).collect()
    }

    /// Every cell of row `y` between columns `xs` shows the selection:
    /// reversed with NO_COLOR, else the selection background under a
    /// readable foreground.
    pub fn assert_row_selected(buf: &Buffer, y: u16, xs: std::ops::Range<u16>, t: &Theme, m: &str) {
        let text = row_text(buf, y, xs.clone());
        for x in xs {
            let cell = &buf[(x, y)];
            let at = format!("{m}: cell {x},{y} {:?} of {text:?}", cell.symbol());
            if t.monochrome {
                assert!(
                    cell.modifier.contains(Modifier::REVERSED),
                    "{at} not reversed"
                );
                assert_eq!(cell.bg, Color::Reset, "{at}");
                continue;
            }
            assert_eq!(cell.bg, t.colors.selection_bg, "{at}: background");
            assert_ne!(cell.fg, cell.bg, "{at}: same colour as background");
            let fg = if cell.fg == Color::Reset {
                t.colors.fg
            } else {
                cell.fg
            };
            let contrast = theme::contrast(fg, cell.bg).unwrap_or(0.0);
            assert!(
                contrast >= theme::MIN_CONTRAST,
                "{at}: {fg:?} on {:?} is unreadable ({contrast:.2})",
                cell.bg
            );
        }
    }

    /// No cell of row `y` between `xs` looks selected.
    pub fn assert_row_plain(buf: &Buffer, y: u16, xs: std::ops::Range<u16>, t: &Theme, m: &str) {
        for x in xs {
            let cell = &buf[(x, y)];
            if t.monochrome {
                // Escaped characters are reversed on their own; spaces never are.
                if cell.symbol() == " " {
                    assert!(!cell.modifier.contains(Modifier::REVERSED), "{m}: {x},{y}");
                }
            } else {
                assert_ne!(cell.bg, t.colors.selection_bg, "{m}: {x},{y}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_row_too_wide_cuts_its_body_with_an_ellipsis_and_keeps_lead_and_tail() {
        let row = || {
            ListRow::new(
                vec![Span::raw("  GET     ")],
                vec![Span::raw("a very long request name")],
                vec![Span::raw(" ●")],
            )
        };
        assert_eq!(
            row().line(80).to_string(),
            "  GET     a very long request name ●"
        );
        assert_eq!(row().line(20).to_string(), "  GET     a very… ●");
        assert_eq!(row().line(21).to_string(), "  GET     a very l… ●");
        assert_eq!(row().line(21).width(), 21);
        // Not even lead and tail fit: the whole row is cut.
        assert_eq!(row().line(8).to_string(), "  GET…");
        assert_eq!(row().line(1).to_string(), "…");
        assert_eq!(row().line(0).to_string(), "");
    }

    #[test]
    fn truncation_counts_wide_characters_by_columns() {
        let cut = truncate(vec![Span::raw("日本語のなまえ")], 6);
        assert_eq!(text(&cut), "日本…");
        assert!(spans_width(&cut) <= 6);
    }

    #[test]
    fn badges_fit_every_method_at_one_width() {
        let t = Theme::dark();
        let methods = [
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PURGE",
        ];
        for m in methods {
            let b = method_badge(m, &t);
            assert_eq!(spans_width(&b), BADGE_WIDTH + 1, "{m}");
            assert_eq!(text(&b).trim_end(), m);
        }
        let long = method_badge("PROPPATCH", &t);
        assert_eq!(spans_width(&long), BADGE_WIDTH + 1);
        assert_eq!(text(&long), "PROPPA… ");
    }

    #[test]
    fn a_method_with_control_characters_is_escaped_in_its_badge() {
        let b = method_badge("G\u{1b}T", &Theme::dark());
        assert_eq!(text(&b), "G\\eT    ");
    }

    #[test]
    fn highlight_wins_over_span_colours_in_every_mode() {
        for (mode, t) in testing::themes() {
            let area = Rect::new(0, 0, 30, 1);
            let mut buf = Buffer::empty(area);
            let row = ListRow::new(
                vec![Span::styled("x ", t.dim().bg(t.colors.bg))],
                safe_spans("name\u{7}", t.base(), t.escaped()),
                vec![Span::styled(" d", t.dim())],
            );
            row.render(area, &mut buf, &t, Highlight::Focused);
            testing::assert_row_selected(&buf, 0, 0..30, &t, mode);
        }
    }

    #[test]
    fn drawing_into_nothing_is_harmless() {
        let t = Theme::dark();
        let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
        let row = ListRow::new(vec![Span::raw("lead")], vec![Span::raw("b")], vec![]);
        row.clone()
            .render(Rect::new(0, 0, 0, 0), &mut buf, &t, Highlight::Focused);
        row.clone()
            .render(Rect::new(5, 5, 3, 1), &mut buf, &t, Highlight::Focused);
        row.render(Rect::new(0, 0, 1, 1), &mut buf, &t, Highlight::Focused);
        assert_eq!(buf[(0, 0)].symbol(), "…");
        highlight(&mut buf, Rect::new(0, 0, 9, 9), &t, Highlight::Unfocused);
    }
}
