//! Drawing the whole screen: a pure function of the app state.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::app::{App, Overlay};
use super::component::{Component, DrawCx};
use super::components::help::HelpOverlay;
use super::components::runner;
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
    if let Some(h) = &app.history {
        let dcx = DrawCx {
            theme,
            focused: app.overlay.is_none(),
            keymap: &app.keymap,
        };
        h.draw(frame, runner::area(size), &dcx);
    } else if let Some(r) = app.shown_runner() {
        let dcx = DrawCx {
            theme,
            focused: app.overlay.is_none(),
            keymap: &app.keymap,
        };
        r.draw(frame, runner::area(size), &dcx);
    } else {
        if let Some(r) = areas.tree {
            app.tree.draw(frame, r, &dcx(Focus::Tree));
        }
        if let Some(r) = areas.editor {
            app.editor.draw(frame, r, &dcx(Focus::Editor));
        }
        if let Some(r) = areas.response {
            app.response().draw(frame, r, &dcx(Focus::Response));
        }
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
            Overlay::Envs(e) => {
                let height = e.wanted_height().clamp(12, 24);
                e.draw(frame, layout::centered(size, 48, height), &dcx)
            }
            Overlay::Dialog(d) => d.draw(frame, layout::centered(size, 64, 8), &dcx),
            Overlay::OAuth(p) => p.draw(frame, p.area(size), &dcx),
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
    // The environment decides where requests go: it is always shown, and
    // the workspace's name gives way to it when the line is short.
    let mut tail = vec![Span::styled("  env: ", theme.dim())];
    match &app.environment {
        Some(e) => tail.extend(safe_spans(
            e,
            theme.fg(theme.colors.accent),
            theme.escaped(),
        )),
        None => tail.push(Span::styled("no environment", theme.dim())),
    }
    let s = SPINNER[app.spinner % SPINNER.len()];
    if !app.in_flight.is_empty() {
        tail.push(Span::styled(
            format!("  {s} {} in flight", app.in_flight.len()),
            theme.fg(theme.colors.warning),
        ));
    }
    // A run behind the panes (after a jump to a failure) still shows.
    if let Some(r) = (app.runner.as_ref()).filter(|r| r.running() && !app.runner_shown) {
        tail.push(Span::styled(
            format!("  {s} run {}/{}", r.executed, r.planned),
            theme.fg(theme.colors.warning),
        ));
    }
    if !app.dirty_paths().is_empty() {
        tail.push(Span::styled(
            format!("  ● {} unsaved", app.dirty_paths().len()),
            theme.fg(theme.colors.dirty),
        ));
    }
    let used = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    let room = (area.width as usize).saturating_sub(used(&spans) + used(&tail));
    spans.extend(fit_spans(
        safe_spans(&name, theme.base(), theme.escaped()),
        room,
    ));
    spans.extend(tail);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `spans` cut to `width` columns, with `…` where they were cut.
fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    use unicode_width::UnicodeWidthChar;
    if spans.iter().map(Span::width).sum::<usize>() <= width {
        return spans;
    }
    let mut left = width.saturating_sub(1);
    let mut out = Vec::new();
    let mut last_style = ratatui::style::Style::default();
    for span in spans {
        last_style = span.style;
        let mut text = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if w > left {
                left = 0;
                break;
            }
            left -= w;
            text.push(c);
        }
        out.push(Span::styled(text, span.style));
        if left == 0 {
            break;
        }
    }
    if width > 0 {
        out.push(Span::styled("…", last_style));
    }
    out
}

fn draw_footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let mut spans: Vec<Span> = Vec::new();
    if let Some(s) = &app.status {
        let style = if s.is_error {
            theme.fg(theme.colors.error)
        } else {
            theme.fg(theme.colors.success)
        };
        // The status first, cut with … when even it does not fit.
        spans.extend(fit_spans(
            safe_spans(&s.text, style, theme.escaped()),
            width,
        ));
        spans.push(Span::styled("  │ ", theme.dim()));
    }
    // Then as many whole hints as fit: a hint cut in half ("ctrl-q qui")
    // names a key that is not there.
    let mut used: usize = spans.iter().map(Span::width).sum();
    for (k, d) in app.hints() {
        let label = format!(" {d}");
        let w = k.chars().count() + label.chars().count();
        if used + w > width {
            break;
        }
        used += w + 2;
        spans.push(Span::styled(k, theme.fg(theme.colors.accent)));
        spans.push(Span::styled(format!("{label}  "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    use super::*;
    use crate::tui::keymap::Keymap;
    use crate::tui::msg::Msg;
    use crate::tui::test_util::buffer_text;
    use crate::tui::theme::Theme;

    fn demo_app() -> App {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let mut app = App::new(root.clone(), Keymap::defaults(), Theme::dark(), None);
        let ws = crate::storage::load_workspace(&root).unwrap();
        app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws))));
        app
    }

    fn header(app: &App, w: u16, h: u16) -> (String, ratatui::buffer::Buffer) {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| draw(app, f)).unwrap();
        let buf = term.backend().buffer().clone();
        let text = buffer_text(&buf);
        (text.lines().next().unwrap_or_default().to_string(), buf)
    }

    fn named(app: &mut App, name: &str) {
        if let Some(ws) = app.workspace.as_mut() {
            ws.config.name = Some(name.to_string());
        }
    }

    #[test]
    fn the_header_always_shows_the_environment_even_with_a_long_name() {
        let mut app = demo_app();
        named(
            &mut app,
            "The payments platform's internal admin API, version two",
        );
        for (w, h) in [(60, 20), (80, 24), (160, 48)] {
            app.update(Msg::Resize(w, h));
            let (line, buf) = header(&app, w, h);
            assert!(line.ends_with("env: local"), "{w}x{h}: {line:?}");
            // The environment's name stands out in the accent colour.
            let x = line.chars().count() as u16 - 1;
            assert_eq!(buf[(x, 0)].fg, app.theme.colors.accent, "{w}x{h}");
            if w == 80 {
                insta::assert_snapshot!("header_long_name_80", line);
            }
        }
        app.environment = None;
        app.update(Msg::Resize(60, 20));
        let (line, _) = header(&app, 60, 20);
        assert!(line.ends_with("env: no environment"), "{line:?}");
        insta::assert_snapshot!("header_no_environment_60", line);
    }

    #[test]
    fn the_footer_shows_only_whole_hints() {
        let mut app = demo_app();
        for (w, h) in [(80, 24), (60, 20), (40, 12)] {
            app.update(Msg::Resize(w, h));
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| draw(&app, f)).unwrap();
            let text = buffer_text(term.backend().buffer());
            let footer = text.lines().last().unwrap_or("").trim_end().to_string();
            // It ends on a whole hint, never one cut in half.
            let last = app.hints().into_iter().map(|(k, d)| format!("{k} {d}"));
            assert!(
                last.clone().any(|h| footer.ends_with(&h)),
                "{w}x{h}: {footer}"
            );
        }
    }
}
