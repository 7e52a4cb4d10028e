//! Shared helpers for the integration tests: a copy of the demo workspace
//! and an echo server on 127.0.0.1, both private to the test.
#![allow(dead_code)]

pub mod hostile;
pub mod oauth_server;
pub mod otlp;
pub mod tmux;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == ".postie" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

/// A private copy of `examples/demo`, so tests never write into the repo.
pub fn demo_copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/demo"), d.path());
    d
}

pub fn echo() -> postie::echo::EchoServer {
    postie::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap()
}

/// A copy of the demo whose `local` environment points at an echo server
/// of the test's own.
pub fn demo_on_echo() -> (postie::echo::EchoServer, tempfile::TempDir) {
    let server = echo();
    let ws = demo_copy();
    let env = ws.path().join("environments/local.json");
    let text = fs::read_to_string(&env).unwrap();
    let base = server.url("");
    fs::write(
        &env,
        text.replace("http://127.0.0.1:8080", base.trim_end_matches('/')),
    )
    .unwrap();
    (server, ws)
}

/// `git ARGS` in `dir` with a throwaway identity; whether it succeeded
/// (`false` too when git is missing).
pub fn git(dir: &Path, args: &[&str]) -> bool {
    std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `postie` run in `dir`, with no POSTIE_* variables leaking in from the
/// environment running the tests.
pub fn postie(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("postie").unwrap();
    cmd.current_dir(dir)
        .env_remove("POSTIE_ENV")
        .env_remove("POSTIE_WORKSPACE")
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(30));
    for (k, _) in std::env::vars() {
        if k.starts_with("POSTIE_VAR_") || k.ends_with("_proxy") || k.ends_with("_PROXY") {
            cmd.env_remove(k);
        }
    }
    cmd
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `shared/corpus/<sub>` beside the checkout (or beside the main checkout,
/// for a git worktree one level deeper), or `$POSTIE_CORPUS/<sub>`. `None`,
/// with a message saying the test skips, where it is absent (a user's clone).
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("POSTIE_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    for up in ["..", "../.."] {
        candidates.push(repo().join(up).join("shared/corpus"));
    }
    for c in &candidates {
        let dir = if sub.is_empty() {
            c.clone()
        } else {
            c.join(sub)
        };
        if dir.is_dir() {
            return Some(dir);
        }
    }
    eprintln!(
        "skipped: no shared/corpus/{sub} beside {}",
        repo().display()
    );
    None
}

/// The files the corpus README lists with the given kind, e.g. `[postman]`,
/// with the rest of their README row.
pub fn listed(root: &Path, kind: &str) -> Vec<(PathBuf, String)> {
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    readme
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("| `")?;
            let (path, row) = rest.split_once('`')?;
            row.contains(&format!("| {kind}"))
                .then(|| (root.join(path), row.to_string()))
        })
        .collect()
}
