//! The request editor: method and URL on top, then tabs (Params, Headers,
//! Body, Auth, Scripts, Settings, Docs).
//!
//! The pane owns a working copy of the request. Every keystroke in a text
//! box is written straight back into it, so `request()` (and a save with
//! ctrl-s mid-edit) always has what is on screen, and leaving a text box by
//! any key keeps what was typed: nothing typed is ever lost.

mod draw;
mod field;
mod table;
mod url;

#[cfg(test)]
mod tests;

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::Frame;
use tui_textarea::{CursorMove, TextArea};

use crate::model::{Body, KeyValue, Request};
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input};
use crate::tui::effect::{EditTarget, Effect};
use crate::tui::highlight::{EditColorer, Language, LineStyles, SyntaxAssets};
use crate::vars::{Resolver, Scopes};

use field::{AuthStash, BodyStash, Field, TextId};
use table::{TableCursor, TableId};

/// The tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Params,
    Headers,
    Body,
    Auth,
    Scripts,
    Settings,
    Docs,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Params,
        Tab::Headers,
        Tab::Body,
        Tab::Auth,
        Tab::Scripts,
        Tab::Settings,
        Tab::Docs,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Params => "Params",
            Tab::Headers => "Headers",
            Tab::Body => "Body",
            Tab::Auth => "Auth",
            Tab::Scripts => "Scripts",
            Tab::Settings => "Settings",
            Tab::Docs => "Docs",
        }
    }

    fn step(self, forward: bool) -> Tab {
        let n = Tab::ALL.len();
        let i = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0);
        Tab::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// Where the cursor is: the method, the URL, or the current tab's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Method,
    Url,
    Content,
}

/// Cursor line and scroll of a read-only text view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TextView {
    line: usize,
    offset: usize,
    /// Where on `line` a text box opened on it puts its cursor (0-based,
    /// in characters): set by a jump to a script error's column.
    column: usize,
}

/// Scripts longer than this are shown uncoloured.
const MAX_COLORED_SCRIPT: usize = 1024 * 1024;

/// A text box open on one field.
struct Editing {
    field: Field,
    area: TextArea<'static>,
    /// Params when URL editing began: the query is split against these.
    params_before: Vec<KeyValue>,
    /// Method when editing began, restored if left empty.
    method_before: String,
}

/// Methods `CycleMethod` steps through; any other token can be typed.
const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

pub struct EditorPane {
    path: Option<String>,
    request: Option<Request>,
    /// What was opened or last saved, for `is_dirty`.
    saved: Option<Request>,
    scopes: Scopes,
    /// Whether the app gave scopes: until then nothing is marked unresolved.
    scopes_known: bool,
    inherited_auth: Option<String>,
    /// The cached OAuth 2.0 token, in words (the app reads the cache).
    token_status: Option<String>,
    tab: Tab,
    focus: Focus,
    show_resolved: bool,
    /// The resolved URL (or the errors), computed in `handle` so drawing
    /// stays pure and dynamic values do not change on every frame.
    resolved: Option<Result<String, String>>,
    tables: [TableCursor; 4],
    /// Body: 0 the type selector, 1 the content, 2 GraphQL variables.
    body_row: usize,
    /// Auth: 0 the type selector, then its fields.
    auth_row: usize,
    /// Scripts: 0 pre-request, 1 test.
    scripts_row: usize,
    settings_row: usize,
    texts: [TextView; TextId::COUNT],
    body_stash: BodyStash,
    auth_stash: AuthStash,
    editing: Option<Editing>,
    viewport: Rect,
    /// The syntect theme scripts are coloured with (`Theme::syntax`).
    syntax_theme: String,
    /// The pre-request and test scripts' colours (made when the Scripts
    /// tab is first shown: the syntaxes load then).
    script_colors: [Option<EditColorer>; 2],
}

impl Default for EditorPane {
    fn default() -> Self {
        Self::new()
    }
}

impl EditorPane {
    pub fn new() -> Self {
        EditorPane {
            path: None,
            request: None,
            saved: None,
            scopes: Scopes::new(),
            scopes_known: false,
            inherited_auth: None,
            token_status: None,
            tab: Tab::Params,
            focus: Focus::Url,
            show_resolved: false,
            resolved: None,
            tables: [TableCursor::default(); 4],
            body_row: 0,
            auth_row: 0,
            scripts_row: 0,
            settings_row: 0,
            texts: [TextView::default(); TextId::COUNT],
            body_stash: BodyStash::default(),
            auth_stash: AuthStash::default(),
            editing: None,
            viewport: Rect::new(0, 0, 80, 24),
            syntax_theme: "base16-ocean.dark".to_string(),
            script_colors: Default::default(),
        }
    }

    /// The syntect theme for scripts; the app passes the theme's after
    /// every update, so a theme switch recolours them.
    pub fn set_syntax_theme(&mut self, name: &str) {
        if self.syntax_theme != name {
            self.syntax_theme = name.to_string();
            self.script_colors = Default::default();
            self.color_scripts();
        }
    }

    /// Shows the script `file` (`users/get.test.js`, relative to the
    /// workspace) on the Scripts tab with the cursor on `line` (1-based),
    /// at `column` when a text box opens; without a line, on the line that
    /// declares `test`. Returns where it went, for the status line; an
    /// error when the file is not one of the open request's scripts.
    pub fn reveal_script(
        &mut self,
        file: &Path,
        line: Option<u32>,
        column: Option<u32>,
        test: Option<&str>,
    ) -> Result<String, String> {
        let name = file.to_string_lossy().replace('\\', "/");
        let Some(path) = self.path.clone() else {
            return Err(format!("{name}: no request is open"));
        };
        let (stem, id) = if let Some(s) = name.strip_suffix(".pre.js") {
            (s, TextId::PreRequest)
        } else if let Some(s) = name.strip_suffix(".test.js") {
            (s, TextId::Test)
        } else {
            return Err(format!("{name} is not a request's script"));
        };
        if stem != path {
            let own = matches!(stem.rsplit('/').next(), Some("collection" | "folder"));
            return Err(if own {
                format!(
                    "{name} is a folder's or collection's script: the editor shows {path}'s own; open it in $EDITOR"
                )
            } else {
                format!("{name} is not a script of {path}")
            });
        }
        if self.editing.is_some() {
            // Nothing typed is lost: the box's text is the request's.
            let _ = self.write_back();
            self.editing = None;
        }
        let text = self
            .request
            .as_ref()
            .and_then(|r| id.get(r))
            .unwrap_or("")
            .to_string();
        let lines = text.split('\n').count();
        let at = match (line, test) {
            (Some(l), _) => (l as usize).saturating_sub(1),
            (None, Some(t)) => test_line(&text, t).unwrap_or(0),
            (None, None) => 0,
        }
        .min(lines - 1);
        self.tab = Tab::Scripts;
        self.focus = Focus::Content;
        self.scripts_row = usize::from(id == TextId::Test);
        let v = &mut self.texts[id.index()];
        v.line = at;
        v.column = column.map_or(0, |c| (c as usize).saturating_sub(1));
        self.after_change();
        let mut shown = format!("{name}:{}", at + 1);
        if let Some(c) = column {
            shown.push_str(&format!(":{c}"));
        }
        Ok(shown)
    }

    /// Starts editing `request`, stored at `path`.
    pub fn open(&mut self, path: String, request: Request) {
        let mut fresh = EditorPane::new();
        fresh.scopes = std::mem::take(&mut self.scopes);
        fresh.scopes_known = self.scopes_known;
        fresh.inherited_auth = self.inherited_auth.take();
        fresh.token_status = self.token_status.take();
        fresh.viewport = self.viewport;
        fresh.tab = self.tab;
        fresh.path = Some(path);
        fresh.saved = Some(request.clone());
        fresh.request = Some(request);
        *self = fresh;
        self.after_change();
    }

    /// The request as edited so far.
    pub fn request(&self) -> Option<&Request> {
        self.request.as_ref()
    }

    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Shows `tab` (the app points at a field a send stopped on).
    pub fn show_tab(&mut self, tab: Tab) {
        self.tab = tab;
        self.color_scripts();
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// Whether the request differs from what was opened or last saved.
    pub fn is_dirty(&self) -> bool {
        self.request != self.saved
    }

    pub fn mark_saved(&mut self) {
        self.saved = self.request.clone();
    }

    /// Replaces the request with the file's new contents, keeping the tab
    /// and cursors. Closes any open text box (its text would belong to the
    /// old contents), so the app should only do this when the pane is clean.
    pub fn replace_from_disk(&mut self, request: Request) {
        self.editing = None;
        self.saved = Some(request.clone());
        self.request = Some(request);
        self.after_change();
    }

    pub fn set_scopes(&mut self, scopes: Scopes) {
        self.scopes = scopes;
        self.scopes_known = true;
        self.after_change();
    }

    /// What the token cache holds for the request (`None`: it does not
    /// use OAuth 2.0).
    pub fn set_token_status(&mut self, status: Option<String>) {
        self.token_status = status;
    }

    /// What an `inherit` auth resolves to, e.g. "bearer from users/".
    pub fn set_inherited_auth(&mut self, what: Option<String>) {
        self.inherited_auth = what;
    }

    /// Text back from `$EDITOR`. If the body changed type meanwhile, the
    /// text is kept for when its type comes back.
    pub fn apply_external_edit(&mut self, target: EditTarget, text: String) {
        let Some(r) = self.request.as_mut() else {
            return;
        };
        let id = TextId::from_target(&target, &r.body.body);
        if self
            .editing
            .as_ref()
            .is_some_and(|e| e.field == Field::Text(id))
        {
            self.editing = None;
        }
        if !id.set(r, text.clone()) {
            self.body_stash.put_text(id, text);
        }
        self.after_change();
    }

    /// The size of the pane's area (borders included).
    pub fn set_viewport(&mut self, width: u16, height: u16) {
        self.viewport = Rect::new(0, 0, width, height);
        self.fix_scroll();
    }

    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    /// The text shown on the URL line: the URL with its enabled params.
    pub fn display_url(&self) -> String {
        self.request
            .as_ref()
            .map(|r| url::display_url(&r.url, &r.params))
            .unwrap_or_default()
    }

    // ---- state helpers -------------------------------------------------

    fn table_cursor(&mut self, t: TableId) -> &mut TableCursor {
        &mut self.tables[t as usize]
    }

    /// The table under the cursor, if the content is a table.
    fn current_table(&self) -> Option<TableId> {
        let r = self.request.as_ref()?;
        match self.tab {
            Tab::Params => Some(TableId::Params),
            Tab::Headers => Some(TableId::Headers),
            Tab::Body if self.body_row >= 1 => match r.body.body {
                Body::Form(_) => Some(TableId::Form),
                Body::Multipart(_) => Some(TableId::Parts),
                _ => None,
            },
            _ => None,
        }
    }

    /// The multi-line text under the cursor, if any.
    fn current_text(&self) -> Option<TextId> {
        let r = self.request.as_ref()?;
        match self.tab {
            Tab::Body => match (&r.body.body, self.body_row) {
                (Body::Raw { .. }, 1) => Some(TextId::Body),
                (Body::GraphQl { .. }, 1) => Some(TextId::GqlQuery),
                (Body::GraphQl { .. }, 2) => Some(TextId::GqlVars),
                _ => None,
            },
            Tab::Scripts if self.scripts_row == 0 => Some(TextId::PreRequest),
            Tab::Scripts => Some(TextId::Test),
            Tab::Docs => Some(TextId::Description),
            _ => None,
        }
    }

    fn text_lines(&self, id: TextId) -> usize {
        self.request
            .as_ref()
            .and_then(|r| id.get(r))
            .map_or(1, |t| t.split('\n').count())
    }

    /// Rows in the Body tab: the selector plus the content sections.
    fn body_rows(&self) -> usize {
        match self.request.as_ref().map(|r| &r.body.body) {
            Some(Body::None) | None => 1,
            Some(Body::GraphQl { .. }) => 3,
            Some(_) => 2,
        }
    }

    fn auth_rows(&self) -> usize {
        self.request
            .as_ref()
            .map_or(1, |r| 1 + field::auth_fields(&r.auth.auth).len())
    }

    /// Keeps every cursor inside its content after the request changed,
    /// recomputes the resolved preview and the scroll offsets.
    fn after_change(&mut self) {
        if let Some(r) = self.request.as_ref() {
            for t in [
                TableId::Params,
                TableId::Headers,
                TableId::Form,
                TableId::Parts,
            ] {
                let len = t.len(r);
                self.tables[t as usize].clamp(len);
            }
        }
        self.body_row = self.body_row.min(self.body_rows() - 1);
        self.auth_row = self.auth_row.min(self.auth_rows() - 1);
        self.settings_row = self.settings_row.min(field::SETTINGS.len() - 1);
        for id in [
            TextId::Body,
            TextId::GqlQuery,
            TextId::GqlVars,
            TextId::PreRequest,
            TextId::Test,
            TextId::Description,
        ] {
            let max = self.text_lines(id) - 1;
            let v = &mut self.texts[id.index()];
            v.line = v.line.min(max);
        }
        self.resolved = if self.show_resolved {
            let shown = self.display_url();
            Some(
                Resolver::new(&self.scopes)
                    .resolve_all(&shown)
                    .map_err(|errs| {
                        errs.iter()
                            .map(|e| e.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    }),
            )
        } else {
            None
        };
        self.fix_scroll();
        self.color_scripts();
    }

    /// Colours the scripts as JavaScript down to the bottom of their
    /// views, if the Scripts tab is shown (only changed lines are parsed
    /// again, see [`EditColorer`]).
    fn color_scripts(&mut self) {
        if self.tab != Tab::Scripts {
            return;
        }
        let areas = draw::areas(self, self.viewport);
        for (i, id) in [TextId::PreRequest, TextId::Test].into_iter().enumerate() {
            let text = self.request.as_ref().and_then(|r| id.get(r)).unwrap_or("");
            if text.is_empty() || text.len() > MAX_COLORED_SCRIPT {
                continue;
            }
            let visible = areas.text_rows(self, id);
            let v = self.texts[id.index()];
            let upto = crate::tui::widgets::kv_table::scrolled(v.offset, v.line, visible) + visible;
            if self.script_colors[i].is_none() {
                let assets = SyntaxAssets::load();
                self.script_colors[i] =
                    EditColorer::new(&assets, &self.syntax_theme, Language::JavaScript);
            }
            if let Some(c) = self.script_colors[i].as_mut() {
                c.update(text, upto);
            }
        }
    }

    /// Colours of `id`'s line `i`, which reads `line`, when `id` is a
    /// script coloured that far.
    fn script_line_colors(&self, id: TextId, i: usize, line: &str) -> Option<&LineStyles> {
        let k = match id {
            TextId::PreRequest => 0,
            TextId::Test => 1,
            _ => return None,
        };
        self.script_colors[k].as_ref()?.line(i, line)
    }

    /// Scroll offsets that keep the cursors visible in the viewport.
    fn fix_scroll(&mut self) {
        let areas = draw::areas(self, self.viewport);
        for t in [
            TableId::Params,
            TableId::Headers,
            TableId::Form,
            TableId::Parts,
        ] {
            let visible = areas.table_rows(self, t);
            let c = &mut self.tables[t as usize];
            c.offset = kv_scrolled(c.offset, c.row, visible);
        }
        for id in [
            TextId::Body,
            TextId::GqlQuery,
            TextId::GqlVars,
            TextId::PreRequest,
            TextId::Test,
            TextId::Description,
        ] {
            let visible = areas.text_rows(self, id);
            let v = &mut self.texts[id.index()];
            v.offset = kv_scrolled(v.offset, v.line, visible);
        }
    }

    // ---- editing -------------------------------------------------------

    fn begin_edit(&mut self, field: Field) {
        let Some(r) = self.request.as_ref() else {
            return;
        };
        let text = match field {
            Field::Method => r.method.clone(),
            Field::Url => url::display_url(&r.url, &r.params),
            Field::Cell { table, row, col } => {
                if row >= table.len(r) || col == 0 {
                    return;
                }
                table.cell(r, row, col)
            }
            Field::Auth(i) => match field::auth_fields(&r.auth.auth).get(i) {
                Some((_, v)) if !field::auth_field_is_choice(&r.auth.auth, i) => v.clone(),
                _ => return,
            },
            Field::Setting(i) => field::setting_text(&r.settings, i),
            Field::BinaryFile => match &r.body.body {
                Body::Binary { file } => file.clone(),
                _ => return,
            },
            Field::Text(id) => match id.get(r) {
                Some(t) => t.to_string(),
                None => return,
            },
        };
        let mut area = TextArea::new(text.split('\n').map(str::to_string).collect());
        area.set_cursor_line_style(Style::default());
        // The theme's cursor is put in while drawing (see `cursor`).
        area.set_cursor_style(crate::tui::widgets::cursor::textarea_mark());
        if let Field::Text(id) = field {
            area.set_line_number_style(Style::default().add_modifier(Modifier::DIM));
            let TextView { line, column, .. } = self.texts[id.index()];
            // A jump's column serves the first box opened after it only.
            self.texts[id.index()].column = 0;
            area.move_cursor(CursorMove::Jump(
                u16::try_from(line).unwrap_or(u16::MAX),
                u16::try_from(column).unwrap_or(u16::MAX),
            ));
        } else {
            area.move_cursor(CursorMove::Bottom);
            area.move_cursor(CursorMove::End);
        }
        // The URL's own pairs count as rows, as the Params tab shows them.
        let mut params_before = url::query_rows(&r.url);
        params_before.extend(r.params.iter().cloned());
        self.editing = Some(Editing {
            field,
            area,
            params_before,
            method_before: r.method.clone(),
        });
    }

    /// Copies the text box into the request. Returns a problem with the
    /// text (a setting that is not a number), which stays in the box.
    fn write_back(&mut self) -> Result<(), String> {
        let (Some(ed), Some(r)) = (self.editing.as_ref(), self.request.as_mut()) else {
            return Ok(());
        };
        let text = ed.area.lines().join("\n");
        match ed.field {
            Field::Method => {
                if r.method != text {
                    r.method = text;
                }
            }
            Field::Url => {
                if text == url::display_url(&r.url, &r.params) {
                    // Only the caret moved: the stored form stays as it is.
                    return Ok(());
                }
                let (u, params) = url::split_url(&text, &ed.params_before);
                if r.url != u {
                    r.url = u;
                }
                if r.params != params {
                    r.params = params;
                }
            }
            Field::Cell { table, row, col } => table.set_cell(r, row, col, text),
            Field::Auth(i) => field::set_auth_field(&mut r.auth.auth, i, text),
            Field::Setting(i) => {
                let mut s = r.settings.clone();
                field::set_setting(&mut s, i, &text)?;
                if s != r.settings {
                    r.settings = s;
                }
            }
            Field::BinaryFile => {
                if let Body::Binary { file } = &mut r.body.body {
                    if *file != text {
                        *file = text;
                    }
                }
            }
            Field::Text(id) => {
                if !id.set(r, text.clone()) {
                    self.body_stash.put_text(id, text);
                }
            }
        }
        Ok(())
    }

    /// Leaves the text box, keeping its text. A setting that does not
    /// parse keeps the box open (and says why) rather than dropping it.
    fn commit(&mut self, cx: &mut Cx) -> bool {
        if let Err(e) = self.write_back() {
            cx.error(e);
            return false;
        }
        if let (Some(ed), Some(r)) = (self.editing.take(), self.request.as_mut()) {
            if ed.field == Field::Method {
                let trimmed = r.method.trim().to_string();
                r.method = if trimmed.is_empty() {
                    ed.method_before
                } else {
                    trimmed
                };
            }
            if let Field::Text(id) = ed.field {
                self.texts[id.index()].line = ed.area.cursor().0;
            }
        }
        self.after_change();
        true
    }

    fn handle_editing(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        let Some(ed) = self.editing.as_mut() else {
            return Flow::Bubble;
        };
        let multiline = ed.field.multiline();
        match input {
            Input::Paste(text) => {
                let text = if multiline {
                    text.replace("\r\n", "\n")
                } else {
                    // A one-line field takes pasted lines as one line.
                    text.trim_end_matches(['\r', '\n'])
                        .replace("\r\n", " ")
                        .replace(['\r', '\n'], " ")
                };
                ed.area.insert_str(text);
                self.follow_text_cursor();
            }
            Input::Key(key) => return self.edit_key(*key, cx),
            Input::Action(action) => match action {
                Action::Back => {
                    // Esc keeps the edit, like Enter: nothing typed is lost.
                    self.commit(cx);
                    return Flow::Done;
                }
                Action::ExternalEditor if multiline => {
                    let _ = self.write_back();
                    if let Some(ed) = self.editing.take() {
                        if let Field::Text(id) = ed.field {
                            self.texts[id.index()].line = ed.area.cursor().0;
                            self.external(id, cx);
                        }
                    }
                }
                Action::Select => return self.edit_key(key(KeyCode::Enter), cx),
                Action::Up => return self.edit_key(key(KeyCode::Up), cx),
                Action::Down => return self.edit_key(key(KeyCode::Down), cx),
                Action::Left => return self.edit_key(key(KeyCode::Left), cx),
                Action::Right => return self.edit_key(key(KeyCode::Right), cx),
                Action::PageUp => return self.edit_key(key(KeyCode::PageUp), cx),
                Action::PageDown => return self.edit_key(key(KeyCode::PageDown), cx),
                Action::Top => return self.edit_key(key(KeyCode::Home), cx),
                Action::Bottom => return self.edit_key(key(KeyCode::End), cx),
                // Save, send, quit...: the request already has the text.
                _ => return Flow::Bubble,
            },
        }
        let _ = self.write_back();
        self.after_change();
        Flow::Done
    }

    fn edit_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Flow {
        let Some(ed) = self.editing.as_mut() else {
            return Flow::Bubble;
        };
        let multiline = ed.field.multiline();
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let enter =
            k.code == KeyCode::Enter || (ctrl && matches!(k.code, KeyCode::Char('m' | 'j')));
        if !multiline && enter {
            self.commit(cx);
            return Flow::Done;
        }
        if !multiline && matches!(k.code, KeyCode::Tab | KeyCode::BackTab) {
            let forward = k.code == KeyCode::Tab && !k.modifiers.contains(KeyModifiers::SHIFT);
            let field = ed.field;
            if self.commit(cx) {
                if let Field::Cell { table, row, col } = field {
                    self.edit_next_cell(table, row, col, forward);
                }
            }
            return Flow::Done;
        }
        ed.area.input(k);
        self.follow_text_cursor();
        let _ = self.write_back();
        self.after_change();
        Flow::Done
    }

    /// The view's line follows a text box's cursor, so its scroll keeps
    /// the cursor on screen while the text is drawn by the pane.
    fn follow_text_cursor(&mut self) {
        if let Some(Editing {
            field: Field::Text(id),
            area,
            ..
        }) = &self.editing
        {
            self.texts[id.index()].line = area.cursor().0;
        }
    }

    /// Tab in a cell: edit the next text cell, wrapping to the next row.
    fn edit_next_cell(&mut self, table: TableId, row: usize, col: usize, forward: bool) {
        let len = self.request.as_ref().map_or(0, |r| table.len(r));
        let last = table::COLUMNS - 1;
        let (row, col) = match (forward, col) {
            (true, c) if c < last => (row, c + 1),
            (true, _) if row + 1 < len => (row + 1, 1),
            (false, c) if c > 1 => (row, c - 1),
            (false, _) if row > 0 => (row - 1, last),
            _ => return,
        };
        let c = self.table_cursor(table);
        c.row = row;
        c.col = col;
        self.fix_scroll();
        self.begin_edit(Field::Cell { table, row, col });
    }

    fn external(&mut self, id: TextId, cx: &mut Cx) {
        let Some(r) = self.request.as_ref() else {
            return;
        };
        let Some(text) = id.get(r) else {
            return;
        };
        cx.effect(Effect::EditExternally {
            target: id.target(),
            text: text.to_string(),
            extension: id.extension(&r.body.body),
        });
    }

    // ---- browsing ------------------------------------------------------

    fn handle_action(&mut self, action: Action, cx: &mut Cx) -> Flow {
        if self.request.is_none() {
            return Flow::Bubble;
        }
        let flow = match action {
            Action::NextTab | Action::PrevTab => {
                self.tab = self.tab.step(action == Action::NextTab);
                Flow::Done
            }
            Action::CycleMethod => {
                if let Some(r) = self.request.as_mut() {
                    let i = METHODS.iter().position(|m| *m == r.method);
                    r.method = METHODS[i.map_or(0, |i| (i + 1) % METHODS.len())].to_string();
                }
                Flow::Done
            }
            Action::ShowResolved => {
                self.show_resolved = !self.show_resolved;
                Flow::Done
            }
            _ => match self.focus {
                Focus::Method | Focus::Url => self.handle_url_line(action),
                Focus::Content => self.handle_content(action, cx),
            },
        };
        self.after_change();
        flow
    }

    fn handle_url_line(&mut self, action: Action) -> Flow {
        match action {
            Action::Left if self.focus == Focus::Url => self.focus = Focus::Method,
            Action::Right if self.focus == Focus::Method => self.focus = Focus::Url,
            Action::Down => {
                self.focus = Focus::Content;
                self.enter_content_from_top();
            }
            Action::Bottom => {
                self.focus = Focus::Content;
                self.content_bottom();
            }
            // The table's "no rows: a adds one" shows under the URL line.
            Action::AddRow if self.table_shown().is_some() => return self.add_row_to_shown(),
            Action::Edit | Action::Select => self.begin_edit(if self.focus == Focus::Method {
                Field::Method
            } else {
                Field::Url
            }),
            _ => return Flow::Bubble,
        }
        Flow::Done
    }

    /// The table the current tab shows, wherever the cursor is.
    fn table_shown(&self) -> Option<TableId> {
        let r = self.request.as_ref()?;
        match (self.tab, &r.body.body) {
            (Tab::Params, _) => Some(TableId::Params),
            (Tab::Headers, _) => Some(TableId::Headers),
            (Tab::Body, Body::Form(_)) => Some(TableId::Form),
            (Tab::Body, Body::Multipart(_)) => Some(TableId::Parts),
            _ => None,
        }
    }

    /// Adds a row to the table the tab shows and edits it, from the URL
    /// line or the body type as from inside the table.
    fn add_row_to_shown(&mut self) -> Flow {
        let Some(t) = self.table_shown() else {
            return Flow::Bubble;
        };
        self.focus = Focus::Content;
        if self.tab == Tab::Body {
            self.body_row = 1;
        }
        self.handle_table(t, Action::AddRow)
    }

    /// To the last row of the tab's content (the last line of a text, the
    /// last row of a table).
    fn content_bottom(&mut self) {
        match self.tab {
            Tab::Body => self.body_row = self.body_rows() - 1,
            Tab::Auth => self.auth_row = self.auth_rows() - 1,
            Tab::Scripts => self.scripts_row = 1,
            Tab::Settings => self.settings_row = field::SETTINGS.len() - 1,
            Tab::Params | Tab::Headers | Tab::Docs => {}
        }
        if let Some(t) = self.current_table() {
            let len = self.request.as_ref().map_or(0, |r| t.len(r));
            self.table_cursor(t).row = len.saturating_sub(1);
        } else if let Some(id) = self.current_text() {
            self.texts[id.index()].line = self.text_lines(id) - 1;
        }
    }

    /// Coming down from the URL line: start at the top of the content.
    fn enter_content_from_top(&mut self) {
        match self.tab {
            Tab::Body => self.body_row = 0,
            Tab::Auth => self.auth_row = 0,
            Tab::Scripts => {
                self.scripts_row = 0;
                self.texts[TextId::PreRequest.index()].line = 0;
            }
            Tab::Settings => self.settings_row = 0,
            Tab::Docs => self.texts[TextId::Description.index()].line = 0,
            Tab::Params | Tab::Headers => {}
        }
    }

    fn handle_content(&mut self, action: Action, cx: &mut Cx) -> Flow {
        if let Some(t) = self.current_table() {
            return self.handle_table(t, action);
        }
        if let Some(id) = self.current_text() {
            return self.handle_text(id, action, cx);
        }
        match self.tab {
            Tab::Body => self.handle_body_selector(action),
            Tab::Auth => self.handle_auth(action),
            Tab::Settings => self.handle_settings(action, cx),
            _ => Flow::Bubble,
        }
    }

    /// Moves up out of the first row of a tab's content.
    fn leave_up(&mut self) {
        match self.tab {
            Tab::Body if self.body_row > 0 => self.body_row -= 1,
            Tab::Scripts if self.scripts_row > 0 => {
                self.scripts_row -= 1;
                let last = self.text_lines(TextId::PreRequest) - 1;
                self.texts[TextId::PreRequest.index()].line = last;
            }
            _ => self.focus = Focus::Url,
        }
    }

    fn handle_table(&mut self, t: TableId, action: Action) -> Flow {
        let len = self.request.as_ref().map_or(0, |r| t.len(r));
        let page = self.page_rows();
        let c = *self.table_cursor(t);
        let mut next = c;
        match action {
            Action::Up if c.row == 0 || len == 0 => {
                self.leave_up();
                return Flow::Done;
            }
            Action::Up => next.row -= 1,
            Action::Down => next.row = (c.row + 1).min(len.saturating_sub(1)),
            Action::PageUp => next.row = c.row.saturating_sub(page),
            Action::PageDown => next.row = (c.row + page).min(len.saturating_sub(1)),
            Action::Top => next.row = 0,
            Action::Bottom => next.row = len.saturating_sub(1),
            Action::Left => next.col = c.col.saturating_sub(1),
            Action::Right => next.col = (c.col + 1).min(table::COLUMNS - 1),
            Action::ToggleRow => {
                if let Some(r) = self.request.as_mut() {
                    t.toggle(r, c.row);
                }
            }
            Action::Select | Action::Edit if len > 0 && c.col == 0 => {
                if let Some(r) = self.request.as_mut() {
                    t.toggle(r, c.row);
                }
            }
            Action::Select | Action::Edit if len > 0 => self.begin_edit(Field::Cell {
                table: t,
                row: c.row,
                col: c.col,
            }),
            Action::Select | Action::Edit | Action::AddRow => {
                let at = if len == 0 { 0 } else { c.row + 1 };
                let row = self.request.as_mut().map_or(0, |r| t.add_row(r, at));
                next.row = row;
                next.col = 1;
                *self.table_cursor(t) = next;
                self.fix_scroll();
                self.begin_edit(Field::Cell {
                    table: t,
                    row,
                    col: 1,
                });
                return Flow::Done;
            }
            Action::DeleteRow => {
                if let Some(r) = self.request.as_mut() {
                    t.delete_row(r, c.row);
                }
            }
            _ => return Flow::Bubble,
        }
        *self.table_cursor(t) = next;
        Flow::Done
    }

    fn page_rows(&self) -> usize {
        usize::from(self.viewport.height.saturating_sub(6)).max(1)
    }

    fn handle_text(&mut self, id: TextId, action: Action, cx: &mut Cx) -> Flow {
        let lines = self.text_lines(id);
        let page = self.page_rows();
        let line = self.texts[id.index()].line;
        let mut next = line;
        match action {
            Action::Up if line == 0 => {
                self.leave_up();
                return Flow::Done;
            }
            Action::Up => next -= 1,
            Action::Down if line + 1 >= lines => {
                // Past the last line: into the next section, if any.
                if self.tab == Tab::Body && self.body_row + 1 < self.body_rows() {
                    self.body_row += 1;
                    self.texts[TextId::GqlVars.index()].line = 0;
                } else if self.tab == Tab::Scripts && self.scripts_row == 0 {
                    self.scripts_row = 1;
                    self.texts[TextId::Test.index()].line = 0;
                }
                return Flow::Done;
            }
            Action::Down => next += 1,
            Action::PageUp => next = line.saturating_sub(page),
            Action::PageDown => next = (line + page).min(lines - 1),
            Action::Top => next = 0,
            Action::Bottom => next = lines - 1,
            Action::Edit | Action::Select => {
                self.begin_edit(Field::Text(id));
                return Flow::Done;
            }
            Action::ExternalEditor => {
                self.external(id, cx);
                return Flow::Done;
            }
            _ => return Flow::Bubble,
        }
        self.texts[id.index()].line = next;
        self.texts[id.index()].column = 0;
        Flow::Done
    }

    fn handle_body_selector(&mut self, action: Action) -> Flow {
        let binary = matches!(
            self.request.as_ref().map(|r| &r.body.body),
            Some(Body::Binary { .. })
        );
        match (action, self.body_row) {
            (Action::Up, 0) => self.focus = Focus::Url,
            (Action::Up, _) => self.body_row -= 1,
            (Action::Down, _) => self.body_row = (self.body_row + 1).min(self.body_rows() - 1),
            (Action::Top, _) => self.body_row = 0,
            (Action::Bottom, _) => self.content_bottom(),
            // The empty table's hint shows under the type selector.
            (Action::AddRow, _) if self.table_shown().is_some() => return self.add_row_to_shown(),
            (Action::Select | Action::Edit, 1) if binary => self.begin_edit(Field::BinaryFile),
            (Action::Select | Action::Edit | Action::Right | Action::ToggleRow, 0) => {
                self.cycle_body(true)
            }
            (Action::Left, 0) => self.cycle_body(false),
            _ => return Flow::Bubble,
        }
        Flow::Done
    }

    fn cycle_body(&mut self, forward: bool) {
        if let Some(r) = self.request.as_mut() {
            self.body_stash.cycle(&mut r.body.body, forward);
        }
    }

    fn handle_auth(&mut self, action: Action) -> Flow {
        let Some(r) = self.request.as_mut() else {
            return Flow::Bubble;
        };
        let rows = 1 + field::auth_fields(&r.auth.auth).len();
        let row = self.auth_row;
        match action {
            Action::Up if row == 0 => self.focus = Focus::Url,
            Action::Up => self.auth_row -= 1,
            Action::Down => self.auth_row = (row + 1).min(rows - 1),
            Action::Top => self.auth_row = 0,
            Action::Bottom => self.auth_row = rows - 1,
            Action::Select | Action::Edit | Action::Right | Action::ToggleRow if row == 0 => {
                self.auth_stash.cycle(&mut r.auth.auth, true)
            }
            Action::Left if row == 0 => self.auth_stash.cycle(&mut r.auth.auth, false),
            Action::Select | Action::Edit | Action::ToggleRow | Action::Left | Action::Right
                if row > 0 && field::auth_field_is_choice(&r.auth.auth, row - 1) =>
            {
                field::cycle_auth_choice(&mut r.auth.auth, row - 1)
            }
            Action::Select | Action::Edit if row > 0 => self.begin_edit(Field::Auth(row - 1)),
            _ => return Flow::Bubble,
        }
        Flow::Done
    }

    fn handle_settings(&mut self, action: Action, cx: &mut Cx) -> Flow {
        let Some(r) = self.request.as_mut() else {
            return Flow::Bubble;
        };
        let row = self.settings_row;
        let choice = field::setting_is_choice(row);
        match action {
            Action::Up if row == 0 => self.focus = Focus::Url,
            Action::Up => self.settings_row -= 1,
            Action::Down => self.settings_row = (row + 1).min(field::SETTINGS.len() - 1),
            Action::Top => self.settings_row = 0,
            Action::Bottom => self.settings_row = field::SETTINGS.len() - 1,
            Action::Select | Action::Edit | Action::ToggleRow | Action::Right if choice => {
                field::cycle_setting(&mut r.settings, row, true)
            }
            Action::Left if choice => field::cycle_setting(&mut r.settings, row, false),
            Action::Select | Action::Edit => self.begin_edit(Field::Setting(row)),
            Action::DeleteRow => {
                field::clear_setting(&mut r.settings, row);
                cx.info(format!("{}: inherited", field::SETTINGS[row]));
            }
            _ => return Flow::Bubble,
        }
        Flow::Done
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::empty())
}

fn kv_scrolled(offset: usize, row: usize, visible: usize) -> usize {
    crate::tui::widgets::kv_table::scrolled(offset, row, visible)
}

impl Component for EditorPane {
    fn context(&self) -> KeyContext {
        if self.editing.is_some() {
            KeyContext::Text
        } else {
            KeyContext::Editor
        }
    }

    fn actions(&self) -> Vec<Action> {
        use Action::*;
        let Some(r) = self.request.as_ref() else {
            return Vec::new();
        };
        if let Some(ed) = &self.editing {
            let mut v = vec![Back];
            if ed.field.multiline() {
                v.push(ExternalEditor);
            }
            return v;
        }
        let mut v = vec![NextTab, PrevTab, CycleMethod, ShowResolved];
        // Only what this spot handles: the footer and help list these.
        match self.focus {
            Focus::Method | Focus::Url => {
                v.extend([Down, Bottom, Edit]);
                v.push(if self.focus == Focus::Method {
                    Right
                } else {
                    Left
                });
                if self.table_shown().is_some() {
                    v.push(AddRow);
                }
            }
            Focus::Content => {
                v.extend([Up, Down]);
                if let Some(t) = self.current_table() {
                    v.extend([Left, Right, PageUp, PageDown, Top, Bottom, AddRow]);
                    if t.len(r) > 0 {
                        v.extend([Edit, ToggleRow, DeleteRow]);
                    }
                } else if self.current_text().is_some() {
                    v.extend([PageUp, PageDown, Top, Bottom, Edit, ExternalEditor]);
                } else {
                    match self.tab {
                        Tab::Body if self.body_row == 0 => {
                            v.extend([Select, Left, Right, Top, Bottom]);
                            if self.table_shown().is_some() {
                                v.push(AddRow);
                            }
                        }
                        Tab::Body => v.extend([Edit, Top, Bottom]),
                        Tab::Auth if self.auth_row == 0 => {
                            v.extend([Select, Left, Right, Top, Bottom])
                        }
                        Tab::Auth => v.extend([Edit, Top, Bottom]),
                        Tab::Settings => v.extend([Edit, DeleteRow, Top, Bottom]),
                        _ => {}
                    }
                    if self.tab == Tab::Auth && self.token_status.is_some() {
                        v.extend([FetchToken, ForgetToken]);
                    }
                }
            }
        }
        v
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        if self.editing.is_some() {
            return self.handle_editing(input, cx);
        }
        match input {
            Input::Action(a) => self.handle_action(*a, cx),
            // Outside a text box raw keys and pastes mean nothing here.
            Input::Key(_) | Input::Paste(_) => Flow::Bubble,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        draw::draw(self, frame, area, dcx);
    }
}

/// The first line of `script` that names the test `name` in a string.
fn test_line(script: &str, name: &str) -> Option<usize> {
    let quoted = |q: char| format!("{q}{name}{q}");
    script
        .split('\n')
        .position(|l| ['"', '\'', '`'].iter().any(|q| l.contains(&quoted(*q))))
        .or_else(|| script.split('\n').position(|l| l.contains(name)))
}
