//! A shared handle on one executor: each send gets its own event channel,
//! so the pipeline, `pm.sendRequest` and a UI can have requests in flight
//! at once without reading each other's events.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::{spawn_executor, BodyTarget, ClientConfig, Command, Event, PreparedRequest, RequestId};
use super::{Response, SendError};

#[derive(Default)]
struct Routes {
    open: HashMap<RequestId, mpsc::UnboundedSender<Event>>,
    /// Cancelled before they were sent (e.g. while a script ran).
    cancelled: HashSet<RequestId>,
}

/// Cloneable; all clones share one executor (one connection pool, one
/// cookie jar).
#[derive(Clone)]
pub struct Client {
    commands: mpsc::Sender<Command>,
    routes: Arc<Mutex<Routes>>,
}

/// One request in flight: its events, ending with `Finished` or `Failed`.
pub struct Sending {
    pub id: RequestId,
    pub events: mpsc::UnboundedReceiver<Event>,
}

impl Sending {
    /// Waits for the answer, showing every event to `progress` first.
    pub async fn finish(
        mut self,
        progress: &mut (dyn FnMut(&Event) + Send),
    ) -> Result<Response, SendError> {
        while let Some(ev) = self.events.recv().await {
            progress(&ev);
            match ev {
                Event::Finished { response, .. } => return Ok(*response),
                Event::Failed { error, .. } => return Err(error),
                _ => {}
            }
        }
        Err(SendError::Protocol(
            "the executor stopped without an answer".into(),
        ))
    }
}

impl Client {
    /// Starts the executor on the current tokio runtime.
    pub fn spawn(config: ClientConfig) -> Client {
        let mut exec = spawn_executor(config);
        let routes = Arc::new(Mutex::new(Routes::default()));
        let table = routes.clone();
        tokio::spawn(async move {
            while let Some(ev) = exec.events.recv().await {
                let id = ev.id();
                let last = matches!(ev, Event::Finished { .. } | Event::Failed { .. });
                let Ok(mut routes) = table.lock() else { return };
                let tx = if last {
                    routes.open.remove(&id)
                } else {
                    routes.open.get(&id).cloned()
                };
                drop(routes);
                if let Some(tx) = tx {
                    let _ = tx.send(ev);
                }
            }
        });
        Client {
            commands: exec.commands,
            routes,
        }
    }

    /// Sends `request` as `id` (the caller's: it cancels with it).
    pub async fn start(
        &self,
        id: RequestId,
        request: PreparedRequest,
        target: BodyTarget,
    ) -> Sending {
        let (tx, rx) = mpsc::unbounded_channel();
        let cancelled = match self.routes.lock() {
            Ok(mut routes) => {
                let cancelled = routes.cancelled.remove(&id);
                if !cancelled {
                    routes.open.insert(id, tx.clone());
                }
                cancelled
            }
            Err(_) => true,
        };
        if cancelled {
            let _ = tx.send(Event::Failed {
                id,
                error: SendError::Cancelled,
            });
        } else {
            let cmd = Command::Send {
                id,
                request: Box::new(request),
                target,
            };
            if self.commands.send(cmd).await.is_err() {
                if let Ok(mut routes) = self.routes.lock() {
                    routes.open.remove(&id);
                }
                let _ = tx.send(Event::Failed {
                    id,
                    error: SendError::Protocol("the executor stopped".into()),
                });
            }
        }
        Sending { id, events: rx }
    }

    /// Stops `id` if in flight; if it is not sent yet, it will fail as
    /// cancelled when it is.
    pub async fn cancel(&self, id: RequestId) {
        let in_flight = match self.routes.lock() {
            Ok(mut routes) => {
                let open = routes.open.contains_key(&id);
                if !open {
                    routes.cancelled.insert(id);
                }
                open
            }
            Err(_) => false,
        };
        if in_flight {
            let _ = self.commands.send(Command::Cancel(id)).await;
        }
    }

    /// Forgets a cancel for a request that will never be sent.
    pub fn forget(&self, id: RequestId) {
        if let Ok(mut routes) = self.routes.lock() {
            routes.cancelled.remove(&id);
        }
    }
}
