//! The response pane's live jq filter runs here, on a thread of its own:
//! a slow filter or a big body never holds up the UI loop. The body is
//! parsed once and kept while filters are typed over it; of the filters
//! queued for a pane only the newest runs (typing fast skips the rest).

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, OnceLock};

use tokio::sync::mpsc::UnboundedSender;

use crate::jq::{Filter, Input, JqError};
use crate::tui::msg::Msg;

/// One filter to run on one pane's body.
pub struct Job {
    /// The pane's request (`None`: the pane of no request).
    pub pane: Option<String>,
    pub generation: u64,
    pub filter: String,
    pub body: Arc<Vec<u8>>,
    pub reply: UnboundedSender<Msg>,
}

/// Output text kept at most; the rest is cut with a note.
const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;

/// How long a parsed body is kept after the last filter over it.
const KEEP_PARSED: std::time::Duration = std::time::Duration::from_secs(20);

static WORKER: OnceLock<Option<Sender<Job>>> = OnceLock::new();

/// Queues `job`; the answer comes back as `Msg::JqDone`.
pub fn submit(job: Job) {
    let worker = WORKER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("postie-jq".into())
            .spawn(move || work(&rx))
            .ok()
            .map(|_| tx)
    });
    let job = match worker {
        Some(tx) => match tx.send(job) {
            Ok(()) => return,
            Err(mpsc::SendError(job)) => job,
        },
        None => job,
    };
    let _ = job.reply.send(Msg::JqDone {
        pane: job.pane,
        generation: job.generation,
        result: Err(JqError {
            message: "the jq thread could not start".into(),
            column: None,
        }),
    });
}

/// A body and what parsing it gave.
type Parsed = (Arc<Vec<u8>>, Result<Input, JqError>);

fn work(rx: &Receiver<Job>) {
    // The last body parsed (kept by its Arc, so the pointer stays its own).
    let mut parsed: Option<Parsed> = None;
    loop {
        // A parsed body costs many times its size: let it go when no
        // filter has come for a while.
        let first = match rx.recv_timeout(KEEP_PARSED) {
            Ok(job) => job,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                parsed = None;
                match rx.recv() {
                    Ok(job) => job,
                    Err(_) => return,
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let mut newest: HashMap<Option<String>, Job> = HashMap::new();
        newest.insert(first.pane.clone(), first);
        while let Ok(job) = rx.try_recv() {
            newest.insert(job.pane.clone(), job);
        }
        for job in newest.into_values() {
            let same = parsed
                .as_ref()
                .is_some_and(|(b, _)| Arc::ptr_eq(b, &job.body));
            if !same {
                parsed = Some((job.body.clone(), Input::parse(&job.body)));
            }
            let result = match parsed.as_ref().map(|(_, p)| p) {
                Some(Ok(input)) => run(&job.filter, input),
                Some(Err(e)) => Err(e.clone()),
                None => continue,
            };
            let _ = job.reply.send(Msg::JqDone {
                pane: job.pane,
                generation: job.generation,
                result,
            });
        }
    }
}

/// The outputs one per line (pretty, as jq prints them).
fn run(filter: &str, input: &Input) -> Result<String, JqError> {
    let outputs = Filter::compile(filter)?.run_on(input)?;
    let mut text = String::new();
    for o in outputs {
        if text.len() + o.len() > MAX_OUTPUT_BYTES {
            text.push_str("… (output cut)\n");
            break;
        }
        text.push_str(&o);
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_runs_off_the_ui_thread_and_answers_with_its_generation() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let body = Arc::new(br#"{"users":[{"name":"ada"},{"name":"bob"}]}"#.to_vec());
        for (generation, filter) in [(1, ".users[].name"), (2, ".users[0] | keys")] {
            submit(Job {
                pane: Some("users/list".into()),
                generation,
                filter: filter.into(),
                body: body.clone(),
                reply: tx.clone(),
            });
        }
        // The first may be skipped for the second; the second always runs.
        loop {
            let Some(Msg::JqDone {
                pane,
                generation,
                result,
            }) = rx.blocking_recv()
            else {
                panic!("no answer");
            };
            assert_eq!(pane.as_deref(), Some("users/list"));
            match generation {
                1 => assert_eq!(result.unwrap(), "\"ada\"\n\"bob\"\n"),
                2 => {
                    assert_eq!(result.unwrap(), "[\n  \"name\"\n]\n");
                    break;
                }
                g => panic!("generation {g}"),
            }
        }
        submit(Job {
            pane: None,
            generation: 3,
            filter: ".[".into(),
            body,
            reply: tx,
        });
        let Some(Msg::JqDone { result, .. }) = rx.blocking_recv() else {
            panic!("no answer");
        };
        assert!(result.unwrap_err().column.is_some());
    }
}
