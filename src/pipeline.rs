//! The one way a stored request becomes an [`Exchange`]: `postie send`, the
//! TUI and the runner all call [`Pipeline::run`], and nothing else drives
//! the executor.
//!
//! context (loaded once by the caller) → variable scopes → pre-request
//! scripts → resolve, body, URL → auth, last → executor → test scripts →
//! one exchange record.

mod convert;
mod oauth;
mod scripts;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use scripts::{ScriptWorker, SendHost};

use crate::exchange::{Ending, Exchange, VarChange, VarScope};
use crate::http::{BodyTarget, Client, ClientConfig, Event, PreparedRequest, RequestId};
use crate::prepare::{
    prepare, scopes_after_scripts, script_scopes, script_timeout, PrepareError, Prepared, VarInputs,
};
use crate::script::{Host, Info, Limits, Phase, ScriptState, VarScopes};
use crate::storage::RequestContext;
use crate::telemetry::TraceIds;

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

#[derive(Debug, Clone)]
pub struct Options {
    /// Replaces the request's timeout (`Some(None)`: wait forever).
    pub timeout: Option<Option<Duration>>,
    /// Run the pre-request and test scripts (`--no-scripts` turns it off).
    pub run_scripts: bool,
    /// The JS context to run scripts in: exchanges given the same one
    /// share script globals (a run); `None` gives this exchange its own.
    pub script_context: Option<u64>,
    /// Replaces the scripts' time limit (`--timeout-script`).
    pub script_timeout: Option<Duration>,
    /// `pm.info.iteration` (0-based) and `iterationCount`.
    pub iteration: u32,
    pub iteration_count: u32,
    /// Refuse body and form files outside this directory (newman's
    /// `--no-insecure-file-read`).
    pub files_within: Option<std::path::PathBuf>,
    /// Run the test scripts when the request got no response, as newman
    /// does (with no `pm.response`); a single send shows the error alone.
    pub tests_after_failure: bool,
    /// A body or form file that cannot be read is left out with a console
    /// warning and the request still sent, as newman does; otherwise the
    /// request is not sent and the error names the file.
    pub skip_unreadable_files: bool,
    /// W3C trace context: a `traceparent` header, trace ids for export.
    pub trace: crate::telemetry::TraceOptions,
    /// Forget the cached OAuth 2.0 token first, so a new one is fetched.
    pub fresh_token: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: None,
            run_scripts: true,
            script_timeout: None,
            script_context: None,
            iteration: 0,
            iteration_count: 1,
            files_within: None,
            tests_after_failure: false,
            skip_unreadable_files: false,
            trace: crate::telemetry::TraceOptions::default(),
            fresh_token: false,
        }
    }
}

/// What a caller may show while a job runs.
#[derive(Debug)]
pub enum Progress<'a> {
    /// The request is final and about to go on the wire.
    Sending(&'a PreparedRequest),
    /// An executor event of the main request (head, download progress).
    Exec(&'a Event),
    /// OAuth 2.0 needs the user: open a URL, or type a code elsewhere.
    Auth(&'a crate::oauth2::Prompt),
}

/// Cloneable; clones share the executor and the script thread.
#[derive(Clone)]
pub struct Pipeline {
    client: Client,
    scripts: ScriptWorker,
    runtime: tokio::runtime::Handle,
    /// Ids for `pm.sendRequest`'s requests, far from the callers' own.
    script_ids: Arc<AtomicU64>,
    contexts: Arc<AtomicU64>,
    oauth: Arc<oauth::OAuthState>,
}

impl Pipeline {
    /// Starts the executor on the current tokio runtime; scripts run with
    /// the default limits.
    pub fn new(config: ClientConfig) -> Pipeline {
        Pipeline::with_limits(config, Limits::default())
    }

    pub fn with_limits(config: ClientConfig, limits: Limits) -> Pipeline {
        Pipeline {
            client: Client::spawn(config),
            scripts: ScriptWorker::new(limits),
            runtime: tokio::runtime::Handle::current(),
            script_ids: Arc::new(AtomicU64::new(1 << 48)),
            contexts: Arc::new(AtomicU64::new(1 << 48)),
            oauth: Arc::default(),
        }
    }

    /// Stops job `id` wherever it is: a send in flight fails as cancelled,
    /// one not sent yet (or waiting for an OAuth 2.0 user) will not be.
    pub async fn cancel(&self, id: RequestId) {
        self.oauth.cancel(id);
        self.client.cancel(id).await;
    }

    /// Gives a redirect URL (or code) the user pasted to the OAuth 2.0
    /// code grant waiting for one; `false` when none waits.
    pub fn submit_redirect(&self, text: String) -> bool {
        self.oauth.paste.submit(text)
    }

    /// Whether a code grant waits for a pasted redirect URL.
    pub fn awaits_redirect(&self) -> bool {
        self.oauth.paste.is_waiting()
    }

    /// The cached OAuth 2.0 token for `auth`, fresh or not.
    pub fn cached_token(
        &self,
        root: &std::path::Path,
        environment: Option<&str>,
        auth: &crate::model::OAuth2Auth,
    ) -> Option<crate::oauth2::Token> {
        let key = crate::oauth2::key(environment, auth);
        self.oauth.tokens.get(root, &key)
    }

    /// Forgets the cached OAuth 2.0 token for `auth` (`Ok(false)`: none).
    pub fn forget_token(
        &self,
        root: &std::path::Path,
        environment: Option<&str>,
        auth: &crate::model::OAuth2Auth,
    ) -> std::io::Result<bool> {
        let key = crate::oauth2::key(environment, auth);
        self.oauth.tokens.forget(root, &key)
    }

    /// A JS context of its own for a run (or one lane of a parallel run):
    /// jobs given it share script globals, as in Postman's runner.
    pub fn new_script_context(&self) -> u64 {
        self.contexts.fetch_add(1, Ordering::Relaxed)
    }

    /// Frees a context from [`Pipeline::new_script_context`].
    pub fn forget_script_context(&self, context: u64) {
        self.scripts.forget(context);
    }

    /// What getting a token for job `id`'s `request` needs.
    fn token_job<'a>(
        &'a self,
        id: RequestId,
        context: &'a RequestContext,
        environment: Option<&'a str>,
        pending: &'a crate::prepare::PendingOAuth2,
        request: &'a PreparedRequest,
    ) -> oauth::TokenJob<'a> {
        oauth::TokenJob {
            state: &self.oauth,
            client: &self.client,
            ids: &self.script_ids,
            id,
            context,
            environment,
            pending,
            request,
        }
    }

    /// `trace`: the request's ids, when its sends carry a `traceparent`
    /// (`pm.sendRequest`'s calls then name the request's span as parent).
    fn host(&self, trace: Option<TraceIds>) -> Box<dyn Host + Send> {
        Box::new(SendHost {
            client: self.client.clone(),
            runtime: self.runtime.clone(),
            ids: self.script_ids.clone(),
            trace,
        })
    }

    /// Runs one phase's scripts, if the request has any, one at a time:
    /// after a pre-request script calls `pm.execution.skipRequest()`, the
    /// later ones do not run (as in Postman).
    async fn phase(
        &self,
        js: (u64, Option<Duration>),
        trace_header: bool,
        phase: Phase,
        context: &RequestContext,
        mut state: ScriptState,
        exchange: &mut Exchange,
    ) -> ScriptState {
        for script in convert::scripts_for(context, phase) {
            if state.control.skip_request {
                break;
            }
            exchange.scripts_run.push(script.file.clone());
            let host = self.host(exchange.trace.filter(|_| trace_header));
            let (s, outcome) = (self.scripts)
                .run(js.0, js.1, phase, vec![script], state, host)
                .await;
            state = s;
            exchange.add(outcome);
        }
        state
    }

    /// Runs `job` to its exchange, telling `progress` how it goes.
    pub async fn run(&self, job: Job, progress: &mut (dyn FnMut(Progress<'_>) + Send)) -> Exchange {
        let own_context = job.options.script_context.is_none();
        let context = self.contexts.fetch_add(1, Ordering::Relaxed);
        let exchange = self.run_in(job, context, progress).await;
        // An exchange with a JS context of its own is its only user.
        if own_context {
            self.scripts.forget(context);
        }
        exchange
    }

    async fn run_in(
        &self,
        job: Job,
        own_context: u64,
        progress: &mut (dyn FnMut(Progress<'_>) + Send),
    ) -> Exchange {
        let Job {
            id,
            mut context,
            inputs,
            target,
            options,
        } = job;
        let mut exchange = Exchange::new(context.path.clone());
        exchange.secrets = inputs.secret_values();
        // Ids before the scripts run, so `pm.sendRequest` can name them.
        let trace_header = options.trace.header || context.config.telemetry.traceparent;
        if trace_header || options.trace.ids {
            exchange.trace = Some(options.trace.ids_for_request());
        }
        let js = (
            options.script_context.unwrap_or(own_context),
            options.script_timeout.or_else(|| script_timeout(&context)),
        );
        let before: VarScopes = script_scopes(&context, &inputs);
        let mut state = ScriptState {
            variables: before.clone(),
            request: convert::stored_request(&context),
            response: None,
            cookies: Vec::new(),
            info: Info {
                request_name: convert::request_name(&context),
                request_id: context.path.clone(),
                iteration: options.iteration,
                iteration_count: options.iteration_count,
            },
            control: Default::default(),
        };

        if options.run_scripts {
            let stored = state.request.clone();
            state = (self.phase(
                js,
                trace_header,
                Phase::PreRequest,
                &context,
                state,
                &mut exchange,
            ))
            .await;
            convert::apply_changes(&mut context.request, &stored, &state.request);
            if state.control.skip_request {
                self.client.forget(id);
                return finish(exchange, Ending::Skipped, &before, state);
            }
        }

        let scopes = scopes_after_scripts(&state.variables, &inputs);
        let prepared = match prepare(&context, &scopes, &inputs) {
            Ok(p) => p,
            Err(PrepareError::Problems(problems)) => {
                self.client.forget(id);
                return finish(exchange, Ending::NotSent(problems), &before, state);
            }
        };
        let mut request = prepared.request;
        exchange.secrets.extend(prepared.secrets);
        if let Some(dir) = &options.files_within {
            let outside = convert::files_outside(&request.body, dir);
            if !outside.is_empty() {
                self.client.forget(id);
                let problems = (outside.into_iter())
                    .map(|path| crate::prepare::Problem::Invalid {
                        field: crate::prepare::Field::BinaryFile,
                        file: context.file.clone(),
                        message: format!(
                            "{} is outside the working directory {} (--no-insecure-file-read)",
                            path.display(),
                            dir.display()
                        ),
                    })
                    .collect();
                return finish(exchange, Ending::NotSent(problems), &before, state);
            }
        }
        if options.skip_unreadable_files {
            for text in convert::drop_unreadable_files(&mut request.body) {
                exchange.console.push(crate::script::ConsoleLine {
                    level: crate::script::ConsoleLevel::Warn,
                    text,
                    file: context.file.clone(),
                    line: None,
                });
            }
        }
        if let Some(timeout) = options.timeout {
            request.settings.timeout = timeout;
        }
        if let (true, Some(ids)) = (trace_header, exchange.trace) {
            exchange.trace = Some(crate::telemetry::add_traceparent(&mut request.headers, ids));
        }
        // OAuth 2.0 last: the token goes on the final request. The request
        // without it is kept for one retry with a new token after a 401.
        let environment = inputs.environment.as_ref().map(|e| e.name.as_str());
        let mut oauth2 = None;
        if let Some(pending) = &prepared.oauth2 {
            if options.fresh_token {
                let _ = self.forget_token(&context.root, environment, &pending.auth);
            }
            let job = self.token_job(id, &context, environment, pending, &request);
            match oauth::token(job, None, &mut exchange, progress).await {
                Ok((token, _)) => {
                    let unsigned = request.clone();
                    crate::oauth2::apply(&mut request, &pending.auth, &token);
                    oauth2 = Some((pending, unsigned, token));
                }
                Err(problem) => {
                    self.client.forget(id);
                    return finish(exchange, Ending::NotSent(vec![problem]), &before, state);
                }
            }
        }
        crate::telemetry::logs::request_start(&exchange, &request);
        progress(Progress::Sending(&request));
        exchange.sent = Some(request.clone());
        let tests = options.run_scripts && convert::has_scripts(&context, Phase::Test);
        // Only test scripts read it (a big upload's body is copied into it).
        let sent_view = tests.then(|| convert::sent_request(&context, &request));
        if tests {
            // The engine starts while the request is in flight.
            self.scripts.warm(js.0);
        }
        // Test scripts read the body, and a 401 to an OAuth 2.0 token is
        // not the answer: keep it, and write it out after.
        let (target, mut write_after) = match target {
            BodyTarget::Writer(w) if tests || oauth2.is_some() => (BodyTarget::Memory, Some(w)),
            other => (other, None),
        };
        exchange.started_at = Some(std::time::SystemTime::now());
        let sending = self.client.start(id, request, target).await;
        let mut on_event = |ev: &Event| progress(Progress::Exec(ev));
        let mut result = sending.finish(&mut on_event).await;
        let rejected = match (&result, &oauth2) {
            (Ok(r), Some((pending, _, token))) if r.status == 401 && oauth::can_retry(pending) => {
                Some(token.access_token.clone())
            }
            _ => None,
        };
        if let (Some(rejected), Some((pending, unsigned, _))) = (rejected, oauth2) {
            let job = self.token_job(id, &context, environment, pending, &unsigned);
            // The 401 stands as the answer when no new token comes.
            if let Ok((token, _)) =
                oauth::token(job, Some(&rejected), &mut exchange, progress).await
            {
                let mut request = unsigned;
                crate::oauth2::apply(&mut request, &pending.auth, &token);
                exchange.console.push(crate::script::ConsoleLine {
                    level: crate::script::ConsoleLevel::Info,
                    text: "OAuth 2.0: the server answered 401; sent again with a new token".into(),
                    file: pending.file.clone(),
                    line: None,
                });
                progress(Progress::Sending(&request));
                exchange.sent = Some(request.clone());
                let sending = self.client.start(id, request, BodyTarget::Memory).await;
                let mut on_event = |ev: &Event| progress(Progress::Exec(ev));
                result = sending.finish(&mut on_event).await;
            }
        }
        let ending = match result {
            Ok(response) => {
                if let Err(e) = write_body(&mut write_after, &response.body) {
                    let error = crate::http::SendError::write(&e);
                    return finish(exchange, Ending::Failed(error), &before, state);
                }
                if let Some(sent_view) = sent_view {
                    state.request = sent_view;
                    let view = convert::script_response(&response);
                    state.cookies = view.cookies.clone();
                    state.response = Some(view);
                    state = (self.phase(
                        js,
                        trace_header,
                        Phase::Test,
                        &context,
                        state,
                        &mut exchange,
                    ))
                    .await;
                }
                Ending::Response(Box::new(response))
            }
            Err(error) => {
                if let (Some(sent_view), true) = (sent_view, options.tests_after_failure) {
                    state.request = sent_view;
                    state.response = None;
                    state = (self.phase(
                        js,
                        trace_header,
                        Phase::Test,
                        &context,
                        state,
                        &mut exchange,
                    ))
                    .await;
                }
                Ending::Failed(error)
            }
        };
        finish(exchange, ending, &before, state)
    }
}

fn write_body(
    out: &mut Option<Box<dyn std::io::Write + Send>>,
    body: &[u8],
) -> std::io::Result<()> {
    if let Some(w) = out {
        w.write_all(body)?;
        w.flush()?;
    }
    Ok(())
}

/// Closes the record: how it ended, what scripts changed and asked for.
fn finish(
    mut exchange: Exchange,
    ending: Ending,
    before: &VarScopes,
    state: ScriptState,
) -> Exchange {
    exchange.ending = ending;
    exchange.changed = changes(before, &state.variables);
    exchange.control = state.control;
    exchange.finished_at = Some(std::time::SystemTime::now());
    crate::telemetry::logs::request_end(&exchange);
    exchange
}

/// The request as it would be sent, without running its scripts (for
/// "copy as curl" and `postie export curl`).
pub fn resolve(context: &RequestContext, inputs: &VarInputs) -> Result<Prepared, PrepareError> {
    let vars = script_scopes(context, inputs);
    prepare(context, &scopes_after_scripts(&vars, inputs), inputs)
}

/// [`resolve`] for a command to copy or print: an OAuth 2.0 request gets
/// its settings' `access_token` or the fresh cached token, so the command
/// works as it is. `false` when it uses OAuth 2.0 and has neither (the
/// command goes without a token).
pub fn resolve_for_export(
    context: &RequestContext,
    inputs: &VarInputs,
) -> Result<(Prepared, bool), PrepareError> {
    let mut prepared = resolve(context, inputs)?;
    let Some(pending) = prepared.oauth2.take() else {
        return Ok((prepared, true));
    };
    let token = match pending.auth.access_token.as_str() {
        "" => crate::oauth2::cached(&context.root, inputs.environment_name(), &pending.auth)
            .filter(crate::oauth2::Token::is_fresh),
        given => Some(crate::oauth2::Token {
            access_token: given.to_string(),
            token_type: String::new(),
            refresh_token: None,
            expires_at: None,
            scope: None,
            obtained_at: 0,
        }),
    };
    let found = token.is_some();
    if let Some(t) = token {
        crate::oauth2::apply(&mut prepared.request, &pending.auth, &t);
    }
    Ok((prepared, found))
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

#[cfg(test)]
mod tests;
