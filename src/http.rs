//! The executor: a tokio task that owns the HTTP clients, takes [`Command`]s
//! over a channel and answers with [`Event`]s. The CLI and the TUI share it.
//!
//! Everything above this module works with [`PreparedRequest`]: a request
//! whose variables, auth and body have already been resolved to bytes.

mod types;

pub use types::*;
