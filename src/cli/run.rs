//! `postie run`: a collection, folder or request of the workspace, or a
//! Postman collection file, run headless with newman's options under
//! newman's names, reported to the terminal, JSON and JUnit.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use serde_json::{Map, Value};

use crate::exchange::Exchange;
use crate::http::ClientConfig;
use crate::import::postman::{IdNode, IdTree, RunnableCollection};
use crate::pipeline::Pipeline;
use crate::prepare::{LoadedEnvironment, SessionVars, VarInputs, VarSources};
use crate::runner::record::ItemInfo;
use crate::runner::report::cli::CliStyle;
use crate::runner::report::select::ReporterOptions;
use crate::runner::report::{self, Reporter};
use crate::runner::run::ExchangeTap;
use crate::runner::vars_file::{self, VarsFile, VarsKind};
use crate::runner::{data, Plan, RunOptions, Setup, Shard};
use crate::safe_text::escape;
use crate::storage::{self, find_root};

use super::{exit, Failure};

#[derive(Debug, Args)]
#[command(after_help = "\
Exit codes: 0 every test passed and every request got a response; 1 a test \
failed, a script threw, a request failed or the run stopped early (or a file \
could not be read); 2 bad usage; 9 secrets found in the workspace's committed \
files before the run (postie check; --no-check skips it). --suppress-exit-code \
makes failures exit 0.")]
pub struct RunArgs {
    /// A collection, folder or request of the workspace (`users`,
    /// `users/admin`), or a Postman collection file (v1, v2.0, v2.1, or
    /// the `{"collection": …}` envelope Postman's API returns)
    #[arg(required_unless_present = "merge", default_value = "")]
    pub target: String,
    /// Merge the JSON reports of a sharded run's jobs (`--shard K/N`
    /// with `-r json`) into one run's reports and verdict, instead of
    /// running anything
    #[arg(long, num_args = 1.., value_name = "REPORT", conflicts_with = "target")]
    pub merge: Vec<PathBuf>,
    /// Postman environment file (newman's -e)
    #[arg(short = 'e', long = "environment", value_name = "FILE")]
    pub environment: Option<PathBuf>,
    /// Postman globals file
    #[arg(short = 'g', long, value_name = "FILE")]
    pub globals: Option<PathBuf>,
    /// Iteration data: a CSV file with a header row, or a JSON array of
    /// objects; one iteration per row
    #[arg(short = 'd', long = "iteration-data", value_name = "FILE")]
    pub iteration_data: Option<PathBuf>,
    /// Number of iterations (default: one per data row, else 1)
    #[arg(short = 'n', long = "iteration-count", value_name = "N")]
    pub iteration_count: Option<u32>,
    /// Run only this folder or request, by name or id (repeatable)
    #[arg(long = "folder", value_name = "NAME")]
    pub folders: Vec<String>,
    /// Set an environment variable (repeatable)
    #[arg(long = "env-var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub env_vars: Vec<(String, String)>,
    /// Set a global variable (repeatable)
    #[arg(long = "global-var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub global_vars: Vec<(String, String)>,
    /// Pause between requests, in milliseconds
    #[arg(long = "delay-request", value_name = "MS")]
    pub delay_request: Option<u64>,
    /// Time limit of the whole run, in milliseconds
    #[arg(long, value_name = "MS")]
    pub timeout: Option<u64>,
    /// Time limit of each request, in milliseconds
    #[arg(long = "timeout-request", value_name = "MS")]
    pub timeout_request: Option<u64>,
    /// Time limit of each script, in milliseconds (default 5000)
    #[arg(long = "timeout-script", value_name = "MS")]
    pub timeout_script: Option<u64>,
    /// Stop after the first failure; `folder` also fails at once when a
    /// --folder is not found (as newman: `--bail`, `--bail failure`,
    /// `--bail folder,failure`)
    #[arg(long, value_name = "MODES", num_args = 0..=1, default_missing_value = "failure")]
    pub bail: Option<String>,
    /// Exit 0 even when tests fail
    #[arg(short = 'x', long = "suppress-exit-code")]
    pub suppress_exit_code: bool,
    /// Do not verify TLS certificates
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// Do not follow redirects
    #[arg(long = "ignore-redirects")]
    pub ignore_redirects: bool,
    /// Colour in the terminal report: on, off or auto (auto: on a terminal
    /// without NO_COLOR)
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = ["on", "off", "auto"])]
    pub color: String,
    /// Directory relative file paths in requests resolve against (Postman
    /// files; default: the current directory)
    #[arg(long = "working-dir", value_name = "DIR")]
    pub working_dir: Option<PathBuf>,
    /// Refuse to read request body files outside the working directory
    #[arg(long = "no-insecure-file-read")]
    pub no_insecure_file_read: bool,
    /// Write the environment as it is at the end of the run to FILE
    #[arg(long = "export-environment", value_name = "FILE")]
    pub export_environment: Option<PathBuf>,
    /// Write the globals as they are at the end of the run to FILE
    #[arg(long = "export-globals", value_name = "FILE")]
    pub export_globals: Option<PathBuf>,
    /// Write the collection, with its variables as they are at the end of
    /// the run, to FILE (Postman v2.1)
    #[arg(long = "export-collection", value_name = "FILE")]
    pub export_collection: Option<PathBuf>,
    /// Reporters, comma-separated: cli, json, junit
    #[arg(short = 'r', long, value_name = "LIST", default_value = "cli")]
    pub reporters: String,
    /// Where the json reporter writes
    #[arg(long = "reporter-json-export", value_name = "FILE")]
    pub reporter_json_export: Option<PathBuf>,
    /// Where the junit reporter writes
    #[arg(long = "reporter-junit-export", value_name = "FILE")]
    pub reporter_junit_export: Option<PathBuf>,
    /// Leave the summary table out of the terminal report
    #[arg(long = "reporter-cli-no-summary")]
    pub reporter_cli_no_summary: bool,
    /// Leave the list of failures out of the terminal report
    #[arg(long = "reporter-cli-no-failures")]
    pub reporter_cli_no_failures: bool,
    /// Leave test results out of the terminal report
    #[arg(long = "reporter-cli-no-assertions")]
    pub reporter_cli_no_assertions: bool,
    /// Show only failed tests in the terminal report
    #[arg(long = "reporter-cli-no-success-assertions")]
    pub reporter_cli_no_success_assertions: bool,
    /// Leave scripts' console output out of the terminal report
    #[arg(long = "reporter-cli-no-console")]
    pub reporter_cli_no_console: bool,
    /// Leave the banner out of the terminal report
    #[arg(long = "reporter-cli-no-banner")]
    pub reporter_cli_no_banner: bool,
    /// Put a timestamp before each request and test line
    #[arg(long = "reporter-cli-show-timestamps")]
    pub reporter_cli_show_timestamps: bool,
    /// Show request and response headers and timings in the terminal report
    #[arg(long)]
    pub verbose: bool,
    /// Print nothing to the terminal
    #[arg(long)]
    pub silent: bool,
    /// The workspace environment to run with (workspace runs)
    #[arg(long = "env", value_name = "NAME", env = "POSTIE_ENV")]
    pub env: Option<String>,
    /// Set a variable over every scope (repeatable)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Run N iterations at once, each with its own variables
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub parallel: usize,
    /// With --parallel, run the top-level folders of each iteration at once
    #[arg(long = "parallel-folders")]
    pub parallel_folders: bool,
    /// Run shard K of N (1-based): every Nth iteration, or every Nth
    /// top-level folder when there are fewer iterations than shards
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Requests one iteration may send before a setNextRequest loop is
    /// stopped (at least 10 per request of the run)
    #[arg(long = "loop-limit", value_name = "N", default_value_t = crate::runner::run::DEFAULT_LOOP_LIMIT)]
    pub loop_limit: u64,
    /// Do not run pre-request and test scripts
    #[arg(long)]
    pub no_scripts: bool,
    /// Do not record the run's exchanges in the workspace's history
    /// (a Postman file run outside any workspace records none anyway)
    #[arg(long)]
    pub no_history: bool,
    /// Do not look for secrets in the workspace's committed files first
    /// (`postie check`; a Postman file given directly is never checked)
    #[arg(long)]
    pub no_check: bool,
    /// Export the run's spans (one per run, one per request) to the
    /// OTLP/HTTP collector at URL, e.g. http://localhost:4318 (also
    /// OTEL_EXPORTER_OTLP_ENDPOINT, or postie.json's telemetry.otlp_endpoint)
    #[arg(long, value_name = "URL")]
    pub otlp_endpoint: Option<String>,
    /// Send a W3C traceparent header with every request, all in the run's
    /// trace (also postie.json's telemetry.traceparent)
    #[arg(long)]
    pub traceparent: bool,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got {s:?}")),
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let bad = || format!("expected K/N with 1 <= K <= N, got {s:?}");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let index: u32 = k.trim().parse().map_err(|_| bad())?;
    let count: u32 = n.trim().parse().map_err(|_| bad())?;
    if index == 0 || count == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// `postie check` before a workspace run: a run is often what a secret
/// pasted into a request was for, and CI runs it on every push.
fn check_first(root: &Path) -> Result<(), Failure> {
    let report = super::check::findings(root, root, false)?;
    if report.findings.is_empty() {
        return Ok(());
    }
    for f in &report.findings {
        eprintln!("{}", super::check::line(f));
    }
    Err(Failure::new(
        exit::SECRETS,
        format!(
            "not run: {}; or run with --no-check",
            super::check::summary(&report)
        ),
    ))
}

/// What is being run, and what export needs to know about it.
enum Source {
    Workspace {
        ws: Box<storage::workspace::Workspace>,
    },
    Postman {
        document: Box<Value>,
    },
}

fn read(cwd: &Path, file: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(cwd.join(file)).map_err(|e| {
        Failure::new(
            exit::INPUT,
            format!("cannot read the {what} {}: {e}", file.display()),
        )
    })
}

/// A Postman collection file, if `target` names one.
fn postman_file(cwd: &Path, target: &str) -> Result<Option<RunnableCollection>, Failure> {
    let path = cwd.join(target);
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = read(cwd, Path::new(target), "collection")?;
    match crate::import::postman::parse_runnable(&bytes) {
        Ok(c) => Ok(Some(c)),
        // A request file of the workspace is not a Postman collection.
        Err(_) if find_root(cwd).is_ok() && looks_like_postie(&bytes) => Ok(None),
        Err(e) => Err(Failure::new(
            exit::INPUT,
            format!(
                "{target}: {}{}",
                escape(&e.to_string(), false),
                not_a_collection(&path, &bytes)
            ),
        )),
    }
}

/// What a file given as the collection is instead, when its structure
/// says (an environment passed where the collection goes, a spec).
fn not_a_collection(path: &Path, bytes: &[u8]) -> String {
    use crate::import::Format;
    let text = crate::import::text::decode_input(bytes);
    match crate::import::detect_format(path, &text) {
        Some(Format::PostmanEnvironment) => {
            "; it is a Postman environment or globals file: pass it with -e or -g".into()
        }
        Some(f @ (Format::OpenApi | Format::Har | Format::Curl | Format::HttpFile)) => {
            format!("; it reads as {f}: `postie import` it, then run the collection it makes")
        }
        _ => String::new(),
    }
}

fn looks_like_postie(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Value>(bytes).is_ok_and(|v| v.get("method").is_some())
}

fn id_lookup(tree: &IdTree) -> impl Fn(&[usize]) -> Option<String> + '_ {
    move |path: &[usize]| {
        let mut node = tree;
        let (last, dirs) = path.split_last()?;
        for i in dirs {
            match node.items.get(*i)? {
                IdNode::Folder(f) => node = f,
                IdNode::Request(_) => return None,
            }
        }
        match node.items.get(*last)? {
            IdNode::Folder(f) => f.id.clone(),
            IdNode::Request(id) => id.clone(),
        }
    }
}

pub fn run(args: RunArgs, cwd: &Path) -> Result<(), Failure> {
    if !args.merge.is_empty() {
        return merge(&args, cwd);
    }
    let working_dir = match &args.working_dir {
        Some(d) => cwd.join(d),
        None => cwd.to_path_buf(),
    };
    let working_dir = std::fs::canonicalize(&working_dir).map_err(|e| {
        Failure::new(
            exit::INPUT,
            format!("working directory {}: {e}", working_dir.display()),
        )
    })?;
    let mut inputs = VarInputs::default();
    // Where history goes: the workspace run, or the one a Postman file is
    // run inside of (none outside any workspace).
    let mut history_root: Option<(PathBuf, Option<String>)> = None;
    // A Postman file runs as newman runs it: an undefined `{{x}}` is sent
    // as written. A workspace run refuses it, as `postie send` does.
    let (mut plan, source, config) = match postman_file(cwd, &args.target)? {
        Some(runnable) => {
            let Some(collection) = runnable.import.collections.first() else {
                return Err(Failure::new(exit::INPUT, "the file holds no collection"));
            };
            let lookup = id_lookup(&runnable.ids);
            let plan = Plan::from_import(collection, &working_dir, &lookup)
                .map_err(|e| Failure::new(exit::INPUT, e.to_string()))?;
            let source = Source::Postman {
                document: Box::new(runnable.document),
            };
            inputs.keep_undefined = true;
            if let Ok(root) = find_root(cwd) {
                let file = std::fs::canonicalize(cwd.join(&args.target)).ok();
                let shown = (file.as_deref())
                    .and_then(|f| f.strip_prefix(&root).ok())
                    .map_or(args.target.clone(), |p| p.display().to_string());
                history_root = Some((root, Some(shown)));
            }
            (plan, source, ClientConfig::default())
        }
        None => {
            let root = match find_root(cwd) {
                Ok(root) => root,
                // `postie run missing.json` outside a workspace: say what
                // is missing, not that there is no workspace.
                Err(_) if args.target.ends_with(".json") => {
                    return Err(Failure::new(
                        exit::INPUT,
                        format!(
                            "cannot read the collection {}: no such file",
                            escape(&args.target, false)
                        ),
                    ))
                }
                Err(e) => return Err(e.into()),
            };
            if !args.no_check {
                check_first(&root)?;
            }
            let ws = storage::workspace::load_workspace(&root)?;
            history_root = Some((root.clone(), None));
            let cwd_abs = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
            let target = storage::normalize_request_path(&root, &cwd_abs, &args.target);
            let plan = Plan::from_workspace(&ws, &target)
                .map_err(|e| Failure::new(exit::INPUT, escape(&e.to_string(), false)))?;
            let sources = VarSources {
                environment: super::send::environment_for(&root, &ws.config, args.env.as_deref()),
                cli: Vec::new(),
                process_env: true,
            };
            inputs = VarInputs::load(&root, &sources)?;
            let tls = &ws.config.tls;
            let config = ClientConfig {
                ca_file: tls.ca_file.as_ref().map(|p| root.join(p)),
                crl_file: tls.crl_file.as_ref().map(|p| root.join(p)),
                client_cert: tls.client_cert.as_ref().map(|p| root.join(p)),
                client_key: tls.client_key.as_ref().map(|p| root.join(p)),
                // A run keeps its cookies to itself, as newman does.
                cookie_file: None,
            };
            (plan, Source::Workspace { ws: Box::new(ws) }, config)
        }
    };
    plan.select(&args.folders)
        .map_err(|e| Failure::new(exit::INPUT, escape(&e.to_string(), false)))?;
    force_settings(&mut plan, &args);
    inputs.cli = args.vars.clone();

    // -e and -g values go where scripts can change and unset them.
    let env_file = match &args.environment {
        Some(f) => Some(read_vars(cwd, f, "environment")?),
        None => None,
    };
    if env_file.is_some() || !args.env_vars.is_empty() {
        let name = env_file
            .as_ref()
            .and_then(|f| f.name.clone())
            .unwrap_or_else(|| "environment".to_string());
        if inputs.environment.is_none() {
            inputs.environment = Some(LoadedEnvironment {
                name,
                ..LoadedEnvironment::default()
            });
        }
    }
    let env_name = inputs.environment_name().unwrap_or_default().to_string();
    let mut session = SessionVars::default();
    {
        let scope = session.environments.entry(env_name.clone()).or_default();
        for (k, v) in env_file.iter().flat_map(|f| f.values.clone()) {
            scope.insert(k, Some(v));
        }
        for (k, v) in &args.env_vars {
            scope.insert(k.clone(), Some(Value::String(v.clone())));
        }
    }
    let globals_file = match &args.globals {
        Some(f) => Some(read_vars(cwd, f, "globals")?),
        None => None,
    };
    for (k, v) in globals_file.iter().flat_map(|f| f.values.clone()) {
        session.globals.insert(k, v);
    }
    for (k, v) in &args.global_vars {
        session.globals.insert(k.clone(), Value::String(v.clone()));
    }
    inputs.session = session;

    let data = match &args.iteration_data {
        Some(f) => {
            let bytes = read(cwd, f, "iteration data")?;
            data::parse(&bytes, &f.display().to_string())
                .map_err(|e| Failure::new(exit::INPUT, escape(&e.to_string(), false)))?
        }
        None => Vec::new(),
    };
    let bail: Vec<&str> = args.bail.as_deref().map_or(Vec::new(), |b| {
        b.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    });
    if let Some(bad) = bail.iter().find(|b| !matches!(**b, "failure" | "folder")) {
        return Err(Failure::new(
            exit::USAGE,
            format!("--bail takes `failure` and `folder`, not {bad:?}"),
        ));
    }
    if args.parallel == 0 {
        return Err(Failure::new(exit::USAGE, "--parallel must be at least 1"));
    }
    let history = history_root.and_then(|(root, file)| {
        let h = super::history::open_for(&root, crate::history::Via::Run, args.no_history)?;
        Some((std::sync::Arc::new(h), file))
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::HTTP, format!("starting the runtime: {e}")))?;
    let settings = match &source {
        Source::Workspace { ws } => ws.config.telemetry.clone(),
        _ => Default::default(),
    };
    let otlp = super::send::otlp_config(args.otlp_endpoint.as_deref(), &settings);
    let exporter = otlp.as_ref().and_then(|c| {
        let _runtime = rt.enter();
        match crate::telemetry::Exporter::start(c) {
            Ok(x) => Some(std::sync::Arc::new(x)),
            Err(e) => {
                super::send::warn_export(c, &e);
                None
            }
        }
    });
    // The run's span; its requests' spans are its children, in its trace.
    let run_ids = crate::telemetry::TraceIds::new_trace();
    let taps: Vec<ExchangeTap> = (history.as_ref())
        .map(|(h, file)| super::history::run_tap(h.clone(), file.clone()))
        .into_iter()
        .chain(exporter.clone().map(|x| span_tap(x, run_ids.span_id)))
        .collect();
    let tap = both(taps);
    let ms = Duration::from_millis;
    let mut setup = Setup {
        inputs,
        data,
        options: RunOptions {
            iterations: args.iteration_count,
            delay: ms(args.delay_request.unwrap_or(0)),
            timeout: args.timeout.filter(|t| *t > 0).map(ms),
            request_timeout: args.timeout_request.filter(|t| *t > 0).map(ms),
            script_timeout: args.timeout_script.filter(|t| *t > 0).map(ms),
            // A --folder that matches nothing fails the run before it starts
            // (newman does too), so `--bail folder` needs nothing more.
            bail: bail.is_empty() && args.bail.is_some() || bail.contains(&"failure"),
            run_scripts: !args.no_scripts,
            parallel: args.parallel,
            parallel_folders: args.parallel_folders,
            shard: args.shard,
            loop_limit: args.loop_limit,
            files_within: args.no_insecure_file_read.then(|| working_dir.clone()),
            keep_failed_bodies: 0,
            // A Postman file runs as newman runs it; a workspace request
            // naming a missing file is an error, as `postie send` says.
            skip_unreadable_files: matches!(source, Source::Postman { .. }),
            tap,
            prompt: None,
            trace: crate::telemetry::TraceOptions {
                header: args.traceparent,
                ids: exporter.is_some(),
                trace_id: Some(run_ids.trace_id),
            },
        },
    };

    let mut reporters = reporters(&args)?;
    let outcome = rt.block_on(async {
        let pipeline = Pipeline::new(config);
        let prompter = super::oauth_prompt::Prompter::new(&pipeline);
        setup.options.prompt = Some(crate::runner::PromptTap(std::sync::Arc::new(move |p| {
            prompter.show(p)
        })));
        let (stop, cancel) = tokio::sync::watch::channel(false);
        let ctrl_c = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = stop.send(true);
            }
        });
        let outcome =
            crate::runner::run(&pipeline, &plan, &setup, reporters.as_mut(), cancel).await;
        ctrl_c.abort();
        outcome
    });
    if let Some((h, _)) = &history {
        super::history::finish(h);
    }
    if let (Some(x), Some(c)) = (&exporter, &otlp) {
        if let Ok(o) = &outcome {
            x.add(vec![crate::telemetry::spans::run_span(run_ids, &o.summary)]);
        }
        if let Err(e) = rt.block_on(x.finish()) {
            super::send::warn_export(c, &e);
        }
    }
    let outcome =
        outcome.map_err(|e| Failure::new(exit::INPUT, format!("writing a report: {e}")))?;

    export(
        &args,
        cwd,
        &plan,
        &setup,
        &outcome.vars,
        env_file,
        globals_file,
        &source,
    )?;
    if outcome.summary.failed() && !args.suppress_exit_code {
        return Err(Failure::silent(exit::INPUT));
    }
    Ok(())
}

/// Every request's spans, children of the run's span (`run_span`).
fn span_tap(
    exporter: std::sync::Arc<crate::telemetry::Exporter>,
    run_span: [u8; 8],
) -> ExchangeTap {
    ExchangeTap(std::sync::Arc::new(
        move |exchange: &Exchange, item: &ItemInfo| {
            let mut name = item.folders.clone();
            name.push(item.name.clone());
            let extra = [opentelemetry::KeyValue::new("postie.item", name.join("/"))];
            let spans = crate::telemetry::spans::request_spans(exchange, Some(run_span), &extra);
            exporter.add(spans);
        },
    ))
}

/// One tap that calls each of `taps` in turn.
fn both(mut taps: Vec<ExchangeTap>) -> Option<ExchangeTap> {
    if taps.len() < 2 {
        return taps.pop();
    }
    Some(ExchangeTap(std::sync::Arc::new(
        move |e: &Exchange, i: &ItemInfo| {
            for t in &taps {
                (t.0)(e, i);
            }
        },
    )))
}

/// `--merge`: the shards' JSON reports replayed through the reporters.
fn merge(args: &RunArgs, cwd: &Path) -> Result<(), Failure> {
    let reports = (args.merge.iter())
        .map(|path| crate::runner::merge::read_report(&cwd.join(path)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::new(exit::INPUT, escape(&e.to_string(), false)))?;
    let mut reporters = reporters(args)?;
    let failed = crate::runner::merge::merge(reports, reporters.as_mut())
        .map_err(|e| Failure::new(exit::INPUT, format!("writing a report: {e}")))?;
    if failed && !args.suppress_exit_code {
        return Err(Failure::silent(exit::INPUT));
    }
    Ok(())
}

fn read_vars(cwd: &Path, file: &Path, what: &str) -> Result<VarsFile, Failure> {
    let bytes = read(cwd, file, what)?;
    vars_file::read(&bytes).map_err(|e| {
        Failure::new(
            exit::INPUT,
            format!("{}: {}", file.display(), escape(&e.to_string(), false)),
        )
    })
}

/// `-k` and `--ignore-redirects` win over every request's own settings.
fn force_settings(plan: &mut Plan, args: &RunArgs) {
    for step in &mut plan.steps {
        if let crate::runner::plan::Step::Request(item) = step {
            let settings = &mut item.context.request.settings;
            if args.insecure {
                settings.verify_tls = Some(false);
            }
            if args.ignore_redirects {
                settings.follow_redirects = Some(false);
            }
        }
    }
}

fn reporters(args: &RunArgs) -> Result<Box<dyn Reporter>, Failure> {
    let terminal = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some();
    let color = match args.color.as_str() {
        "on" => true,
        "off" => false,
        _ => terminal && !no_color,
    };
    let cli = CliStyle {
        color,
        // A live line only where someone watches: not in CI logs or pipes.
        progress: terminal && !no_color && std::env::var_os("CI").is_none() && !args.silent,
        verbose: args.verbose,
        silent: args.silent,
        no_summary: args.reporter_cli_no_summary,
        no_failures: args.reporter_cli_no_failures,
        no_assertions: args.reporter_cli_no_assertions,
        no_success_assertions: args.reporter_cli_no_success_assertions,
        no_console: args.reporter_cli_no_console,
        no_banner: args.reporter_cli_no_banner,
        show_timestamps: args.reporter_cli_show_timestamps,
    };
    let mut options = ReporterOptions {
        cli_out: Some(Box::new(std::io::stdout())),
        cli,
        json_export: args.reporter_json_export.clone(),
        junit_export: args.reporter_junit_export.clone(),
        now: std::time::SystemTime::now(),
    };
    let reporters = report::select::from_names([args.reporters.as_str()], &mut options)
        .map_err(|e| Failure::new(exit::USAGE, escape(&e.to_string(), false)))?;
    Ok(Box::new(reporters))
}

/// `--export-environment`, `--export-globals`, `--export-collection`:
/// the values as the run left them.
#[allow(clippy::too_many_arguments)]
fn export(
    args: &RunArgs,
    cwd: &Path,
    plan: &Plan,
    setup: &Setup,
    vars: &SessionVars,
    env_file: Option<VarsFile>,
    globals_file: Option<VarsFile>,
    source: &Source,
) -> Result<(), Failure> {
    let write = |file: &Path, text: &str| {
        storage::atomic::write_atomic(&cwd.join(file), text.as_bytes())
            .map_err(|e| Failure::new(exit::INPUT, format!("cannot write {}: {e}", file.display())))
    };
    if let Some(file) = &args.export_environment {
        let name = setup.inputs.environment_name().unwrap_or_default();
        let mut values: Vec<(String, Value)> = Vec::new();
        if let Some(env) = &setup.inputs.environment {
            for (k, v) in env
                .file
                .variables
                .values()
                .into_iter()
                .chain(env.secrets.clone())
            {
                values.push((k, Value::String(v)));
            }
        }
        apply(&mut values, vars.environments.get(name));
        let out = VarsFile {
            name: env_file
                .as_ref()
                .and_then(|f| f.name.clone())
                .or_else(|| Some(name.to_string())),
            id: env_file.as_ref().and_then(|f| f.id.clone()),
            values,
        };
        write(file, &vars_file::write(VarsKind::Environment, &out))?;
    }
    if let Some(file) = &args.export_globals {
        let out = VarsFile {
            name: globals_file.as_ref().and_then(|f| f.name.clone()),
            id: globals_file.as_ref().and_then(|f| f.id.clone()),
            values: vars
                .globals
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        write(file, &vars_file::write(VarsKind::Globals, &out))?;
    }
    if let Some(file) = &args.export_collection {
        let mut document = match source {
            Source::Postman { document } => (**document).clone(),
            Source::Workspace { ws } => {
                let exported = crate::export::postman::export_collection(ws, &plan.collection)
                    .map_err(|e| Failure::new(exit::INPUT, e.to_string()))?;
                serde_json::from_str(&exported.json)
                    .map_err(|e| Failure::new(exit::INPUT, e.to_string()))?
            }
        };
        set_collection_variables(&mut document, vars.collections.get(&plan.collection));
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        write(file, &text)?;
    }
    Ok(())
}

/// Applies what scripts set (`None`: unset) over `values`, keeping order.
fn apply(
    values: &mut Vec<(String, Value)>,
    changes: Option<&std::collections::BTreeMap<String, Option<Value>>>,
) {
    for (name, value) in changes.into_iter().flatten() {
        let at = values.iter().position(|(k, _)| k == name);
        match (at, value) {
            (Some(i), Some(v)) => values[i].1 = v.clone(),
            (None, Some(v)) => values.push((name.clone(), v.clone())),
            (Some(i), None) => {
                values.remove(i);
            }
            (None, None) => {}
        }
    }
}

/// The collection's `variable` list with the run's changes applied.
fn set_collection_variables(
    document: &mut Value,
    changes: Option<&std::collections::BTreeMap<String, Option<Value>>>,
) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let list = root
        .entry("variable")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(list) = list.as_array_mut() else {
        return;
    };
    for (name, value) in changes.into_iter().flatten() {
        let at = list
            .iter()
            .position(|v| v.get("key").and_then(Value::as_str) == Some(name.as_str()));
        match (at, value) {
            (Some(i), Some(v)) => {
                if let Some(o) = list[i].as_object_mut() {
                    o.insert("value".into(), v.clone());
                }
            }
            (None, Some(v)) => {
                let mut o = Map::new();
                o.insert("key".into(), Value::String(name.clone()));
                o.insert("value".into(), v.clone());
                list.push(Value::Object(o));
            }
            (Some(i), None) => {
                list.remove(i);
            }
            (None, None) => {}
        }
    }
}
