//! The one way a stored request becomes an [`Exchange`]: `postie send`, the
//! TUI and the runner all call [`Pipeline::run`], and nothing else drives
//! the executor.
//!
//! context (loaded once by the caller) → variable scopes → pre-request
//! scripts → resolve, body, URL → auth, last → executor → test scripts →
//! one exchange record.

use std::time::Duration;

use crate::exchange::{Ending, Exchange, VarChange, VarScope};
use crate::http::{BodyTarget, Client, ClientConfig, Event, PreparedRequest, RequestId};
use crate::prepare::{
    prepare, scopes_after_scripts, script_scopes, PrepareError, Prepared, VarInputs,
};
use crate::script::VarScopes;
use crate::storage::RequestContext;

/// One send to perform.
pub struct Job {
    /// The main request's id: [`Pipeline::cancel`] takes it, and events
    /// shown to `progress` carry it.
    pub id: RequestId,
    pub context: RequestContext,
    pub inputs: VarInputs,
    pub target: BodyTarget,
    pub options: Options,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces the request's timeout (`Some(None)`: wait forever).
    pub timeout: Option<Option<Duration>>,
}

/// What a caller may show while a job runs.
#[derive(Debug)]
pub enum Progress<'a> {
    /// The request is final and about to go on the wire.
    Sending(&'a PreparedRequest),
    /// An executor event of the main request (head, download progress).
    Exec(&'a Event),
}

/// Cloneable; clones share the executor.
#[derive(Clone)]
pub struct Pipeline {
    client: Client,
}

impl Pipeline {
    /// Starts the executor on the current tokio runtime.
    pub fn new(config: ClientConfig) -> Pipeline {
        Pipeline {
            client: Client::spawn(config),
        }
    }

    /// Stops job `id` wherever it is: a send in flight fails as cancelled,
    /// one not sent yet will not be.
    pub async fn cancel(&self, id: RequestId) {
        self.client.cancel(id).await;
    }

    /// Runs `job` to its exchange, telling `progress` how it goes.
    pub async fn run(&self, job: Job, progress: &mut (dyn FnMut(Progress<'_>) + Send)) -> Exchange {
        let Job {
            id,
            context,
            inputs,
            target,
            options,
        } = job;
        let before: VarScopes = script_scopes(&context, &inputs);
        let vars = before.clone();
        let mut exchange = Exchange::new(context.path.clone());
        exchange.secrets = inputs.secret_values();

        let scopes = scopes_after_scripts(&vars, &inputs);
        let prepared = match prepare(&context, &scopes, &inputs) {
            Ok(p) => p,
            Err(PrepareError::Problems(problems)) => {
                self.client.forget(id);
                exchange.ending = Ending::NotSent(problems);
                exchange.changed = changes(&before, &vars);
                return exchange;
            }
        };
        let mut request = prepared.request;
        exchange.secrets.extend(prepared.secrets);
        if let Some(timeout) = options.timeout {
            request.settings.timeout = timeout;
        }
        progress(Progress::Sending(&request));
        exchange.sent = Some(request.clone());
        let sending = self.client.start(id, request, target).await;
        let mut on_event = |ev: &Event| progress(Progress::Exec(ev));
        exchange.ending = match sending.finish(&mut on_event).await {
            Ok(response) => Ending::Response(Box::new(response)),
            Err(error) => Ending::Failed(error),
        };
        exchange.changed = changes(&before, &vars);
        exchange
    }
}

/// The request as it would be sent, without running its scripts (for
/// "copy as curl" and `postie export curl`).
pub fn resolve(context: &RequestContext, inputs: &VarInputs) -> Result<Prepared, PrepareError> {
    let vars = script_scopes(context, inputs);
    prepare(context, &scopes_after_scripts(&vars, inputs), inputs)
}

/// What scripts changed in the scopes that outlive the exchange.
pub fn changes(before: &VarScopes, after: &VarScopes) -> Vec<VarChange> {
    let mut out = Vec::new();
    for (scope, b, a) in [
        (VarScope::Globals, &before.globals, &after.globals),
        (VarScope::Collection, &before.collection, &after.collection),
        (
            VarScope::Environment,
            &before.environment,
            &after.environment,
        ),
    ] {
        for (name, value) in a {
            if b.get(name) != Some(value) {
                out.push(VarChange {
                    scope,
                    name: name.clone(),
                    value: Some(value.clone()),
                });
            }
        }
        for name in b.keys().filter(|n| !a.contains_key(*n)) {
            out.push(VarChange {
                scope,
                name: name.clone(),
                value: None,
            });
        }
    }
    out
}
