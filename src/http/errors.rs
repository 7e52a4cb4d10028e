//! Turns reqwest's nested errors into a [`SendError`] the user can act on.

use std::error::Error as StdError;
use std::time::Duration;

use super::connect::LookupFailed;
use super::timing::Seen;
use super::tls_info::problem_of;
use super::SendError;

/// `host:port` as the user would type it, for messages.
pub(crate) fn host_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Classifies a reqwest error from what the hop's own resolver, connector
/// and TLS verifier saw, then from the error types in its `source()` chain.
pub(crate) fn classify(
    err: &reqwest::Error,
    url: &url::Url,
    connect_timeout: Duration,
    seen: &Seen,
) -> SendError {
    let host = host_of(url);
    let chain = chain_of(err);

    if err.is_builder() {
        return SendError::InvalidRequest(innermost(&chain));
    }
    if err.is_timeout() {
        return SendError::Timeout(connect_timeout);
    }
    if seen.dns_failed || chain.iter().any(|e| e.is::<LookupFailed>()) {
        return SendError::Dns {
            host: url.host_str().unwrap_or("").to_string(),
        };
    }
    if let Some(problem) = seen.tls_problem {
        return SendError::Tls {
            host,
            message: innermost(&chain),
            problem,
        };
    }
    for e in &chain {
        if let Some(tls) = rustls_error(*e) {
            return SendError::Tls {
                host,
                message: one_line(&tls.to_string()),
                problem: problem_of(tls),
            };
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return SendError::Refused { host },
                std::io::ErrorKind::TimedOut => return SendError::Timeout(connect_timeout),
                _ => {}
            }
        }
    }
    if err.is_connect() {
        return SendError::Connect {
            host,
            message: innermost(&chain),
        };
    }
    SendError::Protocol(one_line(&innermost(&chain)))
}

/// Classifies an I/O error of a connection postie made itself (the raw
/// path): refused, TLS (with the verifier's verdict when it gave one), or
/// another connect failure.
pub(crate) fn classify_io(err: &std::io::Error, host: &str, seen: &Seen) -> SendError {
    let host = host.to_string();
    if let Some(problem) = seen.tls_problem {
        return SendError::Tls {
            host,
            message: one_line(&err.to_string()),
            problem,
        };
    }
    if let Some(tls) = rustls_error(err) {
        return SendError::Tls {
            host,
            message: one_line(&tls.to_string()),
            problem: problem_of(tls),
        };
    }
    if err.kind() == std::io::ErrorKind::ConnectionRefused {
        return SendError::Refused { host };
    }
    SendError::Connect {
        host,
        message: one_line(&err.to_string()),
    }
}

/// A rustls error, also inside io::Errors (tokio-rustls and hyper-rustls
/// wrap it, and an io::Error's `source()` skips what it wraps).
fn rustls_error<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut cur: &'a (dyn StdError + 'static) = e;
    for _ in 0..4 {
        if let Some(t) = cur.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        let inner: &'a (dyn StdError + Send + Sync + 'static) =
            cur.downcast_ref::<std::io::Error>()?.get_ref()?;
        cur = inner;
    }
    None
}

/// Errors while reading the body, after the headers arrived.
pub(crate) fn classify_body(err: &reqwest::Error, url: &url::Url) -> SendError {
    let chain = chain_of(err);
    SendError::Protocol(format!(
        "reading the response body from {}: {}",
        host_of(url),
        innermost(&chain)
    ))
}

fn chain_of<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut chain = vec![err];
    let mut cur = err.source();
    while let Some(e) = cur {
        chain.push(e);
        cur = e.source();
    }
    chain
}

fn innermost(chain: &[&(dyn StdError + 'static)]) -> String {
    chain
        .last()
        .map(|e| one_line(&e.to_string()))
        .unwrap_or_default()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
