//! The runner view: a collection or folder run from the tree, through the
//! same runner as `postie run`. It shows live progress, each request's
//! result and tests, and the summary at the end; `enter` hands the
//! selected execution to the app, which opens its request and shows a
//! failure's response.

pub mod draw;
pub mod feed;

use std::time::Duration;

use ratatui::layout::Rect;
use ratatui::Frame;

use crate::http::{Header, Response, SendError, Timings};
use crate::model::Request;
use crate::prepare::VarInputs;
use crate::runner::record::{Execution, Summary};
use crate::runner::{Plan, RunOptions, Setup};
use crate::storage::Workspace;
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input};
use crate::tui::components::response::ResponsePane;
use crate::tui::effect::Effect;

pub use feed::{ChannelReporter, RunEvent, RunUpdate};

/// Executions listed; past this only failures are kept (a long run must
/// not grow the app without bound), the rest only counted.
pub const MAX_ROWS: usize = 5_000;
/// Failures listed at most, past `MAX_ROWS`.
pub const MAX_FAILED_ROWS: usize = 5_000;
/// Bytes of a failed response kept for the jump to it.
pub const KEEP_BODY_BYTES: usize = 256 * 1024;
/// Bodies kept in all; later failures keep their head and tests only.
pub const MAX_KEPT_BYTES: usize = 16 * 1024 * 1024;

/// Where a run is.
#[derive(Debug, Clone)]
pub enum Phase {
    /// Asked for; the runner has not said anything yet.
    Starting,
    Running,
    Done(Box<Summary>),
    /// Ended without a summary.
    Failed(String),
}

/// A run and what it has reported so far.
#[derive(Debug, Clone)]
pub struct RunnerView {
    /// Which run this is (events of other runs are dropped).
    pub run: u64,
    /// The workspace path run: `users` or `users/admin`.
    pub target: String,
    /// The collection's name (the plan's).
    pub name: String,
    pub phase: Phase,
    /// Requests the run has planned so far (the plan's length times the
    /// iterations; `setNextRequest` may send more).
    pub planned: usize,
    /// Executions reported, listed or not.
    pub executed: u64,
    pub failed: u64,
    /// Executions not listed past `MAX_ROWS` (passed ones), then any.
    pub unlisted: u64,
    pub rows: Vec<Execution>,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
    /// Body bytes kept by `rows`.
    kept_bytes: usize,
    pub cursor: usize,
    /// First row shown.
    scroll: usize,
    /// Rows the list shows (set from the layout).
    list_height: usize,
    /// The cursor follows new rows until the user moves it.
    follow: bool,
    /// A cancel was asked for and the run has not ended yet.
    pub cancelling: bool,
    pub spinner: usize,
}

impl RunnerView {
    pub fn new(run: u64, target: &str, name: &str) -> RunnerView {
        RunnerView {
            run,
            target: target.to_string(),
            name: name.to_string(),
            phase: Phase::Starting,
            planned: 0,
            executed: 0,
            failed: 0,
            unlisted: 0,
            rows: Vec::new(),
            warnings: Vec::new(),
            elapsed: Duration::ZERO,
            kept_bytes: 0,
            cursor: 0,
            scroll: 0,
            list_height: 10,
            follow: true,
            cancelling: false,
            spinner: 0,
        }
    }

    /// Whether the run is still going (the spinner ticks only then).
    pub fn running(&self) -> bool {
        matches!(self.phase, Phase::Starting | Phase::Running)
    }

    pub fn summary(&self) -> Option<&Summary> {
        match &self.phase {
            Phase::Done(s) => Some(s),
            _ => None,
        }
    }

    pub fn selected(&self) -> Option<&Execution> {
        self.rows.get(self.cursor)
    }

    /// Takes one of the run's events; returns a line for the status bar
    /// when the run ends.
    pub fn on_event(&mut self, update: RunUpdate) -> Option<(String, bool)> {
        if update.run != self.run {
            return None;
        }
        self.elapsed = self.elapsed.max(update.elapsed);
        match update.event {
            RunEvent::Started(info) => {
                self.phase = Phase::Running;
                self.name = info.name;
                self.planned = info.requests * info.iteration_count as usize;
            }
            RunEvent::Iteration { .. } | RunEvent::Beat => {}
            RunEvent::Executed(e) => self.add(*e),
            RunEvent::Warning(w) => self.warnings.push(w),
            RunEvent::Done(summary) => {
                self.elapsed = summary.duration;
                let line = self.done_line(&summary);
                self.phase = Phase::Done(summary);
                self.cancelling = false;
                if self.follow {
                    // The first failure is what one wants to read.
                    self.cursor =
                        (self.rows.iter().position(Execution::failed)).unwrap_or(self.cursor);
                    self.keep_cursor_shown();
                }
                return Some(line);
            }
            RunEvent::Failed(message) => {
                let line = format!("run of {} stopped: {message}", self.target);
                self.phase = Phase::Failed(message);
                self.cancelling = false;
                return Some((line, true));
            }
        }
        None
    }

    fn add(&mut self, mut e: Execution) {
        self.executed += 1;
        let failed = e.failed();
        if failed {
            self.failed += 1;
        }
        let room = if failed {
            MAX_ROWS + MAX_FAILED_ROWS
        } else {
            MAX_ROWS
        };
        if self.rows.len() >= room {
            self.unlisted += 1;
            return;
        }
        if let Some(body) = &e.body {
            if self.kept_bytes + body.len() > MAX_KEPT_BYTES {
                e.body = None;
            } else {
                self.kept_bytes += body.len();
            }
        }
        self.rows.push(e);
        if self.follow {
            self.cursor = self.rows.len() - 1;
            self.keep_cursor_shown();
        }
    }

    fn done_line(&self, s: &Summary) -> (String, bool) {
        use crate::runner::record::Stopped;
        let n = s.requests.executed;
        let mut line = format!(
            "ran {}: {n} request{}, {} failure{} in {}",
            self.target,
            if n == 1 { "" } else { "s" },
            s.failure_count,
            if s.failure_count == 1 { "" } else { "s" },
            crate::tui::components::response::human_duration(s.duration)
        );
        match &s.stopped {
            Some(Stopped::Cancelled) => line.push_str(" (cancelled)"),
            Some(Stopped::Bail(m) | Stopped::Loop(m)) => line.push_str(&format!(" ({m})")),
            Some(Stopped::Timeout(_)) => line.push_str(" (timed out)"),
            None => {}
        }
        (line, s.failed())
    }

    /// The list's height in rows (from the layout).
    pub fn set_viewport(&mut self, list_height: u16) {
        self.list_height = usize::from(list_height).max(1);
        self.keep_cursor_shown();
    }

    /// The spinner's frame, while the run goes.
    pub fn tick(&mut self, frame: usize) {
        self.spinner = frame;
    }

    fn keep_cursor_shown(&mut self) {
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + self.list_height {
            self.scroll = self.cursor + 1 - self.list_height;
        }
    }

    fn move_to(&mut self, to: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        self.cursor = to.clamp(0, last.max(0)) as usize;
        self.keep_cursor_shown();
    }

    /// What the footer offers here, with its words.
    pub fn hints(&self) -> Vec<(Action, &'static str)> {
        let mut h = vec![(Action::Select, "open")];
        if self.running() {
            h.push((Action::Cancel, "stop"));
        } else {
            h.push((Action::Run, "run again"));
            h.push((Action::Back, "close"));
        }
        h.push((Action::Help, "keys"));
        h
    }

    /// The first row shown in the list.
    pub fn scroll(&self) -> usize {
        self.scroll
    }
}

impl Component for RunnerView {
    fn context(&self) -> KeyContext {
        KeyContext::Runner
    }

    fn actions(&self) -> Vec<Action> {
        let mut a = Action::SCROLL.to_vec();
        a.extend([Action::Select, Action::Back, Action::Run]);
        if self.running() {
            a.push(Action::Cancel);
        }
        a
    }

    /// Moving and stopping are the view's own; `Select`, `Run` and `Back`
    /// on a finished run bubble to the app, which owns the other panes.
    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        let Input::Action(action) = input else {
            return Flow::Done;
        };
        let page = self.list_height.max(1) as isize;
        let at = self.cursor as isize;
        match action {
            Action::Up => self.move_to(at - 1),
            Action::Down => self.move_to(at + 1),
            Action::PageUp => self.move_to(at - page),
            Action::PageDown => self.move_to(at + page),
            Action::Top => self.move_to(0),
            Action::Bottom => {
                self.move_to(isize::MAX);
                self.follow = true;
                return Flow::Done;
            }
            // esc stops a running run and keeps the view; once over, it
            // closes (the app's business).
            Action::Cancel | Action::Back if self.running() => {
                if !self.cancelling {
                    self.cancelling = true;
                    cx.effect(Effect::CancelRun(self.run));
                    cx.info(format!("stopping the run of {}…", self.target));
                }
                return Flow::Done;
            }
            Action::Cancel => {
                cx.info("the run is over; esc closes it");
                return Flow::Done;
            }
            _ => return Flow::Bubble,
        }
        self.follow = false;
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        draw::draw(self, frame, area, dcx);
    }
}

/// Where the view goes on a screen of `size`: between the title and the
/// footer, over the panes.
pub fn area(size: Rect) -> Rect {
    Rect::new(
        size.x,
        size.y.saturating_add(1),
        size.width,
        size.height.saturating_sub(2),
    )
}

/// What a run from the tree sends: the plan of `target` from the loaded
/// workspace, with the app's unsaved edits (`edits`: path, request) run as
/// they are on screen, as a send would, and one iteration with the app's
/// variables.
pub fn plan_run(
    ws: &Workspace,
    target: &str,
    edits: &[(String, Request)],
    inputs: VarInputs,
    run: u64,
) -> Result<(RunnerView, Effect), String> {
    let mut plan = Plan::from_workspace(ws, target).map_err(|e| e.to_string())?;
    for step in &mut plan.steps {
        if let crate::runner::plan::Step::Request(item) = step {
            if let Some((_, r)) = edits.iter().find(|(p, _)| *p == item.context.path) {
                item.context.request = r.clone();
            }
        }
    }
    let view = RunnerView::new(run, target, &plan.name);
    let setup = Setup {
        inputs,
        data: Vec::new(),
        options: RunOptions {
            iterations: Some(1),
            keep_failed_bodies: KEEP_BODY_BYTES,
            ..RunOptions::default()
        },
    };
    let effect = Effect::StartRun {
        run,
        plan: Box::new(plan),
        setup: Box::new(setup),
    };
    Ok((view, effect))
}

/// Puts an execution in a response pane as if it had just been sent: its
/// response head and kept body (or its error), then its tests, script
/// errors and console. False when the response had a body the run did not
/// keep (the pane shows it empty).
pub fn show_in_pane(e: &Execution, pane: &mut ResponsePane) -> bool {
    let mut whole = true;
    match (&e.response, &e.error) {
        (Some(head), _) => {
            let body = e.body.as_ref().map(|b| b.to_vec()).unwrap_or_default();
            whole = e.body.is_some() || head.decoded_size == 0;
            // Cut when kept in part; not kept at all is said by the caller.
            let truncated = e.body.is_some() && (body.len() as u64) < head.decoded_size;
            pane.set_response(Response {
                status: head.status,
                reason: head.reason.clone(),
                version: head.version.clone(),
                headers: (head.headers.iter())
                    .map(|(name, value)| Header {
                        name: name.clone(),
                        value: value.as_bytes().to_vec(),
                    })
                    .collect(),
                body,
                wire_size: head.wire_size,
                decoded_size: head.decoded_size,
                truncated,
                redirects: Vec::new(),
                url: head.url.clone(),
                cookies: Vec::new(),
                timings: Timings {
                    ttfb: head.ttfb,
                    total: head.time,
                    ..Default::default()
                },
                ..Default::default()
            });
        }
        (None, Some(message)) => pane.set_error(&SendError::Protocol(message.clone())),
        (None, None) => pane.set_error(&SendError::Protocol(if e.skipped {
            "skipped by its pre-request script (pm.execution.skipRequest)".to_string()
        } else {
            "not sent".to_string()
        })),
    }
    pane.set_outcome(crate::script::Outcome {
        tests: e.tests.clone(),
        console: e.console.clone(),
        errors: e.script_errors.clone(),
    });
    whole
}

#[cfg(test)]
pub(crate) mod tests;
