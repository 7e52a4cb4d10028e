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

mod body;
mod draw;
mod input;
mod jq;

use self::body::{advance_search, reveal_current, shown_of, Body};
use self::draw::{header_line_styled, timing_lines};
pub use self::draw::{human_bytes, human_duration};
use self::input::{table_len, table_max_scroll, table_width};

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use ratatui::layout::Rect;
use ratatui::Frame;

use self::cookies::{parse_set_cookie, SetCookie};
use self::format::{classify, BodyKind};
use self::problems::SendProblem;
use self::tests_tab::TestsView;
use crate::http::{
    Connection, Header, RedirectHop, Response, ResponseHead, SendError, Sizes, Timings,
};
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input};
use crate::tui::highlight::SyntaxAssets;

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
    /// The W3C trace id the request carried, when it carried one.
    trace_id: Option<String>,
    /// It went over https with the certificate unchecked (`verify_tls`
    /// off): the summary says so.
    unverified: bool,
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
    /// The request's workspace path, to step through its history.
    request: Option<String>,
    /// The history record of what is shown (`None`: not kept, or none).
    history_id: Option<String>,
    /// The jq filter being typed.
    jq_input: Option<String>,
    /// The jq filter on the body, and its last answer.
    jq: Option<jq::JqView>,
    jq_generation: u64,
    /// Where a past exchange came from (`history 2/7 · 12-03 19:40:01 · run`);
    /// `None` for the last send's.
    origin: Option<String>,
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
            request: None,
            history_id: None,
            origin: None,
            jq_input: None,
            jq: None,
            jq_generation: 0,
        }
    }

    /// The pane of the request at workspace path `path` (`users/get`).
    pub fn with_request(mut self, path: &str) -> ResponsePane {
        self.test_file = Some(format!("{path}.test.js"));
        self.request = Some(path.to_string());
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
        self.origin = None;
        self.history_id = None;
        self.jq_input = None;
        self.jq = None;
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
            trace_id: None,
            unverified: false,
        }));
        self.search_input = None;
        self.table_scroll = [0; Tab::ALL.len()];
        self.table_hscroll = [0; Tab::ALL.len()];
    }
}

impl Component for ResponsePane {
    fn context(&self) -> KeyContext {
        if self.search_input.is_some() || self.jq_input.is_some() {
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
        if self.jq_input.is_some() {
            return self.handle_jq_input(input, cx);
        }
        match input {
            Input::Action(a) => self.handle_action(*a, cx),
            Input::Key(_) | Input::Paste(_) => Flow::Bubble,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        self.draw_pane(frame, area, dcx)
    }
}

/// The pane as a view of the request's exchanges in history.
impl ResponsePane {
    /// The history record the last send was kept as.
    pub fn set_history_id(&mut self, id: Option<String>) {
        self.history_id = id;
    }

    /// The trace id the shown exchange's request carried (`traceparent`).
    /// Marks the response as got over https without checking the
    /// server's certificate.
    pub fn mark_unverified(&mut self) {
        if let Phase::Done(loaded) = &mut self.phase {
            loaded.unverified = true;
        }
    }

    pub fn set_trace_id(&mut self, id: Option<String>) {
        if let Phase::Done(loaded) = &mut self.phase {
            loaded.trace_id = id;
        }
    }

    pub fn history_id(&self) -> Option<&str> {
        self.history_id.as_deref()
    }

    /// Where the shown exchange came from, when it is a past one.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Shows a past exchange from history: its response (or why there was
    /// none) and its tests; `position` is its place among the request's
    /// exchanges (1 = the newest).
    pub fn show_record(
        &mut self,
        record: &crate::history::Record,
        position: Option<(usize, usize)>,
    ) {
        match record.to_response() {
            Some(resp) => self.set_response(resp),
            None => {
                let why = record
                    .error
                    .clone()
                    .unwrap_or_else(|| match record.outcome {
                        crate::history::Outcome::Skipped => {
                            "skipped by its pre-request script".into()
                        }
                        _ => "no response".into(),
                    });
                self.set_error(&SendError::InvalidRequest(why));
            }
        }
        if !record.tests.is_empty() {
            self.set_outcome(record.outcome());
        } else {
            self.tests = None;
        }
        self.history_id = Some(record.id.clone());
        self.set_trace_id(record.trace_id.clone());
        let at = crate::tui::components::history::draw::short_time(&record.at);
        let place = position.map_or(String::new(), |(i, n)| format!(" {i}/{n}"));
        self.origin = Some(format!("history{place} · {at} · {}", record.via.as_str()));
    }
}
