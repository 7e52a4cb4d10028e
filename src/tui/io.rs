//! Performing effects: the only place the app touches the disk, the
//! executor, the clipboard, git and `$EDITOR`. Results come back as
//! messages on `tx`.

use std::io::Write;
use std::path::PathBuf;

use base64::Engine as _;
use tokio::sync::mpsc::{Sender, UnboundedSender};

use crate::http::{BodyTarget, Command};
use crate::storage::{self, load_workspace, ops, save};

use super::components::response::problems::SendProblem;
use super::effect::{Effect, FileOp};
use super::msg::Msg;

pub struct Io {
    pub root: PathBuf,
    pub commands: Sender<Command>,
    pub tx: UnboundedSender<Msg>,
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
                sources,
            } => match crate::prepare::prepare(&context, &sources) {
                Ok(p) => {
                    let cmd = Command::Send {
                        id,
                        request: Box::new(p.request),
                        target: BodyTarget::Memory,
                    };
                    if self.commands.send(cmd).await.is_err() {
                        let _ = tx.send(Msg::SendFailed {
                            id,
                            problems: vec![SendProblem::other("the executor stopped")],
                        });
                    }
                }
                Err(e) => {
                    let env = sources.environment.as_deref();
                    let problems = SendProblem::from_prepare(&e, &self.root, env);
                    let _ = tx.send(Msg::SendFailed { id, problems });
                }
            },
            Effect::LoadScopes {
                path,
                context,
                sources,
            } => {
                let scopes =
                    crate::prepare::build_scopes(&context, &sources).map_err(|e| e.to_string());
                let _ = tx.send(Msg::ScopesLoaded { path, scopes });
            }
            Effect::CancelRequest(id) => {
                let _ = self.commands.send(Command::Cancel(id)).await;
            }
            Effect::SaveRequest {
                path,
                dir,
                stem,
                request,
            } => {
                let root = self.root.clone();
                let result =
                    save::save_request(&root, &dir, &stem, &request).map_err(|e| e.to_string());
                let _ = tx.send(Msg::Saved { path, result });
            }
            Effect::CopyAsCurl { context, sources } => {
                let msg = match crate::prepare::prepare(&context, &sources) {
                    Ok(p) => {
                        copy_osc52(&crate::export::curl::to_curl(&p.request));
                        Msg::Info("copied as a curl command".into())
                    }
                    Err(e) => Msg::Error(format!("not copied: {e}")),
                };
                let _ = tx.send(msg);
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
            Effect::ReloadWorkspace => {
                let root = self.root.clone();
                tokio::task::spawn_blocking(move || {
                    let r = load_workspace(&root)
                        .map(Box::new)
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::WorkspaceLoaded(r));
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
                let (result, select) = file_op(&root, op);
                let _ = tx.send(Msg::FileOpDone { result, select });
            }
            Effect::EditExternally { .. } | Effect::Quit => {}
        }
    }
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
