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

/// Engines kept alive at once: a run with parallel iterations gives each
/// its own context; more than this and the least recently used is dropped
/// (its next script starts a fresh engine, as after a restart).
const LIVE_ENGINES: usize = 16;

/// A handle on the script thread; cloneable, the thread starts on first use.
#[derive(Clone)]
pub struct ScriptWorker {
    limits: Limits,
    tx: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
}

impl ScriptWorker {
    pub fn new(limits: Limits) -> ScriptWorker {
        ScriptWorker {
            limits,
            tx: Arc::new(Mutex::new(None)),
        }
    }

    fn sender(&self) -> Option<mpsc::Sender<Job>> {
        let mut guard = self.tx.lock().ok()?;
        if guard.is_none() {
            let (tx, rx) = mpsc::channel::<Job>();
            let limits = self.limits;
            std::thread::Builder::new()
                .name("postie-scripts".into())
                .spawn(move || serve(limits, rx))
                .ok()?;
            *guard = Some(tx);
        }
        guard.clone()
    }

    /// Readies `context`'s engine without running anything: its start-up
    /// then overlaps the request in flight.
    pub fn warm(&self, context: u64) {
        if let Some(tx) = self.sender() {
            let _ = tx.send(Job::Warm(context));
        }
    }

    /// Frees `context`'s engine (the end of a run or of an iteration that
    /// had its own).
    pub fn forget(&self, context: u64) {
        if let Some(tx) = self.sender() {
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
        let task = Task {
            context,
            timeout,
            phase,
            scripts,
            state: state.clone(),
            host,
            reply,
        };
        let sent = self
            .sender()
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
        (state, outcome)
    }
}

fn serve(limits: Limits, rx: mpsc::Receiver<Job>) {
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
                if engines.len() >= LIVE_ENGINES {
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
}

impl Host for SendHost {
    fn send_request(&mut self, request: ScriptRequest) -> Result<ScriptResponse, String> {
        let prepared = convert::script_send(&request)?;
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
