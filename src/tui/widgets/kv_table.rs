//! A stateless table of rows with an enabled checkbox column, for params,
//! headers, form fields and multipart parts. The caller owns the cursor and
//! the scroll offset; this only draws them.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::tui::theme::Theme;
use crate::tui::widgets::list_row::{highlight, Highlight};

/// One row: whether it is enabled, then one line per data column.
pub struct KvRow<'a> {
    pub enabled: bool,
    pub cells: Vec<Line<'a>>,
}

pub struct KvTable<'a> {
    /// Titles of the data columns (the checkbox column has none).
    pub titles: &'a [&'a str],
    /// Widths of the data columns.
    pub widths: &'a [Constraint],
    pub rows: Vec<KvRow<'a>>,
    /// Cursor: row, and column (0 is the checkbox).
    pub cursor: Option<(usize, usize)>,
    /// First row shown.
    pub offset: usize,
    pub theme: &'a Theme,
}

/// Width of the checkbox column.
const CHECK: u16 = 3;

/// The rectangles of a row's columns (checkbox first) inside `row`.
pub fn column_rects(row: Rect, widths: &[Constraint]) -> Vec<Rect> {
    let mut constraints = vec![Constraint::Length(CHECK)];
    constraints.extend_from_slice(widths);
    Layout::horizontal(constraints)
        .spacing(1)
        .split(row)
        .to_vec()
}

/// The cell under the cursor, inside the selected row: reversed, or (when
/// the row itself is reversed, without colours) back to normal, underlined.
fn cell_cursor(theme: &Theme) -> Style {
    let row = theme.selected(theme.colors.fg);
    if row.add_modifier.contains(Modifier::REVERSED) {
        Style::default()
            .remove_modifier(Modifier::REVERSED)
            .add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

/// Where the cell (`row`, `col`) is drawn, if it is on screen.
pub fn cell_rect(
    area: Rect,
    widths: &[Constraint],
    offset: usize,
    row: usize,
    col: usize,
) -> Option<Rect> {
    let visible = usize::from(area.height.saturating_sub(1));
    if row < offset || row - offset >= visible {
        return None;
    }
    let y = area.y + 1 + u16::try_from(row - offset).ok()?;
    let line = Rect::new(area.x, y, area.width, 1);
    column_rects(line, widths).get(col).copied()
}

/// The offset that keeps `row` visible in `visible` rows, moving as little
/// as possible from `offset`.
pub fn scrolled(offset: usize, row: usize, visible: usize) -> usize {
    let visible = visible.max(1);
    if row < offset {
        row
    } else if row >= offset + visible {
        row + 1 - visible
    } else {
        offset
    }
}

/// When `width` (what was drawn into `row`) is more than `row` shows,
/// puts `mark` in its last cell, so a reader sees that more is there. Only
/// the foreground changes: a selection's background stays.
pub fn mark_cut(buf: &mut Buffer, row: Rect, width: usize, mark: &str, style: Style) {
    let row = row.intersection(buf.area);
    if row.is_empty() || width <= usize::from(row.width) {
        return;
    }
    let y = row.y;
    let mut x = row.right() - 1;
    // A wide character ending on the last cell is drawn from the one
    // before: mark that cell, and blank the last.
    if x > row.x && buf[(x - 1, y)].symbol().width() > 1 {
        buf[(x, y)].set_symbol(" ");
        x -= 1;
    }
    buf[(x, y)].set_symbol(mark).set_style(style);
}

impl Widget for KvTable<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let theme = self.theme;
        let head = Rect::new(area.x, area.y, area.width, 1);
        for (i, rect) in column_rects(head, self.widths).iter().enumerate().skip(1) {
            let title = self.titles.get(i - 1).copied().unwrap_or("");
            Line::from(Span::styled(
                title.to_string(),
                theme.dim().add_modifier(Modifier::BOLD),
            ))
            .render(*rect, buf);
        }
        let visible = usize::from(area.height - 1);
        let offset = match self.cursor {
            Some((row, _)) => scrolled(self.offset, row, visible),
            None => self.offset,
        };
        for (i, row) in self.rows.into_iter().enumerate().skip(offset).take(visible) {
            let y = area.y + 1 + u16::try_from(i - offset).unwrap_or(0);
            let line = Rect::new(area.x, y, area.width, 1);
            let selected_row = self.cursor.is_some_and(|(r, _)| r == i);
            let base = if row.enabled {
                Style::default()
            } else {
                theme.dim().add_modifier(Modifier::CROSSED_OUT)
            };
            let rects = column_rects(line, self.widths);
            let check = if row.enabled { "[x]" } else { "[ ]" };
            let mut cells = vec![Line::from(check)];
            cells.extend(row.cells);
            for (cell, (c, rect)) in cells.into_iter().zip(rects.iter().enumerate()) {
                let style = if c == 0 { Style::default() } else { base };
                let width = cell.width();
                cell.patch_style(style).render(*rect, buf);
                mark_cut(buf, *rect, width, "…", theme.dim());
            }
            if selected_row {
                highlight(buf, line, theme, Highlight::Focused);
                if let Some(rect) = self.cursor.and_then(|(_, col)| rects.get(col)) {
                    buf.set_style(*rect, cell_cursor(theme));
                }
            }
        }
        if visible > 0 && offset > 0 {
            buf.set_string(area.right().saturating_sub(1), area.y, "↑", theme.dim());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_keeps_the_cursor_visible() {
        assert_eq!(scrolled(0, 3, 5), 0);
        assert_eq!(scrolled(0, 7, 5), 3);
        assert_eq!(scrolled(6, 2, 5), 2);
        assert_eq!(scrolled(0, 4, 0), 4);
    }

    fn table<'a>(theme: &'a Theme, cursor: (usize, usize)) -> KvTable<'a> {
        let row = |enabled, k: &str, v: &str| KvRow {
            enabled,
            cells: vec![
                Line::from(Span::styled(k.to_string(), theme.base())),
                Line::from(Span::styled(v.to_string(), theme.fg(theme.colors.variable))),
            ],
        };
        KvTable {
            titles: &["Name", "Value"],
            widths: &[Constraint::Length(10), Constraint::Min(0)],
            rows: vec![row(true, "page", "{{p}}"), row(false, "debug", "{{d}}")],
            cursor: Some(cursor),
            offset: 0,
            theme,
        }
    }

    #[test]
    fn the_selected_row_shows_on_every_cell_even_when_disabled() {
        use crate::tui::widgets::list_row::testing::{
            assert_row_plain, assert_row_selected, themes,
        };
        for (mode, theme) in themes() {
            for row in [0u16, 1] {
                let area = Rect::new(0, 0, 30, 3);
                let mut buf = Buffer::empty(area);
                // The cursor on the checkbox, so the data cells are only selected.
                table(&theme, (usize::from(row), 0)).render(area, &mut buf);
                let m = format!("{mode}, row {row}");
                assert_row_selected(&buf, 1 + row, 3..30, &theme, &m);
                assert_row_plain(&buf, 2 - row, 3..30, &theme, &m);
            }
        }
    }

    #[test]
    fn the_cell_cursor_stands_out_from_its_row_without_colours() {
        use crate::tui::widgets::list_row::testing::themes;
        for (mode, theme) in themes() {
            let area = Rect::new(0, 0, 30, 3);
            let mut buf = Buffer::empty(area);
            table(&theme, (0, 1)).render(area, &mut buf);
            // Column 1 (Name) starts after the checkbox and a gap.
            let cursor = &buf[(4, 1)];
            let rest = &buf[(20, 1)];
            assert_ne!(
                (cursor.fg, cursor.bg, cursor.modifier),
                (rest.fg, rest.bg, rest.modifier),
                "{mode}"
            );
        }
    }
}
