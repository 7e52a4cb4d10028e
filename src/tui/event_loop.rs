//! The message loop: terminal events, executor events, file changes and
//! effect results become messages; `update` changes state and returns
//! effects; the screen is redrawn only after something happened. Idle
//! means no timer at all: the spinner ticks only while requests are in
//! flight.

use std::io::Stdout;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use tokio::sync::mpsc;

use crate::http::ClientConfig;
use crate::pipeline::Pipeline;
use crate::storage::{self, layout};

use super::app::App;
use super::effect::{EditTarget, Effect};
use super::io::Io;
use super::msg::Msg;
use super::{external_editor, view};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Runs until the user quits. The terminal is already in raw mode.
pub async fn run(term: &mut Term, mut app: App) -> anyhow::Result<()> {
    let root = app.root.clone();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    // Before the client loads (and sets aside) a damaged cookie jar.
    app.damaged_state = storage::state::damaged(&root);
    let config = client_config(&root);
    let io = Io {
        root: root.clone(),
        pipeline: Pipeline::new(config),
        tx: tx.clone(),
        disk: super::io::Disk::spawn(),
        run_cancel: Default::default(),
        loads: Default::default(),
        history: super::io::app_history(&root),
    };
    let (watch_tx, mut watch_rx) = mpsc::unbounded_channel::<Vec<PathBuf>>();
    // The watcher is set up once the workspace is on screen (see below).
    let mut watch_tx = Some(watch_tx);

    let size = term.size()?;
    app.update(Msg::Resize(size.width, size.height));
    term.draw(|f| view::draw(&app, f))?;
    let mut timings = Timings::from_env();
    timings.mark("first_frame_ms");
    io.perform(Effect::LoadWorkspace).await;

    let mut input = EventStream::new();
    let mut spinner = tokio::time::interval(Duration::from_millis(100));
    spinner.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // File events come in bursts (a git checkout): reload once after a pause.
    let mut reload_at: Option<tokio::time::Instant> = None;
    let mut changed: Vec<PathBuf> = Vec::new();
    // Whether all of the workspace (not only its first part) was shown.
    let mut loaded_all = false;

    loop {
        let msg = tokio::select! {
            biased;
            Some(m) = rx.recv() => m,
            Some(ev) = input.next() => match ev {
                Ok(TermEvent::Key(k)) => Msg::Key(k),
                Ok(TermEvent::Paste(p)) => Msg::Paste(p),
                Ok(TermEvent::Mouse(m)) => Msg::Mouse(m),
                Ok(TermEvent::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(e) => return Err(e.into()),
            },
            Some(paths) = watch_rx.recv() => {
                changed.extend(paths);
                reload_at = Some(tokio::time::Instant::now() + Duration::from_millis(150));
                continue;
            }
            _ = tokio::time::sleep_until(reload_at.unwrap_or_else(tokio::time::Instant::now)), if reload_at.is_some() => {
                reload_at = None;
                Msg::FilesChanged(std::mem::take(&mut changed))
            }
            _ = spinner.tick(), if app.busy() => Msg::Tick,
            _ = tokio::time::sleep(Duration::from_millis(1)), if app.working() => Msg::Work,
        };
        let started = std::time::Instant::now();
        loaded_all |= matches!(msg, Msg::WorkspaceLoaded(_) | Msg::WorkspaceRead(_));
        if matches!(msg, Msg::WorkspacePart(_)) {
            timings.mark("workspace_part_ms");
        }
        let effects = app.update(msg);
        for effect in effects {
            match effect {
                Effect::EditExternally {
                    target,
                    text,
                    extension,
                } => {
                    // Give the terminal to the editor: stop reading input
                    // so the editor gets every key.
                    drop(input);
                    let result = external_editor::edit(term, &text, &extension);
                    input = EventStream::new();
                    let _ = tx.send(Msg::ExternalEdited {
                        target: target.clone(),
                        result,
                    });
                    let _: &EditTarget = &target;
                }
                Effect::EditFile(path) => {
                    drop(input);
                    let result = external_editor::edit_file(term, &path);
                    input = EventStream::new();
                    let _ = tx.send(match result {
                        Ok(()) => Msg::FilesChanged(Vec::new()),
                        Err(e) => Msg::Error(e),
                    });
                }
                Effect::EditWorkspace => {
                    drop(input);
                    let result = external_editor::edit_dir(term, &root);
                    input = EventStream::new();
                    let _ = tx.send(match result {
                        // Whatever changed on disk shows after the reload.
                        Ok(()) => Msg::FilesChanged(Vec::new()),
                        Err(e) => Msg::Error(e),
                    });
                }
                Effect::Quit => {}
                other => io.perform(other).await,
            }
        }
        if app.quit {
            break;
        }
        // Watching a big tree means walking it and one inotify watch per
        // directory: do it on its own thread, after the workspace is shown,
        // so it never delays the first frames. Without a watcher the app
        // still works; it just does not notice outside changes.
        // (Not while the first load's rest still loads: it competes for
        // the same disk and cores.)
        if loaded_all && app.workspace.is_some() {
            if let Some(tx) = watch_tx.take() {
                let root = root.clone();
                std::thread::spawn(move || {
                    if let Ok(_watcher) = watch(&root, tx) {
                        loop {
                            std::thread::park();
                        }
                    }
                });
            }
        }
        // Many events at once (download progress): draw once for all.
        if rx.is_empty() {
            term.draw(|f| view::draw(&app, f))?;
            if app.workspace.is_some() {
                timings.mark("workspace_frame_ms");
            }
            if loaded_all {
                timings.mark("workspace_complete_ms");
            }
        }
        timings.frame(started.elapsed(), app.in_flight.len());
    }
    Ok(())
}

fn client_config(root: &Path) -> ClientConfig {
    let tls = storage::load::load_workspace_config(root)
        .map(|c| c.tls)
        .unwrap_or_default();
    ClientConfig {
        ca_file: tls.ca_file.map(|p| root.join(p)),
        crl_file: tls.crl_file.map(|p| root.join(p)),
        client_cert: tls.client_cert.map(|p| root.join(p)),
        client_key: tls.client_key.map(|p| root.join(p)),
        cookie_file: storage::state::ensure_state_dir(root)
            .ok()
            .map(|_| storage::state::cookie_file(root)),
    }
}

/// Watches the workspace for changes to postie's own files.
fn watch(
    root: &Path,
    tx: mpsc::UnboundedSender<Vec<PathBuf>>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let state = root.join(layout::STATE_DIR);
    let git = root.join(".git");
    let mut w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(ev) = res else { return };
        if matches!(ev.kind, notify::EventKind::Access(_)) {
            return;
        }
        let paths: Vec<PathBuf> = ev
            .paths
            .into_iter()
            .filter(|p| !p.starts_with(&state) && !p.starts_with(&git))
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                // Our atomic-save temp files come and go; ignore them.
                !name.starts_with('.')
            })
            .collect();
        if !paths.is_empty() {
            let _ = tx.send(paths);
        }
    })?;
    w.watch(root, RecursiveMode::Recursive)?;
    Ok(w)
}

/// Start-up figures for benchmarks: with `POSTIE_TIMINGS=FILE`, the time
/// from process start to the first frame and to the first frame showing
/// the workspace is appended to FILE. Nothing is measured otherwise.
struct Timings {
    file: Option<PathBuf>,
    done: Vec<&'static str>,
    /// `POSTIE_FRAMES`: one line per message handled, for benchmarks.
    frames: Option<std::fs::File>,
}

impl Timings {
    fn from_env() -> Timings {
        Timings {
            file: std::env::var_os("POSTIE_TIMINGS").map(PathBuf::from),
            done: Vec::new(),
            frames: std::env::var_os("POSTIE_FRAMES").and_then(|p| std::fs::File::create(p).ok()),
        }
    }

    /// What handling one message took (update, effects, drawing), in µs,
    /// and how many sends were in flight after it.
    fn frame(&mut self, took: Duration, in_flight: usize) {
        if let Some(f) = &mut self.frames {
            use std::io::Write;
            let _ = writeln!(f, "{} {in_flight}", took.as_micros());
        }
    }

    fn mark(&mut self, what: &'static str) {
        let Some(file) = &self.file else { return };
        if self.done.contains(&what) {
            return;
        }
        self.done.push(what);
        let ms = crate::started().elapsed().as_secs_f64() * 1000.0;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
        {
            use std::io::Write;
            let _ = writeln!(f, "{what}={ms:.2}");
        }
    }
}
