//! Running a plan: iterations over the data rows, each request through the
//! pipeline with the variables earlier ones set, `setNextRequest` and
//! `skipRequest` obeyed, executions streamed to the reporter in a stable
//! order. Parallel lanes (iterations or top-level folders) each get their
//! own variables and JS context, and report in the order a sequential run
//! would.

use std::time::{Duration, Instant, SystemTime};

use futures_util::stream::{self, StreamExt};
use serde_json::{Map, Value};
use tokio::sync::watch;

use crate::exchange::{Ending, Exchange};
use crate::http::{BodyTarget, PreparedBody, RequestId};
use crate::pipeline::{Job, Options, Pipeline};
use crate::prepare::{SessionVars, VarInputs};
use crate::script::ScriptError;

use super::plan::{Plan, Step};
use super::record::{
    Counter, Execution, ItemInfo, RequestHead, ResponseHead, RunInfo, Stopped, Summary,
};
use super::report::{Event, Reporter};
use super::tally::Tally;

/// Requests one iteration may send before `setNextRequest` is taken for
/// an endless loop, unless the plan is so long that more are needed.
pub const DEFAULT_LOOP_LIMIT: u64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    /// `-n`; without it, one per data row (at least one).
    pub iterations: Option<u32>,
    /// `--delay-request`: a pause before every request but the first.
    pub delay: Duration,
    /// `--timeout`: the whole run.
    pub timeout: Option<Duration>,
    /// `--timeout-request` (replaces the requests' own timeouts).
    pub request_timeout: Option<Duration>,
    /// `--timeout-script`.
    pub script_timeout: Option<Duration>,
    /// `--bail`: stop the run after the first failure.
    pub bail: bool,
    pub run_scripts: bool,
    /// Lanes run at once (1: sequential).
    pub parallel: usize,
    /// Lanes are top-level folders instead of iterations.
    pub parallel_folders: bool,
    pub shard: Option<Shard>,
    /// Requests per iteration before a `setNextRequest` loop is stopped.
    pub loop_limit: u64,
    /// `--no-insecure-file-read`: body files must be inside this directory.
    pub files_within: Option<std::path::PathBuf>,
    /// Keep the bodies of failed executions up to this many bytes each (the
    /// TUI shows them); 0 keeps none, so a long CLI run holds no body.
    pub keep_failed_bodies: usize,
    /// Send a request whose body or form file cannot be read without it,
    /// with a warning, as newman does (runs of Postman files).
    pub skip_unreadable_files: bool,
    /// Sees every exchange, body and all, before it becomes an execution
    /// (history records it there).
    pub tap: Option<ExchangeTap>,
    /// Trace context of every request (`traceparent`, ids for export; a
    /// run's requests share its trace).
    pub trace: crate::telemetry::TraceOptions,
    /// Shows what OAuth 2.0 asks of the user (a URL to open, a code to
    /// type); without it, a grant that needs a user waits unseen.
    pub prompt: Option<PromptTap>,
}

/// What a [`PromptTap`] calls.
pub type PromptFn = dyn Fn(&crate::oauth2::Prompt) + Send + Sync;

/// The UI's way to show OAuth 2.0 prompts during a run.
#[derive(Clone)]
pub struct PromptTap(pub std::sync::Arc<PromptFn>);

impl std::fmt::Debug for PromptTap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PromptTap")
    }
}

/// What an [`ExchangeTap`] calls.
pub type TapFn = dyn Fn(&Exchange, &ItemInfo) + Send + Sync;

/// A reader of each whole exchange of a run, with the item it belongs to.
#[derive(Clone)]
pub struct ExchangeTap(pub std::sync::Arc<TapFn>);

impl std::fmt::Debug for ExchangeTap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExchangeTap")
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            iterations: None,
            delay: Duration::ZERO,
            timeout: None,
            request_timeout: None,
            script_timeout: None,
            bail: false,
            run_scripts: true,
            parallel: 1,
            parallel_folders: false,
            shard: None,
            loop_limit: DEFAULT_LOOP_LIMIT,
            files_within: None,
            keep_failed_bodies: 0,
            skip_unreadable_files: false,
            tap: None,
            trace: crate::telemetry::TraceOptions::default(),
            prompt: None,
        }
    }
}

/// Everything a run reads besides the plan.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// Environment, globals, `--var`; `session` holds `-e`/`-g` values and
    /// `--env-var`/`--global-var`, which scripts may change.
    pub inputs: VarInputs,
    /// Iteration data rows (`-d`).
    pub data: Vec<Map<String, Value>>,
    pub options: RunOptions,
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    pub summary: Summary,
    /// Variables at the end (of the last iteration, in a parallel run), for
    /// `--export-environment` and `--export-globals`.
    pub vars: SessionVars,
}

/// Says "stop" to a run from outside (ctrl-c, the TUI's cancel).
pub type CancelSignal = watch::Receiver<bool>;

/// One lane of work: iterations and the steps each runs.
#[derive(Debug, Clone)]
struct Lane {
    iteration: u32,
    /// Indices into the plan's steps (all of them unless lanes are
    /// folders).
    steps: Vec<usize>,
}

/// What a lane produced, reported when its turn comes.
struct LaneResult {
    iteration: u32,
    executions: Vec<Execution>,
    tally: Tally,
    vars: SessionVars,
    stopped: Option<Stopped>,
}

struct Ctx<'a> {
    pipeline: &'a Pipeline,
    plan: &'a Plan,
    setup: &'a Setup,
    iteration_count: u32,
    deadline: Option<Instant>,
    cancel: CancelSignal,
}

/// Runs `plan`, telling `reporter` as it goes. A reporter's error stops
/// the run and is returned.
pub async fn run(
    pipeline: &Pipeline,
    plan: &Plan,
    setup: &Setup,
    reporter: &mut dyn Reporter,
    cancel: CancelSignal,
) -> std::io::Result<Outcome> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let options = &setup.options;
    let iteration_count = options.iterations.unwrap_or(setup.data.len() as u32).max(1);
    reporter.on(&Event::Start(&RunInfo {
        name: plan.name.clone(),
        iteration_count,
        requests: plan.steps.len(),
        started,
    }))?;
    let cx = Ctx {
        pipeline,
        plan,
        setup,
        iteration_count,
        deadline: options.timeout.map(|t| clock + t),
        cancel,
    };
    let lanes = lanes(plan, options, iteration_count);
    let mut state = Reported {
        tally: Tally::default(),
        vars: setup.inputs.session.clone(),
        stopped: None,
        announced: None,
        iteration_count,
    };
    if options.parallel <= 1 {
        // Sequential: variables carry from one iteration to the next.
        let js = pipeline.new_script_context();
        let mut first = true;
        for lane in &lanes {
            let result = cx.lane(lane, state.vars.clone(), js, &mut first).await;
            if !state.take(result, reporter)? {
                break;
            }
        }
        pipeline.forget_script_context(js);
    } else {
        // Each lane starts from the run's initial variables; `buffered`
        // hands results back in lane order. At most `parallel` consecutive
        // lanes are in flight (a finished lane leaves the window only when
        // every earlier one has), so lanes `i` and `i + parallel` never run
        // at once and can share a JS context: one engine per slot, not one
        // per iteration.
        let initial = state.vars.clone();
        let slots: Vec<u64> = (0..options.parallel)
            .map(|_| pipeline.new_script_context())
            .collect();
        let cx = &cx;
        let slots_ref = &slots;
        // Lanes go in by value: a closure over `&Lane` makes the future
        // lose `Send` (rustc's higher-ranked lifetimes), and the TUI spawns it.
        let mut results = stream::iter(lanes.into_iter().enumerate())
            .map(|(i, lane): (usize, Lane)| {
                let initial = initial.clone();
                async move {
                    let js = slots_ref[i % slots_ref.len()];
                    let mut first = false;
                    cx.lane(&lane, initial, js, &mut first).await
                }
            })
            .buffered(options.parallel);
        while let Some(result) = results.next().await {
            if !state.take(result, reporter)? {
                break;
            }
        }
        drop(results);
        for js in slots {
            pipeline.forget_script_context(js);
        }
    }
    if state.announced.is_some() {
        state.tally.end_iteration();
    }
    let summary = (state.tally).summary(&plan.name, started, clock.elapsed(), state.stopped);
    reporter.on(&Event::Done(&summary))?;
    Ok(Outcome {
        summary,
        vars: state.vars,
    })
}

/// What has been reported so far, in lane order.
struct Reported {
    tally: Tally,
    /// The variables of the last lane reported.
    vars: SessionVars,
    stopped: Option<Stopped>,
    /// The iteration whose header was last reported.
    announced: Option<u32>,
    iteration_count: u32,
}

impl Reported {
    /// Reports one lane's results; `false` when the run must stop (a loop
    /// bound only ends its own iteration).
    fn take(&mut self, result: LaneResult, reporter: &mut dyn Reporter) -> std::io::Result<bool> {
        if self.announced != Some(result.iteration) {
            if self.announced.is_some() {
                self.tally.end_iteration();
            }
            self.announced = Some(result.iteration);
            reporter.on(&Event::Iteration {
                index: result.iteration,
                count: self.iteration_count,
            })?;
        }
        for e in &result.executions {
            reporter.on(&Event::Executed(e))?;
        }
        self.tally.merge(&result.tally);
        self.vars = result.vars;
        match result.stopped {
            Some(Stopped::Loop(message)) => {
                reporter.on(&Event::Warning(&message))?;
                self.stopped.get_or_insert(Stopped::Loop(message));
                Ok(true)
            }
            Some(stop) => {
                self.stopped = Some(stop);
                Ok(false)
            }
            None => Ok(true),
        }
    }
}

/// The lanes of a run, in report order, after sharding.
fn lanes(plan: &Plan, options: &RunOptions, iterations: u32) -> Vec<Lane> {
    let all: Vec<usize> = (0..plan.steps.len()).collect();
    let folders = || {
        // A lane per top-level folder; requests directly in the collection
        // form a lane of their own, first.
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); plan.top_folders.len() + 1];
        for (i, step) in plan.steps.iter().enumerate() {
            let g = step.top().map_or(0, |t| t + 1);
            if let Some(group) = groups.get_mut(g) {
                group.push(i);
            }
        }
        groups
    };
    let shard = options.shard.filter(|s| s.count > 1);
    let by_folder_shard = shard.is_some_and(|s| iterations < s.count);
    let mut out = Vec::new();
    for iteration in 0..iterations {
        if let Some(s) = shard.filter(|_| !by_folder_shard) {
            if iteration % s.count != s.index - 1 {
                continue;
            }
        }
        if options.parallel_folders || by_folder_shard {
            for (g, steps) in folders().into_iter().enumerate() {
                if steps.is_empty() {
                    continue;
                }
                if let Some(s) = shard.filter(|_| by_folder_shard) {
                    if g as u32 % s.count != s.index - 1 {
                        continue;
                    }
                }
                out.push(Lane { iteration, steps });
            }
            if !options.parallel_folders {
                // Sharded by folder but run in sequence: one lane per
                // iteration keeps variables flowing between folders.
                let steps: Vec<usize> = out
                    .iter()
                    .filter(|l| l.iteration == iteration)
                    .flat_map(|l| l.steps.clone())
                    .collect();
                out.retain(|l| l.iteration != iteration);
                if !steps.is_empty() {
                    let mut steps = steps;
                    steps.sort_unstable();
                    out.push(Lane { iteration, steps });
                }
            }
        } else {
            out.push(Lane {
                iteration,
                steps: all.clone(),
            });
        }
    }
    out
}

impl Ctx<'_> {
    fn cancelled(&self) -> bool {
        *self.cancel.borrow()
    }

    /// Runs one lane's steps in order, following `setNextRequest`.
    async fn lane(&self, lane: &Lane, vars: SessionVars, js: u64, first: &mut bool) -> LaneResult {
        let options = &self.setup.options;
        let mut result = LaneResult {
            iteration: lane.iteration,
            executions: Vec::new(),
            tally: Tally::default(),
            vars,
            stopped: None,
        };
        let limit = options.loop_limit.max(lane.steps.len() as u64 * 10);
        let mut sent = 0u64;
        let mut at = 0usize;
        while let Some(&index) = lane.steps.get(at) {
            if self.cancelled() {
                result.stopped = Some(Stopped::Cancelled);
                break;
            }
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                result.stopped = self.setup.options.timeout.map(Stopped::Timeout);
                break;
            }
            if sent >= limit {
                result.stopped = Some(Stopped::Loop(format!(
                    "setNextRequest kept iteration {} going for {sent} requests without reaching its end; stopped it (raise the bound with --loop-limit)",
                    lane.iteration + 1
                )));
                break;
            }
            sent += 1;
            if !std::mem::take(first) && !options.delay.is_zero() {
                tokio::time::sleep(options.delay).await;
            }
            let Some(step) = self.plan.steps.get(index) else {
                break;
            };
            let (execution, next) = match self
                .step(step, index, lane.iteration, &mut result, js)
                .await
            {
                Ok(pair) => pair,
                Err(stop) => {
                    result.stopped = Some(stop);
                    break;
                }
            };
            let failed = execution.failed();
            result.tally.add(&execution);
            result.executions.push(execution);
            if failed && options.bail {
                result.stopped = Some(Stopped::Bail(format!(
                    "stopped after the first failure (--bail), in iteration {}",
                    lane.iteration + 1
                )));
                break;
            }
            at = match next {
                Next::Following => at + 1,
                // Stop this iteration; the next one starts from the top.
                Next::EndIteration => break,
                Next::Position(p) => match lane.steps.iter().position(|&s| s == p) {
                    Some(i) => i,
                    None => break,
                },
            };
        }
        result
    }

    /// Sends one step; `Err` when the run must stop (timeout, cancel).
    async fn step(
        &self,
        step: &Step,
        position: usize,
        iteration: u32,
        lane: &mut LaneResult,
        js: u64,
    ) -> Result<(Execution, Next), Stopped> {
        let item = match step {
            Step::Request(item) => item,
            Step::Broken(b) => {
                let mut e = Execution::new(iteration, position, b.info.clone());
                e.error = Some(format!(
                    "could not load the request: {}",
                    b.diagnostic.render_short()
                ));
                return Ok((e, Next::Following));
            }
        };
        let options = &self.setup.options;
        let mut inputs: VarInputs = self.setup.inputs.clone();
        inputs.session = lane.vars.clone();
        inputs.data = row(&self.setup.data, iteration);
        let id = RequestId(next_id());
        let job = Job {
            id,
            context: item.context.clone(),
            inputs,
            target: BodyTarget::Memory,
            options: Options {
                timeout: options.request_timeout.map(Some),
                run_scripts: options.run_scripts,
                script_context: Some(js),
                script_timeout: options.script_timeout,
                iteration,
                iteration_count: self.iteration_count,
                files_within: options.files_within.clone(),
                tests_after_failure: true,
                skip_unreadable_files: options.skip_unreadable_files,
                trace: options.trace,
                fresh_token: false,
            },
        };
        let mut cancel = self.cancel.clone();
        let sleep = async {
            match self.deadline {
                Some(d) => tokio::time::sleep_until(d.into()).await,
                None => std::future::pending().await,
            }
        };
        let prompt = options.prompt.clone();
        let mut progress = move |p: crate::pipeline::Progress<'_>| {
            if let (crate::pipeline::Progress::Auth(a), Some(tap)) = (p, &prompt) {
                (tap.0)(a);
            }
        };
        let run = self.pipeline.run(job, &mut progress);
        tokio::pin!(run);
        tokio::pin!(sleep);
        let mut interrupt: Option<Stopped> = None;
        let exchange = loop {
            tokio::select! {
                exchange = &mut run => break exchange,
                _ = &mut sleep, if interrupt.is_none() => {
                    interrupt = options.timeout.map(Stopped::Timeout);
                    self.pipeline.cancel(id).await;
                }
                changed = cancel.changed(), if interrupt.is_none() => {
                    if changed.is_err() || *cancel.borrow() {
                        interrupt = Some(Stopped::Cancelled);
                        self.pipeline.cancel(id).await;
                    }
                }
            }
        };
        if let Some(stop) = interrupt {
            return Err(stop);
        }
        let collection = &self.plan.collection;
        let env = self.setup.inputs.environment_name();
        lane.vars.record(collection, env, &exchange.changed);
        let next = match &exchange.control.next_request {
            None => Next::Following,
            Some(Value::String(target)) => match self.plan.position_of(target) {
                Some(p) => Next::Position(p),
                None => Next::EndIteration,
            },
            // `null` (or anything not a name) ends the iteration.
            Some(_) => Next::EndIteration,
        };
        let keep = options.keep_failed_bodies;
        let body = match exchange.response() {
            Some(r) if keep > 0 && exchange.scripts_failed() => Some(std::sync::Arc::new(
                r.body[..r.body.len().min(keep)].to_vec(),
            )),
            _ => None,
        };
        if let Some(tap) = &options.tap {
            (tap.0)(&exchange, &item.info);
        }
        let mut e = execution(exchange, iteration, position, item.info.clone());
        e.body = body;
        Ok((e, next))
    }
}

enum Next {
    Following,
    Position(usize),
    EndIteration,
}

/// Ids for the run's requests, unique in the process (the TUI runs sends
/// and runs side by side on one pipeline).
fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1 << 40);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The data row of an iteration: past the last row, the last one again
/// (as postman-runtime does).
fn row(data: &[Map<String, Value>], iteration: u32) -> Map<String, Value> {
    data.get(iteration as usize)
        .or_else(|| data.last())
        .cloned()
        .unwrap_or_default()
}

fn is_pre(file: &std::path::Path) -> bool {
    super::report::script_phase(file) == crate::script::Phase::PreRequest
}

/// Scripts of one phase that ran, and how many threw.
fn scripts_counter(exchange: &Exchange, pre: bool) -> Counter {
    let executed = exchange
        .scripts_run
        .iter()
        .filter(|f| is_pre(f) == pre)
        .count() as u64;
    let mut failed_files: Vec<&std::path::Path> = (exchange.script_errors.iter())
        .filter(|e: &&ScriptError| is_pre(&e.file) == pre)
        .map(|e| e.file.as_path())
        .collect();
    failed_files.dedup();
    Counter {
        executed,
        failed: (failed_files.len() as u64).min(executed),
    }
}

/// `url` with the password of its userinfo shown as `***`: reports land in
/// CI logs.
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            if parsed.set_password(Some("***")).is_ok() {
                parsed.to_string()
            } else {
                url.to_string()
            }
        }
        _ => url.to_string(),
    }
}

/// The exchange as reporters read it: heads only, secrets redacted; the
/// body is dropped here.
pub fn execution(exchange: Exchange, iteration: u32, position: usize, item: ItemInfo) -> Execution {
    let mut e = Execution::new(iteration, position, item);
    e.prerequest_scripts = scripts_counter(&exchange, true);
    e.test_scripts = scripts_counter(&exchange, false);
    // As history redacts: secret values, credentials the request carried
    // (headers, URL, form fields) and tokens the response gave, wherever
    // they show (a test message may quote one; a CI log keeps it).
    let redactor = crate::history::capture::redactor_for(
        &exchange,
        None,
        crate::history::capture::REDACT_SCAN_BYTES,
    );
    let redact = |s: &str| redactor.text(s);
    let redact_url = |s: &str| redactor.url(&redact(&without_password(s)));
    e.request = exchange.sent.as_ref().map(|r| RequestHead {
        method: r.method.clone(),
        url: redact_url(&r.url),
        headers: (r.headers.iter())
            .map(|(n, v)| (n.clone(), redact(v)))
            .collect(),
        body_size: match &r.body {
            PreparedBody::Bytes(b) => b.len() as u64,
            _ => 0,
        },
    });
    match &exchange.ending {
        Ending::Response(r) => {
            e.response = Some(ResponseHead {
                status: r.status,
                reason: r.reason.clone(),
                version: r.version.clone(),
                headers: (r.headers.iter())
                    .map(|h| (h.name.clone(), redact(&String::from_utf8_lossy(&h.value))))
                    .collect(),
                wire_size: r.wire_size,
                decoded_size: r.decoded_size,
                ttfb: r.timings.ttfb,
                time: r.timings.total,
                url: redact_url(&r.url),
                timings: r.timings,
                connection: r.connection.clone(),
                sizes: r.sizes,
            })
        }
        Ending::Failed(err) => e.error = Some(redact(&err.to_string())),
        Ending::Skipped => e.skipped = true,
        Ending::NotSent(problems) => {
            let text: Vec<String> = problems.iter().map(|p| redact(&p.message())).collect();
            e.error = Some(format!("not sent: {}", text.join("; ")));
        }
    }
    if e.skipped {
        e.request = None;
    }
    e.tests = exchange.tests;
    e.console = exchange.console;
    e.script_errors = exchange.script_errors;
    for t in &mut e.tests {
        t.name = redact(&t.name);
        t.error = t.error.as_deref().map(redact);
    }
    for c in &mut e.console {
        c.text = redact(&c.text);
    }
    for s in &mut e.script_errors {
        s.message = redact(&s.message);
    }
    e
}

#[cfg(test)]
mod send_check {
    /// The TUI spawns runs on its runtime: the future must be `Send`.
    #[allow(dead_code)]
    fn run_is_send(
        pipeline: &super::Pipeline,
        plan: &super::Plan,
        setup: &super::Setup,
        reporter: &mut dyn super::Reporter,
        cancel: super::CancelSignal,
    ) {
        fn send<T: Send>(_: T) {}
        send(super::run(pipeline, plan, setup, reporter, cancel));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_password_in_a_url_is_not_reported() {
        assert_eq!(
            super::without_password("https://us%40r:p%40ss@host/get?a=1"),
            "https://us%40r:***@host/get?a=1"
        );
        assert_eq!(super::without_password("http://host/x"), "http://host/x");
        assert_eq!(super::without_password("not a url"), "not a url");
    }
}
