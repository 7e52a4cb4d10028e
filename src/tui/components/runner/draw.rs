//! Drawing the runner view: the progress line, the executions beside the
//! selected one's tests, then the summary table once the run is over.
//! Names, URLs, messages and console text come from the collection and
//! the server: all go through the safe-text spans.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::runner::record::{Counter, Execution, Stopped, Summary};
use crate::script::ConsoleLevel;
use crate::tui::component::DrawCx;
use crate::tui::components::response::{human_bytes, human_duration};
use crate::tui::theme::Theme;
use crate::tui::widgets::list_row::{method_badge, spans_width, Highlight, ListRow};
use crate::tui::widgets::safe_text::safe_spans;

use super::{Phase, RunnerView};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// Rows of the summary: a heading, five counters, two lines of times.
const SUMMARY_ROWS: u16 = 8;
/// The details show beside the list from this width on.
const SIDE_BY_SIDE: u16 = 60;

/// Where the view's parts go inside its border.
pub struct Parts {
    pub progress: Rect,
    pub warning: Option<Rect>,
    pub list: Rect,
    pub details: Option<Rect>,
    pub summary: Option<Rect>,
}

/// The parts of a view drawn in `area` (its border included).
pub fn parts(view: &RunnerView, area: Rect) -> Parts {
    let inner = Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    let row = |y: u16, h: u16| Rect {
        x: inner.x,
        y,
        width: inner.width,
        height: h,
    };
    let progress = row(inner.y, inner.height.min(1));
    let mut y = progress.bottom();
    let warning = if view.warnings.is_empty() || inner.height < 6 {
        None
    } else {
        y += 1;
        Some(row(y - 1, 1))
    };
    let mut rest = inner.bottom().saturating_sub(y);
    let summary = if view.summary().is_some() && rest >= SUMMARY_ROWS + 4 {
        rest -= SUMMARY_ROWS;
        Some(row(y + rest, SUMMARY_ROWS))
    } else {
        None
    };
    let main = row(y, rest);
    if inner.width >= SIDE_BY_SIDE {
        let list_w = (inner.width * 9 / 20).clamp(30, 60);
        let list = Rect {
            width: list_w,
            ..main
        };
        let details = Rect {
            x: main.x + list_w + 1,
            width: main.width.saturating_sub(list_w + 1),
            ..main
        };
        Parts {
            progress,
            warning,
            list,
            details: Some(details),
            summary,
        }
    } else {
        Parts {
            progress,
            warning,
            list: main,
            details: None,
            summary,
        }
    }
}

pub fn draw(view: &RunnerView, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
    let theme = dcx.theme;
    frame.render_widget(Clear, area);
    let mut title = vec![Span::styled(" Run ", theme.fg(theme.colors.title))];
    title.extend(safe_spans(
        &view.name,
        theme.fg(theme.colors.title),
        theme.escaped(),
    ));
    title.push(Span::raw(" "));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(dcx.focused))
        .title(Line::from(title));
    frame.render_widget(block, area);
    let p = parts(view, area);
    frame.render_widget(Paragraph::new(progress_line(view, theme)), p.progress);
    if let (Some(r), Some(w)) = (p.warning, view.warnings.last()) {
        let mut spans = vec![Span::styled("⚠ ", theme.fg(theme.colors.warning))];
        spans.extend(safe_spans(
            w,
            theme.fg(theme.colors.warning),
            theme.escaped(),
        ));
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    draw_list(view, frame, p.list, dcx);
    if let Some(r) = p.details {
        // A thin rule between list and details.
        let rule = Rect {
            x: r.x.saturating_sub(1),
            width: 1,
            ..r
        };
        let lines: Vec<Line> = (0..rule.height)
            .map(|_| Line::styled("│", theme.dim()))
            .collect();
        frame.render_widget(Paragraph::new(lines), rule);
        let lines = match view.selected() {
            Some(e) => details(e, theme),
            None => vec![Line::styled("no request has run yet", theme.dim())],
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), r);
    }
    if let (Some(r), Some(s)) = (p.summary, view.summary()) {
        frame.render_widget(Paragraph::new(summary_lines(s, theme)), r);
    }
}

fn progress_line<'a>(view: &RunnerView, theme: &Theme) -> Line<'a> {
    let (mark, word, style) = match &view.phase {
        Phase::Starting | Phase::Running if view.cancelling => (
            SPINNER[view.spinner % SPINNER.len()],
            "stopping",
            theme.fg(theme.colors.warning),
        ),
        Phase::Starting | Phase::Running => (
            SPINNER[view.spinner % SPINNER.len()],
            "running",
            theme.fg(theme.colors.accent),
        ),
        Phase::Done(s) if matches!(s.stopped, Some(Stopped::Cancelled)) => {
            ("■", "cancelled", theme.fg(theme.colors.warning))
        }
        Phase::Done(s) if s.failed() => ("✗", "failed", theme.fg(theme.colors.error)),
        Phase::Done(_) => ("✓", "passed", theme.fg(theme.colors.success)),
        Phase::Failed(_) => ("✗", "stopped", theme.fg(theme.colors.error)),
    };
    let bold = style.add_modifier(Modifier::BOLD);
    let planned = if view.planned > 0 {
        format!("/{}", view.planned)
    } else {
        String::new()
    };
    let failed_style = if view.failed > 0 {
        theme.fg(theme.colors.error)
    } else {
        theme.dim()
    };
    let mut spans = vec![
        Span::styled(format!("{mark} {word}"), bold),
        Span::styled("  ", theme.dim()),
        Span::styled(format!("{}{planned}", view.executed), theme.base()),
        Span::styled(" requests · ", theme.dim()),
        Span::styled(format!("{} failed", view.failed), failed_style),
        Span::styled(" · ", theme.dim()),
        Span::styled(human_duration(view.elapsed), theme.base()),
    ];
    if view.unlisted > 0 {
        spans.push(Span::styled(
            format!(" · {} not listed", view.unlisted),
            theme.dim(),
        ));
    }
    match &view.phase {
        Phase::Done(s) => {
            if let Some(why) = stopped_text(s.stopped.as_ref()) {
                spans.push(Span::styled(" · ", theme.dim()));
                spans.extend(safe_spans(
                    &why,
                    theme.fg(theme.colors.warning),
                    theme.escaped(),
                ));
            }
        }
        Phase::Failed(m) => {
            spans.push(Span::styled(" · ", theme.dim()));
            spans.extend(safe_spans(m, theme.fg(theme.colors.error), theme.escaped()));
        }
        _ => {}
    }
    Line::from(spans)
}

fn stopped_text(stopped: Option<&Stopped>) -> Option<String> {
    Some(match stopped? {
        Stopped::Cancelled => "stopped by you".to_string(),
        Stopped::Bail(m) => format!("bailed: {m}"),
        Stopped::Loop(m) => m.clone(),
        Stopped::Timeout(d) => format!("timed out after {}", human_duration(*d)),
    })
}

fn draw_list(view: &RunnerView, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
    let theme = dcx.theme;
    if view.rows.is_empty() {
        let text = if view.running() {
            "waiting for the first response…"
        } else {
            "nothing ran"
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), area);
        return;
    }
    let buf = frame.buffer_mut();
    for (i, e) in view
        .rows
        .iter()
        .enumerate()
        .skip(view.scroll())
        .take(usize::from(area.height))
    {
        let y = area.y + (i - view.scroll()) as u16;
        let highlight = match (i == view.cursor, dcx.focused) {
            (false, _) => Highlight::None,
            (true, true) => Highlight::Focused,
            (true, false) => Highlight::Unfocused,
        };
        let line = row(e, theme, usize::from(area.width));
        line.render(
            Rect {
                y,
                height: 1,
                ..area
            },
            buf,
            theme,
            highlight,
        );
    }
}

/// `✗ GET     Get user   500  12 ms`, the status and time at the right
/// edge of `width`.
fn row<'a>(e: &Execution, theme: &Theme, width: usize) -> ListRow<'a> {
    let mut lead = vec![mark(!e.failed(), theme), Span::raw(" ")];
    let method = e.request.as_ref().map_or("—", |r| r.method.as_str());
    lead.extend(method_badge(method, theme));
    let body = safe_spans(&e.item.name, theme.base(), theme.escaped());
    let mut tail = vec![Span::raw(" ")];
    match (&e.response, &e.error) {
        (Some(r), _) => {
            tail.push(Span::styled(r.status.to_string(), theme.status(r.status)));
            tail.push(Span::styled(
                format!(" {:>7}", human_duration(r.time)),
                theme.dim(),
            ));
        }
        (None, Some(_)) => tail.push(Span::styled("error", theme.fg(theme.colors.error))),
        (None, None) if e.skipped => tail.push(Span::styled("skipped", theme.dim())),
        (None, None) => tail.push(Span::styled("not sent", theme.dim())),
    }
    let used = spans_width(&lead) + spans_width(&body) + spans_width(&tail);
    let mut body = body;
    if used < width {
        body.push(Span::raw(" ".repeat(width - used)));
    }
    ListRow::new(lead, body, tail)
}

fn mark<'a>(passed: bool, theme: &Theme) -> Span<'a> {
    if passed {
        Span::styled("✓", theme.fg(theme.colors.success))
    } else {
        Span::styled("✗", theme.fg(theme.colors.error))
    }
}

/// The selected execution: where it is, what went, what came back, its
/// tests, script errors and console.
fn details<'a>(e: &Execution, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut path = Vec::new();
    for f in &e.item.folders {
        path.extend(safe_spans(f, theme.dim(), theme.escaped()));
        path.push(Span::styled(" › ", theme.dim()));
    }
    path.extend(safe_spans(
        &e.item.name,
        theme.base().add_modifier(Modifier::BOLD),
        theme.escaped(),
    ));
    lines.push(Line::from(path));
    if let Some(r) = &e.request {
        let mut spans = vec![Span::styled(
            format!("{} ", r.method),
            theme.method(&r.method),
        )];
        spans.extend(safe_spans(&r.url, theme.base(), theme.escaped()));
        lines.push(Line::from(spans));
    }
    match (&e.response, &e.error) {
        (Some(r), _) => {
            let mut spans = vec![Span::styled(r.status.to_string(), theme.status(r.status))];
            spans.push(Span::raw(" "));
            spans.extend(safe_spans(
                &r.reason,
                theme.status(r.status),
                theme.escaped(),
            ));
            spans.push(Span::styled(
                format!(
                    " · {} · {}",
                    human_duration(r.time),
                    human_bytes(r.decoded_size)
                ),
                theme.dim(),
            ));
            lines.push(Line::from(spans));
        }
        (None, Some(m)) => {
            let style = theme.fg(theme.colors.error);
            lines.push(Line::from(safe_spans(m, style, theme.escaped())));
        }
        (None, None) if e.skipped => lines.push(Line::styled(
            "skipped by its pre-request script",
            theme.dim(),
        )),
        (None, None) => lines.push(Line::styled("not sent", theme.dim())),
    }
    if !e.tests.is_empty() {
        lines.push(Line::default());
        lines.push(heading("Tests", theme));
        for t in &e.tests {
            let mut spans = vec![Span::raw("  ")];
            if t.skipped {
                spans.push(Span::styled("–", theme.dim()));
            } else {
                spans.push(mark(!t.failed(), theme));
            }
            spans.push(Span::raw(" "));
            spans.extend(safe_spans(&t.name, theme.base(), theme.escaped()));
            lines.push(Line::from(spans));
            if let Some(m) = t.error.as_ref().filter(|_| t.failed()) {
                let mut spans = vec![Span::raw("      ")];
                spans.extend(safe_spans(m, theme.fg(theme.colors.error), theme.escaped()));
                lines.push(Line::from(spans));
            }
        }
    }
    if !e.script_errors.is_empty() {
        lines.push(Line::default());
        lines.push(heading("Script errors", theme));
        for err in &e.script_errors {
            let at = match (err.line, err.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", err.file.display()),
                (Some(l), None) => format!("{}:{l}", err.file.display()),
                _ => err.file.display().to_string(),
            };
            let mut spans = vec![Span::raw("  ")];
            spans.extend(safe_spans(
                &err.message,
                theme.fg(theme.colors.error),
                theme.escaped(),
            ));
            spans.push(Span::styled("  ", theme.dim()));
            spans.extend(safe_spans(&at, theme.dim(), theme.escaped()));
            lines.push(Line::from(spans));
        }
    }
    if !e.console.is_empty() {
        lines.push(Line::default());
        lines.push(heading("Console", theme));
        for c in &e.console {
            let (word, style) = match c.level {
                ConsoleLevel::Log => ("log  ", theme.dim()),
                ConsoleLevel::Info => ("info ", theme.fg(theme.colors.accent)),
                ConsoleLevel::Warn => ("warn ", theme.fg(theme.colors.warning)),
                ConsoleLevel::Error => ("error", theme.fg(theme.colors.error)),
            };
            let mut spans = vec![Span::raw("  "), Span::styled(word, style), Span::raw(" ")];
            spans.extend(safe_spans(&c.text, theme.base(), theme.escaped()));
            lines.push(Line::from(spans));
        }
    }
    lines
}

fn heading<'a>(text: &'static str, theme: &Theme) -> Line<'a> {
    Line::styled(
        text,
        theme.fg(theme.colors.title).add_modifier(Modifier::BOLD),
    )
}

/// newman's table: executed and failed per kind, then the times.
fn summary_lines<'a>(s: &Summary, theme: &Theme) -> Vec<Line<'a>> {
    let head = theme.dim();
    let counter = |name: &str, c: Counter| {
        let failed = if c.failed > 0 {
            theme.fg(theme.colors.error)
        } else {
            theme.base()
        };
        Line::from(vec![
            Span::styled(format!("{name:>20}"), theme.base()),
            Span::styled(format!("{:>10}", c.executed), theme.base()),
            Span::styled(format!("{:>10}", c.failed), failed),
        ])
    };
    let t = &s.response_times;
    let ms = |d| human_duration(d);
    vec![
        Line::from(vec![
            Span::styled(format!("{:>20}", ""), head),
            Span::styled(format!("{:>10}{:>10}", "executed", "failed"), head),
        ]),
        counter("iterations", s.iterations),
        counter("requests", s.requests),
        counter("test-scripts", s.test_scripts),
        counter("prerequest-scripts", s.prerequest_scripts),
        counter("assertions", s.assertions),
        Line::from(vec![
            Span::styled("total run duration ", head),
            Span::styled(ms(s.duration), theme.base()),
            Span::styled(" · data received ", head),
            Span::styled(human_bytes(s.data_received), theme.base()),
        ]),
        Line::from(vec![
            Span::styled("response time avg ", head),
            Span::styled(ms(t.mean), theme.base()),
            Span::styled(" · min ", head),
            Span::styled(ms(t.min), theme.base()),
            Span::styled(" · max ", head),
            Span::styled(ms(t.max), theme.base()),
            Span::styled(" · p95 ", head),
            Span::styled(ms(t.p95), theme.base()),
        ]),
    ]
}
