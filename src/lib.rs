//! postie: a keyboard-driven API client for the terminal.
//!
//! The core (model, storage, vars, http, echo) has no UI types, so the CLI,
//! the TUI and the tests share it.

pub mod echo;
pub mod http;
pub mod storage;
