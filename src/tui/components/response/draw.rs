//! Drawing the response pane: a pure read of its state.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TableRow, Table, Wrap};
use ratatui::Frame;

use super::format::BodyKind;
use super::problems::Role;
use super::search::Haystack;
use super::view::Mark;
use super::*;
use crate::http::Header;
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::DrawCx;
use crate::tui::theme::Theme;
use crate::tui::widgets::safe_text::{safe_byte_spans, safe_spans};

pub use crate::units::{human_bytes, human_duration};

/// What the Timing tab reads from the response.
pub(super) fn timing_data(loaded: &Loaded) -> timing::TimingData<'_> {
    let mut hops: Vec<timing::Hop<'_>> = (loaded.redirects.iter())
        .map(|h| timing::Hop {
            status: h.status,
            url: &h.url,
            location: Some(&h.location),
            timings: &h.timings,
            connection: &h.connection,
        })
        .collect();
    hops.push(timing::Hop {
        status: loaded.status,
        url: &loaded.url,
        location: None,
        timings: &loaded.timings,
        connection: &loaded.connection,
    });
    timing::TimingData {
        hops,
        sizes: &loaded.sizes,
        wire_size: loaded.wire_size,
        decoded_size: loaded.decoded_size,
        trace_id: loaded.trace_id.as_deref(),
    }
}

/// The Timing tab as plain lines (also what `Copy` puts on the clipboard).
pub(super) fn timing_lines(loaded: &Loaded) -> Vec<String> {
    timing::plain_lines(&timing_data(loaded))
}

/// Theme styles used while drawing.
pub(super) struct Palette<'a> {
    theme: &'a Theme,
}

impl Palette<'_> {
    /// A syntax colour as the terminal can show it.
    pub(super) fn syntax(&self, s: Style) -> Style {
        crate::tui::highlight::for_theme(s, self.theme)
    }

    pub(super) fn mark(&self, mark: Mark) -> Style {
        let c = &self.theme.colors;
        match (mark, self.theme.monochrome) {
            (Mark::None, _) => Style::default(),
            (Mark::Match, true) => Style::default().add_modifier(Modifier::UNDERLINED),
            (Mark::Current, true) => Style::default().add_modifier(Modifier::REVERSED),
            (Mark::Match, false) => Style::default().bg(c.search_match_bg),
            (Mark::Current, false) => Style::default().bg(c.search_current_bg).fg(Color::Black),
        }
    }
}

impl ResponsePane {
    /// ` Response `, or ` Response · history 2/7 · 12-03 19:40:01 · run `
    /// for a past exchange.
    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let mut spans = vec![Span::styled(" Response ", theme.fg(theme.colors.title))];
        if let Some(origin) = &self.origin {
            spans.push(Span::styled(
                format!("· {origin} "),
                theme.fg(theme.colors.warning),
            ));
        }
        Line::from(spans)
    }

    pub(super) fn draw_pane(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(dcx.focused))
            .title(self.title_line(theme));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.width == 0 || inner.height == 0 {
            return;
        }
        let row = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
        if let Some(view) = &self.problems {
            self.draw_problems(frame, inner, view, dcx);
            return;
        }
        if self.tests_shown() && !matches!(self.phase, Phase::Done(_)) {
            self.draw_outcome_only(frame, inner, dcx);
            return;
        }
        match &self.phase {
            Phase::Empty => {
                let key = dcx
                    .keymap
                    .key_for(&[KeyContext::Response, KeyContext::Global], Action::Send)
                    .unwrap_or_else(|| "send".to_string());
                let hint = format!("No response yet. Send the request with {key}.");
                frame.render_widget(Paragraph::new(Span::styled(hint, theme.dim())), row(0));
            }
            Phase::Sending(s) => self.draw_sending(frame, inner, s, theme),
            Phase::Failed {
                cancelled: true, ..
            } => {
                let line = Span::styled("cancelled", theme.fg(theme.colors.warning));
                frame.render_widget(Paragraph::new(line), row(0));
            }
            Phase::Failed { message, .. } => {
                let mut lines = vec![Line::from(Span::styled(
                    "✗ request failed",
                    theme.fg(theme.colors.error).add_modifier(Modifier::BOLD),
                ))];
                lines.push(Line::from(safe_spans(
                    message,
                    theme.fg(theme.colors.error),
                    theme.escaped(),
                )));
                let p = Paragraph::new(lines).wrap(Wrap { trim: false });
                frame.render_widget(p, inner);
            }
            Phase::Done(loaded) => {
                // Lines cut at the pane's edge end in a mark: more is there.
                for (i, line) in [summary_line(loaded, theme), self.tabs_line(loaded, theme)]
                    .into_iter()
                    .enumerate()
                {
                    let width = line.width();
                    frame.render_widget(Paragraph::new(line), row(i as u16));
                    crate::tui::widgets::kv_table::mark_cut(
                        frame.buffer_mut(),
                        row(i as u16),
                        width,
                        "…",
                        theme.dim(),
                    );
                }
                if inner.height > CHROME_ROWS {
                    let content = Rect::new(
                        inner.x,
                        inner.y + 2,
                        inner.width,
                        inner.height - CHROME_ROWS,
                    );
                    self.draw_tab(frame, content, loaded, dcx);
                }
                if inner.height > 2 {
                    let footer = if self.tab == Tab::Tests && self.search_input.is_none() {
                        self.tests_footer(dcx)
                    } else {
                        self.footer_line(loaded, theme)
                    };
                    frame.render_widget(Paragraph::new(footer), row(inner.height - 1));
                }
            }
        }
    }
}

impl ResponsePane {
    /// A send without a response whose scripts said something: what
    /// happened on one row, then the Tests tab alone.
    pub(super) fn draw_outcome_only(&self, frame: &mut Frame, inner: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let row = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
        let head = match &self.phase {
            Phase::Failed {
                cancelled: true, ..
            } => Line::from(Span::styled("cancelled", theme.fg(theme.colors.warning))),
            Phase::Failed { message, .. } => {
                let style = theme.fg(theme.colors.error);
                let mut spans = vec![Span::styled(
                    "✗ request failed: ",
                    style.add_modifier(Modifier::BOLD),
                )];
                spans.extend(safe_spans(message, style, theme.escaped()));
                Line::from(spans)
            }
            _ => Line::from(Span::styled("not sent", theme.fg(theme.colors.warning))),
        };
        let width = head.width();
        frame.render_widget(Paragraph::new(head), row(0));
        crate::tui::widgets::kv_table::mark_cut(
            frame.buffer_mut(),
            row(0),
            width,
            "…",
            theme.dim(),
        );
        if inner.height < 2 {
            return;
        }
        let style = theme
            .fg(theme.colors.tab_active)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        let mut tabs = vec![Span::styled(Tab::Tests.title(), style)];
        tabs.extend(self.tests_count(theme, style));
        frame.render_widget(Paragraph::new(Line::from(tabs)), row(1));
        if inner.height > CHROME_ROWS {
            let content = Rect::new(
                inner.x,
                inner.y + 2,
                inner.width,
                inner.height - CHROME_ROWS,
            );
            self.draw_tests(frame, content, theme, dcx.focused);
        }
        if inner.height > 2 {
            frame.render_widget(
                Paragraph::new(self.tests_footer(dcx)),
                row(inner.height - 1),
            );
        }
    }

    pub(super) fn draw_problems(
        &self,
        frame: &mut Frame,
        inner: Rect,
        view: &ProblemsView,
        dcx: &DrawCx,
    ) {
        let theme = dcx.theme;
        let row = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
        let n = view.problems.len();
        let title = format!("✗ not sent: {n} problem{}", if n == 1 { "" } else { "s" });
        let title_style = theme.fg(theme.colors.error).add_modifier(Modifier::BOLD);
        frame.render_widget(Paragraph::new(Span::styled(title, title_style)), row(0));
        if inner.height < PROBLEMS_CHROME_ROWS {
            return;
        }
        let shown = self.problem_rows();
        let lines: Vec<Line> = view
            .rows
            .iter()
            .skip(view.scroll)
            .take(shown)
            .map(|r| {
                Line::from(
                    r.iter()
                        .map(|(text, role)| {
                            let style = match role {
                                Role::Field => {
                                    theme.fg(theme.colors.accent).add_modifier(Modifier::BOLD)
                                }
                                Role::Message => theme.fg(theme.colors.error),
                                Role::Hint => theme.base(),
                                Role::Location | Role::Plain => theme.dim(),
                            };
                            // Rows are escaped when made (`problems::rows`).
                            Span::styled(text.clone(), style)
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let body = Rect::new(
            inner.x,
            inner.y + 2,
            inner.width,
            inner.height - PROBLEMS_CHROME_ROWS,
        );
        frame.render_widget(Paragraph::new(lines), body);
        let key = dcx
            .keymap
            .key_for(&[KeyContext::Response, KeyContext::Global], Action::Back)
            .unwrap_or_else(|| "back".to_string());
        let what = match &self.phase {
            Phase::Done(_) => "shows the last response",
            _ => "hides this",
        };
        let mut footer = vec![Span::styled(format!("{key} {what}"), theme.dim())];
        if view.rows.len() > shown {
            let last = (view.scroll + shown).min(view.rows.len());
            footer.push(Span::styled(
                format!(
                    "  rows {}-{last}/{} (scrolls)",
                    view.scroll + 1,
                    view.rows.len()
                ),
                theme.dim(),
            ));
        }
        frame.render_widget(Paragraph::new(Line::from(footer)), row(inner.height - 1));
    }

    pub(super) fn draw_sending(&self, frame: &mut Frame, inner: Rect, s: &Sending, theme: &Theme) {
        let spin = SPINNER[s.spinner % SPINNER.len()];
        let mut spans = vec![Span::styled(
            format!("{spin} "),
            theme.fg(theme.colors.accent),
        )];
        if let Some(head) = &s.head {
            spans.push(Span::styled(
                head.status.to_string(),
                theme.status(head.status),
            ));
            spans.push(Span::raw(" "));
            spans.extend(safe_spans(&head.reason, theme.base(), theme.escaped()));
            spans.push(Span::raw("  receiving… "));
        } else {
            spans.push(Span::raw("sending… "));
        }
        let mut progress = human_bytes(s.received);
        if let Some(total) = s.total {
            progress.push_str(&format!(" of {}", human_bytes(total)));
        }
        spans.push(Span::styled(progress, theme.dim()));
        let area = Rect::new(inner.x, inner.y, inner.width, 1);
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        if let (Some(head), true) = (&s.head, inner.height > 2) {
            let lines: Vec<Line> = head
                .headers
                .iter()
                .take(usize::from(inner.height - 2))
                .map(|h| header_line(h, theme))
                .collect();
            let rest = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2);
            frame.render_widget(Paragraph::new(lines), rest);
        }
    }

    pub(super) fn tabs_line(&self, loaded: &Loaded, theme: &Theme) -> Line<'static> {
        let mut spans = Vec::new();
        for tab in Tab::ALL {
            let count = match tab {
                Tab::Headers => format!(" ({})", loaded.headers.len()),
                Tab::Cookies if !loaded.cookies.is_empty() => {
                    format!(" ({})", loaded.cookies.len())
                }
                _ => String::new(),
            };
            let style = if tab == self.tab {
                theme
                    .fg(theme.colors.tab_active)
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            } else {
                theme.fg(theme.colors.tab_inactive)
            };
            spans.push(Span::styled(format!("{}{count}", tab.title()), style));
            if tab == Tab::Tests {
                spans.extend(self.tests_count(theme, style));
            }
            spans.push(Span::raw("  "));
        }
        if self.tab == Tab::Body {
            let body = &loaded.body;
            let mode = match body.kind {
                BodyKind::Binary => {
                    let shown = if body.bytes().len() > hexdump::PREVIEW_BYTES {
                        format!(
                            "first {} in hex",
                            human_bytes(hexdump::PREVIEW_BYTES as u64)
                        )
                    } else {
                        "hex".to_string()
                    };
                    format!(
                        "binary {} · {shown}",
                        loaded.content_type.as_deref().unwrap_or("")
                    )
                }
                BodyKind::Text(language) => {
                    let form = if body.filtered.is_some() {
                        "jq"
                    } else if body.can_toggle_raw() && !body.show_raw {
                        "pretty"
                    } else {
                        "raw"
                    };
                    let wrap = if body.view.wrap { "wrap" } else { "nowrap" };
                    format!("{} · {form} · {wrap}", language.label())
                }
            };
            spans.push(Span::styled(
                crate::safe_text::escape(&mode, false),
                theme.dim(),
            ));
        }
        Line::from(spans)
    }

    /// ` 3/4` after the Tests tab's title, in the success or error colour
    /// (` ✗` when scripts threw but no test ran).
    pub(super) fn tests_count(&self, theme: &Theme, tab_style: Style) -> Option<Span<'static>> {
        let t = self.tests.as_ref()?;
        let (passed, total) = t.counts();
        let text = match (total, t.failed()) {
            (0, false) => return None,
            (0, true) => " ✗".to_string(),
            _ => format!(" {passed}/{total}"),
        };
        let color = if t.failed() {
            theme.colors.error
        } else {
            theme.colors.success
        };
        Some(Span::styled(text, tab_style.fg(color)))
    }

    /// The footer under the Tests tab: where the selection is, and where
    /// its key would jump.
    pub(super) fn tests_footer(&self, dcx: &DrawCx) -> Line<'static> {
        let theme = dcx.theme;
        let Some(t) = self.tests.as_ref() else {
            return Line::default();
        };
        let n = t.entry_count();
        let mut spans = vec![Span::styled(
            format!("{}/{n}", (t.selected + 1).min(n)),
            theme.dim(),
        )];
        if let Some(spot) = t.selected_spot() {
            let key = dcx
                .keymap
                .key_for(&[KeyContext::Response], Action::OpenScriptError)
                .unwrap_or_else(|| "open_script_error".to_string());
            spans.push(Span::styled(format!("  {key} opens "), theme.dim()));
            spans.extend(safe_spans(&spot.label(), theme.dim(), theme.escaped()));
        }
        Line::from(spans)
    }

    /// The Tests tab's rows in `area`, the selected entry highlighted.
    pub(super) fn draw_tests(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        let Some(t) = self.tests.as_ref() else {
            let file = self
                .test_file
                .clone()
                .unwrap_or_else(|| "<request>.test.js".to_string());
            let hint = format!("No tests ran. Scripts go in {file} (Scripts tab).");
            let p = Paragraph::new(Line::from(safe_spans(&hint, theme.dim(), theme.escaped())))
                .wrap(Wrap { trim: false });
            frame.render_widget(p, area);
            return;
        };
        use self::tests_tab::Role;
        let style = |role: Role| match role {
            Role::Pass => theme.fg(theme.colors.success),
            Role::Fail => theme.fg(theme.colors.error).add_modifier(Modifier::BOLD),
            Role::Error => theme.fg(theme.colors.error),
            Role::Skip | Role::Location | Role::Plain => theme.dim(),
            Role::Heading => theme.fg(theme.colors.title).add_modifier(Modifier::BOLD),
            Role::Log => theme.base(),
            Role::Warn => theme.fg(theme.colors.warning),
            Role::Escaped => theme.escaped(),
        };
        let selected = t.selected_rows();
        for (i, row) in t
            .rows()
            .iter()
            .enumerate()
            .skip(t.scroll)
            .take(usize::from(area.height))
        {
            let y = area.y + (i - t.scroll) as u16;
            let rect = Rect::new(area.x, y, area.width, 1);
            let line = Line::from(
                row.pieces
                    .iter()
                    .map(|(text, role)| Span::styled(text.clone(), style(*role)))
                    .collect::<Vec<_>>(),
            );
            frame.render_widget(Paragraph::new(line), rect);
            if selected.is_some_and(|(a, b)| (a..=b).contains(&i)) {
                use crate::tui::widgets::list_row::{highlight, Highlight};
                let h = if focused {
                    Highlight::Focused
                } else {
                    Highlight::Unfocused
                };
                highlight(frame.buffer_mut(), rect, theme, h);
            }
        }
    }

    pub(super) fn footer_line(&self, loaded: &Loaded, theme: &Theme) -> Line<'static> {
        if let Some(query) = &self.search_input {
            let mut spans = vec![Span::styled("/", theme.fg(theme.colors.accent))];
            spans.extend(safe_spans(query, theme.base(), theme.escaped()));
            spans.push(crate::tui::widgets::cursor::span(theme));
            return Line::from(spans);
        }
        if self.tab == Tab::Body {
            if let Some(spans) = self.jq_spans(theme) {
                return Line::from(spans);
            }
        }
        if self.tab != Tab::Body {
            let len = table_len(loaded, self.tab);
            let at = self.table_scroll[self.tab.index()];
            return Line::from(Span::styled(
                format!("{}/{}", (at + 1).min(len), len),
                theme.dim(),
            ));
        }
        let body = &loaded.body;
        let lines = body.shown_doc().map_or(0, |d| d.line_count());
        let mut spans = vec![Span::styled(
            format!("line {}/{lines}", body.view.top.line + 1),
            theme.dim(),
        )];
        if let Some(search) = &body.search {
            // The count before the query: a long query is what a narrow
            // pane cuts, never how many matches there are.
            spans.push(Span::raw("  "));
            let counter_style = if search.matches.is_empty() && search.done {
                theme.fg(theme.colors.warning)
            } else {
                theme.fg(theme.colors.accent)
            };
            spans.push(Span::styled(search.counter(), counter_style));
            if !search.done {
                let pct = search.percent(body.shown_ref().map_or(0, |s| s.end()));
                spans.push(Span::styled(format!(" searching {pct}%"), theme.dim()));
            }
            spans.push(Span::styled(" /", theme.fg(theme.colors.accent)));
            spans.extend(safe_spans(&search.query, theme.base(), theme.escaped()));
        }
        Line::from(spans)
    }

    pub(super) fn draw_tab(&self, frame: &mut Frame, area: Rect, loaded: &Loaded, dcx: &DrawCx) {
        let theme = dcx.theme;
        let skip = self.table_scroll[self.tab.index()];
        let columns = (
            0,
            self.table_hscroll[self.tab.index()].min(usize::from(u16::MAX)) as u16,
        );
        let rows = usize::from(area.height);
        match self.tab {
            Tab::Body => {
                let palette = Palette { theme };
                let lines: Vec<Line> = loaded
                    .body
                    .view
                    .rows
                    .iter()
                    .map(|row| {
                        Line::from(
                            row.iter()
                                .map(|p| {
                                    let base = if p.escaped {
                                        theme.escaped()
                                    } else {
                                        theme.base().patch(palette.syntax(p.style))
                                    };
                                    Span::styled(p.text.clone(), base.patch(palette.mark(p.mark)))
                                })
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect();
                frame.render_widget(Paragraph::new(lines), area);
            }
            Tab::Tests => self.draw_tests(frame, area, theme, dcx.focused),
            Tab::Headers => {
                let lines: Vec<Line> = loaded
                    .headers
                    .iter()
                    .skip(skip)
                    .take(rows)
                    .map(|h| header_line(h, theme))
                    .collect();
                frame.render_widget(Paragraph::new(lines).scroll(columns), area);
            }
            Tab::Cookies => {
                if loaded.cookies.is_empty() {
                    let p = Paragraph::new(Span::styled("No Set-Cookie headers.", theme.dim()));
                    frame.render_widget(p, area);
                    return;
                }
                let cell =
                    |s: &str| Cell::from(Line::from(safe_spans(s, theme.base(), theme.escaped())));
                let opt = |s: &Option<String>| cell(s.as_deref().unwrap_or(""));
                let header = TableRow::new(
                    ["Name", "Value", "Domain", "Path", "Expires", "Flags"]
                        .map(|h| Cell::from(Span::styled(h, theme.fg(theme.colors.title)))),
                );
                let body_rows = loaded.cookies.iter().skip(skip).take(rows).map(|c| {
                    TableRow::new(vec![
                        Cell::from(Line::from(safe_spans(
                            &c.name,
                            theme.fg(theme.colors.accent),
                            theme.escaped(),
                        ))),
                        cell(&c.value),
                        opt(&c.domain),
                        opt(&c.path),
                        opt(&c.expires),
                        cell(&c.flags()),
                    ])
                });
                use ratatui::layout::Constraint::{Fill, Length, Percentage};
                let table = Table::new(
                    body_rows,
                    [
                        Percentage(18),
                        Percentage(30),
                        Length(16),
                        Length(8),
                        Length(20),
                        Fill(1),
                    ],
                )
                .header(header);
                frame.render_widget(table, area);
            }
            Tab::Timing => {
                let lines = timing_view(loaded, theme, area.width);
                let p = Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>());
                frame.render_widget(p.scroll(columns), area);
            }
        }
    }
}

pub(super) fn header_line(h: &Header, theme: &Theme) -> Line<'static> {
    header_line_styled(
        h,
        [
            theme.fg(theme.colors.accent).add_modifier(Modifier::BOLD),
            theme.dim(),
            theme.base(),
            theme.escaped(),
        ],
    )
}

/// A header row in the styles `[name, dim, value, escaped]` (the widths
/// are measured with default ones).
pub(super) fn header_line_styled(
    h: &Header,
    [name, dim, base, escaped]: [Style; 4],
) -> Line<'static> {
    let mut spans = safe_spans(&h.name, name, escaped);
    spans.push(Span::styled(": ", dim));
    let shown = &h.value[..h.value.len().min(MAX_HEADER_SHOWN)];
    spans.extend(safe_byte_spans(shown, base, escaped));
    if h.value.len() > MAX_HEADER_SHOWN {
        spans.push(Span::styled(
            format!(
                " … ({} more)",
                human_bytes((h.value.len() - MAX_HEADER_SHOWN) as u64)
            ),
            dim,
        ));
    }
    Line::from(spans)
}

/// `200 OK  HTTP/1.1 · 123 ms (ttfb 45 ms) · 1.2 MiB (wire 300.0 KiB) · 2 redirects`.
pub(super) fn summary_line(loaded: &Loaded, theme: &Theme) -> Line<'static> {
    let sep = || Span::styled(" · ", theme.dim());
    let mut spans = vec![Span::styled(
        loaded.status.to_string(),
        theme.status(loaded.status),
    )];
    if !loaded.reason.is_empty() {
        spans.push(Span::raw(" "));
        spans.extend(safe_spans(
            &loaded.reason,
            theme.status(loaded.status),
            theme.escaped(),
        ));
    }
    spans.push(Span::raw("  "));
    spans.extend(safe_spans(&loaded.version, theme.dim(), theme.escaped()));
    spans.push(sep());
    spans.push(Span::styled(
        human_duration(loaded.timings.total),
        theme.base(),
    ));
    spans.push(Span::styled(
        format!(" (ttfb {})", human_duration(loaded.timings.ttfb)),
        theme.dim(),
    ));
    spans.push(sep());
    spans.push(Span::styled(human_bytes(loaded.decoded_size), theme.base()));
    if loaded.wire_size != loaded.decoded_size {
        spans.push(Span::styled(
            format!(" (wire {})", human_bytes(loaded.wire_size)),
            theme.dim(),
        ));
    }
    if loaded.truncated {
        spans.push(sep());
        spans.push(Span::styled(
            format!("cut at {}", human_bytes(loaded.decoded_size)),
            theme.fg(theme.colors.warning),
        ));
    }
    if loaded.unverified {
        spans.push(sep());
        spans.push(Span::styled(
            "⚠ TLS not verified",
            theme.fg(theme.colors.warning),
        ));
    }
    if !loaded.redirects.is_empty() {
        spans.push(sep());
        let n = loaded.redirects.len();
        let s = if n == 1 { "" } else { "s" };
        spans.push(Span::styled(format!("{n} redirect{s}"), theme.base()));
    }
    Line::from(spans)
}

pub(super) fn timing_view(loaded: &Loaded, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    timing::lines(&timing_data(loaded), theme, width)
}
