//! Performing effects: the only place the app touches the disk, the
//! executor, the clipboard, git and `$EDITOR`. Results come back as
//! messages on `tx`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::history::History;

use base64::Engine as _;
use tokio::sync::mpsc::UnboundedSender;

use crate::exchange::{Ending, Exchange};
use crate::http::{BodyTarget, Event, SendError};
use crate::pipeline::{Job, Options, Pipeline, Progress};
use crate::prepare::VarInputs;
use crate::storage::{self, load_workspace, ops, save, RequestContext};

use super::components::response::problems::SendProblem;

use super::effect::{Effect, ExportFormat, FileOp};
use super::msg::{LoadedWorkspace, Msg};

pub(crate) mod history_io;
mod jq_worker;

pub struct Io {
    pub root: PathBuf,
    pub pipeline: Pipeline,
    pub tx: UnboundedSender<Msg>,
    pub disk: Disk,
    /// The collection run going on, to stop it.
    pub run_cancel: RunCancel,
    /// Counts workspace loads: a load that a newer one overtook (a big
    /// first load, then a reload after a file changed) says nothing.
    pub loads: Arc<std::sync::atomic::AtomicU64>,
    /// Where every exchange of the app is recorded (`None`: history off).
    pub history: Option<Arc<History>>,
}

/// The workspace's history for the app, unless `POSTIE_HISTORY=off`.
/// Warnings about bad limits in the environment cannot be printed under
/// the app; the defaults apply.
pub fn app_history(root: &std::path::Path) -> Option<Arc<History>> {
    if crate::history::disabled_by_env() {
        return None;
    }
    let limits = crate::history::Limits::from_env().0;
    Some(Arc::new(History::open(root).with_limits(limits)))
}

/// The id of the collection run going on and the sender of its cancel
/// signal (one run at a time; a new one stops the last).
#[derive(Default)]
pub struct RunCancel(std::sync::Mutex<Option<(u64, tokio::sync::watch::Sender<bool>)>>);

impl RunCancel {
    /// Keeps `run`'s sender, stopping any run before it.
    fn start(&self, run: u64, tx: tokio::sync::watch::Sender<bool>) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, old)) = slot.replace((run, tx)) {
            let _ = old.send(true);
        }
    }

    /// Stops `run` if it is the one going on.
    fn cancel(&self, run: u64) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if slot.as_ref().is_some_and(|(r, _)| *r == run) {
            if let Some((_, tx)) = slot.take() {
                let _ = tx.send(true);
            }
        }
    }
}

/// How often a run's clock moves on screen while no request finishes.
const RUN_BEAT: std::time::Duration = std::time::Duration::from_millis(500);

/// Saves and file operations, one at a time and in the order asked, on a
/// thread of their own: a slow disk never holds up the UI loop, and two
/// saves of one request can't land in the wrong order.
#[derive(Clone)]
pub struct Disk {
    jobs: std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>,
}

impl Disk {
    pub fn spawn() -> Disk {
        let (jobs, rx) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        // If the thread can't start, `run` finds the channel closed and
        // does the work in place.
        let _ = std::thread::Builder::new()
            .name("postie-disk".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    job();
                }
            });
        Disk { jobs }
    }

    fn run(&self, job: impl FnOnce() + Send + 'static) {
        if let Err(std::sync::mpsc::SendError(job)) = self.jobs.send(Box::new(job)) {
            job();
        }
    }
}

/// The app's JS context for scripts (the pipeline numbers its own from
/// 2^48 up).
const SESSION_SCRIPTS: u64 = 1;

/// The events a pane shows while a request is in flight; the end comes
/// with the exchange record.
/// A line about the request's cached OAuth 2.0 token, for the Auth tab
/// (`None`: the request does not use OAuth 2.0).
fn token_status(
    pipeline: &Pipeline,
    context: &RequestContext,
    inputs: &VarInputs,
    forget: bool,
) -> Option<String> {
    let prepared = match crate::pipeline::resolve(context, inputs) {
        Ok(p) => p,
        Err(e) => {
            let uses = matches!(
                crate::prepare::auth_in_effect(context),
                crate::model::Auth::OAuth2(_)
            );
            return uses.then(|| format!("unknown until the settings resolve: {e}"));
        }
    };
    let pending = prepared.oauth2?;
    let (root, env) = (&context.root, inputs.environment_name());
    if forget {
        if let Err(e) = pipeline.forget_token(root, env, &pending.auth) {
            return Some(format!("could not forget the token: {e}"));
        }
    }
    let Some(token) = pipeline.cached_token(root, env, &pending.auth) else {
        return Some(if pending.auth.access_token.is_empty() {
            "none cached: one is fetched on send".into()
        } else {
            "the access_token in the settings, as it is".into()
        });
    };
    let mut parts = vec![token.redacted()];
    parts.push(match token.expires_at {
        None => "no expiry given".into(),
        Some(at) => {
            let now = crate::oauth2::now_secs();
            if at > now {
                format!("expires in {}", minutes(at - now))
            } else {
                format!("expired {} ago", minutes(now - at))
            }
        }
    });
    if let Some(scope) = token.scope.as_deref().filter(|s| !s.is_empty()) {
        parts.push(format!("scope {scope}"));
    }
    if token.refresh_token.is_some() {
        parts.push("refreshable".into());
    }
    Some(parts.join(" · "))
}

fn minutes(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} s"),
        60..=7199 => format!("{} min", secs / 60),
        _ => format!("{} h", secs / 3600),
    }
}

fn progress_event(ev: &Event) -> Option<Event> {
    match ev {
        Event::Started { id } => Some(Event::Started { id: *id }),
        Event::Head { id, head } => Some(Event::Head {
            id: *id,
            head: head.clone(),
        }),
        Event::Progress {
            id,
            received,
            total,
        } => Some(Event::Progress {
            id: *id,
            received: *received,
            total: *total,
        }),
        Event::Finished { .. } | Event::Failed { .. } => None,
    }
}

impl Io {
    /// Performs one effect. Slow work (loading, git) runs on a blocking
    /// thread or a task, so the UI never waits on it. `EditExternally` is
    /// handled by the event loop, which must give up the terminal first.
    pub async fn perform(&self, effect: Effect) {
        let tx = self.tx.clone();
        match effect {
            Effect::SendRequest {
                id,
                context,
                inputs,
                sources,
                fresh_token,
            } => {
                let pipeline = self.pipeline.clone();
                let root = self.root.clone();
                let root_for_problems = self.root.clone();
                let history = self.history.clone();
                tokio::spawn(async move {
                    let inputs = match inputs {
                        Some(i) => *i,
                        None => {
                            let load = move || VarInputs::load(&root, &sources);
                            match tokio::task::spawn_blocking(load).await {
                                Ok(Ok(i)) => i,
                                Ok(Err(e)) => {
                                    let mut exchange = Exchange::new(context.path.clone());
                                    exchange.ending = Ending::Failed(SendError::InvalidRequest(
                                        format!("variables: {e}"),
                                    ));
                                    let exchange = Box::new(exchange);
                                    let problems = Vec::new();
                                    let _ = tx.send(Msg::Exchanged {
                                        id,
                                        exchange,
                                        problems,
                                        history_id: None,
                                    });
                                    return;
                                }
                                Err(_) => return,
                            }
                        }
                    };
                    let job = Job {
                        id,
                        context: *context,
                        inputs,
                        target: BodyTarget::Memory,
                        // One JS context for the session: scripts start warm
                        // after the first send, as in a collection run.
                        options: Options {
                            script_context: Some(SESSION_SCRIPTS),
                            fresh_token,
                            ..Options::default()
                        },
                    };
                    let progress_tx = tx.clone();
                    let mut progress = move |p: Progress<'_>| match p {
                        Progress::Exec(ev) => {
                            if let Some(ev) = progress_event(ev) {
                                let _ = progress_tx.send(Msg::Exec(ev));
                            }
                        }
                        Progress::Auth(prompt) => {
                            let prompt = prompt.clone();
                            let _ = progress_tx.send(Msg::OAuth { id, prompt });
                        }
                        Progress::Sending(_) => {}
                    };
                    let env = job.inputs.environment_name().map(str::to_string);
                    let exchange = pipeline.run(job, &mut progress).await;
                    let history_id =
                        (history.as_ref()).map(|h| h.append(&exchange, None).id.clone());
                    let problems = SendProblem::from_problems(
                        exchange.problems(),
                        &root_for_problems,
                        env.as_deref(),
                    );
                    let _ = tx.send(Msg::Exchanged {
                        id,
                        exchange: Box::new(exchange),
                        problems,
                        history_id,
                    });
                });
            }
            Effect::SaveScriptVars {
                environment,
                changes,
            } => {
                let root = self.root.clone();
                self.disk.run(move || {
                    let result = storage::env_changes::save_changes(&root, &environment, &changes);
                    let _ = tx.send(Msg::ScriptVarsSaved {
                        environment,
                        result,
                    });
                });
            }
            Effect::LoadVars(sources) => {
                let root = self.root.clone();
                tokio::task::spawn_blocking(move || {
                    let result = VarInputs::load(&root, &sources).map(Box::new);
                    let _ = tx.send(Msg::VarsLoaded(result));
                });
            }
            Effect::CancelRequest(id) => self.pipeline.cancel(id).await,
            Effect::SaveRequest {
                path,
                dir,
                stem,
                request,
            } => {
                let root = self.root.clone();
                self.disk.run(move || {
                    let result = save::save_request(&root, &dir, &stem, &request);
                    let _ = tx.send(Msg::Saved { path, result });
                });
            }
            Effect::CopyAsCurl { context, inputs } => {
                let msg = match crate::pipeline::resolve_for_export(&context, &inputs) {
                    Ok((p, complete)) => {
                        copy_osc52(&crate::export::curl::to_curl(&p.request));
                        Msg::Info(if complete {
                            "copied as a curl command".into()
                        } else {
                            "copied as a curl command, without a token: none is cached yet \
                             (send the request once)"
                                .into()
                        })
                    }
                    Err(e) => Msg::Error(format!("not copied: {e}")),
                };
                let _ = tx.send(msg);
            }
            Effect::SubmitRedirect(text) => {
                if !self.pipeline.submit_redirect(text) {
                    let _ = tx.send(Msg::Error(
                        "nothing is waiting for a redirect URL now".into(),
                    ));
                }
            }
            Effect::TokenStatus {
                path,
                context,
                inputs,
                forget,
            } => {
                let pipeline = self.pipeline.clone();
                tokio::task::spawn_blocking(move || {
                    let status = token_status(&pipeline, &context, &inputs, forget);
                    let _ = tx.send(Msg::TokenStatus { path, status });
                });
            }
            Effect::Copy(text) => {
                // OSC 52: the terminal (even over SSH, and tmux with
                // set-clipboard on) puts it on the clipboard.
                copy_osc52(&text);
                let n = text.len();
                let unit = if n == 1 { "byte" } else { "bytes" };
                let _ = tx.send(Msg::Info(format!("copied {n} {unit}")));
            }
            Effect::WriteFile { path, bytes } => {
                let msg = match storage::atomic::write_atomic(&path, &bytes) {
                    Ok(()) => Msg::Info(format!("wrote {}", path.display())),
                    Err(e) => Msg::Error(format!("could not write {}: {e}", path.display())),
                };
                let _ = tx.send(msg);
            }
            Effect::ReloadWorkspace | Effect::LoadWorkspace => {
                use std::sync::atomic::Ordering;
                let root = self.root.clone();
                let loads = self.loads.clone();
                let this = loads.fetch_add(1, Ordering::SeqCst) + 1;
                let latest = move || loads.load(Ordering::SeqCst) == this;
                let progressive = matches!(effect, Effect::LoadWorkspace);
                tokio::task::spawn_blocking(move || {
                    let r = storage::load_workspace_progressive(&root, |part| {
                        if progressive && latest() {
                            let _ =
                                tx.send(Msg::WorkspacePart(Box::new(LoadedWorkspace::new(part))));
                        }
                    });
                    if latest() {
                        let _ = tx.send(match r {
                            Ok(ws) => Msg::WorkspaceRead(Box::new(LoadedWorkspace::new(ws))),
                            Err(e) => Msg::WorkspaceLoaded(Err(e)),
                        });
                    }
                });
            }
            Effect::RefreshGitStatus => {
                let root = self.root.clone();
                tokio::spawn(async move {
                    let out = tokio::process::Command::new("git")
                        .args([
                            "status",
                            "--porcelain=v1",
                            "-z",
                            "--untracked-files=all",
                            "--",
                            ".",
                        ])
                        .current_dir(&root)
                        .stdin(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .output()
                        .await;
                    // Not a git repository, or no git: no markers.
                    let Ok(out) = out else { return };
                    if !out.status.success() {
                        return;
                    }
                    // git prints paths relative to the repository root:
                    // ask where that is to map them to workspace paths.
                    let prefix = tokio::process::Command::new("git")
                        .args(["rev-parse", "--show-prefix"])
                        .current_dir(&root)
                        .output()
                        .await
                        .ok()
                        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                        .unwrap_or_default();
                    let _ = tx.send(Msg::GitStatus(strip_prefix_entries(&out.stdout, &prefix)));
                });
            }
            Effect::RememberEnvironment(env) => {
                if let Err(e) = storage::state::remember_environment(&self.root, env.as_deref()) {
                    let _ = tx.send(Msg::Error(format!(
                        "could not remember the environment: {e}"
                    )));
                }
            }
            Effect::FileOp(op) => {
                let root = self.root.clone();
                self.disk.run(move || {
                    let (result, select) = file_op(&root, op);
                    let _ = tx.send(Msg::FileOpDone { result, select });
                });
            }
            Effect::Import { file } => {
                let root = self.root.clone();
                tokio::task::spawn_blocking(move || {
                    let result = import_file(&root, &user_path(&file));
                    let _ = tx.send(Msg::FileOpDone {
                        result,
                        select: None,
                    });
                });
            }
            Effect::Export {
                source,
                format,
                file,
            } => {
                let root = self.root.clone();
                tokio::task::spawn_blocking(move || {
                    let msg = match export_to_file(&root, &source, format, &user_path(&file)) {
                        Ok(m) => Msg::Info(m),
                        Err(e) => Msg::Error(e),
                    };
                    let _ = tx.send(msg);
                });
            }
            Effect::StartRun {
                run,
                plan,
                mut setup,
            } => {
                if let Some(h) = self.history.clone() {
                    setup.options.tap = Some(crate::runner::run::ExchangeTap(Arc::new(
                        move |exchange: &crate::exchange::Exchange, _: &_| {
                            h.append(exchange, None);
                        },
                    )));
                }
                let beats_tx = tx.clone();
                let (cancel_tx, cancel) = tokio::sync::watch::channel(false);
                self.run_cancel.start(run, cancel_tx);
                let pipeline = self.pipeline.clone();
                tokio::spawn(async move {
                    use super::components::runner::{ChannelReporter, RunEvent};
                    let started = std::time::Instant::now();
                    let mut reporter = ChannelReporter::new(run, started, tx);
                    let beats = ChannelReporter::new(run, started, beats_tx);
                    let result = {
                        let running =
                            crate::runner::run(&pipeline, &plan, &setup, &mut reporter, cancel);
                        tokio::pin!(running);
                        let mut beat = tokio::time::interval(RUN_BEAT);
                        beat.tick().await;
                        loop {
                            tokio::select! {
                                r = &mut running => break r,
                                _ = beat.tick() => {
                                    if !beats.send(RunEvent::Beat) {
                                        return;
                                    }
                                }
                            }
                        }
                    };
                    if let Err(e) = result {
                        reporter.send(RunEvent::Failed(e.to_string()));
                    }
                });
            }
            Effect::CancelRun(run) => self.run_cancel.cancel(run),
            Effect::RunJq {
                pane,
                generation,
                filter,
                body,
            } => jq_worker::submit(jq_worker::Job {
                pane,
                generation,
                filter,
                body,
                reply: tx,
            }),
            Effect::ListHistory { .. }
            | Effect::OpenHistory { .. }
            | Effect::DiffHistory { .. }
            | Effect::StepHistory { .. } => {
                let history = self.history.clone();
                tokio::task::spawn_blocking(move || {
                    let msg = match history {
                        Some(h) => history_io::perform(&h, effect),
                        None => history_io::off(effect),
                    };
                    if let Some(msg) = msg {
                        let _ = tx.send(msg);
                    }
                });
            }
            Effect::EditExternally { .. }
            | Effect::EditWorkspace
            | Effect::EditFile(_)
            | Effect::Quit => {}
        }
    }
}

/// A path as typed in a dialog: `~/` is the home folder, a relative path
/// is taken from where postie was started, as a shell would.
fn user_path(typed: &str) -> PathBuf {
    let typed = typed.trim();
    if let (Some(rest), Some(home)) = (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        return PathBuf::from(home).join(rest);
    }
    let p = PathBuf::from(typed);
    if p.is_absolute() {
        return p;
    }
    std::env::current_dir().map_or(p.clone(), |d| d.join(&p))
}

/// Imports `file` into the workspace at `root` as `postie import FILE`
/// does (format guessed from the name and content; each collection a new
/// one) and says what was made, for the status line.
pub fn import_file(root: &Path, file: &Path) -> Result<String, String> {
    use crate::import;
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let text = import::text::decode_input(&bytes);
    let format = import::identify(file, &shown, &text).map_err(|e| e.to_string())?;
    let imported = import::parse(format, file, &text).map_err(|e| format!("{shown}: {e}"))?;
    let written = import::write_import(root, &imported, None)
        .map_err(|e| format!("{shown} not imported: {e}"))?;
    // The status line is short: the file's name says enough once it worked.
    let name = file
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    let mut msg = format!("imported {name} ({format}): {}", written.counts());
    if !written.roots.is_empty() {
        msg.push_str(&format!(" into {}", written.roots.join(", ")));
    }
    let notes = imported.report.notes.len();
    if notes > 0 {
        msg.push_str(&format!(
            "; {notes} item{} dropped or changed (`postie import --dry-run` lists them)",
            if notes == 1 { "" } else { "s" }
        ));
    }
    Ok(msg)
}

/// Writes the collection, folder or request at workspace path `source`
/// to `file` as `format`, from what is on disk; never over an existing
/// file (a typo must not clobber one of the workspace's own).
pub fn export_to_file(
    root: &Path,
    source: &str,
    format: ExportFormat,
    file: &Path,
) -> Result<String, String> {
    use crate::export;
    let shown = file.display();
    if file.exists() {
        return Err(format!("{shown} exists; export to another file"));
    }
    let (text, notes) = match format {
        ExportFormat::Postman => {
            let ws = load_workspace(root).map_err(|e| e.to_string())?;
            let out = export::postman::export_collection(&ws, source).map_err(|e| e.to_string())?;
            (out.json, out.report.notes.len())
        }
        ExportFormat::Http => {
            let ws = load_workspace(root).map_err(|e| e.to_string())?;
            let text =
                export::http_file::export_collection(&ws, source).map_err(|e| e.to_string())?;
            (text, 0)
        }
        ExportFormat::Curl => {
            let cx = storage::load_request_context(root, source).map_err(|e| e.to_string())?;
            (
                format!("{}\n", export::curl::to_curl_unresolved(&cx.request)),
                0,
            )
        }
    };
    storage::atomic::write_atomic(file, text.as_bytes())
        .map_err(|e| format!("could not write {shown}: {e}"))?;
    let mut msg = format!("exported {source} to {shown} ({format})");
    if format == ExportFormat::Curl {
        msg.push_str(", {{variables}} kept");
    }
    if notes > 0 {
        msg.push_str(&format!(
            "; {notes} thing{} Postman cannot hold left out (`postie export postman {source}` lists them)",
            if notes == 1 { "" } else { "s" }
        ));
    }
    Ok(msg)
}

/// OSC 52: the terminal (even over SSH, and tmux with set-clipboard on)
/// puts the text on the clipboard.
fn copy_osc52(text: &str) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{b64}\x07");
    let _ = out.flush();
}

/// git's paths are relative to the repository; keep the ones inside the
/// workspace, relative to it.
fn strip_prefix_entries(out: &[u8], prefix: &str) -> Vec<u8> {
    if prefix.is_empty() {
        return out.to_vec();
    }
    let mut res = Vec::new();
    for entry in out.split(|b| *b == 0) {
        if entry.len() < 4 {
            continue;
        }
        let (code, path) = entry.split_at(3);
        if let Some(rest) = path.strip_prefix(prefix.as_bytes()) {
            res.extend_from_slice(code);
            res.extend_from_slice(rest);
            res.push(0);
        }
    }
    res
}

fn file_op(root: &std::path::Path, op: FileOp) -> (Result<String, String>, Option<String>) {
    let rel = |p: &std::path::Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    match op {
        FileOp::NewRequest { dir, stem, name } => {
            let mut req = crate::model::Request::new("GET", "{{base_url}}/");
            req.name = Some(name);
            let taken: Vec<String> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".json")
                        .map(String::from)
                })
                .collect();
            let stem = crate::storage::layout::unique_stem(&stem, &taken);
            let path = format!("{}/{stem}", rel(&dir));
            match save::save_request(root, &dir, &stem, &req) {
                Ok(()) => (Ok(format!("made {path}")), Some(path)),
                Err(e) => (Err(e.to_string()), None),
            }
        }
        FileOp::NewFolder { dir } => {
            if dir.exists() {
                return (Err(format!("{} already exists", rel(&dir))), None);
            }
            let r = std::fs::create_dir_all(&dir)
                .map_err(|e| e.to_string())
                .and_then(|_| {
                    save::save_folder(root, &dir, false, &crate::model::Folder::default())
                        .map_err(|e| e.to_string())
                });
            (
                r.map(|_| format!("made folder {}", rel(&dir))),
                Some(rel(&dir)),
            )
        }
        FileOp::NewCollection { name } => match storage::init::create_collection(root, &name) {
            Ok(path) => (
                Ok(format!("made collection {path}; n adds a request to it")),
                Some(path),
            ),
            Err(e) => (Err(e.to_string()), None),
        },
        FileOp::Rename { dir, from, to } => {
            let r = ops::move_request(&dir, &from, &dir, &to).map_err(|e| e.to_string());
            (r.map(|_| format!("renamed to {to}")), None)
        }
        FileOp::Move {
            from_dir,
            stem,
            to_dir,
        } => {
            if !to_dir.is_dir() {
                return (Err(format!("no folder {}", rel(&to_dir))), None);
            }
            let r = ops::move_request(&from_dir, &stem, &to_dir, &stem).map_err(|e| e.to_string());
            (r.map(|_| format!("moved to {}", rel(&to_dir))), None)
        }
        FileOp::Duplicate { dir, from, to } => {
            let r = ops::duplicate_request(&dir, &from, &to).map_err(|e| e.to_string());
            (r.map(|_| format!("duplicated as {to}")), None)
        }
        FileOp::Delete { dir, stem } => {
            let r = ops::delete_request(&dir, &stem).map_err(|e| e.to_string());
            (r.map(|_| format!("deleted {stem}")), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
    }

    fn fresh() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        storage::init::init_workspace(dir.path(), None).unwrap();
        dir
    }

    #[tokio::test]
    async fn saves_run_off_the_loop_in_the_order_asked() {
        let ws = fresh();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let io = Io {
            root: ws.path().to_path_buf(),
            pipeline: Pipeline::new(Default::default()),
            tx,
            disk: Disk::spawn(),
            run_cancel: RunCancel::default(),
            loads: Default::default(),
            history: None,
        };
        let dir = ws.path().join("example");
        for url in ["http://127.0.0.1/first", "http://127.0.0.1/second"] {
            io.perform(Effect::SaveRequest {
                path: "example/hello".into(),
                dir: dir.clone(),
                stem: "hello".into(),
                request: Box::new(crate::model::Request::new("GET", url)),
            })
            .await;
        }
        for _ in 0..2 {
            assert!(matches!(
                rx.recv().await,
                Some(Msg::Saved { result: Ok(()), .. })
            ));
        }
        let text = std::fs::read_to_string(dir.join("hello.json")).unwrap();
        assert!(text.contains("/second"), "{text}");
    }

    #[test]
    fn a_curl_file_is_imported_as_a_new_collection_with_a_summary() {
        let ws = fresh();
        let src = tempfile::tempdir().unwrap();
        let file = src.path().join("things.txt");
        std::fs::write(
            &file,
            "curl -X POST https://example.com/things -H 'X-Kind: a'\n",
        )
        .unwrap();
        let msg = import_file(ws.path(), &file).unwrap();
        assert!(
            msg.contains("(curl command): 1 collection, 1 request into "),
            "{msg}"
        );
        let loaded = load_workspace(ws.path()).unwrap();
        let made = loaded.requests();
        assert!(
            made.iter()
                .any(|r| r.request.url == "https://example.com/things"),
            "{:?}",
            made.iter().map(|r| &r.path).collect::<Vec<_>>()
        );
    }

    #[test]
    fn an_unreadable_or_unknown_file_is_an_error_and_writes_nothing() {
        let ws = fresh();
        let before = load_workspace(ws.path()).unwrap().collections.len();
        let e = import_file(ws.path(), &ws.path().join("nope.json")).unwrap_err();
        assert!(e.starts_with("cannot read"), "{e}");
        let odd = ws.path().join("notes.txt");
        std::fs::write(&odd, "just words").unwrap();
        let e = import_file(ws.path(), &odd).unwrap_err();
        assert!(e.contains("notes.txt"), "{e}");
        assert_eq!(load_workspace(ws.path()).unwrap().collections.len(), before);
    }

    #[test]
    fn a_collection_exported_to_postman_imports_back_and_is_never_overwritten() {
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("users.postman_collection.json");
        let msg = export_to_file(&demo(), "users", ExportFormat::Postman, &file).unwrap();
        assert!(msg.starts_with("exported users to "), "{msg}");
        let e = export_to_file(&demo(), "users", ExportFormat::Postman, &file).unwrap_err();
        assert!(e.contains("exists"), "{e}");
        let ws = fresh();
        let msg = import_file(ws.path(), &file).unwrap();
        assert!(msg.contains("(Postman collection)"), "{msg}");
        let loaded = load_workspace(ws.path()).unwrap();
        assert!(loaded
            .requests()
            .iter()
            .any(|r| r.path.ends_with("/get-user")));
    }

    #[test]
    fn http_and_curl_exports_write_their_formats() {
        let out = tempfile::tempdir().unwrap();
        let http = out.path().join("users.http");
        export_to_file(&demo(), "users", ExportFormat::Http, &http).unwrap();
        let text = std::fs::read_to_string(&http).unwrap();
        assert!(text.contains("### "), "{text}");
        let sh = out.path().join("get-user.sh");
        let msg = export_to_file(&demo(), "users/get-user", ExportFormat::Curl, &sh).unwrap();
        assert!(msg.contains("{{variables}} kept"), "{msg}");
        let text = std::fs::read_to_string(&sh).unwrap();
        assert!(
            text.starts_with("curl ") && text.contains("{{users_url}}/{{user_id}}"),
            "{text}"
        );
        let e = export_to_file(
            &demo(),
            "nope",
            ExportFormat::Http,
            &out.path().join("x.http"),
        )
        .unwrap_err();
        assert!(e.contains("nope"), "{e}");
    }

    #[tokio::test]
    async fn the_import_effect_runs_off_the_ui_thread_and_reports_back() {
        let ws = fresh();
        let file = ws.path().join("one.curl");
        std::fs::write(&file, "curl https://example.com/one\n").unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let io = Io {
            root: ws.path().to_path_buf(),
            pipeline: Pipeline::new(Default::default()),
            tx,
            disk: Disk::spawn(),
            run_cancel: RunCancel::default(),
            loads: Default::default(),
            history: None,
        };
        io.perform(Effect::Import {
            file: file.display().to_string(),
        })
        .await;
        match rx.recv().await {
            Some(Msg::FileOpDone {
                result: Ok(m),
                select: None,
            }) => assert!(m.contains("1 request"), "{m}"),
            other => panic!("{other:?}"),
        }
        let out = ws.path().join("one.sh");
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let io = Io {
            root: demo(),
            pipeline: Pipeline::new(Default::default()),
            tx,
            disk: Disk::spawn(),
            run_cancel: RunCancel::default(),
            loads: Default::default(),
            history: None,
        };
        io.perform(Effect::Export {
            source: "users/get-user".into(),
            format: ExportFormat::Curl,
            file: out.display().to_string(),
        })
        .await;
        assert!(matches!(rx.recv().await, Some(Msg::Info(m)) if m.starts_with("exported")));
        assert!(out.is_file());
    }

    /// A workspace `shop` against `base`: `ok` passes its test, `broken`
    /// gets a 500 and fails its, `slow` waits 5 s.
    fn shop(base: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = d.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("postie.json", "{\"format\": 1}\n");
        w(
            "shop/collection.json",
            &format!(
                "{{\"variables\": {{\"base\": \"{base}\"}}, \"order\": [\"ok\", \"broken\"]}}\n"
            ),
        );
        w(
            "shop/ok.json",
            r#"{"method": "GET", "url": "{{base}}/get"}"#,
        );
        w(
            "shop/ok.test.js",
            "pm.test('ok is 200', () => pm.response.to.have.status(200));\n",
        );
        w(
            "shop/broken.json",
            r#"{"method": "GET", "url": "{{base}}/status/500"}"#,
        );
        w(
            "shop/broken.test.js",
            "pm.test('broken is 200', () => pm.response.to.have.status(200));\n",
        );
        w(
            "slow/collection.json",
            &format!("{{\"variables\": {{\"base\": \"{base}\"}}}}\n"),
        );
        w(
            "slow/wait.json",
            r#"{"method": "GET", "url": "{{base}}/delay/5"}"#,
        );
        d
    }

    /// Performs a run of `target` and feeds what comes back to a view
    /// until the run ends (or `cancel_after_start`: stops it once started).
    /// Also returns the requests the run left in the workspace's history.
    async fn run_and_watch(
        target: &str,
        cancel_after_start: bool,
    ) -> (super::super::components::runner::RunnerView, Vec<String>) {
        use super::super::components::runner::{plan_run, RunEvent};
        let server = crate::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap();
        let ws = shop(server.url("").trim_end_matches('/'));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let io = Io {
            root: ws.path().to_path_buf(),
            pipeline: Pipeline::new(Default::default()),
            tx,
            disk: Disk::spawn(),
            run_cancel: RunCancel::default(),
            loads: Default::default(),
            history: Some(Arc::new(History::open(ws.path()))),
        };
        let recorded = |io: &Io| -> Vec<String> {
            let h = io.history.as_ref().unwrap();
            h.flush().unwrap();
            let list = h.list(&Default::default()).value;
            list.into_iter().rev().map(|e| e.request).collect()
        };
        let loaded = load_workspace(ws.path()).unwrap();
        let (mut view, effect) = plan_run(&loaded, target, &[], VarInputs::default(), 3).unwrap();
        io.perform(effect).await;
        let deadline = std::time::Duration::from_secs(10);
        loop {
            let msg = tokio::time::timeout(deadline, rx.recv())
                .await
                .expect("the run went quiet");
            let Some(Msg::Run(update)) = msg else {
                panic!("{msg:?}");
            };
            let start = matches!(update.event, RunEvent::Started(_));
            if view.on_event(*update).is_some() {
                return (view, recorded(&io));
            }
            if start && cancel_after_start {
                io.perform(Effect::CancelRun(3)).await;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_run_streams_each_execution_then_its_summary() {
        let (view, recorded) = run_and_watch("shop", false).await;
        // The app's runs go to the workspace's history, as `postie run`'s.
        assert_eq!(recorded, ["shop/ok", "shop/broken"]);
        assert_eq!((view.executed, view.failed), (2, 1));
        let s = view.summary().expect("a summary");
        assert_eq!((s.assertions.executed, s.assertions.failed), (2, 1));
        let broken = &view.rows[1];
        assert_eq!(broken.item.id, "shop/broken");
        assert_eq!(broken.response.as_ref().map(|r| r.status), Some(500));
        assert!(broken.tests[0].failed(), "{:?}", broken.tests);
        // A pass never keeps its body; a failure's is kept for the jump.
        assert!(view.rows[0].body.is_none());
        assert!(broken.body.as_ref().is_some_and(|b| !b.is_empty()));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_send_from_the_app_is_recorded_in_history() {
        let server = crate::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap();
        let ws = shop(server.url("").trim_end_matches('/'));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let history = Arc::new(History::open(ws.path()));
        let io = Io {
            root: ws.path().to_path_buf(),
            pipeline: Pipeline::new(Default::default()),
            tx,
            disk: Disk::spawn(),
            run_cancel: RunCancel::default(),
            loads: Default::default(),
            history: Some(history.clone()),
        };
        let context = storage::load_request_context(ws.path(), "shop/ok").unwrap();
        io.perform(Effect::SendRequest {
            id: crate::http::RequestId(7),
            context: Box::new(context),
            inputs: Some(Box::default()),
            sources: Default::default(),
            fresh_token: false,
        })
        .await;
        let deadline = std::time::Duration::from_secs(10);
        loop {
            let msg = tokio::time::timeout(deadline, rx.recv()).await.unwrap();
            if let Some(Msg::Exchanged { .. }) = msg {
                break;
            }
        }
        history.flush().unwrap();
        let list = history.list(&Default::default()).value;
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].request, "shop/ok");
        assert_eq!(list[0].status, Some(200));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cancelling_a_run_stops_its_request_in_flight() {
        let started = std::time::Instant::now();
        let (view, _) = run_and_watch("slow", true).await;
        let s = view.summary().expect("a summary");
        assert_eq!(s.stopped, Some(crate::runner::record::Stopped::Cancelled));
        assert!(started.elapsed() < std::time::Duration::from_secs(4));
    }
}
