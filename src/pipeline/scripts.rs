//! Scripts run on a thread of their own: the JS engine is not `Send`, and
//! a script must never hold up the async executor or the UI loop.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::http::{BodyTarget, Client, RequestId};
use crate::script::{
    Engine, Host, Limits, Outcome, Phase, Script, ScriptRequest, ScriptResponse, ScriptState,
};

use super::convert;

/// One phase to run. `context` names the JS context to run in: jobs with
/// the same one share globals (a collection script's `utils = {...}` is
/// seen by the request's scripts), a new one starts clean.
struct Task {
    context: u64,
    /// `None`: the worker's default limit.
    timeout: Option<Duration>,
    phase: Phase,
    scripts: Vec<Script>,
    state: ScriptState,
    host: Box<dyn Host + Send>,
    reply: oneshot::Sender<(ScriptState, Outcome)>,
}

enum Job {
    Run(Box<Task>),
    Warm(u64),
    /// The context will not be used again: free its engine.
    Forget(u64),
}

/// Engines kept alive at once, over all threads: a run with parallel
/// iterations gives each its own context; more than this and the least
/// recently used of a thread is dropped (its next script starts a fresh
/// engine, as after a restart).
const LIVE_ENGINES: usize = 16;

/// Script threads at most: parallel lanes' scripts run on as many threads
/// as there are cores, up to this.
const MAX_THREADS: usize = 4;

/// A handle on the script threads; cloneable, each thread starts on first
/// use. A context always runs on the same thread (its engine lives there).
#[derive(Clone)]
pub struct ScriptWorker {
    limits: Limits,
    threads: Arc<Vec<Mutex<Option<mpsc::Sender<Job>>>>>,
    /// Contexts whose engine was asked to warm up (once is enough).
    warmed: Arc<Mutex<std::collections::HashSet<u64>>>,
}

impl ScriptWorker {
    pub fn new(limits: Limits) -> ScriptWorker {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = (0..cores.clamp(1, MAX_THREADS))
            .map(|_| Mutex::new(None))
            .collect();
        ScriptWorker {
            limits,
            threads: Arc::new(threads),
            warmed: Arc::default(),
        }
    }

    /// The channel to `context`'s thread, started if `start` and not yet.
    fn sender_for(&self, context: u64, start: bool) -> Option<mpsc::Sender<Job>> {
        let count = self.threads.len().max(1);
        let slot = self.threads.get((context % count as u64) as usize)?;
        let mut guard = slot.lock().ok()?;
        if guard.is_none() && start {
            let (tx, rx) = mpsc::channel::<Job>();
            let limits = self.limits;
            let keep = (LIVE_ENGINES / count).max(2);
            std::thread::Builder::new()
                .name("postie-scripts".into())
                .spawn(move || serve(limits, keep, rx))
                .ok()?;
            *guard = Some(tx);
        }
        guard.clone()
    }

    fn sender(&self, context: u64) -> Option<mpsc::Sender<Job>> {
        self.sender_for(context, true)
    }

    /// Readies `context`'s engine without running anything: its start-up
    /// then overlaps the request in flight.
    pub fn warm(&self, context: u64) {
        let first = self.warmed.lock().is_ok_and(|mut w| w.insert(context));
        if let (true, Some(tx)) = (first, self.sender(context)) {
            let _ = tx.send(Job::Warm(context));
        }
    }

    /// Frees `context`'s engine (the end of a run or of an iteration that
    /// had its own).
    pub fn forget(&self, context: u64) {
        if let Ok(mut warmed) = self.warmed.lock() {
            warmed.remove(&context);
        }
        // A thread never started holds no engine to free.
        if let Some(tx) = self.sender_for(context, false) {
            let _ = tx.send(Job::Forget(context));
        }
    }

    /// Runs `scripts` for `phase` on `state`; returns the changed state and
    /// what the scripts produced.
    pub async fn run(
        &self,
        context: u64,
        timeout: Option<Duration>,
        phase: Phase,
        scripts: Vec<Script>,
        state: ScriptState,
        host: Box<dyn Host + Send>,
    ) -> (ScriptState, Outcome) {
        let (reply, answer) = oneshot::channel();
        // Kept to hand back if the engine's thread is gone: without the
        // response body, which scripts never change and could be big.
        let mut state = state;
        let body = state.response.as_mut().map(|r| std::mem::take(&mut r.body));
        let fallback = state.clone();
        if let (Some(response), Some(body)) = (state.response.as_mut(), body) {
            response.body = body;
        }
        let task = Task {
            context,
            timeout,
            phase,
            scripts,
            state,
            host,
            reply,
        };
        let sent = self
            .sender(context)
            .map(|tx| tx.send(Job::Run(Box::new(task))).is_ok())
            .unwrap_or(false);
        if sent {
            if let Ok(done) = answer.await {
                return done;
            }
        }
        let mut outcome = Outcome::default();
        outcome.errors.push(crate::script::ScriptError {
            kind: crate::script::ScriptErrorKind::Runtime,
            message: "the script engine stopped".into(),
            file: Default::default(),
            line: None,
            column: None,
        });
        (fallback, outcome)
    }
}

fn serve(limits: Limits, keep: usize, rx: mpsc::Receiver<Job>) {
    // Most recently used last.
    let mut engines: Vec<(u64, Engine)> = Vec::new();
    while let Ok(job) = rx.recv() {
        let context = match &job {
            Job::Run(task) => task.context,
            Job::Warm(context) => *context,
            Job::Forget(context) => {
                engines.retain(|(c, _)| c != context);
                continue;
            }
        };
        let engine = match engines.iter().position(|(c, _)| *c == context) {
            Some(i) => engines.remove(i),
            None => {
                if engines.len() >= keep {
                    engines.remove(0);
                }
                (context, Engine::new(limits))
            }
        };
        engines.push(engine);
        let Some((_, e)) = engines.last_mut() else {
            continue;
        };
        let mut task = match job {
            Job::Run(task) => *task,
            Job::Warm(_) | Job::Forget(_) => {
                e.warm();
                continue;
            }
        };
        e.set_timeout(task.timeout.unwrap_or(limits.timeout));
        let outcome = e.run(
            task.phase,
            &task.scripts,
            &mut task.state,
            task.host.as_mut(),
        );
        let _ = task.reply.send((task.state, outcome));
    }
}

/// `pm.sendRequest` through the pipeline's client, from the script thread.
pub struct SendHost {
    pub client: Client,
    pub runtime: tokio::runtime::Handle,
    pub ids: Arc<AtomicU64>,
    /// The request's trace ids, when its sends carry a `traceparent`.
    pub trace: Option<crate::telemetry::TraceIds>,
}

impl Host for SendHost {
    fn send_request(&mut self, request: ScriptRequest) -> Result<ScriptResponse, String> {
        let mut prepared = convert::script_send(&request)?;
        if let Some(ids) = self.trace {
            // The script's call is a child of the request's span.
            crate::telemetry::add_traceparent(&mut prepared.headers, ids);
        }
        let id = RequestId(self.ids.fetch_add(1, Ordering::Relaxed));
        let client = self.client.clone();
        let response = self.runtime.block_on(async move {
            let sending = client.start(id, prepared, BodyTarget::Memory).await;
            sending.finish(&mut |_| {}).await
        });
        match response {
            Ok(r) => Ok(convert::script_response(&r)),
            Err(e) => Err(e.to_string()),
        }
    }
}
