//! The executor: a tokio task that owns the HTTP clients, takes [`Command`]s
//! over a channel and answers with [`Event`]s. The CLI and the TUI share it.
//!
//! Everything above this module works with [`PreparedRequest`]: a request
//! whose variables, auth and body have already been resolved to bytes.

mod client;
mod connect;
mod cookies;
mod decode;
pub(crate) mod digest;
mod dispatch;
mod errors;
mod exchange;
mod executor;
mod multipart;
mod raw;
#[cfg(test)]
mod raw_tests;
mod redirect;
#[cfg(test)]
mod security_tests;
mod target;
#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;
mod timing;
#[cfg(test)]
mod timing_tests;
mod tls_info;
mod types;

pub use dispatch::{Client, Sending};
pub use executor::{spawn_executor, Executor};
pub use timing::{connection_json, curl_figures, curl_seconds, sizes_json};
pub use types::*;
