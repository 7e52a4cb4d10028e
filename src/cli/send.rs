use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use crate::exchange::{Ending, Exchange};
use crate::http::{BodyTarget, ClientConfig, Event, RequestId, SendError};
use crate::pipeline::{Job, Options, Pipeline, Progress};
use crate::prepare::{VarInputs, VarSources};
use crate::safe_text::escape;
use crate::storage::{
    self, find_root, load_request_context_checked, normalize_request_path, StorageError,
};

use super::output;
use super::{exit, Failure};

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The request's path in the workspace, e.g. `users/get-user` (a path to
    /// its .json file works too)
    pub request: String,
    /// Environment to take variables from (environments/NAME.json); without
    /// it, the last chosen in the app, else postie.json's default_environment
    /// (said on stderr)
    #[arg(short, long, env = "POSTIE_ENV")]
    pub env: Option<String>,
    /// Set a variable, overriding every other scope (repeatable)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Print the status line and response headers to stderr
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Also print the request as sent, redirects, sizes and timings to stderr
    #[arg(short, long)]
    pub verbose: bool,
    /// Print one JSON object describing the request and the response
    #[arg(long, conflicts_with = "output")]
    pub json: bool,
    /// Print what a jq filter makes of the JSON body instead of the body
    /// (jq's language, by the jaq crates)
    #[arg(long, value_name = "FILTER", conflicts_with = "json")]
    pub jq: Option<String>,
    /// Write the body to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Give up after SECONDS (overrides the request's settings; 0 = never)
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Send without running the request's pre-request and test scripts
    #[arg(long)]
    pub no_scripts: bool,
    /// Time limit of each script in milliseconds (overrides the
    /// `script_timeout_ms` setting; default 5000)
    #[arg(long, value_name = "MS")]
    pub timeout_script: Option<u64>,
    /// Do not record this exchange in the workspace's history
    #[arg(long)]
    pub no_history: bool,
    /// Export the request's span to the OTLP/HTTP collector at URL, e.g.
    /// http://localhost:4318 (also OTEL_EXPORTER_OTLP_ENDPOINT, or
    /// postie.json's telemetry.otlp_endpoint)
    #[arg(long, value_name = "URL")]
    pub otlp_endpoint: Option<String>,
    /// Send a W3C traceparent header, so the server's traces join this
    /// request's (also postie.json's telemetry.traceparent)
    #[arg(long)]
    pub traceparent: bool,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got {s:?}")),
    }
}

/// The environment to use, by the rule the app uses too: --env, else the
/// last chosen in the app, else postie.json's default. Which one, when not
/// given, is said on stderr (always: a remembered `prod` must not be a
/// surprise), as are warnings about a broken state file.
pub(super) fn environment_for(
    root: &Path,
    config: &crate::model::WorkspaceConfig,
    explicit: Option<&str>,
) -> Option<String> {
    let available = storage::load::list_environments(root);
    let choice = storage::state::resolve_environment(root, config, &available, explicit);
    for w in &choice.warnings {
        eprintln!("warning: {}", escape(&w.to_string(), false));
    }
    // Said once per command, before the state is used.
    for d in storage::state::damaged(root) {
        eprintln!("warning: {}", escape(&d, false));
    }
    if let Some(note) = choice.describe_implicit() {
        eprintln!("{}", escape(&note, false));
    }
    choice.name
}

/// A storage error, with the offending source line when there is one.
fn storage_failure(root: &Path, e: StorageError) -> Failure {
    match e.diagnostic() {
        Some(d) => {
            let source = std::fs::read_to_string(root.join(&d.path)).ok();
            eprint!("{}", d.render(source.as_deref()));
            Failure::silent(exit::INPUT)
        }
        None => e.into(),
    }
}

pub fn run(args: SendArgs, cwd: &Path) -> Result<(), Failure> {
    let root = find_root(cwd)?;
    let cwd_abs = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
    let path = normalize_request_path(&root, &cwd_abs, &args.request);
    let (ctx, mut warnings) =
        load_request_context_checked(&root, &path).map_err(|e| storage_failure(&root, e))?;
    let sources = VarSources {
        environment: environment_for(&root, &ctx.config, args.env.as_deref()),
        cli: args.vars.clone(),
        process_env: true,
    };
    if let Some(env) = &sources.environment {
        // Only for its warnings: an error in it is reported just below.
        let _ = storage::load::load_environment_checked(&root, env, &mut warnings);
    }
    // Unknown fields: a typo is said; a note waits for `postie ls`.
    for w in warnings.iter().filter(|w| !w.is_note()) {
        eprintln!("{}", escape(&w.render_short(), false));
    }
    let inputs = VarInputs::load(&root, &sources).map_err(|e| storage_failure(&root, e))?;
    let timeout = match args.timeout {
        None => None,
        Some(secs) if secs.is_finite() && secs >= 0.0 => {
            Some((secs > 0.0).then(|| Duration::from_secs_f64(secs)))
        }
        Some(_) => {
            return Err(Failure::new(
                exit::USAGE,
                "--timeout must be a number of seconds >= 0",
            ))
        }
    };

    let tls = &ctx.config.tls;
    let config = ClientConfig {
        ca_file: tls.ca_file.as_ref().map(|p| root.join(p)),
        crl_file: tls.crl_file.as_ref().map(|p| root.join(p)),
        client_cert: tls.client_cert.as_ref().map(|p| root.join(p)),
        client_key: tls.client_key.as_ref().map(|p| root.join(p)),
        cookie_file: storage::state::ensure_state_dir(&root)
            .ok()
            .map(|_| storage::state::cookie_file(&root)),
    };

    // A filter that does not compile is said before anything is sent.
    let jq = (args.jq.as_deref())
        .map(crate::jq::Filter::compile)
        .transpose()
        .map_err(|e| Failure::new(exit::USAGE, format!("--jq: {e}")))?;
    let target = if args.json || jq.is_some() {
        BodyTarget::Memory
    } else if let Some(out) = &args.output {
        let f = std::fs::File::create(cwd.join(out)).map_err(|e| {
            Failure::new(exit::INPUT, format!("cannot write {}: {e}", out.display()))
        })?;
        BodyTarget::Writer(Box::new(std::io::BufWriter::with_capacity(1 << 16, f)))
    } else if std::io::stdout().is_terminal() {
        // A body is untrusted: escape sequences must not reach the terminal.
        BodyTarget::Writer(Box::new(crate::safe_text::SafeWriter::new(
            std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
        )))
    } else {
        BodyTarget::Writer(Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout(),
        )))
    };
    let otlp = otlp_config(args.otlp_endpoint.as_deref(), &ctx.config.telemetry);
    let history = super::history::open_for(&root, crate::history::Via::Send, args.no_history);
    let capture = history.as_ref().map(crate::history::History::capture);
    let target = match (target, &capture) {
        (BodyTarget::Writer(w), Some(c)) => BodyTarget::Writer(Box::new(c.tee(w))),
        (t, _) => t,
    };
    let job = Job {
        id: RequestId(1),
        context: ctx,
        inputs,
        target,
        options: Options {
            timeout,
            run_scripts: !args.no_scripts,
            script_timeout: args.timeout_script.map(Duration::from_millis),
            trace: crate::telemetry::TraceOptions {
                header: args.traceparent,
                ids: otlp.is_some(),
                trace_id: None,
            },
            ..Options::default()
        },
    };

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::HTTP, format!("starting the runtime: {e}")))?;
    let exchange = rt.block_on(run_job(&args, config, job))?;
    if let Some(otlp) = &otlp {
        rt.block_on(export_spans(otlp, &exchange));
    }
    if let Some(h) = &history {
        super::history::record(h, &exchange, capture.as_ref());
    }
    let result = report(&args, &root, exchange, jq.as_ref(), cwd);
    if let Some(h) = &history {
        super::history::finish(h);
    }
    result
}

/// The OTLP export asked for by `--otlp-endpoint`, the `OTEL_*` variables
/// or postie.json; a setting that cannot work is a warning, not a failure.
pub(super) fn otlp_config(
    flag: Option<&str>,
    settings: &crate::model::TelemetrySettings,
) -> Option<crate::telemetry::OtlpConfig> {
    match crate::telemetry::config::resolve(flag, Some(settings), &|n| std::env::var(n).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("warning: {}; spans are not exported", escape(&e, false));
            None
        }
    }
}

/// Sends the exchange's spans; a collector that fails costs one warning
/// (and at most the export timeout), never the exit code.
async fn export_spans(otlp: &crate::telemetry::OtlpConfig, exchange: &Exchange) {
    let result = match crate::telemetry::Exporter::start(otlp) {
        Ok(exporter) => {
            exporter.add(crate::telemetry::spans::request_spans(exchange, None, &[]));
            exporter.finish().await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        warn_export(otlp, &e);
    }
}

pub(super) fn warn_export(otlp: &crate::telemetry::OtlpConfig, e: &str) {
    eprintln!(
        "warning: spans not exported to {}: {}",
        escape(&otlp.traces_url, false),
        escape(e, false)
    );
}

/// `--jq`: the filter's outputs, one per line, to `-o FILE` or stdout
/// (escaped on a terminal: they hold the server's text).
fn write_filtered(
    filter: &crate::jq::Filter,
    body: &[u8],
    file: Option<PathBuf>,
) -> Result<(), Failure> {
    let outputs = filter
        .run(body)
        .map_err(|e| Failure::new(exit::INPUT, format!("--jq: {e}")))?;
    let mut text = String::new();
    for output in outputs {
        text.push_str(&output);
        text.push('\n');
    }
    let written = match file {
        Some(path) => std::fs::write(&path, text.as_bytes()),
        None if std::io::stdout().is_terminal() => {
            let mut out = crate::safe_text::SafeWriter::new(std::io::stdout());
            out.write_all(text.as_bytes()).and_then(|_| out.flush())
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|_| out.flush())
        }
    };
    written.map_err(|e| Failure::new(exit::INPUT, format!("writing the filtered body: {e}")))
}

/// Runs the job, printing the request and the response head as they come
/// when asked; ctrl-c cancels.
async fn run_job(args: &SendArgs, config: ClientConfig, job: Job) -> Result<Exchange, Failure> {
    let pipeline = Pipeline::new(config);
    let id = job.id;
    // -v prints the whole exchange once it is known (connection facts,
    // headers as sent, redacted); -i alone shows the head as it arrives.
    let show_head = args.include && !args.verbose;
    let prompter = super::oauth_prompt::Prompter::new(&pipeline);
    let mut progress = move |p: Progress<'_>| match p {
        Progress::Exec(Event::Head { head, .. }) if show_head => eprint!(
            "{}\n{}",
            output::status_line(&head.version, head.status, &head.reason),
            output::header_lines(&head.headers)
        ),
        Progress::Auth(prompt) => prompter.show(prompt),
        _ => {}
    };
    let run = pipeline.run(job, &mut progress);
    tokio::pin!(run);
    let mut interrupted = false;
    loop {
        tokio::select! {
            exchange = &mut run => return Ok(exchange),
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                pipeline.cancel(id).await;
            }
        }
    }
}

use crate::history::capture::REDACT_SCAN_BYTES;

/// Prints what the exchange says and picks the exit code.
fn report(
    args: &SendArgs,
    root: &Path,
    mut exchange: Exchange,
    jq: Option<&crate::jq::Filter>,
    cwd: &Path,
) -> Result<(), Failure> {
    // Tests and script errors first: a failed send still shows why its
    // pre-request script threw.
    // What is said about the exchange on stderr masks its secrets as
    // history does: secret values, credentials in headers, URL and body
    // (a test's message may quote a secret it compared).
    let redactor = crate::history::capture::redactor_for(&exchange, None, REDACT_SCAN_BYTES);
    let redact = |t: &str| redactor.text(t);
    if !args.json {
        eprint!("{}", redact(&output::script_lines(&exchange, args.verbose)));
    }
    let scripts_failed = exchange.scripts_failed();
    if let Ending::Response(resp) = &exchange.ending {
        if crate::exchange::sent_unverified(&exchange.sent, resp) {
            eprintln!("warning: the server's TLS certificate was not verified (verify_tls is off)");
        }
    }
    if args.verbose {
        match (&exchange.sent, &exchange.ending) {
            (Some(req), Ending::Response(resp)) => {
                eprint!("{}", output::verbose_exchange(req, resp, &redact))
            }
            (Some(req), Ending::Failed(_)) => {
                eprint!("{}", redact(&output::request_lines(req)))
            }
            _ => {}
        }
        if let (Some(id), Ending::Failed(_)) = (exchange.trace_id(), &exchange.ending) {
            eprintln!("* trace id {id}");
        }
    }
    let ending = std::mem::replace(&mut exchange.ending, Ending::Skipped);
    let response = match ending {
        Ending::Response(r) => r,
        Ending::Failed(error) => return Err(failure_for(error)),
        Ending::Skipped => {
            eprintln!("skipped: a pre-request script called pm.execution.skipRequest()");
            return scripts_verdict(scripts_failed);
        }
        Ending::NotSent(problems) => {
            for p in &problems {
                let d = p.diagnostic(root);
                let source = std::fs::read_to_string(root.join(&d.path)).ok();
                eprint!("{}", d.render(source.as_deref()));
            }
            let n = problems.len();
            return Err(Failure::new(
                exit::INPUT,
                format!(
                    "not sent: {n} problem{} above",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
    };
    if args.json {
        if let Some(req) = &exchange.sent {
            let mut report = output::json_report(req, &response);
            output::add_scripts(&mut report, &exchange);
            if let (Some(id), Some(m)) = (exchange.trace_id(), report.as_object_mut()) {
                m.insert("trace_id".into(), serde_json::Value::String(id));
            }
            let mut out = std::io::stdout().lock();
            let _ = serde_json::to_writer_pretty(&mut out, &report);
            let _ = out.write_all(b"\n");
            let _ = out.flush();
        }
    }
    if let Some(filter) = jq {
        write_filtered(
            filter,
            &response.body,
            args.output.as_deref().map(|o| cwd.join(o)),
        )?;
    }
    if response.truncated {
        eprintln!(
            "warning: body cut at {} (max_body_bytes); raise it in the request's settings",
            output::human_bytes(response.decoded_size)
        );
    }
    if args.verbose {
        eprintln!("{}", output::summary(&response));
        if let Some(id) = exchange.trace_id() {
            eprintln!("* trace id {id}");
        }
    }
    scripts_verdict(scripts_failed)
}

/// Exit code 8 when a test failed or a script threw (said on stderr).
fn scripts_verdict(failed: bool) -> Result<(), Failure> {
    if failed {
        Err(Failure::silent(exit::TESTS))
    } else {
        Ok(())
    }
}

/// Maps a send error to its exit code and one-line message.
pub fn failure_for(error: SendError) -> Failure {
    let code = match &error {
        SendError::Cancelled => return Failure::new(exit::INTERRUPTED, "interrupted"),
        // The reader went away (`| head`): nothing to report.
        SendError::Write {
            kind: std::io::ErrorKind::BrokenPipe,
            ..
        } => return Failure::silent(exit::OK),
        SendError::Dns { .. } | SendError::Refused { .. } | SendError::Connect { .. } => {
            exit::CONNECT
        }
        SendError::Tls { .. } => exit::TLS,
        SendError::Timeout(_) => exit::TIMEOUT,
        SendError::TooManyRedirects(_) => exit::REDIRECTS,
        SendError::InvalidRequest(_) | SendError::File { .. } => exit::INPUT,
        SendError::Write { .. } | SendError::Protocol(_) => exit::HTTP,
    };
    Failure::new(code, escape(&error.to_string(), false))
}
