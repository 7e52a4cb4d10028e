//! The help overlay, generated from the active keymap and the actions'
//! descriptions, so it can never drift from what the keys really do (a
//! user's keymap shows as it is). Every table has its group, the focused
//! pane's first; the overlay scrolls and says so.

use ratatui::layout::{Alignment, Margin, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};
use ratatui::Frame;

use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub title: String,
    /// (keys, what they do)
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct HelpOverlay {
    pub sections: Vec<HelpSection>,
    scroll: usize,
    height: usize,
    width: usize,
}

/// Rows for `ctx`: each action once, with all its keys, described as it
/// works there.
fn rows_for(keymap: &Keymap, ctx: KeyContext) -> Vec<(String, String)> {
    let mut rows: Vec<(Action, Vec<String>)> = Vec::new();
    for (keys, action) in keymap.bindings(ctx) {
        match rows.iter_mut().find(|(a, _)| *a == action) {
            Some((_, ks)) => ks.push(keys),
            None => rows.push((action, vec![keys])),
        }
    }
    rows.into_iter()
        .map(|(a, ks)| (ks.join(", "), a.describe_in(ctx).to_string()))
        .collect()
}

/// The heading of a table's group.
fn title(ctx: KeyContext) -> &'static str {
    match ctx {
        KeyContext::Global => "Everywhere (tree, editor and response)",
        KeyContext::Tree => "Collection tree",
        KeyContext::Editor => "Request editor",
        KeyContext::Response => "Response",
        KeyContext::Text => "While typing in a field",
        KeyContext::Palette => "Palette and environment picker",
        KeyContext::Help => "This help",
        KeyContext::Dialog => "Questions (delete?, quit?)",
        KeyContext::Runner => "Runner (a collection run's results)",
        KeyContext::History => "History (past exchanges)",
    }
}

impl HelpOverlay {
    /// Every context's keys, `focused`'s group first, then the global
    /// ones, then the rest; last, the commands only the palette runs.
    pub fn build(keymap: &Keymap, focused: KeyContext) -> HelpOverlay {
        let mut order = vec![focused];
        for ctx in [
            KeyContext::Global,
            KeyContext::Tree,
            KeyContext::Editor,
            KeyContext::Response,
            KeyContext::Runner,
            KeyContext::History,
            KeyContext::Text,
            KeyContext::Palette,
            KeyContext::Dialog,
            KeyContext::Help,
        ] {
            if !order.contains(&ctx) {
                order.push(ctx);
            }
        }
        let mut sections = Vec::new();
        for ctx in order {
            let rows = rows_for(keymap, ctx);
            if rows.is_empty() {
                continue;
            }
            let mut heading = title(ctx).to_string();
            if ctx == focused && ctx != KeyContext::Global {
                heading.push_str(" (this pane)");
            }
            sections.push(HelpSection {
                title: heading,
                rows,
            });
        }
        let unbound: Vec<(String, String)> = Action::ALL
            .iter()
            .filter(|a| a.is_command())
            .filter(|a| {
                KeyContext::ALL
                    .iter()
                    .all(|c| keymap.key_for(&[*c], **a).is_none())
            })
            .map(|a| (String::new(), a.describe().to_string()))
            .collect();
        if !unbound.is_empty() {
            let palette = keymap
                .key_for(&[KeyContext::Global], Action::Palette)
                .map(|k| format!(" ({k})"))
                .unwrap_or_default();
            sections.push(HelpSection {
                title: format!("No key: run from the palette{palette}"),
                rows: unbound,
            });
        }
        HelpOverlay {
            sections,
            scroll: 0,
            height: 10,
            width: 74,
        }
    }

    /// Where the overlay goes on a `screen`-sized terminal.
    pub fn area(screen: Rect) -> Rect {
        crate::tui::layout::centered(screen, 76, 40)
    }

    /// `area` is the overlay's, borders included.
    pub fn set_viewport(&mut self, area: Rect) {
        self.height = usize::from(area.height.saturating_sub(2)).max(1);
        self.width = usize::from(area.width.saturating_sub(2)).max(1);
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// Width of the keys column.
    fn key_width(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|s| s.rows.iter().map(|(k, _)| k.chars().count()))
            .max()
            .unwrap_or(0)
            .min(20)
    }

    /// Every line at `width`: a blank line between sections, a title, then
    /// the rows; a description too long for the line goes on under itself.
    fn lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let key_width = self.key_width();
        let indent = key_width + 4;
        // One column spare, beside the scrollbar.
        let room = width.saturating_sub(indent + 1).max(12);
        let mut lines = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            if i > 0 {
                lines.push(Line::default());
            }
            lines.push(Line::from(Span::styled(
                s.title.clone(),
                theme.base().add_modifier(Modifier::BOLD),
            )));
            for (k, d) in &s.rows {
                for (j, part) in wrap(d, room).into_iter().enumerate() {
                    let keys = if j == 0 { k.as_str() } else { "" };
                    lines.push(Line::from(vec![
                        Span::styled(
                            format!("  {keys:<key_width$}  "),
                            theme.fg(theme.colors.accent),
                        ),
                        Span::styled(part, theme.base()),
                    ]));
                }
            }
        }
        lines
    }

    fn line_count(&self) -> usize {
        self.lines(self.width, &Theme::dark()).len()
    }

    fn max_scroll(&self) -> usize {
        self.line_count().saturating_sub(self.height)
    }

    /// The first line shown (0-based), for tests and the position sign.
    pub fn scroll(&self) -> usize {
        self.scroll
    }
}

/// `text` in pieces of at most `width` characters, broken at spaces where
/// it can be.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            out.push(head);
        }
    }
    out.push(line);
    out
}

impl Component for HelpOverlay {
    fn context(&self) -> KeyContext {
        KeyContext::Help
    }

    fn actions(&self) -> Vec<Action> {
        let mut a = Action::SCROLL.to_vec();
        a.push(Action::Back);
        a
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        let Input::Action(a) = input else {
            return Flow::Done;
        };
        let max = self.max_scroll();
        match a {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(self.height),
            Action::PageDown => self.scroll = (self.scroll + self.height).min(max),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = max,
            Action::Back | Action::Help | Action::Quit => cx.notice(Notice::CloseOverlay),
            _ => {}
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let lines = self.lines(usize::from(area.width.saturating_sub(2)), theme);
        let total = lines.len();
        let rows = usize::from(area.height.saturating_sub(2));
        let scroll = self.scroll.min(total.saturating_sub(rows));
        let shown_to = (scroll + rows).min(total);
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Span::styled(" Keys ", theme.fg(theme.colors.title)))
            .title_bottom(Span::styled(" esc closes ", theme.dim()));
        if total > rows {
            // Where we are, and which way there is more.
            let arrow = if shown_to < total {
                " ↓ more"
            } else {
                " ↑ more"
            };
            block = block.title_bottom(
                Line::from(vec![
                    Span::styled(
                        format!(" {}–{shown_to} of {total}", scroll + 1),
                        theme.dim(),
                    ),
                    Span::styled(format!("{arrow} "), theme.fg(theme.colors.accent)),
                ])
                .alignment(Alignment::Right),
            );
        }
        let inner = block.inner(area);
        frame.render_widget(Clear, area);
        frame.render_widget(block, area);
        let visible: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
        frame.render_widget(Paragraph::new(visible), inner);
        if total > rows {
            let mut state = ScrollbarState::new(total.saturating_sub(rows) + 1)
                .position(scroll)
                .viewport_content_length(rows);
            frame.render_stateful_widget(
                Scrollbar::new(ScrollbarOrientation::VerticalRight)
                    .begin_symbol(None)
                    .end_symbol(None)
                    .thumb_style(theme.fg(theme.colors.accent))
                    .track_style(theme.dim()),
                area.inner(Margin {
                    vertical: 1,
                    horizontal: 0,
                }),
                &mut state,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    use super::*;
    use crate::tui::app::{App, Overlay};
    use crate::tui::msg::Msg;
    use crate::tui::test_util::buffer_text;

    fn demo_app(keymap: Keymap) -> App {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let mut app = App::new(root.clone(), keymap, Theme::dark(), None);
        app.update(Msg::Resize(80, 24));
        let ws = crate::storage::load_workspace(&root).unwrap();
        app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws))));
        app
    }

    fn press(app: &mut App, code: KeyCode) {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn screen(app: &App) -> String {
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| crate::tui::view::draw(app, f)).unwrap();
        buffer_text(term.backend().buffer())
    }

    fn help(app: &App) -> &HelpOverlay {
        match &app.overlay {
            Some(Overlay::Help(h)) => h,
            _ => panic!("help is not open"),
        }
    }

    fn all_rows(h: &HelpOverlay) -> Vec<(String, String)> {
        h.sections.iter().flat_map(|s| s.rows.clone()).collect()
    }

    #[test]
    fn at_80x24_help_says_it_scrolls_and_j_g_and_shift_g_move_it() {
        let mut app = demo_app(Keymap::defaults());
        press(&mut app, KeyCode::Char('?'));
        let first = screen(&app);
        assert!(first.contains("↓ more"), "{first}");
        assert!(first.contains("1–20 of"), "{first}");
        insta::assert_snapshot!("help_80x24_top", first);
        // The sign stands out: the arrow in the accent colour.
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| crate::tui::view::draw(&app, f)).unwrap();
        let buf = term.backend().buffer();
        let row = 22;
        let x = (0..80u16)
            .find(|&x| buf[(x, row)].symbol() == "↓")
            .expect("an arrow on the bottom border");
        assert_eq!(buf[(x, row)].fg, app.theme.colors.accent);
        press(&mut app, KeyCode::Char('j'));
        assert_eq!(help(&app).scroll(), 1);
        press(&mut app, KeyCode::Char('G'));
        let end = screen(&app);
        assert!(end.contains("↑ more") && !end.contains("↓ more"), "{end}");
        insta::assert_snapshot!("help_80x24_bottom", end);
        press(&mut app, KeyCode::Char('g'));
        assert_eq!(help(&app).scroll(), 0);
        press(&mut app, KeyCode::End);
        assert!(help(&app).scroll() > 0);
        press(&mut app, KeyCode::Home);
        assert_eq!(help(&app).scroll(), 0);
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
    }

    #[test]
    fn every_action_bound_in_the_default_keymap_appears_in_help() {
        let keymap = Keymap::defaults();
        let h = HelpOverlay::build(&keymap, KeyContext::Tree);
        let rows = all_rows(&h);
        for ctx in KeyContext::ALL {
            for (keys, action) in keymap.bindings(ctx) {
                let want = action.describe_in(ctx);
                assert!(
                    rows.iter()
                        .any(|(k, d)| d == want && k.split(", ").any(|k| k == keys)),
                    "{keys} = {} in [{}] is not in help",
                    action.name(),
                    ctx.table_name()
                );
            }
        }
        // Every context has its group.
        assert_eq!(h.sections.len(), KeyContext::ALL.len() + 1, "{h:#?}");
    }

    #[test]
    fn the_focused_panes_group_comes_first() {
        let keymap = Keymap::defaults();
        for (ctx, heading) in [
            (KeyContext::Tree, "Collection tree"),
            (KeyContext::Editor, "Request editor"),
            (KeyContext::Response, "Response"),
        ] {
            let h = HelpOverlay::build(&keymap, ctx);
            assert_eq!(h.sections[0].title, format!("{heading} (this pane)"));
            assert!(h.sections[1].title.starts_with("Everywhere"));
        }
        let mut app = demo_app(Keymap::defaults());
        press(&mut app, KeyCode::Char('3'));
        press(&mut app, KeyCode::Char('?'));
        assert_eq!(help(&app).sections[0].title, "Response (this pane)");
    }

    #[test]
    fn a_users_keymap_shows_in_help() {
        let mut keymap = Keymap::defaults();
        keymap
            .merge_toml(
                "keymap.toml",
                "[tree]\n\"x\" = \"rename\"\n[global]\n\"f9\" = \"save_all\"\n",
            )
            .unwrap();
        let h = HelpOverlay::build(&keymap, KeyContext::Tree);
        let rows = all_rows(&h);
        assert!(
            rows.contains(&("r, x".into(), Action::Rename.describe().into())),
            "{rows:?}"
        );
        assert!(rows.contains(&("f9".into(), Action::SaveAll.describe().into())));
        // Bound now, so no longer under "run from the palette".
        let last = h.sections.last().unwrap();
        assert!(!last
            .rows
            .iter()
            .any(|(_, d)| d == Action::SaveAll.describe()));
        assert!(last
            .rows
            .iter()
            .any(|(_, d)| d == Action::Import.describe()));
    }

    #[test]
    fn at_60x20_long_descriptions_wrap_and_the_last_line_is_reachable() {
        let mut app = demo_app(Keymap::defaults());
        app.update(Msg::Resize(60, 20));
        press(&mut app, KeyCode::Char('?'));
        press(&mut app, KeyCode::Char('G'));
        let mut term = Terminal::new(TestBackend::new(60, 20)).unwrap();
        term.draw(|f| crate::tui::view::draw(&app, f)).unwrap();
        let text = buffer_text(term.backend().buffer());
        assert!(
            text.contains("open the workspace's folder in") && text.contains("  $EDITOR"),
            "{text}"
        );
        assert!(text.contains("↑ more"), "{text}");
        assert_eq!(
            wrap("collapse the folder, or go to its parent", 36),
            ["collapse the folder, or go to its", "parent"]
        );
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
    }
}
