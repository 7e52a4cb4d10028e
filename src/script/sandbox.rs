//! The limits a script runs under, and the clock that enforces the time
//! limit from inside QuickJS's interrupt handler.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long and how large one script may get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per script, its timers and callbacks included (Postman's default is
    /// no limit; a runaway script must not hang a send).
    pub timeout: Duration,
    /// Bytes the whole JS heap may hold: libraries, state and the script's
    /// own data.
    pub memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(5),
            memory: 256 * 1024 * 1024,
        }
    }
}

/// QuickJS checks the interrupt handler often while running; the handler
/// compares the clock with the deadline the engine set for the current
/// script and remembers that it fired, so the engine can tell a timeout
/// from any other uncatchable error.
#[derive(Clone, Default)]
pub(super) struct Deadline {
    at: Rc<Cell<Option<Instant>>>,
    fired: Rc<Cell<bool>>,
}

impl Deadline {
    pub(super) fn set(&self, at: Instant) {
        self.at.set(Some(at));
        self.fired.set(false);
    }

    /// Moves the deadline by `by`: time spent waiting for the host (a
    /// `pm.sendRequest`) is the request's to limit, not the script's.
    pub(super) fn extend(&self, by: Duration) {
        if let Some(at) = self.at.get() {
            self.at.set(Some(at + by));
        }
    }

    pub(super) fn at(&self) -> Option<Instant> {
        self.at.get()
    }

    /// For the interrupt handler: true stops the running JS.
    pub(super) fn passed(&self) -> bool {
        match self.at.get() {
            Some(at) if Instant::now() >= at => {
                self.fired.set(true);
                true
            }
            _ => false,
        }
    }

    pub(super) fn fired(&self) -> bool {
        self.fired.get()
    }

    /// Marks the deadline as reached when the engine itself notices (while
    /// waiting for a timer), so the error reads the same.
    pub(super) fn fire(&self) {
        self.fired.set(true);
    }
}

/// The stack QuickJS may use: deep recursion becomes a RangeError instead
/// of overflowing the thread's stack (test threads have 2 MiB).
pub(super) const MAX_STACK: usize = 512 * 1024;
