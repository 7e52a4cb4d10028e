//! Drawing the whole screen: a pure function of the app state.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::app::{App, Overlay};
use super::component::{Component, DrawCx};
use super::components::help::HelpOverlay;
use super::layout::{self, Focus};
use super::widgets::safe_text::safe_spans;

pub fn draw(app: &App, frame: &mut Frame) {
    let size = frame.area();
    let theme = &app.theme;
    let areas = layout::layout(size, app.focus, app.zoom);
    if areas.too_small {
        let msg = Paragraph::new(vec![
            Line::from("postie"),
            Line::from(format!(
                "needs {}x{}",
                layout::MIN_WIDTH,
                layout::MIN_HEIGHT
            )),
        ])
        .wrap(Wrap { trim: true });
        frame.render_widget(msg, size);
        return;
    }
    draw_title(app, frame, areas.title);
    let dcx = |focus: Focus| DrawCx {
        theme,
        focused: app.focus == focus && app.overlay.is_none(),
        keymap: &app.keymap,
    };
    if let Some(r) = areas.tree {
        app.tree.draw(frame, r, &dcx(Focus::Tree));
    }
    if let Some(r) = areas.editor {
        app.editor.draw(frame, r, &dcx(Focus::Editor));
    }
    if let Some(r) = areas.response {
        app.response().draw(frame, r, &dcx(Focus::Response));
    }
    draw_footer(app, frame, areas.footer);
    if let Some(o) = &app.overlay {
        let dcx = DrawCx {
            theme,
            focused: true,
            keymap: &app.keymap,
        };
        match o {
            Overlay::Help(h) => h.draw(frame, HelpOverlay::area(size), &dcx),
            Overlay::Palette(p) => p.draw(frame, layout::centered(size, 90, 24), &dcx),
            Overlay::Envs(e) => e.draw(frame, layout::centered(size, 40, 12), &dcx),
            Overlay::Dialog(d) => d.draw(frame, layout::centered(size, 64, 8), &dcx),
        }
    }
}

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

fn draw_title(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let name = app
        .workspace
        .as_ref()
        .and_then(|w| w.config.name.clone())
        .unwrap_or_else(|| {
            app.root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let mut spans = vec![
        Span::styled(
            " postie ",
            theme.fg(theme.colors.accent).add_modifier(Modifier::BOLD),
        ),
        Span::styled("│ ", theme.dim()),
    ];
    spans.extend(safe_spans(&name, theme.base(), theme.escaped()));
    spans.push(Span::styled("  env: ", theme.dim()));
    match &app.environment {
        Some(e) => spans.extend(safe_spans(
            e,
            theme.fg(theme.colors.accent),
            theme.escaped(),
        )),
        None => spans.push(Span::styled("none", theme.dim())),
    }
    if app.busy() {
        let s = SPINNER[app.spinner % SPINNER.len()];
        spans.push(Span::styled(
            format!("  {s} {} in flight", app.in_flight.len()),
            theme.fg(theme.colors.warning),
        ));
    }
    if !app.dirty_paths().is_empty() {
        spans.push(Span::styled(
            format!("  ● {} unsaved", app.dirty_paths().len()),
            theme.fg(theme.colors.dirty),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans: Vec<Span> = Vec::new();
    if let Some(s) = &app.status {
        let style = if s.is_error {
            theme.fg(theme.colors.error)
        } else {
            theme.fg(theme.colors.success)
        };
        spans.extend(safe_spans(&s.text, style, theme.escaped()));
        spans.push(Span::styled("  │ ", theme.dim()));
    }
    for (k, d) in app.hints() {
        spans.push(Span::styled(k, theme.fg(theme.colors.accent)));
        spans.push(Span::styled(format!(" {d}  "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
