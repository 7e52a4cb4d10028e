//! Turns reqwest's nested errors into a [`SendError`] the user can act on.

use std::error::Error as StdError;
use std::time::Duration;

use super::SendError;

/// `host:port` as the user would type it, for messages.
pub(crate) fn host_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Classifies a reqwest error by walking its `source()` chain.
pub(crate) fn classify(
    err: &reqwest::Error,
    url: &url::Url,
    connect_timeout: Duration,
) -> SendError {
    let host = host_of(url);
    let chain = chain_of(err);

    if err.is_builder() {
        return SendError::InvalidRequest(innermost(&chain));
    }
    if err.is_timeout() {
        return SendError::Timeout(connect_timeout);
    }
    for e in &chain {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return SendError::Refused { host },
                std::io::ErrorKind::TimedOut => return SendError::Timeout(connect_timeout),
                _ => {}
            }
        }
    }
    let messages: Vec<String> = chain.iter().map(|e| e.to_string()).collect();
    if messages
        .iter()
        .any(|m| m.starts_with("dns error") || m.contains("failed to lookup address"))
    {
        return SendError::Dns {
            host: url.host_str().unwrap_or("").to_string(),
        };
    }
    if err.is_connect() {
        if url.scheme() == "https" && chain.iter().any(|e| looks_like_tls(*e)) {
            return SendError::Tls {
                host,
                message: innermost(&chain),
            };
        }
        return SendError::Connect {
            host,
            message: innermost(&chain),
        };
    }
    SendError::Protocol(one_line(&innermost(&chain)))
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

/// rustls is not a direct dependency, so its errors are recognised by what
/// they say (an io::Error of kind InvalidData wraps them).
fn looks_like_tls(e: &(dyn StdError + 'static)) -> bool {
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        if io.kind() == std::io::ErrorKind::InvalidData {
            return true;
        }
    }
    let m = e.to_string().to_ascii_lowercase();
    [
        "certificate",
        "handshake",
        "alert",
        "tls",
        "corrupt message",
        "peer is incompatible",
        "peer misbehaved",
    ]
    .iter()
    .any(|k| m.contains(k))
}
