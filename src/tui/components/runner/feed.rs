//! The runner's events as owned messages: a [`Reporter`] that clones each
//! event and sends it over the app's channel, so the run's task never
//! touches UI state and `update` stays pure.

use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use crate::runner::record::{Execution, RunInfo, Summary};
use crate::runner::report::{Event, Reporter};
use crate::tui::msg::Msg;

/// One of the runner's events, owned.
#[derive(Debug, Clone)]
pub enum RunEvent {
    Started(RunInfo),
    Iteration {
        index: u32,
        count: u32,
    },
    Executed(Box<Execution>),
    Warning(String),
    Done(Box<Summary>),
    /// Nothing happened, but time went by (a slow request): the clock in
    /// the view moves.
    Beat,
    /// The run ended without a summary (the app's channel closed, or the
    /// run could not report).
    Failed(String),
}

/// A run's event, tagged with its run so a late event of an earlier run is
/// dropped, and with the time since it began.
#[derive(Debug, Clone)]
pub struct RunUpdate {
    pub run: u64,
    pub elapsed: Duration,
    pub event: RunEvent,
}

impl From<&Event<'_>> for RunEvent {
    fn from(event: &Event<'_>) -> RunEvent {
        match event {
            Event::Start(info) => RunEvent::Started((*info).clone()),
            Event::Iteration { index, count } => RunEvent::Iteration {
                index: *index,
                count: *count,
            },
            Event::Executed(e) => RunEvent::Executed(Box::new((*e).clone())),
            Event::Warning(w) => RunEvent::Warning((*w).to_string()),
            Event::Done(s) => RunEvent::Done(Box::new((*s).clone())),
        }
    }
}

/// Sends each event to the app as `Msg::Run`.
pub struct ChannelReporter {
    run: u64,
    started: Instant,
    tx: UnboundedSender<Msg>,
}

impl ChannelReporter {
    pub fn new(run: u64, started: Instant, tx: UnboundedSender<Msg>) -> ChannelReporter {
        ChannelReporter { run, started, tx }
    }

    /// Sends `event`; false once the app is gone.
    pub fn send(&self, event: RunEvent) -> bool {
        let update = RunUpdate {
            run: self.run,
            elapsed: self.started.elapsed(),
            event,
        };
        self.tx.send(Msg::Run(Box::new(update))).is_ok()
    }
}

impl Reporter for ChannelReporter {
    fn on(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        if self.send(RunEvent::from(event)) {
            Ok(())
        } else {
            // Nobody is listening: stop the run rather than send into the void.
            Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the app is gone",
            ))
        }
    }
}
