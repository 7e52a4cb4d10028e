//! postie: a keyboard-driven API client for the terminal.
//!
//! The core (model, media, storage, vars, prepare, http, echo, runner) has no UI
//! types, so the CLI, the TUI and the tests share it.

pub mod check;
pub mod cli;
pub mod diag;
pub mod echo;
pub mod exchange;
pub mod export;
pub mod history;
pub mod http;
pub mod import;
pub mod jq;
pub mod media;
pub mod model;
pub mod oauth2;
pub mod pipeline;
pub mod prepare;
pub mod runner;
pub mod safe_text;
pub mod script;
pub mod storage;
pub mod telemetry;
pub mod tui;
pub mod units;
pub mod vars;

/// When the process started (first call wins; `main` calls it first), for
/// start-up benchmarks.
pub fn started() -> std::time::Instant {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}
