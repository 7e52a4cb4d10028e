//! The response pane: a summary line (status, time, size), then tabs for
//! the body (formatted, highlighted, searchable), the scripts' tests, the
//! headers, the cookies and the timing. Everything from the server (and
//! from scripts) is untrusted and drawn through the safe-text escapes.
//!
//! Work a screen needs (highlighting, wrapping, search marks) is done when
//! state changes (`handle`, `set_*`), so `draw` only reads.

pub mod cookies;
pub mod format;
pub mod hexdump;
pub mod problems;
pub mod search;
pub mod tests_tab;
pub mod timing;
pub mod view;

#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TableRow, Table, Wrap};
use ratatui::Frame;

use self::cookies::{parse_set_cookie, SetCookie};
use self::format::{classify, indent_markup, pretty_json, BodyKind, MARKUP_FORMAT_LIMIT};
use self::problems::{Role, SendProblem};
use self::search::Search;
use self::tests_tab::TestsView;
use self::view::{map_invalid_bytes, Document, Mark, View};
use crate::http::{
    Connection, Header, RedirectHop, Response, ResponseHead, SendError, Sizes, Timings,
};
use crate::media::{self, MediaKind};
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
use crate::tui::highlight::{Highlighter, Language, LineIndex, SyntaxAssets};
use crate::tui::theme::Theme;
use crate::tui::widgets::safe_text::{safe_byte_spans, safe_spans};

/// Time one key press may spend searching before the screen is drawn.
const SEARCH_BUDGET: Duration = Duration::from_millis(8);

/// Bodies bigger than this are not put on the clipboard (OSC 52 payloads
/// that big are dropped by terminals anyway).
const MAX_COPY_BYTES: usize = 8 * 1024 * 1024;

/// Header values longer than this are cut when drawn.
const MAX_HEADER_SHOWN: usize = 4096;

/// Columns moved by `Left`/`Right`.
const HSCROLL_STEP: usize = 8;

/// Rows above and below the body: the summary, the tabs, the footer.
const CHROME_ROWS: u16 = 3;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The tabs, in order. Adding one means a variant here, a title, and a
/// draw arm in [`ResponsePane::draw_tab`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Body,
    Tests,
    Headers,
    Cookies,
    Timing,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Body,
        Tab::Tests,
        Tab::Headers,
        Tab::Cookies,
        Tab::Timing,
    ];

    fn title(self) -> &'static str {
        match self {
            Tab::Body => "Body",
            Tab::Tests => "Tests",
            Tab::Headers => "Headers",
            Tab::Cookies => "Cookies",
            Tab::Timing => "Timing",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// The body as received and as shown.
struct Body {
    kind: BodyKind,
    /// The body as text: as received if UTF-8, else with invalid bytes
    /// mapped to be shown as `\xNN`. Empty for binary bodies.
    raw_text: String,
    /// The exact bytes, kept only when they differ from `raw_text`.
    raw_bytes: Option<Vec<u8>>,
    /// Index of `raw_text`, built the first time it is shown.
    raw_doc: Option<Document>,
    /// Formatted JSON/XML/HTML, or the hex dump of a binary body.
    pretty: Option<(String, Document)>,
    show_raw: bool,
    view: View,
    search: Option<Search>,
}

impl Body {
    fn bytes(&self) -> &[u8] {
        self.raw_bytes
            .as_deref()
            .unwrap_or(self.raw_text.as_bytes())
    }

    /// The text and document on screen.
    fn shown(&mut self) -> Option<(&str, &mut Document)> {
        if self.show_raw || self.pretty.is_none() {
            let doc = self.raw_doc.as_mut()?;
            Some((self.raw_text.as_str(), doc))
        } else {
            let (text, doc) = self.pretty.as_mut()?;
            Some((text.as_str(), doc))
        }
    }

    fn shown_text(&self) -> &str {
        match &self.pretty {
            Some((text, _)) if !self.show_raw => text,
            _ => &self.raw_text,
        }
    }

    fn can_toggle_raw(&self) -> bool {
        self.pretty.is_some() && self.kind != BodyKind::Binary
    }

    fn refresh(&mut self) {
        let search = self.search.take();
        let mut view = std::mem::take(&mut self.view);
        if let Some((text, doc)) = self.shown() {
            view.clamp(doc, text);
            view.refresh(doc, text, search.as_ref());
        }
        self.view = view;
        self.search = search;
    }

    /// Runs `f` on the view with the shown text and document.
    fn with_view(&mut self, f: impl FnOnce(&mut View, &Document, &str)) {
        let mut view = std::mem::take(&mut self.view);
        if let Some((text, doc)) = self.shown() {
            f(&mut view, doc, text);
        }
        self.view = view;
    }
}

/// A finished response.
struct Loaded {
    status: u16,
    reason: String,
    version: String,
    url: String,
    headers: Vec<Header>,
    cookies: Vec<SetCookie>,
    content_type: Option<String>,
    wire_size: u64,
    decoded_size: u64,
    truncated: bool,
    redirects: Vec<RedirectHop>,
    timings: Timings,
    connection: Connection,
    sizes: Sizes,
    body: Body,
}

struct Sending {
    spinner: usize,
    head: Option<ResponseHead>,
    received: u64,
    total: Option<u64>,
}

enum Phase {
    Empty,
    Sending(Sending),
    Done(Box<Loaded>),
    Failed {
        /// The user stopped it: not an error.
        cancelled: bool,
        message: String,
    },
}

/// Why the last send did not go out, shown over the last response until
/// the next send or `Back`.
struct ProblemsView {
    problems: Vec<SendProblem>,
    /// `problems` wrapped to the pane's width.
    rows: Vec<problems::Row>,
    /// First row shown.
    scroll: usize,
}

/// Rows of the problems view that are not problems: the title, a blank
/// row and the footer.
const PROBLEMS_CHROME_ROWS: u16 = 3;

/// The response pane.
pub struct ResponsePane {
    syntax_theme: String,
    /// Syntect's syntaxes, loaded with the first body that needs them.
    assets: Option<Arc<SyntaxAssets>>,
    phase: Phase,
    tab: Tab,
    width: u16,
    height: u16,
    /// First row shown in the Headers, Cookies and Timing tabs.
    table_scroll: [usize; Tab::ALL.len()],
    /// First column shown in those tabs.
    table_hscroll: [usize; Tab::ALL.len()],
    /// The query being typed, while the search box is open.
    search_input: Option<String>,
    /// Time one key press may spend searching (tests set it to zero to
    /// make every search sliced).
    search_budget: Duration,
    /// What was shown when the current send began (and its tests), put
    /// back if the request is not sent after all.
    before_send: Option<(Phase, Option<TestsView>)>,
    problems: Option<ProblemsView>,
    /// What the last send's scripts reported.
    tests: Option<TestsView>,
    /// The request's test script (`users/get.test.js`), for hints.
    test_file: Option<String>,
}

impl std::fmt::Debug for ResponsePane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponsePane")
            .field("tab", &self.tab)
            .finish_non_exhaustive()
    }
}

impl ResponsePane {
    /// `syntax_theme` is the syntect theme for bodies (`Theme::syntax`).
    pub fn new(syntax_theme: &str) -> ResponsePane {
        ResponsePane {
            syntax_theme: syntax_theme.to_string(),
            assets: None,
            phase: Phase::Empty,
            tab: Tab::Body,
            width: 0,
            height: 0,
            table_scroll: [0; Tab::ALL.len()],
            table_hscroll: [0; Tab::ALL.len()],
            search_input: None,
            search_budget: SEARCH_BUDGET,
            before_send: None,
            problems: None,
            tests: None,
            test_file: None,
        }
    }

    /// The pane of the request at workspace path `path` (`users/get`).
    pub fn with_request(mut self, path: &str) -> ResponsePane {
        self.test_file = Some(format!("{path}.test.js"));
        self
    }

    /// What the send's scripts reported: tests, errors, console. Call it
    /// after `set_response`/`set_error`, or after a send that stopped
    /// before the wire (with the pre-request scripts' outcome).
    pub fn set_outcome(&mut self, outcome: crate::script::Outcome) {
        if matches!(self.phase, Phase::Sending(_)) {
            // Neither a response nor an error came: the scripts stopped
            // the send (`pm.execution.skipRequest()`); say so, with them.
            self.phase = Phase::Empty;
            self.before_send = None;
        }
        let rows = self.content_rows();
        self.tests = Some(TestsView::new(
            outcome,
            self.test_file.clone(),
            usize::from(self.width),
            rows,
        ));
    }

    /// Shows `tab` (the runner's jump to a failed test shows Tests).
    pub fn show_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    /// What the last send's scripts reported, if they ran.
    pub fn outcome(&self) -> Option<&crate::script::Outcome> {
        self.tests.as_ref().map(TestsView::outcome)
    }

    /// Rows under the summary and tab lines, above the footer.
    fn content_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(CHROME_ROWS)).max(1)
    }

    /// Whether the Tests tab is what keys act on: chosen over a response,
    /// or the only thing to show after a send that got no response.
    fn tests_shown(&self) -> bool {
        match &self.phase {
            Phase::Done(_) => self.tab == Tab::Tests,
            Phase::Sending(_) => false,
            // Only a send that stopped before the wire leaves tests here.
            Phase::Empty => self.tests.is_some(),
            // A transport error shows whole unless scripts said something.
            Phase::Failed { .. } => self.tests.as_ref().is_some_and(|t| !t.is_empty()),
        }
    }

    /// Shares already loaded syntect assets (several panes, tests).
    pub fn with_assets(mut self, assets: Arc<SyntaxAssets>) -> ResponsePane {
        self.assets = Some(assets);
        self
    }

    /// The pane's inner size (inside its border); call on every resize.
    pub fn set_viewport(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.wrap_problems();
        let rows = self.content_rows();
        if let Some(t) = self.tests.as_mut() {
            t.layout(usize::from(width), rows);
        }
        if let Phase::Done(loaded) = &mut self.phase {
            loaded.body.view.width = usize::from(width);
            loaded.body.view.height = usize::from(height.saturating_sub(CHROME_ROWS));
            loaded.body.refresh();
            let rows = usize::from(height.saturating_sub(CHROME_ROWS)).max(1);
            for tab in [Tab::Headers, Tab::Cookies, Tab::Timing] {
                let i = tab.index();
                self.table_scroll[i] =
                    self.table_scroll[i].min(table_max_scroll(loaded, tab, rows));
                let max = table_width(loaded, tab).saturating_sub(usize::from(width));
                self.table_hscroll[i] = self.table_hscroll[i].min(max);
            }
        }
    }

    /// A request went out: show the spinner (call again to animate it).
    pub fn set_sending(&mut self, spinner_frame: usize) {
        match &mut self.phase {
            Phase::Sending(s) => s.spinner = spinner_frame,
            _ => {
                let before = std::mem::replace(
                    &mut self.phase,
                    Phase::Sending(Sending {
                        spinner: spinner_frame,
                        head: None,
                        received: 0,
                        total: None,
                    }),
                );
                self.before_send = Some((before, self.tests.take()));
                self.problems = None;
                self.search_input = None;
            }
        }
    }

    /// The status and headers arrived before the body.
    pub fn set_head(&mut self, head: &ResponseHead) {
        self.set_sending(self.spinner());
        if let Phase::Sending(s) = &mut self.phase {
            s.head = Some(head.clone());
        }
        // The request went out and is being answered.
        self.before_send = None;
    }

    pub fn set_progress(&mut self, received: u64, total: Option<u64>) {
        self.set_sending(self.spinner());
        if let Phase::Sending(s) = &mut self.phase {
            s.received = received;
            s.total = total;
        }
    }

    fn spinner(&self) -> usize {
        match &self.phase {
            Phase::Sending(s) => s.spinner,
            _ => 0,
        }
    }

    pub fn set_error(&mut self, e: &SendError) {
        self.phase = Phase::Failed {
            cancelled: matches!(e, SendError::Cancelled),
            message: e.to_string(),
        };
        self.before_send = None;
        self.problems = None;
        self.search_input = None;
    }

    /// The request was not sent: show why, over what was shown before the
    /// send (the last response stays, a key away).
    pub fn set_problems(&mut self, problems: Vec<SendProblem>) {
        if matches!(self.phase, Phase::Sending(_)) {
            let (phase, tests) = self.before_send.take().unwrap_or((Phase::Empty, None));
            self.phase = phase;
            self.tests = tests;
        }
        self.before_send = None;
        self.search_input = None;
        self.problems = Some(ProblemsView {
            problems,
            rows: Vec::new(),
            scroll: 0,
        });
        self.wrap_problems();
    }

    /// The problems shown, if any.
    pub fn problems(&self) -> Option<&[SendProblem]> {
        self.problems.as_ref().map(|v| v.problems.as_slice())
    }

    /// Whether a finished response is kept (perhaps under the problems).
    pub fn has_response(&self) -> bool {
        matches!(self.phase, Phase::Done(_))
    }

    fn wrap_problems(&mut self) {
        let rows = self.problem_rows();
        if let Some(v) = self.problems.as_mut() {
            v.rows = problems::rows(&v.problems, usize::from(self.width));
            v.scroll = v.scroll.min(v.rows.len().saturating_sub(rows));
        }
    }

    /// Rows the problems view has for problems.
    fn problem_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(PROBLEMS_CHROME_ROWS)).max(1)
    }

    /// Shows a finished response; formats and indexes the body once.
    pub fn set_response(&mut self, resp: Response) {
        let content_type = resp
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map(|h| h.value_lossy().into_owned());
        let cookies = resp
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|h| parse_set_cookie(&h.value_lossy()))
            .collect();
        let kind = classify(content_type.as_deref(), &resp.body);
        let mut body = self.prepare_body(kind, resp.body);
        body.view.width = usize::from(self.width);
        body.view.height = usize::from(self.height.saturating_sub(CHROME_ROWS));
        body.view.wrap = kind != BodyKind::Binary;
        body.refresh();
        self.before_send = None;
        self.problems = None;
        self.phase = Phase::Done(Box::new(Loaded {
            status: resp.status,
            reason: resp.reason,
            version: resp.version,
            url: resp.url,
            headers: resp.headers,
            cookies,
            content_type,
            wire_size: resp.wire_size,
            decoded_size: resp.decoded_size,
            truncated: resp.truncated,
            redirects: resp.redirects,
            timings: resp.timings,
            connection: resp.connection,
            sizes: resp.sizes,
            body,
        }));
        self.search_input = None;
        self.table_scroll = [0; Tab::ALL.len()];
        self.table_hscroll = [0; Tab::ALL.len()];
    }

    fn assets(&mut self) -> Arc<SyntaxAssets> {
        Arc::clone(self.assets.get_or_insert_with(SyntaxAssets::load))
    }

    fn highlighter(&mut self, language: Language, len: usize) -> Highlighter {
        if language == Language::Plain {
            return Highlighter::plain();
        }
        let assets = self.assets();
        Highlighter::new(&assets, &self.syntax_theme, language, len)
    }

    fn prepare_body(&mut self, kind: BodyKind, bytes: Vec<u8>) -> Body {
        // Offsets are u32: a body over 4 GiB is shown up to there.
        let limit = u32::MAX as usize;
        let mut body = Body {
            kind,
            raw_text: String::new(),
            raw_bytes: None,
            raw_doc: None,
            pretty: None,
            show_raw: false,
            view: View::default(),
            search: None,
        };
        let language = match kind {
            BodyKind::Binary => {
                let dump = hexdump::hex_dump(&bytes);
                let doc = Document::new(&dump, LineIndex::new(&dump), Highlighter::plain());
                body.pretty = Some((dump, doc));
                body.raw_bytes = Some(bytes);
                return body;
            }
            BodyKind::Text(language) => language,
        };
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.len() > limit {
                    let cut = (0..=limit).rev().find(|&i| text.is_char_boundary(i));
                    text.truncate(cut.unwrap_or(0));
                }
                body.pretty = self.format(&text, language);
                body.raw_text = text;
            }
            Err(e) => {
                let bytes = e.into_bytes();
                body.raw_text = map_invalid_bytes(&bytes[..bytes.len().min(limit / 2)]);
                body.raw_bytes = Some(bytes);
            }
        }
        if body.pretty.is_none() {
            self.index_raw(&mut body, language);
        }
        body
    }

    /// The formatted text of a body in `language`, if it formats.
    fn format(&mut self, text: &str, language: Language) -> Option<(String, Document)> {
        let (pretty, index) = match language {
            Language::Json => {
                let p = pretty_json(text)?;
                let len = p.text.len();
                let index = LineIndex::from_starts(p.line_starts, len);
                let highlighter = self.highlighter(language, len);
                // Valid JSON holds no raw control bytes but DEL.
                let simple = text.is_ascii() && memchr::memchr(0x7f, text.as_bytes()).is_none();
                let doc = Document::formatted_json(index, simple, highlighter);
                return Some((p.text, doc));
            }
            Language::Xml | Language::Html if text.len() <= MARKUP_FORMAT_LIMIT => {
                let p = indent_markup(text, language == Language::Html);
                let index = LineIndex::new(&p);
                (p, index)
            }
            _ => return None,
        };
        let highlighter = self.highlighter(language, pretty.len());
        let doc = Document::new(&pretty, index, highlighter);
        Some((pretty, doc))
    }

    fn index_raw(&mut self, body: &mut Body, language: Language) {
        if body.raw_doc.is_some() {
            return;
        }
        let highlighter = self.highlighter(language, body.raw_text.len());
        let index = LineIndex::new(&body.raw_text);
        body.raw_doc = Some(Document::new(&body.raw_text, index, highlighter));
    }

    /// Scans on with a pending search; returns whether more work is left
    /// (the app may call this while idle, so counts finish without keys).
    pub fn tick(&mut self) -> bool {
        let Phase::Done(loaded) = &mut self.phase else {
            return false;
        };
        let body = &mut loaded.body;
        let Some(search) = body.search.as_mut() else {
            return false;
        };
        if search.done {
            return false;
        }
        let before = search.current_offset();
        let done = match &body.pretty {
            Some((text, _)) if !body.show_raw => {
                search.advance(text.as_bytes(), self.search_budget)
            }
            _ => search.advance(body.raw_text.as_bytes(), self.search_budget),
        };
        let selected = search.current_offset() != before;
        if selected {
            // The match a pending selection waited for turned up.
            reveal_current(body);
        } else {
            body.refresh();
        }
        !done
    }

    /// Whether a search is still scanning.
    pub fn busy(&self) -> bool {
        match &self.phase {
            Phase::Done(l) => l.body.search.as_ref().is_some_and(|s| !s.done),
            _ => false,
        }
    }

    /// Actions that apply now (help overlay, palette).
    pub fn actions(&self) -> Vec<Action> {
        let mut actions = self.actions_listed();
        // The problems view and the response share keys: list each once.
        let mut seen = std::collections::HashSet::new();
        actions.retain(|a| seen.insert(*a));
        actions
    }

    fn actions_listed(&self) -> Vec<Action> {
        if self.search_input.is_some() {
            return vec![Action::Select, Action::Back];
        }
        let mut actions = Vec::new();
        if self.problems.is_some() {
            actions.extend(Action::SCROLL);
            actions.push(Action::Back);
        }
        let tests_spot = self.tests_shown()
            && self
                .tests
                .as_ref()
                .is_some_and(|t| t.selected_spot().is_some());
        let Phase::Done(loaded) = &self.phase else {
            if self.tests_shown() {
                actions.extend(Action::SCROLL);
                actions.push(Action::Copy);
                if tests_spot {
                    actions.push(Action::OpenScriptError);
                }
            }
            return actions;
        };
        actions.extend(Action::SCROLL);
        actions.extend([
            Action::NextTab,
            Action::PrevTab,
            Action::Copy,
            Action::SaveBody,
        ]);
        if self.tab == Tab::Body {
            actions.push(Action::Search);
            if loaded.body.search.is_some() {
                actions.extend([Action::SearchNext, Action::SearchPrev, Action::Back]);
            }
            if loaded.body.kind != BodyKind::Binary {
                actions.push(Action::ToggleWrap);
            }
            if loaded.body.can_toggle_raw() {
                actions.push(Action::ToggleRaw);
            }
            if !loaded.body.view.wrap {
                actions.extend([Action::Left, Action::Right]);
            }
        } else if self.tab == Tab::Tests {
            if tests_spot {
                actions.push(Action::OpenScriptError);
            }
        } else if self.tab != Tab::Cookies {
            // The cookie table fits the pane; these may be wider.
            actions.extend([Action::Left, Action::Right]);
        }
        actions
    }

    fn handle_search_input(&mut self, input: &Input) -> Flow {
        let Some(query) = self.search_input.as_mut() else {
            return Flow::Bubble;
        };
        match input {
            Input::Key(k) => match k.code {
                KeyCode::Enter => self.confirm_search(),
                KeyCode::Esc => self.search_input = None,
                KeyCode::Backspace => {
                    query.pop();
                }
                KeyCode::Char(c)
                    if !k
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    query.push(c);
                }
                _ => {}
            },
            Input::Paste(text) => {
                query.extend(text.chars().filter(|c| !c.is_control()));
            }
            Input::Action(Action::Back) => self.search_input = None,
            Input::Action(Action::Select) => self.confirm_search(),
            Input::Action(_) => return Flow::Bubble,
        }
        Flow::Done
    }

    fn confirm_search(&mut self) {
        let query = self.search_input.take().unwrap_or_default();
        let Phase::Done(loaded) = &mut self.phase else {
            return;
        };
        let body = &mut loaded.body;
        if query.is_empty() {
            body.search = None;
            body.refresh();
            return;
        }
        let mut search = Search::new(&query);
        // From the top of the screen on, like a pager.
        let top = body.view.top.line;
        let from = body.shown().map_or(0, |(_, doc)| doc.index.line_start(top));
        search.select_from(body.shown_text().as_bytes(), from, self.search_budget);
        body.search = Some(search);
        reveal_current(body);
    }

    fn handle_action(&mut self, action: Action, cx: &mut Cx) -> Flow {
        let rows = self.problem_rows();
        let Some(view) = self.problems.as_mut() else {
            return self.handle_response_action(action, cx);
        };
        let max = view.rows.len().saturating_sub(rows);
        view.scroll = match action {
            Action::Up => view.scroll.saturating_sub(1),
            Action::Down => (view.scroll + 1).min(max),
            Action::PageUp => view.scroll.saturating_sub(rows),
            Action::PageDown => (view.scroll + rows).min(max),
            Action::Top => 0,
            Action::Bottom => max,
            Action::Back => {
                self.problems = None;
                return Flow::Done;
            }
            _ => {
                // Anything the response takes (tabs, search, copy) goes to
                // it and puts the problems away.
                let flow = self.handle_response_action(action, cx);
                if flow == Flow::Done {
                    self.problems = None;
                }
                return flow;
            }
        };
        Flow::Done
    }

    fn handle_response_action(&mut self, action: Action, cx: &mut Cx) -> Flow {
        if let (Action::Search, Phase::Done(_)) = (action, &self.phase) {
            self.tab = Tab::Body;
            self.search_input = Some(String::new());
            return Flow::Done;
        }
        if self.tests_shown() {
            if let Some(flow) = self.handle_tests_action(action, cx) {
                return flow;
            }
        }
        let rows = usize::from(self.height.saturating_sub(CHROME_ROWS)).max(1);
        let tab = self.tab;
        let Phase::Done(loaded) = &mut self.phase else {
            return Flow::Bubble;
        };
        match action {
            Action::NextTab | Action::PrevTab => {
                let n = Tab::ALL.len();
                let step = if action == Action::NextTab { 1 } else { n - 1 };
                self.tab = Tab::ALL[(self.tab.index() + step) % n];
                self.table_hscroll = [0; Tab::ALL.len()];
                return Flow::Done;
            }
            Action::Copy => {
                copy(loaded, self.tests.as_ref(), tab, cx);
                return Flow::Done;
            }
            Action::SaveBody => {
                save(loaded, cx);
                return Flow::Done;
            }
            _ => {}
        }
        if tab != Tab::Body {
            if let Action::Left | Action::Right = action {
                let max = table_width(loaded, tab).saturating_sub(usize::from(self.width));
                let h = &mut self.table_hscroll[tab.index()];
                *h = if action == Action::Left {
                    h.saturating_sub(HSCROLL_STEP)
                } else {
                    (*h + HSCROLL_STEP).min(max)
                };
                return Flow::Done;
            }
            let max = table_max_scroll(loaded, tab, rows);
            let scroll = &mut self.table_scroll[tab.index()];
            *scroll = match action {
                Action::Up => scroll.saturating_sub(1),
                Action::Down => (*scroll + 1).min(max),
                Action::PageUp => scroll.saturating_sub(rows),
                Action::PageDown => (*scroll + rows).min(max),
                Action::Top => 0,
                Action::Bottom => max,
                _ => return Flow::Bubble,
            };
            return Flow::Done;
        }
        let body = &mut loaded.body;
        match action {
            Action::Up => body.with_view(|v, d, t| v.scroll_up(d, t, 1)),
            Action::Down => body.with_view(|v, d, t| v.scroll_down(d, t, 1)),
            Action::PageUp => body.with_view(|v, d, t| v.scroll_up(d, t, rows)),
            Action::PageDown => body.with_view(|v, d, t| v.scroll_down(d, t, rows)),
            Action::Top => body.view.to_top(),
            Action::Bottom => body.with_view(|v, d, t| v.to_bottom(d, t)),
            Action::Left => body.view.scroll_left(HSCROLL_STEP),
            Action::Right => body.with_view(|v, d, t| v.scroll_right(d, t, HSCROLL_STEP)),
            Action::ToggleWrap if body.kind != BodyKind::Binary => {
                let wrap = !body.view.wrap;
                body.view.set_wrap(wrap);
            }
            Action::ToggleRaw if body.can_toggle_raw() => {
                body.show_raw = !body.show_raw;
                if body.show_raw {
                    let BodyKind::Text(language) = body.kind else {
                        return Flow::Done;
                    };
                    self.index_raw_of_loaded(language);
                }
                self.restart_search();
                return Flow::Done;
            }
            Action::SearchNext | Action::SearchPrev => {
                let text = match &body.pretty {
                    Some((t, _)) if !body.show_raw => t.as_bytes(),
                    _ => body.raw_text.as_bytes(),
                };
                let Some(search) = body.search.as_mut() else {
                    return Flow::Bubble;
                };
                if action == Action::SearchNext {
                    search.next(text, self.search_budget);
                } else {
                    search.prev();
                }
                reveal_current(body);
                return Flow::Done;
            }
            Action::Back if body.search.is_some() => body.search = None,
            _ => return Flow::Bubble,
        }
        advance_search(body, self.search_budget);
        body.refresh();
        Flow::Done
    }

    /// Keys on the Tests tab: the selection moves over its entries, and
    /// one that points into a script opens there in the editor.
    fn handle_tests_action(&mut self, action: Action, cx: &mut Cx) -> Option<Flow> {
        let rows = self.content_rows();
        let t = self.tests.as_mut()?;
        let page = rows as isize;
        match action {
            Action::Up => t.select_by(-1, rows),
            Action::Down => t.select_by(1, rows),
            Action::PageUp => t.select_by(-page, rows),
            Action::PageDown => t.select_by(page, rows),
            Action::Top => t.select_by(isize::MIN / 2, rows),
            Action::Bottom => t.select_by(isize::MAX / 2, rows),
            Action::OpenScriptError => match t.selected_spot() {
                Some(spot) => cx.notice(Notice::OpenScript {
                    file: spot.file.clone(),
                    line: spot.line,
                    column: spot.column,
                    test: spot.test.clone(),
                }),
                None => cx.info("this row points at no script line"),
            },
            Action::Copy if !matches!(self.phase, Phase::Done(_)) => {
                let text = t.plain_text();
                cx.info(format!(
                    "copied the tests ({})",
                    human_bytes(text.len() as u64)
                ));
                cx.effect(crate::tui::effect::Effect::Copy(text));
            }
            _ => return None,
        }
        Some(Flow::Done)
    }

    fn index_raw_of_loaded(&mut self, language: Language) {
        let Phase::Done(loaded) = &mut self.phase else {
            return;
        };
        if loaded.body.raw_doc.is_none() {
            let len = loaded.body.raw_text.len();
            let highlighter = self.highlighter(language, len);
            if let Phase::Done(loaded) = &mut self.phase {
                let text = &loaded.body.raw_text;
                let doc = Document::new(text, LineIndex::new(text), highlighter);
                loaded.body.raw_doc = Some(doc);
            }
        }
    }

    /// The shown text changed: start the scan over on the new one.
    fn restart_search(&mut self) {
        let Phase::Done(loaded) = &mut self.phase else {
            return;
        };
        let body = &mut loaded.body;
        body.view.to_top();
        if let Some(old) = body.search.take() {
            let mut search = Search::new(&old.query);
            search.select_from(body.shown_text().as_bytes(), 0, self.search_budget);
            body.search = Some(search);
        }
        reveal_current(body);
    }
}

/// Scrolls to the current match and redraws the rows.
fn reveal_current(body: &mut Body) {
    let offset = body.search.as_ref().and_then(Search::current_offset);
    if let Some(offset) = offset {
        body.with_view(|v, d, t| v.reveal(d, t, offset));
    }
    body.refresh();
}

/// Gives a pending search one slice of time, so any key moves it on;
/// scrolls to its match if that selected one.
fn advance_search(body: &mut Body, budget: Duration) {
    let text = match &body.pretty {
        Some((t, _)) if !body.show_raw => t.as_bytes(),
        _ => body.raw_text.as_bytes(),
    };
    let Some(search) = body.search.as_mut() else {
        return;
    };
    if search.done {
        return;
    }
    let before = search.current_offset();
    search.advance(text, budget);
    if search.current_offset() != before {
        reveal_current(body);
    }
}

/// The furthest a table tab scrolls down: its last row at the bottom.
fn table_max_scroll(loaded: &Loaded, tab: Tab, rows: usize) -> usize {
    // The cookie table's column titles take a row.
    let shown = if tab == Tab::Cookies { rows - 1 } else { rows };
    table_len(loaded, tab).saturating_sub(shown.max(1))
}

/// Columns of the widest row of a table tab.
fn table_width(loaded: &Loaded, tab: Tab) -> usize {
    let plain = |s: &str| -> usize {
        safe_spans(s, Style::default(), Style::default())
            .iter()
            .map(Span::width)
            .sum()
    };
    match tab {
        // The body scrolls in its view; the cookie table fits the pane;
        // the tests are wrapped.
        Tab::Body | Tab::Cookies | Tab::Tests => 0,
        Tab::Headers => loaded
            .headers
            .iter()
            .map(|h| header_line_styled(h, [Style::default(); 4]).width())
            .max()
            .unwrap_or(0),
        // The bars fit the pane; hop and certificate rows may not.
        Tab::Timing => timing_lines(loaded)
            .iter()
            .map(|l| plain(l))
            .max()
            .unwrap_or(0),
    }
}

fn table_len(loaded: &Loaded, tab: Tab) -> usize {
    match tab {
        // The Tests tab keeps its own selection (`TestsView`).
        Tab::Body | Tab::Tests => 0,
        Tab::Headers => loaded.headers.len(),
        Tab::Cookies => loaded.cookies.len(),
        Tab::Timing => timing_lines(loaded).len(),
    }
}

fn copy(loaded: &Loaded, tests: Option<&TestsView>, tab: Tab, cx: &mut Cx) {
    let text = match tab {
        Tab::Tests => tests.map(TestsView::plain_text).unwrap_or_default(),
        Tab::Body if loaded.body.kind == BodyKind::Binary => {
            cx.error("a binary body cannot be copied as text; save it to a file instead");
            return;
        }
        Tab::Body => loaded.body.shown_text().to_string(),
        Tab::Headers => loaded
            .headers
            .iter()
            .map(|h| format!("{}: {}\n", h.name, h.value_lossy()))
            .collect(),
        Tab::Cookies => loaded
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
            .map(|h| format!("{}\n", h.value_lossy()))
            .collect(),
        Tab::Timing => timing_lines(loaded).join("\n"),
    };
    if text.len() > MAX_COPY_BYTES {
        cx.error(format!(
            "too big to copy ({}); save it to a file instead",
            human_bytes(text.len() as u64)
        ));
        return;
    }
    let what = tab.title().to_lowercase();
    cx.info(format!(
        "copied the {what} ({})",
        human_bytes(text.len() as u64)
    ));
    cx.effect(crate::tui::effect::Effect::Copy(text));
}

fn save(loaded: &Loaded, cx: &mut Cx) {
    let ext = extension(loaded.body.kind, loaded.content_type.as_deref());
    let path = PathBuf::from(format!("response-{}.{ext}", loaded.status));
    let bytes = loaded.body.bytes().to_vec();
    cx.info(format!(
        "saving the body to {} ({})",
        path.display(),
        human_bytes(bytes.len() as u64)
    ));
    cx.effect(crate::tui::effect::Effect::WriteFile { path, bytes });
}

/// A file extension for a saved body.
fn extension(kind: BodyKind, content_type: Option<&str>) -> &'static str {
    let media = match kind {
        BodyKind::Text(Language::Json) => MediaKind::Json,
        BodyKind::Text(Language::Xml) => MediaKind::Xml,
        BodyKind::Text(Language::Html) => MediaKind::Html,
        BodyKind::Text(Language::JavaScript) => MediaKind::JavaScript,
        BodyKind::Text(Language::Css) => MediaKind::Css,
        BodyKind::Text(Language::Yaml) => MediaKind::Yaml,
        BodyKind::Text(Language::Plain) => MediaKind::Text,
        BodyKind::Binary => return media::binary_extension(content_type.unwrap_or("")),
    };
    media.extension()
}

/// `532 B`, `1.2 KiB`, `48.0 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// `87 ms`, `1.25 s`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// What the Timing tab reads from the response.
fn timing_data(loaded: &Loaded) -> timing::TimingData<'_> {
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
    }
}

/// The Timing tab as plain lines (also what `Copy` puts on the clipboard).
fn timing_lines(loaded: &Loaded) -> Vec<String> {
    timing::plain_lines(&timing_data(loaded))
}

/// Theme styles used while drawing.
struct Palette<'a> {
    theme: &'a Theme,
}

impl Palette<'_> {
    /// A syntax colour as the terminal can show it.
    fn syntax(&self, s: Style) -> Style {
        crate::tui::highlight::for_theme(s, self.theme)
    }

    fn mark(&self, mark: Mark) -> Style {
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

impl Component for ResponsePane {
    fn context(&self) -> KeyContext {
        if self.search_input.is_some() {
            KeyContext::Text
        } else {
            KeyContext::Response
        }
    }

    fn actions(&self) -> Vec<Action> {
        ResponsePane::actions(self)
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        if self.search_input.is_some() {
            return self.handle_search_input(input);
        }
        match input {
            Input::Action(a) => self.handle_action(*a, cx),
            Input::Key(_) | Input::Paste(_) => Flow::Bubble,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(dcx.focused))
            .title(Span::styled(" Response ", theme.fg(theme.colors.title)));
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
    fn draw_outcome_only(&self, frame: &mut Frame, inner: Rect, dcx: &DrawCx) {
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

    fn draw_problems(&self, frame: &mut Frame, inner: Rect, view: &ProblemsView, dcx: &DrawCx) {
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

    fn draw_sending(&self, frame: &mut Frame, inner: Rect, s: &Sending, theme: &Theme) {
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

    fn tabs_line(&self, loaded: &Loaded, theme: &Theme) -> Line<'static> {
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
                    let form = if body.can_toggle_raw() && !body.show_raw {
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
    fn tests_count(&self, theme: &Theme, tab_style: Style) -> Option<Span<'static>> {
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
    fn tests_footer(&self, dcx: &DrawCx) -> Line<'static> {
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
    fn draw_tests(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
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

    fn footer_line(&self, loaded: &Loaded, theme: &Theme) -> Line<'static> {
        if let Some(query) = &self.search_input {
            let mut spans = vec![Span::styled("/", theme.fg(theme.colors.accent))];
            spans.extend(safe_spans(query, theme.base(), theme.escaped()));
            spans.push(crate::tui::widgets::cursor::span(theme));
            return Line::from(spans);
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
        let lines = match &body.pretty {
            Some((_, doc)) if !body.show_raw => doc.index.line_count(),
            _ => body.raw_doc.as_ref().map_or(0, |d| d.index.line_count()),
        };
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
                let pct = search.percent(body.shown_text().len());
                spans.push(Span::styled(format!(" searching {pct}%"), theme.dim()));
            }
            spans.push(Span::styled(" /", theme.fg(theme.colors.accent)));
            spans.extend(safe_spans(&search.query, theme.base(), theme.escaped()));
        }
        Line::from(spans)
    }

    fn draw_tab(&self, frame: &mut Frame, area: Rect, loaded: &Loaded, dcx: &DrawCx) {
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

fn header_line(h: &Header, theme: &Theme) -> Line<'static> {
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
fn header_line_styled(h: &Header, [name, dim, base, escaped]: [Style; 4]) -> Line<'static> {
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
fn summary_line(loaded: &Loaded, theme: &Theme) -> Line<'static> {
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
    if !loaded.redirects.is_empty() {
        spans.push(sep());
        let n = loaded.redirects.len();
        let s = if n == 1 { "" } else { "s" };
        spans.push(Span::styled(format!("{n} redirect{s}"), theme.base()));
    }
    Line::from(spans)
}

fn timing_view(loaded: &Loaded, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    timing::lines(&timing_data(loaded), theme, width)
}
