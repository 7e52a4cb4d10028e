//! The collection tree: collections, folders and requests with method
//! badges, expand/collapse, type-to-filter, and markers for unsaved edits
//! and files git sees as changed.

use std::collections::{BTreeSet, HashMap, HashSet};

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::storage::{FolderNode, Item, Workspace};
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, NamePurpose, Notice};
use crate::tui::fuzzy;
use crate::tui::widgets::list_row::{method_badge, Highlight, ListRow, BADGE_WIDTH};
use crate::tui::widgets::safe_text::safe_spans;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitMark {
    Modified,
    Untracked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKind {
    Collection,
    Folder,
    Request {
        method: String,
    },
    Broken {
        message: String,
        /// The file that could not be read (maybe a sidecar), relative to
        /// the workspace root.
        file: std::path::PathBuf,
    },
}

/// One entry of the flattened tree, as the workspace gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub path: String,
    pub name: String,
    pub depth: usize,
    pub kind: RowKind,
    pub has_children: bool,
}

#[derive(Debug, Default)]
pub struct TreePane {
    /// Every node in display order (collapsed ones included).
    nodes: Vec<Node>,
    expanded: HashSet<String>,
    /// Indexes into `nodes` of what is shown now.
    visible: Vec<usize>,
    cursor: usize,
    offset: usize,
    height: usize,
    filter: Option<String>,
    /// Typing into the filter (vs. moving in the filtered list).
    filtering: bool,
    dirty: HashSet<String>,
    git: HashMap<String, GitMark>,
    load: Load,
    /// The filter `visible` holds the matches of: typing more only narrows
    /// them, so a key looks at the last matches, not every request.
    matched: Option<String>,
}

/// How much of the workspace the tree holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Nothing yet: "Loading workspace…".
    #[default]
    Nothing,
    /// The first collections of a big workspace, the rest on the way.
    Partial,
    Complete,
}

impl TreePane {
    pub fn new() -> TreePane {
        TreePane {
            height: 10,
            ..TreePane::default()
        }
    }

    /// Rebuilds from a freshly loaded workspace, keeping the cursor on the
    /// same path when it still exists. `load` says whether more of the
    /// workspace is on the way ([`Load::Partial`]).
    pub fn set_workspace(&mut self, ws: &Workspace, load: Load) {
        self.set_rows(rows(ws), load);
    }

    /// [`set_workspace`](Self::set_workspace) with the rows already made
    /// by [`rows`], as the loader does off the app's thread.
    pub fn set_rows(&mut self, nodes: Vec<Node>, load: Load) {
        let keep = self.selected_path().map(str::to_string);
        // Collections start open (the first thing a user wants is to see
        // requests), also those that arrive after the first part: the
        // ones shown already keep what the user did to them.
        let opening = self.load != Load::Complete;
        let shown: HashSet<String> = if opening {
            self.nodes
                .iter()
                .filter(|n| n.kind == RowKind::Collection)
                .map(|n| n.path.clone())
                .collect()
        } else {
            HashSet::new()
        };
        self.load = load;
        self.matched = None;
        self.nodes = nodes;
        if opening {
            for n in &self.nodes {
                if n.kind == RowKind::Collection && !shown.contains(&n.path) {
                    self.expanded.insert(n.path.clone());
                }
            }
        }
        self.rebuild();
        if let Some(p) = keep {
            self.select_path(&p);
        }
    }

    pub fn set_dirty(&mut self, dirty: HashSet<String>) {
        self.dirty = dirty;
    }

    pub fn set_git(&mut self, git: HashMap<String, GitMark>) {
        self.git = git;
    }

    pub fn set_viewport(&mut self, height: u16) {
        self.height = usize::from(height).max(1);
        self.scroll_into_view();
    }

    pub fn selected(&self) -> Option<&Node> {
        self.visible
            .get(self.cursor)
            .and_then(|&i| self.nodes.get(i))
    }

    pub fn selected_path(&self) -> Option<&str> {
        self.selected().map(|n| n.path.as_str())
    }

    /// Moves the cursor to `path`, opening its ancestors.
    pub fn select_path(&mut self, path: &str) {
        let mut prefix = String::new();
        for seg in path.split('/') {
            if !prefix.is_empty() {
                self.expanded.insert(prefix.clone());
                prefix.push('/');
            }
            prefix.push_str(seg);
        }
        self.rebuild();
        if let Some(pos) = self
            .visible
            .iter()
            .position(|&i| self.nodes[i].path == path)
        {
            self.cursor = pos;
            self.scroll_into_view();
        }
    }

    pub fn request_paths(&self) -> Vec<(&str, &str, &str)> {
        self.nodes
            .iter()
            .filter_map(|n| match &n.kind {
                RowKind::Request { method } => {
                    Some((n.path.as_str(), n.name.as_str(), method.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    fn rebuild(&mut self) {
        let before = std::mem::take(&mut self.visible);
        let matched = self.matched.take();
        match &self.filter {
            Some(q) if !q.is_empty() => {
                // Matching requests (and files that failed to load, so
                // they can be found and fixed), flat, best first. What
                // matches a query matches every query it starts with.
                let candidates: Box<dyn Iterator<Item = usize>> =
                    match matched.filter(|m| q.starts_with(m.as_str())) {
                        Some(_) => Box::new(before.into_iter()),
                        None => Box::new(0..self.nodes.len()),
                    };
                let mut scored: Vec<(i64, usize)> = candidates
                    .filter_map(|i| {
                        let n = self.nodes.get(i)?;
                        if !matches!(n.kind, RowKind::Request { .. } | RowKind::Broken { .. }) {
                            return None;
                        }
                        let s = fuzzy::score(q, &n.path).max(fuzzy::score(q, &n.name));
                        (s > 0).then_some((s, i))
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                self.visible = scored.into_iter().map(|(_, i)| i).collect();
                self.matched = Some(q.clone());
            }
            _ => {
                let mut hidden_under: Option<String> = None;
                for (i, n) in self.nodes.iter().enumerate() {
                    if let Some(h) = &hidden_under {
                        if n.path.starts_with(h.as_str()) {
                            continue;
                        }
                        hidden_under = None;
                    }
                    self.visible.push(i);
                    if n.has_children && !self.expanded.contains(&n.path) {
                        hidden_under = Some(format!("{}/", n.path));
                    }
                }
            }
        }
        self.cursor = self.cursor.min(self.visible.len().saturating_sub(1));
        self.scroll_into_view();
    }

    fn scroll_into_view(&mut self) {
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + self.height {
            self.offset = self.cursor + 1 - self.height;
        }
        let max_offset = self.visible.len().saturating_sub(self.height);
        self.offset = self.offset.min(max_offset);
    }

    fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, last as isize) as usize;
        self.scroll_into_view();
    }

    /// The folder a new item goes into: the selected folder, or the
    /// selected request's folder.
    fn target_folder(&self) -> Option<String> {
        let n = self.selected()?;
        match n.kind {
            RowKind::Collection | RowKind::Folder => Some(n.path.clone()),
            _ => n.path.rsplit_once('/').map(|(p, _)| p.to_string()),
        }
    }

    /// Opens the chosen match and shows it in the whole tree again.
    fn choose_filtered(&mut self, cx: &mut Cx) {
        self.filtering = false;
        let chosen = self.selected().map(|n| (n.path.clone(), n.kind.clone()));
        self.filter = None;
        self.rebuild();
        match chosen {
            Some((path, RowKind::Broken { message, file })) => {
                self.select_path(&path);
                cx.notice(Notice::OfferEdit { file, message });
            }
            Some((path, _)) => {
                self.select_path(&path);
                cx.notice(Notice::OpenRequest(path));
            }
            None => {}
        }
    }

    fn handle_filter_key(&mut self, key: &crossterm::event::KeyEvent, cx: &mut Cx) -> Flow {
        let Some(q) = self.filter.as_mut() else {
            return Flow::Bubble;
        };
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => q.push(c),
            KeyCode::Backspace => {
                q.pop();
            }
            KeyCode::Enter => {
                self.choose_filtered(cx);
                return Flow::Done;
            }
            KeyCode::Down => {
                self.move_by(1);
                return Flow::Done;
            }
            KeyCode::Up => {
                self.move_by(-1);
                return Flow::Done;
            }
            _ => return Flow::Bubble,
        }
        self.cursor = 0;
        self.rebuild();
        Flow::Done
    }
}

/// Every row of `ws`'s tree in display order, collapsed ones included.
/// For a big workspace this is made by the loader's thread: 110,000 rows
/// take about 40 ms.
pub fn rows(ws: &Workspace) -> Vec<Node> {
    let mut nodes = Vec::new();
    for c in &ws.collections {
        flatten(c, 0, true, &mut nodes);
    }
    nodes
}

fn flatten(f: &FolderNode, depth: usize, is_collection: bool, out: &mut Vec<Node>) {
    out.push(Node {
        path: f.path.clone(),
        name: f.name(),
        depth,
        kind: if is_collection {
            RowKind::Collection
        } else {
            RowKind::Folder
        },
        has_children: !f.items.is_empty(),
    });
    for item in &f.items {
        match item {
            Item::Folder(sub) => flatten(sub, depth + 1, false, out),
            Item::Request(r) => out.push(Node {
                path: r.path.clone(),
                name: r.name(),
                depth: depth + 1,
                kind: RowKind::Request {
                    method: r.request.method.clone(),
                },
                has_children: false,
            }),
            Item::Broken(b) => out.push(Node {
                path: b.path.clone(),
                name: crate::storage::workspace::last_segment(&b.path).to_string(),
                depth: depth + 1,
                kind: RowKind::Broken {
                    message: b.diagnostic.render_short(),
                    file: b.diagnostic.path.clone(),
                },
                has_children: false,
            }),
        }
    }
}

impl Component for TreePane {
    fn context(&self) -> KeyContext {
        if self.filtering {
            KeyContext::Text
        } else {
            KeyContext::Tree
        }
    }

    fn actions(&self) -> Vec<Action> {
        use Action::*;
        if self.filtering {
            return vec![Back, Select];
        }
        let mut a = vec![Up, Down, Top, Bottom, Select, Filter, NewRequest, NewFolder];
        if let Some(n) = self.selected() {
            match n.kind {
                RowKind::Request { .. } => a.extend([Rename, Duplicate, Move, Delete]),
                RowKind::Folder | RowKind::Collection => a.extend([Expand, Collapse]),
                RowKind::Broken { .. } => {}
            }
        }
        a
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        if self.filtering {
            match input {
                Input::Key(k) => return self.handle_filter_key(k, cx),
                Input::Paste(text) => {
                    if let Some(q) = self.filter.as_mut() {
                        q.push_str(text.lines().next().unwrap_or(""));
                    }
                    self.rebuild();
                    return Flow::Done;
                }
                Input::Action(Action::Back) => {
                    self.filtering = false;
                    self.filter = None;
                    self.rebuild();
                    return Flow::Done;
                }
                Input::Action(Action::Select) => {
                    self.choose_filtered(cx);
                    return Flow::Done;
                }
                Input::Action(_) => return Flow::Bubble,
            }
        }
        let Input::Action(action) = input else {
            return Flow::Bubble;
        };
        let page = self.height.max(1) as isize;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Back if self.filter.is_some() => {
                self.filter = None;
                self.rebuild();
            }
            Action::Filter => {
                self.filter = Some(String::new());
                self.filtering = true;
                self.cursor = 0;
                self.rebuild();
            }
            Action::Select | Action::Expand | Action::Collapse | Action::Right | Action::Left => {
                let Some(n) = self.selected().cloned() else {
                    return Flow::Done;
                };
                match (&n.kind, action) {
                    (RowKind::Request { .. }, Action::Select | Action::Right) => {
                        cx.notice(Notice::OpenRequest(n.path.clone()));
                    }
                    (
                        RowKind::Request { .. } | RowKind::Broken { .. },
                        Action::Left | Action::Collapse,
                    ) => {
                        // Jump to the parent folder.
                        if let Some((parent, _)) = n.path.rsplit_once('/') {
                            let parent = parent.to_string();
                            self.select_path(&parent);
                        }
                    }
                    (RowKind::Broken { message, file }, Action::Select | Action::Right) => cx
                        .notice(Notice::OfferEdit {
                            file: file.clone(),
                            message: message.clone(),
                        }),
                    (RowKind::Broken { message, .. }, _) => cx.error(message.clone()),
                    (_, Action::Select) => {
                        if !self.expanded.remove(&n.path) {
                            self.expanded.insert(n.path.clone());
                        }
                        self.rebuild();
                    }
                    (_, Action::Expand | Action::Right) => {
                        self.expanded.insert(n.path.clone());
                        self.rebuild();
                    }
                    (_, _) => {
                        if self.expanded.remove(&n.path) {
                            self.rebuild();
                        } else if let Some((parent, _)) = n.path.rsplit_once('/') {
                            let parent = parent.to_string();
                            self.select_path(&parent);
                        }
                    }
                }
            }
            Action::NewRequest | Action::NewFolder => {
                let Some(parent) = self.target_folder() else {
                    if !self.nodes.is_empty() {
                        cx.error("nothing selected: choose a collection or folder first");
                        return Flow::Done;
                    }
                    // An empty workspace: the top level takes a collection,
                    // which a request needs first.
                    if *action == Action::NewRequest {
                        cx.info("a request lives in a collection: name the collection first");
                    }
                    cx.notice(Notice::AskName {
                        purpose: NamePurpose::NewFolder {
                            parent: String::new(),
                        },
                        initial: String::new(),
                    });
                    return Flow::Done;
                };
                let purpose = if *action == Action::NewRequest {
                    NamePurpose::NewRequest { parent }
                } else {
                    NamePurpose::NewFolder { parent }
                };
                cx.notice(Notice::AskName {
                    purpose,
                    initial: String::new(),
                });
            }
            Action::Rename | Action::Duplicate | Action::Move | Action::Delete => {
                let Some(n) = self.selected().cloned() else {
                    return Flow::Done;
                };
                if !matches!(n.kind, RowKind::Request { .. }) {
                    cx.error("only requests can be renamed, duplicated, moved or deleted here");
                    return Flow::Done;
                }
                let stem = crate::storage::workspace::last_segment(&n.path).to_string();
                let parent = n
                    .path
                    .rsplit_once('/')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default();
                let notice = match action {
                    Action::Rename => Notice::AskName {
                        purpose: NamePurpose::Rename {
                            path: n.path.clone(),
                        },
                        initial: stem,
                    },
                    Action::Duplicate => Notice::AskName {
                        purpose: NamePurpose::Duplicate {
                            path: n.path.clone(),
                        },
                        initial: format!("{stem}-copy"),
                    },
                    Action::Move => Notice::AskName {
                        purpose: NamePurpose::Move {
                            path: n.path.clone(),
                        },
                        initial: parent,
                    },
                    _ => Notice::ConfirmDelete {
                        path: n.path.clone(),
                    },
                };
                cx.notice(notice);
            }
            _ => return Flow::Bubble,
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let title_style = theme.fg(theme.colors.title);
        let mut title = vec![Span::styled(" Collections ", title_style)];
        if self.load == Load::Partial {
            title.push(Span::styled("(loading…) ", theme.dim()));
        }
        if let Some(q) = &self.filter {
            title.push(Span::styled(format!(" /{q}"), title_style));
            // The one cursor every text field shows.
            if self.filtering {
                title.push(crate::tui::widgets::cursor::span(theme));
            }
            title.push(Span::styled(" ", title_style));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(dcx.focused))
            .title(Line::from(title));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.width == 0 || inner.height == 0 {
            return;
        }
        let mut notes: Vec<Line> = Vec::new();
        if self.load == Load::Nothing {
            notes.push(Line::from(Span::styled("Loading workspace…", theme.dim())));
        } else if self.nodes.is_empty() {
            notes.push(Line::from(Span::styled("No collections.", theme.dim())));
            // What to press first: the explanation is cut in a narrow tree.
            if let Some(k) = dcx.keymap.key_for(&[KeyContext::Tree], Action::NewFolder) {
                notes.push(Line::from(Span::styled(
                    format!("{k} makes one."),
                    theme.dim(),
                )));
            }
            notes.push(Line::from(Span::styled(
                "A collection is a directory with collection.json.",
                theme.dim(),
            )));
        } else if self.visible.is_empty() {
            notes.push(Line::from(Span::styled("No match.", theme.dim())));
        }
        if !notes.is_empty() {
            frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), inner);
            return;
        }
        let filtered = self.filter.as_ref().is_some_and(|q| !q.is_empty());
        let end = (self.offset + inner.height as usize).min(self.visible.len());
        let rows = inner.rows();
        for ((row, &i), area) in self.visible[self.offset.min(end)..end]
            .iter()
            .enumerate()
            .zip(rows)
        {
            let n = &self.nodes[i];
            let indent = if filtered { 0 } else { n.depth * 2 };
            let mut lead = vec![Span::raw(" ".repeat(indent))];
            let body = match &n.kind {
                RowKind::Collection | RowKind::Folder => {
                    let open = self.expanded.contains(&n.path);
                    let arrow = if !n.has_children {
                        "  "
                    } else if open {
                        "▾ "
                    } else {
                        "▸ "
                    };
                    lead.push(Span::styled(arrow, theme.dim()));
                    let style = if n.kind == RowKind::Collection {
                        theme.base().add_modifier(Modifier::BOLD)
                    } else {
                        theme.base()
                    };
                    safe_spans(&n.name, style, theme.escaped())
                }
                RowKind::Request { method } => {
                    lead.extend(method_badge(method, theme));
                    let label = if filtered { &n.path } else { &n.name };
                    safe_spans(label, theme.base(), theme.escaped())
                }
                RowKind::Broken { .. } => {
                    lead.push(Span::styled(
                        format!("{:<w$}", "ERROR", w = BADGE_WIDTH + 1),
                        theme.fg(theme.colors.error),
                    ));
                    safe_spans(&n.name, theme.fg(theme.colors.error), theme.escaped())
                }
            };
            let mut tail = Vec::new();
            if self.dirty.contains(&n.path) {
                tail.push(Span::styled(" ●", theme.fg(theme.colors.dirty)));
            }
            match self.git.get(&n.path) {
                Some(GitMark::Modified) => {
                    tail.push(Span::styled(" M", theme.fg(theme.colors.git_modified)))
                }
                Some(GitMark::Untracked) => {
                    tail.push(Span::styled(" U", theme.fg(theme.colors.git_untracked)))
                }
                None => {}
            }
            let highlight = match (self.offset + row == self.cursor, dcx.focused) {
                (false, _) => Highlight::None,
                (true, true) => Highlight::Focused,
                (true, false) => Highlight::Unfocused,
            };
            ListRow::new(lead, body, tail).render(area, frame.buffer_mut(), theme, highlight);
        }
    }
}

/// Paths of requests whose files (or sidecars) git reports, from
/// `git status --porcelain -z` output run at the workspace root.
pub fn parse_git_status(
    output: &[u8],
    request_paths: &BTreeSet<String>,
) -> HashMap<String, GitMark> {
    let mut out = HashMap::new();
    let mut entries = output.split(|b| *b == 0).peekable();
    while let Some(entry) = entries.next() {
        if entry.len() < 4 {
            continue;
        }
        let (code, path) = entry.split_at(3);
        let mark = if code.starts_with(b"??") {
            GitMark::Untracked
        } else {
            GitMark::Modified
        };
        // Renames carry the old path as the next entry.
        if code[0] == b'R' || code[0] == b'C' {
            entries.next();
        }
        let path = String::from_utf8_lossy(path);
        if let Some(dir) = path.strip_suffix('/') {
            // An untracked directory is reported once: mark what is inside.
            let prefix = format!("{dir}/");
            for r in request_paths.range(prefix.clone()..) {
                if !r.starts_with(&prefix) {
                    break;
                }
                out.insert(r.clone(), mark);
            }
            continue;
        }
        // A sidecar marks its request: `users/a.body.json` → `users/a`.
        let file = path.rsplit('/').next().unwrap_or(&path);
        let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let stem = match crate::storage::layout::classify(file) {
            crate::storage::layout::FileKind::Request { stem }
            | crate::storage::layout::FileKind::Sidecar { stem, .. } => stem,
            _ => continue,
        };
        let req = if dir.is_empty() {
            stem
        } else {
            format!("{dir}/{stem}")
        };
        if request_paths.contains(&req) {
            out.insert(req, mark);
        }
    }
    out
}

#[cfg(test)]
mod tests;
