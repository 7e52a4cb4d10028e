//! Drawing the editor. Pure: reads the pane, computes effective scroll
//! offsets from the stored ones, never mutates.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use ratatui::Frame;
use tui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use crate::model::{Auth, Body, Request};
use crate::safe_text::escape_char;
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::DrawCx;
use crate::tui::highlight::{for_theme, LineStyles};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use crate::tui::widgets::cursor;
use crate::tui::widgets::kv_table::{self, KvRow, KvTable};
use crate::tui::widgets::safe_text::safe_spans;
use crate::vars::{parse_template, Piece, Resolver};

use super::field::{self, Field, TextId};
use super::table::TableId;
use super::{EditorPane, Focus, Tab, TextView};

/// The pane's regions inside its border.
pub(super) struct Areas {
    pub url: Rect,
    pub tabs: Rect,
    pub content: Rect,
}

pub(super) fn areas(_pane: &EditorPane, area: Rect) -> Areas {
    let inner = Block::bordered().inner(area);
    let [url, tabs, content] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    Areas { url, tabs, content }
}

impl Areas {
    /// Data rows a table shows (its header takes one).
    pub fn table_rows(&self, pane: &EditorPane, t: TableId) -> usize {
        usize::from(table_rect(pane, self.content, t).height.saturating_sub(1))
    }

    pub fn text_rows(&self, pane: &EditorPane, id: TextId) -> usize {
        usize::from(text_rect(pane, self.content, id).height)
    }
}

/// Body tab: the type selector row, then the content (for GraphQL: query
/// title, query, variables title, variables).
fn body_layout(content: Rect) -> [Rect; 5] {
    let [selector, main] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(content);
    let [qt, q, vt, v] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(2),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(main);
    let _ = qt;
    [selector, main, q, vt, v]
}

/// Scripts tab: pre-request title and text, test title and text.
fn scripts_layout(content: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(content)
}

fn table_rect(_pane: &EditorPane, content: Rect, t: TableId) -> Rect {
    match t {
        TableId::Params | TableId::Headers => content,
        TableId::Form | TableId::Parts => body_layout(content)[1],
    }
}

fn text_rect(pane: &EditorPane, content: Rect, id: TextId) -> Rect {
    let body = body_layout(content);
    let scripts = scripts_layout(content);
    let graphql = matches!(
        pane.request.as_ref().map(|r| &r.body.body),
        Some(Body::GraphQl { .. })
    );
    match id {
        TextId::Body if graphql => body[2],
        TextId::Body => body[1],
        TextId::GqlQuery => body[2],
        TextId::GqlVars => body[4],
        TextId::PreRequest => scripts[1],
        TextId::Test => scripts[3],
        TextId::Description => content,
    }
}

/// Width of the method badge.
fn method_width(method: &str) -> u16 {
    let w = method.chars().count().clamp(3, 12) + 2;
    u16::try_from(w).unwrap_or(14)
}

pub(super) fn draw(pane: &EditorPane, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let theme = dcx.theme;
    let mut title = vec![Span::styled(" Request ", theme.fg(theme.colors.title))];
    if let Some(r) = &pane.request {
        let name = r
            .name
            .clone()
            .or_else(|| pane.path.clone())
            .unwrap_or_default();
        title.extend(safe_spans(&name, theme.dim(), theme.escaped()));
        if pane.is_dirty() {
            title.push(Span::styled(" ●", theme.fg(theme.colors.dirty)));
        }
        title.push(Span::raw(" "));
    }
    let block = Block::bordered()
        .border_style(theme.border(dcx.focused))
        .title(Line::from(title));
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(r) = pane.request.as_ref() else {
        Paragraph::new(Line::styled("no request open", theme.dim())).render(inner, buf);
        return;
    };
    let a = areas(pane, area);
    let ctx = Ctx {
        pane,
        theme,
        keymap: dcx.keymap,
        focused: dcx.focused,
    };
    ctx.url_line(r, a.url, buf);
    ctx.tab_bar(r, a.tabs, buf);
    ctx.content(r, a.content, buf);
    if let Some(ed) = &pane.editing {
        if let Some(rect) = ctx.field_rect(r, &a, ed.field) {
            let rect = rect.intersection(area);
            if !rect.is_empty() {
                Clear.render(rect, buf);
                match ed.field {
                    Field::Text(id @ (TextId::PreRequest | TextId::Test)) => {
                        ctx.script_box(id, &ed.area, rect, buf);
                    }
                    _ => {
                        (&ed.area).render(rect, buf);
                        cursor::restyle_marked(buf, rect, theme);
                    }
                }
            }
        }
    }
    scrub(buf, area, theme.escaped());
}

/// The text box draws raw text: replace any control or invisible
/// formatting character that reached the buffer, so none reaches the
/// terminal.
fn scrub(buf: &mut Buffer, area: Rect, style: Style) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let Some(cell) = buf.cell_mut((x, y)) else {
                continue;
            };
            if cell
                .symbol()
                .chars()
                .any(|c| escape_char(c, false).is_some())
            {
                cell.set_symbol("·");
                cell.set_style(style);
            }
        }
    }
}

struct Ctx<'a> {
    pane: &'a EditorPane,
    theme: &'a Theme,
    keymap: &'a Keymap,
    focused: bool,
}

impl Ctx<'_> {
    /// `text` with `{{variables}}` colored, unresolved ones underlined in
    /// their own color (only once the app gave scopes), and anything
    /// untrusted escaped.
    fn template_spans(&self, text: &str, base: Style) -> Vec<Span<'static>> {
        let theme = self.theme;
        let bad: Vec<_> = if self.pane.scopes_known {
            Resolver::new(&self.pane.scopes)
                .unresolved(text)
                .into_iter()
                .map(|(_, span)| span)
                .collect()
        } else {
            Vec::new()
        };
        let mut spans = Vec::new();
        for piece in parse_template(text) {
            match piece {
                Piece::Text(t) => spans.extend(safe_spans(t, base, theme.escaped())),
                Piece::Var { span, .. } => {
                    let style = if bad.contains(&span) {
                        base.fg(theme.colors.variable_unresolved)
                            .add_modifier(Modifier::UNDERLINED)
                    } else {
                        base.fg(theme.colors.variable)
                    };
                    let src = text.get(span.range()).unwrap_or("");
                    spans.extend(safe_spans(src, style, theme.escaped()));
                }
            }
        }
        spans
    }

    /// The key bound to `action` in the editor, if any.
    fn key(&self, action: Action) -> Option<String> {
        self.keymap.key_for(&[KeyContext::Editor], action)
    }

    /// Whether the editor's keys reach it now: it has the focus and no
    /// text box takes the keys.
    fn keys_work(&self) -> bool {
        self.focused && self.pane.editing.is_none()
    }

    fn here(&self, focus: Focus) -> bool {
        self.focused && self.pane.focus == focus && self.pane.editing.is_none()
    }

    fn url_rects(&self, r: &Request, area: Rect) -> (Rect, Rect) {
        let [m, _, u] = Layout::horizontal([
            Constraint::Length(method_width(&r.method)),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        (m, u)
    }

    fn url_line(&self, r: &Request, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let (m, u) = self.url_rects(r, area);
        let mut badge = theme.method(&r.method);
        if self.here(Focus::Method) {
            badge = badge.add_modifier(Modifier::REVERSED);
        }
        let mut spans = vec![Span::styled(" ", badge)];
        spans.extend(safe_spans(&r.method, badge, theme.escaped()));
        spans.push(Span::styled(" ", badge));
        Line::from(spans).render(m, buf);

        let shown = super::url::display_url(&r.url, &r.params);
        let base = if self.here(Focus::Url) {
            theme.selection()
        } else {
            Style::default()
        };
        let line = match &self.pane.resolved {
            Some(Ok(resolved)) => {
                let mut s = vec![Span::styled("= ", theme.dim())];
                s.extend(safe_spans(resolved, base, theme.escaped()));
                Line::from(s)
            }
            Some(Err(e)) => {
                let mut s = self.template_spans(&shown, base);
                s.push(Span::raw("  "));
                s.extend(safe_spans(e, theme.fg(theme.colors.error), theme.escaped()));
                Line::from(s)
            }
            None if shown.is_empty() => Line::styled("enter a URL", theme.dim().patch(base)),
            None => Line::from(self.template_spans(&shown, base)),
        };
        if self.here(Focus::Url) {
            buf.set_style(u, base);
        }
        let width = line.width();
        line.render(u, buf);
        kv_table::mark_cut(buf, u, width, "…", theme.dim());
        if self.here(Focus::Url) {
            // Selection wins over the spans' own colours (16 colours too).
            self.select_row(buf, u);
        }
    }

    fn tab_bar(&self, r: &Request, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let labels: Vec<(String, Style)> = Tab::ALL
            .iter()
            .map(|tab| {
                let extra = match tab {
                    Tab::Params => count(
                        TableId::Params
                            .rows(r)
                            .iter()
                            .filter(|(enabled, _)| *enabled)
                            .count(),
                    ),
                    Tab::Headers => count(r.headers.iter().filter(|p| p.enabled).count()),
                    Tab::Body if !r.body.body.is_none() => {
                        format!(" {}", r.body.body.type_name())
                    }
                    Tab::Auth if !r.auth.auth.is_inherit() => {
                        format!(" {}", r.auth.auth.type_name())
                    }
                    Tab::Scripts => {
                        let n =
                            usize::from(r.pre_request.as_deref().is_some_and(|s| !s.is_empty()))
                                + usize::from(r.test.as_deref().is_some_and(|s| !s.is_empty()));
                        count(n)
                    }
                    _ => String::new(),
                };
                let style = if *tab == self.pane.tab {
                    theme
                        .fg(theme.colors.tab_active)
                        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                } else {
                    theme.fg(theme.colors.tab_inactive)
                };
                (format!("{}{extra}", tab.title()), style)
            })
            .collect();
        let active = Tab::ALL
            .iter()
            .position(|t| *t == self.pane.tab)
            .unwrap_or(0);
        let first = first_tab_shown(&labels, active, usize::from(area.width));
        let mut spans = Vec::new();
        if first > 0 {
            spans.push(Span::styled("‹ ", theme.dim()));
        }
        for (i, (label, style)) in labels.into_iter().enumerate().skip(first) {
            if i > first {
                spans.push(Span::styled(" │ ", theme.dim()));
            }
            spans.push(Span::styled(label, style));
        }
        let line = Line::from(spans);
        let width = line.width();
        line.render(area, buf);
        kv_table::mark_cut(buf, area, width, "›", theme.dim());
    }

    fn content(&self, r: &Request, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let pane = self.pane;
        let in_content = self.focused && pane.focus == Focus::Content;
        match pane.tab {
            Tab::Params => self.table(r, TableId::Params, area, in_content, buf),
            Tab::Headers => self.table(r, TableId::Headers, area, in_content, buf),
            Tab::Body => self.body(r, area, in_content, buf),
            Tab::Auth => self.auth(r, area, in_content, buf),
            Tab::Scripts => {
                let [pt, p, tt, t] = scripts_layout(area);
                let title = |s: &str, on: bool| {
                    let st = if on {
                        self.theme.fg(self.theme.colors.accent)
                    } else {
                        self.theme.dim()
                    };
                    Line::styled(s.to_string(), st.add_modifier(Modifier::BOLD))
                };
                title("pre-request script", in_content && pane.scripts_row == 0).render(pt, buf);
                self.text(
                    r,
                    TextId::PreRequest,
                    p,
                    in_content && pane.scripts_row == 0,
                    buf,
                );
                title("test script", in_content && pane.scripts_row == 1).render(tt, buf);
                self.text(r, TextId::Test, t, in_content && pane.scripts_row == 1, buf);
            }
            Tab::Settings => self.settings(r, area, in_content, buf),
            Tab::Docs => self.text(r, TextId::Description, area, in_content, buf),
        }
    }

    fn table(&self, r: &Request, t: TableId, area: Rect, on: bool, buf: &mut Buffer) {
        let cursor = self.pane.tables[t as usize];
        let rows = t.rows(r);
        if rows.is_empty() {
            // The key works from anywhere in the pane while no text box is
            // open (see `add_row_to_shown`); elsewhere it would not.
            let hint = match self.key(Action::AddRow) {
                Some(key) if self.keys_work() => format!("no rows: {key} adds one"),
                _ => "no rows".to_string(),
            };
            let style = if on {
                self.theme.selection()
            } else {
                self.theme.dim()
            };
            Line::styled(hint, style).render(area, buf);
            if on {
                self.select_row(buf, Rect { height: 1, ..area });
            }
            return;
        }
        let rows = rows
            .into_iter()
            .map(|(enabled, cells)| KvRow {
                enabled,
                cells: cells
                    .iter()
                    .map(|c| Line::from(self.template_spans(c, Style::default())))
                    .collect(),
            })
            .collect();
        KvTable {
            titles: t.titles(),
            widths: t.widths(),
            rows,
            cursor: on.then_some((cursor.row, cursor.col)),
            offset: cursor.offset,
            theme: self.theme,
        }
        .render(area, buf);
    }

    fn selector(&self, label: &str, value: &str, on: bool, area: Rect, buf: &mut Buffer) {
        let style = if on {
            self.theme.selection()
        } else {
            Style::default()
        };
        if on {
            buf.set_style(area, style);
        }
        Line::from(vec![
            Span::styled(format!("{label} "), self.theme.dim()),
            Span::styled(
                format!("‹ {value} ›"),
                style
                    .fg(self.theme.colors.accent)
                    .add_modifier(Modifier::BOLD),
            ),
        ])
        .render(area, buf);
        if on {
            self.select_row(buf, area);
        }
    }

    fn body(&self, r: &Request, area: Rect, on: bool, buf: &mut Buffer) {
        let pane = self.pane;
        let [selector, main, _q, vt, _v] = body_layout(area);
        self.selector(
            "type",
            r.body.body.type_name(),
            on && pane.body_row == 0,
            selector,
            buf,
        );
        let on_main = on && pane.body_row >= 1;
        match &r.body.body {
            Body::None => Line::styled("no body", self.theme.dim()).render(main, buf),
            Body::Raw { .. } => self.text(r, TextId::Body, main, on_main, buf),
            Body::GraphQl { .. } => {
                let [qt, ..] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas::<2>(main);
                Line::styled("query", self.theme.dim().add_modifier(Modifier::BOLD))
                    .render(qt, buf);
                self.text(
                    r,
                    TextId::GqlQuery,
                    text_rect(pane, area, TextId::GqlQuery),
                    on && pane.body_row == 1,
                    buf,
                );
                Line::styled(
                    "variables (JSON)",
                    self.theme.dim().add_modifier(Modifier::BOLD),
                )
                .render(vt, buf);
                self.text(
                    r,
                    TextId::GqlVars,
                    text_rect(pane, area, TextId::GqlVars),
                    on && pane.body_row == 2,
                    buf,
                );
            }
            Body::Form(_) => self.table(r, TableId::Form, main, on_main, buf),
            Body::Multipart(_) => self.table(r, TableId::Parts, main, on_main, buf),
            Body::Binary { file } => {
                let row = Rect {
                    height: main.height.min(1),
                    ..main
                };
                self.labeled("file", file, on_main, row, buf);
            }
        }
    }

    /// The row under the cursor, shown on every cell whatever its spans'
    /// colours (the shared selection style).
    fn select_row(&self, buf: &mut Buffer, row: Rect) {
        use crate::tui::widgets::list_row::{highlight, Highlight};
        highlight(buf, row, self.theme, Highlight::Focused);
    }

    /// A `label: value` row; the value area is where a text box opens.
    fn labeled(&self, label: &str, value: &str, on: bool, row: Rect, buf: &mut Buffer) {
        let [l, v] = label_split(row);
        if on {
            buf.set_style(row, self.theme.selection());
        }
        Line::styled(label.to_string(), self.theme.dim()).render(l, buf);
        let base = if on {
            self.theme.selection()
        } else {
            Style::default()
        };
        Line::from(self.template_spans(value, base)).render(v, buf);
        if on {
            self.select_row(buf, row);
        }
    }

    fn auth(&self, r: &Request, area: Rect, on: bool, buf: &mut Buffer) {
        let pane = self.pane;
        let visible = rows_of(area);
        if visible.is_empty() {
            return;
        }
        // The type, the OAuth 2.0 token's state (not selectable), then the
        // kind's rows; scrolled so the selected row shows (OAuth 2.0 has
        // many).
        let fields = field::auth_fields(&r.auth.auth);
        let body_rows = match r.auth.auth {
            Auth::Inherit | Auth::None => 1,
            _ => fields.len(),
        };
        let shift = usize::from(pane.token_status.is_some());
        let total = 1 + shift + body_rows;
        // Under the type for the request's own OAuth 2.0; under the
        // "inherits" line for a folder's.
        let token_at = match r.auth.auth {
            Auth::Inherit | Auth::None => 2,
            _ => 1,
        };
        // Where list row `i` (0: the type, then the kind's) is drawn.
        let place = |i: usize| if i >= token_at { i + shift } else { i };
        let offset = (place(pane.auth_row) + 1)
            .saturating_sub(visible.len())
            .min(total.saturating_sub(visible.len()));
        let at = |i: usize| {
            (place(i).checked_sub(offset))
                .and_then(|j| visible.get(j))
                .copied()
        };
        if let Some(row) = at(0) {
            self.selector(
                "type",
                r.auth.auth.type_name(),
                on && pane.auth_row == 0,
                row,
                buf,
            );
        }
        let token_row = token_at.checked_sub(offset).and_then(|j| visible.get(j));
        if let (Some(status), Some(row)) = (&pane.token_status, token_row) {
            self.token_line(status, *row, buf);
        }
        match &r.auth.auth {
            Auth::Inherit => {
                let what = pane
                    .inherited_auth
                    .clone()
                    .unwrap_or_else(|| "the nearest folder or collection".into());
                if let Some(row) = at(1) {
                    let mut spans = vec![Span::styled("inherits: ", self.theme.dim())];
                    spans.extend(safe_spans(&what, Style::default(), self.theme.escaped()));
                    Line::from(spans).render(row, buf);
                }
            }
            Auth::None => {
                if let Some(row) = at(1) {
                    Line::styled("no auth, even if a parent sets one", self.theme.dim())
                        .render(row, buf);
                }
            }
            _ => {
                for (i, (label, value)) in fields.iter().enumerate() {
                    if let Some(row) = at(i + 1) {
                        self.labeled(label, value, on && pane.auth_row == i + 1, row, buf);
                    }
                }
            }
        }
    }

    /// The cached token's state, and the keys that act on it.
    fn token_line(&self, status: &str, row: Rect, buf: &mut Buffer) {
        let [l, v] = label_split(row);
        Line::styled("token", self.theme.dim()).render(l, buf);
        let mut spans = safe_spans(status, self.theme.base(), self.theme.escaped());
        let keys: Vec<String> = [(Action::FetchToken, "new"), (Action::ForgetToken, "forget")]
            .into_iter()
            .filter_map(|(a, what)| Some(format!("{} {what}", self.key(a)?)))
            .collect();
        if !keys.is_empty() && self.keys_work() {
            spans.push(Span::styled(
                format!("  ({})", keys.join(", ")),
                self.theme.dim(),
            ));
        }
        Line::from(spans).render(v, buf);
    }

    fn settings(&self, r: &Request, area: Rect, on: bool, buf: &mut Buffer) {
        for (i, row) in rows_of(area).iter().enumerate().take(field::SETTINGS.len()) {
            let value = field::setting_text(&r.settings, i);
            let sel = on && self.pane.settings_row == i;
            if value.is_empty() {
                let [l, v] = label_split(*row);
                if sel {
                    buf.set_style(*row, self.theme.selection());
                }
                Line::styled(field::SETTINGS[i], self.theme.dim()).render(l, buf);
                Line::styled("inherited", self.theme.dim().add_modifier(Modifier::ITALIC))
                    .render(v, buf);
                if sel {
                    self.select_row(buf, *row);
                }
            } else {
                self.labeled(field::SETTINGS[i], &value, sel, *row, buf);
            }
        }
    }

    fn text(&self, r: &Request, id: TextId, area: Rect, on: bool, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let text = id.get(r).unwrap_or("");
        let view: TextView = self.pane.texts[id.index()];
        if text.is_empty() {
            let style = if on {
                self.theme.selection()
            } else {
                self.theme.dim()
            };
            // Its keys work only while the cursor is on it.
            let hint = match (self.key(Action::Edit), self.key(Action::ExternalEditor)) {
                (Some(e), Some(o)) if on && self.keys_work() => {
                    format!("empty: {e} writes, {o} opens $EDITOR")
                }
                (Some(e), None) if on && self.keys_work() => format!("empty: {e} writes"),
                _ => "empty".to_string(),
            };
            Line::styled(hint, style).render(area, buf);
            if on {
                self.select_row(buf, Rect { height: 1, ..area });
            }
            return;
        }
        let total = text.split('\n').count();
        let gutter = u16::try_from(total.to_string().len() + 1).unwrap_or(8);
        let visible = usize::from(area.height);
        let offset = kv_table::scrolled(view.offset, view.line, visible);
        for (i, line) in text.split('\n').enumerate().skip(offset).take(visible) {
            let y = area.y + u16::try_from(i - offset).unwrap_or(0);
            let row = Rect::new(area.x, y, area.width, 1);
            let body = self.numbered(row, gutter, i, buf);
            let base = if on && i == view.line {
                self.theme.selection()
            } else {
                Style::default()
            };
            if on && i == view.line {
                buf.set_style(row, base);
            }
            let (spans, starts) = match self.pane.script_line_colors(id, i, line) {
                Some(colors) => self.code_spans(line, colors, base, None),
                None => (self.template_spans(line, base), Vec::new()),
            };
            Line::from(spans).render(body, buf);
            if on && i == view.line {
                self.select_row(buf, row);
                // A jump to a script error's column marks it (the box
                // opens there).
                let at = starts.get(view.column).copied().filter(|_| view.column > 0);
                if let Some(x) = at.and_then(|x| u16::try_from(x).ok()) {
                    if x < body.width {
                        buf.set_style(Rect::new(body.x + x, y, 1, 1), cursor::style(self.theme));
                    }
                }
            }
        }
    }

    /// A script's line in its syntax colours over `base`, characters
    /// `selected` (a text box's selection) in the selection style, unsafe
    /// ones escaped; and the column each character starts at.
    /// Draws line `i`'s number in `row`'s gutter; the rest is the body.
    fn numbered(&self, row: Rect, gutter: u16, i: usize, buf: &mut Buffer) -> Rect {
        let [num, body] =
            Layout::horizontal([Constraint::Length(gutter), Constraint::Min(0)]).areas(row);
        Line::styled(
            format!("{:>w$} ", i + 1, w = usize::from(gutter).saturating_sub(1)),
            self.theme.dim(),
        )
        .render(num, buf);
        body
    }

    fn code_spans(
        &self,
        line: &str,
        colors: &LineStyles,
        base: Style,
        selected: Option<(usize, usize)>,
    ) -> (Vec<Span<'static>>, Vec<usize>) {
        let theme = self.theme;
        let mut spans = Vec::new();
        let mut starts = Vec::new();
        let (mut run, mut run_style) = (String::new(), base);
        let mut col = 0;
        let mut k = 0;
        for (ci, (bi, c)) in line.char_indices().enumerate() {
            while colors.get(k).is_some_and(|(r, _)| r.end <= bi) {
                k += 1;
            }
            let syntax = colors
                .get(k)
                .filter(|(r, _)| r.contains(&bi))
                .map_or(Style::default(), |(_, s)| for_theme(*s, theme));
            let mut style = base.patch(syntax);
            if selected.is_some_and(|(a, b)| (a..b).contains(&ci)) {
                style = theme.selection();
            }
            let shown = match (c, escape_char(c, false)) {
                ('\t', _) => "    ".to_string(),
                (_, Some(e)) => {
                    style = theme.escaped();
                    e
                }
                (c, None) => c.to_string(),
            };
            if style != run_style && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            starts.push(col);
            col += shown.width();
            run.push_str(&shown);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style));
        }
        starts.push(col);
        (spans, starts)
    }

    /// A text box on a script, drawn here rather than by the text area so
    /// the script keeps its colours while typed: line numbers, coloured
    /// lines, the selection and the cursor cell. Scrolls as the read-only
    /// view does (the pane's line follows the cursor).
    fn script_box(&self, id: TextId, area: &TextArea<'static>, rect: Rect, buf: &mut Buffer) {
        // The text area keeps its own viewport for its page keys: let it
        // measure one, off screen.
        let mut scratch = Buffer::empty(rect);
        area.render(rect, &mut scratch);
        let lines = area.lines();
        let (crow, ccol) = area.cursor();
        let gutter = u16::try_from(lines.len().to_string().len() + 1).unwrap_or(8);
        let visible = usize::from(rect.height);
        let offset = kv_table::scrolled(self.pane.texts[id.index()].offset, crow, visible);
        let text_width = usize::from(rect.width.saturating_sub(gutter));
        let none = LineStyles::new();
        let selection = area.selection_range();
        let laid: Vec<_> = lines
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, line)| {
                let colors = self.pane.script_line_colors(id, i, line).unwrap_or(&none);
                let selected = selection.and_then(|((r0, c0), (r1, c1))| {
                    (r0..=r1).contains(&i).then_some((
                        if i == r0 { c0 } else { 0 },
                        if i == r1 { c1 } else { usize::MAX },
                    ))
                });
                (i, self.code_spans(line, colors, Style::default(), selected))
            })
            .collect();
        // Columns scrolled so the cursor shows.
        let cursor_x = laid
            .iter()
            .find(|(i, _)| *i == crow)
            .map_or(0, |(_, (_, starts))| {
                starts.get(ccol).or(starts.last()).copied().unwrap_or(0)
            });
        let hscroll = (cursor_x + 1).saturating_sub(text_width);
        for (i, (spans, _)) in laid {
            let y = rect.y + u16::try_from(i - offset).unwrap_or(0);
            let row = Rect::new(rect.x, y, rect.width, 1);
            let body = self.numbered(row, gutter, i, buf);
            Paragraph::new(Line::from(spans))
                .scroll((0, u16::try_from(hscroll).unwrap_or(u16::MAX)))
                .render(body, buf);
            if i == crow {
                let x = cursor_x - hscroll;
                if let Some(cell) = u16::try_from(x)
                    .ok()
                    .filter(|x| *x < body.width)
                    .and_then(|x| buf.cell_mut((body.x + x, y)))
                {
                    cell.set_style(cursor::style(self.theme));
                }
            }
        }
    }

    /// Where the text box for `field` goes.
    fn field_rect(&self, r: &Request, a: &Areas, field: Field) -> Option<Rect> {
        let pane = self.pane;
        let (m, u) = self.url_rects(r, a.url);
        match field {
            Field::Method => Some(Rect {
                width: m.width.max(12).min(a.url.width),
                ..m
            }),
            Field::Url => Some(u),
            Field::Cell { table, row, col } => {
                let rect = table_rect(pane, a.content, table);
                let visible = usize::from(rect.height.saturating_sub(1));
                let offset = kv_table::scrolled(pane.tables[table as usize].offset, row, visible);
                kv_table::cell_rect(rect, table.widths(), offset, row, col)
            }
            Field::Auth(i) => rows_of(a.content).get(i + 1).map(|r| label_split(*r)[1]),
            Field::Setting(i) => rows_of(a.content).get(i).map(|r| label_split(*r)[1]),
            Field::BinaryFile => {
                let main = body_layout(a.content)[1];
                (main.height > 0).then(|| label_split(Rect { height: 1, ..main })[1])
            }
            Field::Text(id) => Some(text_rect(pane, a.content, id)),
        }
    }
}

/// The first tab to draw so the active one fits in `width`, with room for
/// the marks that say tabs are cut off: `‹ ` before, `›` after.
fn first_tab_shown(labels: &[(String, Style)], active: usize, width: usize) -> usize {
    let w = |i: usize| labels.get(i).map_or(0, |(l, _)| l.width());
    let more_after = usize::from(active + 1 < labels.len());
    let mut first = 0;
    loop {
        let before = if first > 0 { 2 } else { 0 };
        let tabs: usize = (first..=active).map(|i| w(i) + 3).sum::<usize>() - 3;
        if first >= active || before + tabs + more_after <= width {
            return first;
        }
        first += 1;
    }
}

fn count(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" {n}")
    }
}

/// One-line rows filling `area`.
fn rows_of(area: Rect) -> Vec<Rect> {
    (0..area.height)
        .map(|i| Rect::new(area.x, area.y + i, area.width, 1))
        .collect()
}

fn label_split(row: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Length(18), Constraint::Min(0)]).areas(row)
}
