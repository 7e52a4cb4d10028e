//! postie: a keyboard-driven API client for the terminal.
//!
//! The core (model, storage, vars, prepare, http, echo) has no UI types, so
//! the CLI, the TUI and the tests share it.

pub mod cli;
pub mod diag;
pub mod echo;
pub mod export;
pub mod http;
pub mod import;
pub mod model;
pub mod prepare;
pub mod safe_text;
pub mod storage;
pub mod tui;
pub mod vars;
