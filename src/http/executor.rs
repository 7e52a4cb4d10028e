//! The executor task: owns the clients and the cookie jar, runs each
//! request as its own task, routes every event through one loop so a
//! cancelled request never reports after its `Failed(Cancelled)`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};

use super::client::Clients;
use super::cookies::CookieJar;
use super::exchange::{perform_with_timeout, Report};
use super::{ClientConfig, Command, Event, RequestId, SendError};

/// Progress is reported at most this often...
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);
/// ...unless this many more bytes arrived since the last report.
const PROGRESS_BYTES: u64 = 256 * 1024;

/// The caller's handle: send [`Command`]s, receive [`Event`]s. Dropping
/// `commands` lets the task end once the requests in flight are done.
pub struct Executor {
    pub commands: mpsc::Sender<Command>,
    pub events: mpsc::UnboundedReceiver<Event>,
}

/// Starts the executor on the current tokio runtime (current_thread works).
/// Cheap: no client, CA store or cookie file is touched until needed.
pub fn spawn_executor(config: ClientConfig) -> Executor {
    let (cmd_tx, cmd_rx) = mpsc::channel(64);
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    tokio::spawn(run(config, cmd_rx, ev_tx));
    Executor {
        commands: cmd_tx,
        events: ev_rx,
    }
}

/// Sent by request tasks to the loop; `seq` tells a reused id's old request
/// from its new one.
struct ProgressMsg {
    id: RequestId,
    seq: u64,
    report: Report,
}

struct InFlight {
    seq: u64,
    abort: AbortHandle,
}

async fn run(
    config: ClientConfig,
    mut commands: mpsc::Receiver<Command>,
    events: mpsc::UnboundedSender<Event>,
) {
    let jar = Arc::new(CookieJar::load(config.cookie_file.clone()));
    let clients = Arc::new(Clients::new(config, jar.clone()));
    let (progress_tx, mut progress_rx) = mpsc::unbounded_channel::<ProgressMsg>();
    let mut tasks: JoinSet<(RequestId, u64, Event)> = JoinSet::new();
    let mut in_flight: HashMap<RequestId, InFlight> = HashMap::new();
    let mut next_seq: u64 = 0;
    let mut closed = false;
    // A send error means nobody listens any more; the work still finishes.
    let emit = |ev: Event| {
        let _ = events.send(ev);
    };

    loop {
        if closed && tasks.is_empty() {
            break;
        }
        tokio::select! {
            // Progress first: a task's last progress is queued before its
            // result, so it must come out before the final event.
            biased;
            Some(p) = progress_rx.recv() => {
                if in_flight.get(&p.id).is_some_and(|f| f.seq == p.seq) {
                    emit(match p.report {
                        Report::Head(head) => Event::Head { id: p.id, head: Box::new(head) },
                        Report::Progress { received, total } => {
                            Event::Progress { id: p.id, received, total }
                        }
                    });
                }
            }
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                match joined {
                    Ok((id, seq, event)) => {
                        if in_flight.get(&id).is_some_and(|f| f.seq == seq) {
                            in_flight.remove(&id);
                            emit(event);
                        }
                    }
                    Err(e) if e.is_panic() => {
                        let task = e.id();
                        let id = in_flight
                            .iter()
                            .find(|(_, f)| f.abort.id() == task)
                            .map(|(id, _)| *id);
                        if let Some(id) = id {
                            in_flight.remove(&id);
                            emit(Event::Failed {
                                id,
                                error: SendError::Protocol("internal error while sending".into()),
                            });
                        }
                    }
                    // Aborted by a Cancel, which already answered.
                    Err(_) => {}
                }
            }
            cmd = commands.recv(), if !closed => match cmd {
                None => closed = true,
                Some(Command::Cancel(id)) => {
                    if let Some(f) = in_flight.remove(&id) {
                        f.abort.abort();
                        emit(Event::Failed { id, error: SendError::Cancelled });
                    }
                }
                Some(Command::Send { id, request, target }) => {
                    if in_flight.contains_key(&id) {
                        emit(Event::Failed {
                            id,
                            error: SendError::InvalidRequest(format!(
                                "request id {} is already in flight",
                                id.0
                            )),
                        });
                        continue;
                    }
                    let seq = next_seq;
                    next_seq += 1;
                    emit(Event::Started { id });
                    let clients = clients.clone();
                    let jar = jar.clone();
                    let progress_tx = progress_tx.clone();
                    let abort = tasks.spawn(async move {
                        let mut last = Instant::now();
                        let mut last_bytes = 0u64;
                        let progress = move |report: Report| {
                            if let Report::Progress { received, .. } = report {
                                if last.elapsed() < PROGRESS_INTERVAL
                                    && received - last_bytes < PROGRESS_BYTES
                                {
                                    return;
                                }
                                last = Instant::now();
                                last_bytes = received;
                            }
                            let _ = progress_tx.send(ProgressMsg { id, seq, report });
                        };
                        let event = match perform_with_timeout(&clients, &jar, *request, target, progress).await {
                            Ok(response) => Event::Finished { id, response: Box::new(response) },
                            Err(error) => Event::Failed { id, error },
                        };
                        (id, seq, event)
                    });
                    in_flight.insert(id, InFlight { seq, abort });
                }
            },
        }
    }
}
