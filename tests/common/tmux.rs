//! A tmux server of a test's own, to drive the real binary in a real
//! terminal: keys in, screen out, waiting on text with a deadline.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of the test's own (`tmux -L SOCKET`), so the test never
/// touches the user's sessions and ends only what it started.
pub struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    pub fn start(dir: &Path, cmd: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let socket = format!("postie-e2e-{}-{:x}", std::process::id(), fastrand::u32(..));
        let session = "e2e".to_string();
        let ok = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                "80",
                "-y",
                "24",
                "-c",
            ])
            .arg(dir)
            .arg(cmd)
            .env("TERM", "xterm-256color")
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "tmux new-session failed");
        let t = Tmux { socket, session };
        // Where the server listens, so the socket file goes when we do.
        let _ = t.socket_path();
        Some(t)
    }

    /// `tmux -L <our socket>`.
    pub fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    pub fn socket_path(&self) -> Option<String> {
        let out = self
            .tmux()
            .args(["display-message", "-p", "#{socket_path}"])
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string()).filter(|p| !p.is_empty())
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut c = self.tmux();
        c.args(["send-keys", "-t", &self.session]);
        c.args(keys);
        assert!(c.status().unwrap().success());
    }

    pub fn literal(&self, text: &str) {
        assert!(self
            .tmux()
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .unwrap()
            .success());
    }

    pub fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen contains `text`, with a deadline.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen no longer contains `text`, with a deadline.
    pub fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?} to go; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn alive(&self) -> bool {
        self.tmux()
            .args(["has-session", "-t", &self.session])
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // The server is ours alone, and exits with its last session.
        let socket = self.socket_path();
        let _ = self
            .tmux()
            .args(["kill-session", "-t", &self.session])
            .status();
        if let Some(p) = socket {
            let _ = std::fs::remove_file(p);
        }
    }
}
