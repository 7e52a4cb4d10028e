//! Drawing the history view: a title with the scope and filter, the list
//! of exchanges (or a diff), and a footer of keys. Request names, URLs and
//! diff text come from files and servers: all go through the safe-text
//! spans.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{HistoryView, Listing};
use crate::history::diff_text::Kind;
use crate::history::{Entry, Outcome};
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::DrawCx;
use crate::tui::components::response::human_bytes;
use crate::tui::theme::Theme;
use crate::tui::widgets::list_row::{method_badge, spans_width, Highlight, ListRow};
use crate::tui::widgets::safe_text::safe_spans;

/// Rows inside the border that are not the list: the filter line and the
/// footer.
pub const CHROME_ROWS: u16 = 2;

pub fn draw(view: &HistoryView, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
    let theme = dcx.theme;
    frame.render_widget(Clear, area);
    let title = match (&view.diff, &view.request) {
        (Some(d), _) => format!(" History · diff {} ", d.title),
        (None, Some(r)) if view.scoped => format!(" History · {r} "),
        _ => " History · all requests ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(dcx.focused))
        .title(Line::from(safe_spans(
            &title,
            theme.fg(theme.colors.title),
            theme.escaped(),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let row = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
    frame.render_widget(Paragraph::new(filter_line(view, theme)), row(0));
    let body = Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(CHROME_ROWS),
    );
    match (&view.diff, &view.listing) {
        (Some(d), _) => {
            let lines: Vec<Line> = (d.lines.iter())
                .skip(d.scroll)
                .take(usize::from(body.height))
                .map(|l| {
                    Line::from(safe_spans(
                        &l.text,
                        diff_style(l.kind, theme),
                        theme.escaped(),
                    ))
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), body);
        }
        (None, Listing::Loading) => frame.render_widget(
            Paragraph::new(Span::styled("reading history…", theme.dim())),
            body,
        ),
        (None, Listing::Failed(e)) => frame.render_widget(
            Paragraph::new(Line::from(safe_spans(
                e,
                theme.fg(theme.colors.error),
                theme.escaped(),
            ))),
            body,
        ),
        (None, Listing::Loaded(entries)) if entries.is_empty() => {
            let text = if view.query.is_empty() {
                "no exchanges in history yet: send a request"
            } else {
                "no exchange matches the filter"
            };
            frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), body);
        }
        (None, Listing::Loaded(entries)) => {
            let buf = frame.buffer_mut();
            let shown = entries
                .iter()
                .enumerate()
                .skip(view.scroll())
                .take(usize::from(body.height));
            for (i, e) in shown {
                let y = body.y + (i - view.scroll()) as u16;
                let highlight = match (i == view.cursor, dcx.focused) {
                    (false, _) => Highlight::None,
                    (true, true) => Highlight::Focused,
                    (true, false) => Highlight::Unfocused,
                };
                let marked = view.marked.as_deref() == Some(e.id.as_str());
                let line = entry_row(e, marked, !view.scoped, theme, usize::from(body.width));
                line.render(
                    Rect {
                        y,
                        height: 1,
                        ..body
                    },
                    buf,
                    theme,
                    highlight,
                );
            }
        }
    }
    if inner.height >= CHROME_ROWS {
        let footer = footer_line(view, dcx);
        frame.render_widget(Paragraph::new(footer), row(inner.height - 1));
    }
}

fn filter_line(view: &HistoryView, theme: &Theme) -> Line<'static> {
    if let Some(text) = &view.input {
        let mut spans = vec![Span::styled("filter: ", theme.dim())];
        spans.extend(safe_spans(text, theme.base(), theme.escaped()));
        spans.push(Span::styled("▏", theme.base()));
        return Line::from(spans);
    }
    let mut spans = Vec::new();
    if let Listing::Loaded(e) = &view.listing {
        let n = e.len();
        let capped = if n >= super::MAX_ENTRIES {
            "newest "
        } else {
            ""
        };
        spans.push(Span::styled(
            format!("{capped}{n} exchange{}", if n == 1 { "" } else { "s" }),
            theme.dim(),
        ));
    }
    if !view.query.is_empty() {
        spans.push(Span::styled(" · filter: ", theme.dim()));
        spans.extend(safe_spans(&view.query, theme.base(), theme.escaped()));
    }
    if view.warnings > 0 {
        spans.push(Span::styled(
            format!(" · {} unreadable line(s) skipped", view.warnings),
            theme.fg(theme.colors.warning),
        ));
    }
    if let Some(m) = &view.marked {
        spans.push(Span::styled(format!(" · marked {m}"), theme.dim()));
    }
    Line::from(spans)
}

/// `● 12-03 19:40:01 tui GET     users/get-user     200  45 ms  3✓ 1✗`.
fn entry_row<'a>(
    e: &Entry,
    marked: bool,
    with_request: bool,
    theme: &Theme,
    width: usize,
) -> ListRow<'a> {
    let mark = if marked { "● " } else { "  " };
    let mut lead = vec![
        Span::styled(mark, theme.fg(theme.colors.warning)),
        Span::styled(short_time(&e.at), theme.dim()),
        Span::styled(format!(" {:<4} ", e.via.as_str()), theme.dim()),
    ];
    lead.extend(method_badge(e.method.as_deref().unwrap_or("—"), theme));
    let what = if with_request {
        e.request.clone()
    } else {
        e.url.clone().unwrap_or_else(|| e.request.clone())
    };
    let mut body = safe_spans(&what, theme.base(), theme.escaped());
    let mut tail = vec![Span::raw(" ")];
    match (e.outcome, e.status) {
        (_, Some(s)) => tail.push(Span::styled(s.to_string(), theme.status(s))),
        (Outcome::Failed, None) => tail.push(Span::styled("error", theme.fg(theme.colors.error))),
        (Outcome::Skipped, None) => tail.push(Span::styled("skipped", theme.dim())),
        (_, None) => tail.push(Span::styled("not sent", theme.dim())),
    }
    if let Some(ms) = e.total_ms {
        tail.push(Span::styled(format!(" {:>6.0} ms", ms), theme.dim()));
    }
    if let Some(size) = e.size {
        tail.push(Span::styled(
            format!(" {:>9}", human_bytes(size)),
            theme.dim(),
        ));
    }
    if e.tests_passed + e.tests_failed > 0 {
        tail.push(Span::styled(
            format!(" {}✓", e.tests_passed),
            theme.fg(theme.colors.success),
        ));
        let failed = if e.tests_failed > 0 {
            theme.fg(theme.colors.error)
        } else {
            theme.dim()
        };
        tail.push(Span::styled(format!(" {}✗", e.tests_failed), failed));
    }
    let used = spans_width(&lead) + spans_width(&body) + spans_width(&tail);
    if used < width {
        body.push(Span::raw(" ".repeat(width - used)));
    }
    ListRow::new(lead, body, tail)
}

/// `2026-12-03T19:40:01.123Z` as `12-03 19:40:01`; anything else as is.
pub fn short_time(at: &str) -> String {
    match (at.get(5..10), at.get(11..19)) {
        (Some(day), Some(time)) if at.len() >= 19 => format!("{day} {time}"),
        _ => at.chars().take(14).collect(),
    }
}

fn diff_style(kind: Kind, theme: &Theme) -> Style {
    let c = &theme.colors;
    match kind {
        Kind::Added => theme.fg(c.success),
        Kind::Removed => theme.fg(c.error),
        Kind::Changed => theme.fg(c.warning),
        Kind::Heading | Kind::Hunk => theme.fg(c.title),
        Kind::Context => theme.base(),
        Kind::Note => theme.dim(),
    }
}

/// The keys that work here, as the keymap binds them.
fn footer_line(view: &HistoryView, dcx: &DrawCx) -> Line<'static> {
    let theme = dcx.theme;
    let contexts = [KeyContext::History, KeyContext::Global];
    let wanted: &[(Action, &str)] = if view.input.is_some() {
        &[(Action::Select, "apply"), (Action::Back, "cancel")]
    } else if view.diff.is_some() {
        &[(Action::Down, "scroll"), (Action::Back, "back to the list")]
    } else {
        &[
            (Action::Select, "reopen"),
            (Action::Filter, "filter"),
            (Action::Mark, "mark"),
            (Action::Diff, "diff"),
            (Action::ToggleScope, "this/all"),
            (Action::Back, "close"),
        ]
    };
    let mut spans = Vec::new();
    for (action, label) in wanted {
        if *action == Action::ToggleScope && view.request.is_none() {
            continue;
        }
        let ctx: &[KeyContext] = if view.input.is_some() {
            &[KeyContext::Text]
        } else {
            &contexts
        };
        if let Some(key) = dcx.keymap.key_for(ctx, *action) {
            if !spans.is_empty() {
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled(key, theme.fg(theme.colors.title)));
            spans.push(Span::styled(format!(" {label}"), theme.dim()));
        }
    }
    Line::from(spans)
}
