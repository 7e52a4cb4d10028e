//! newman's two local test servers (its `npm/server.js`), which some of its
//! collections talk to on ports 4041 and 4042:
//!
//! - the raw echo ([`serve_raw`]) answers with the request's raw bytes, in
//!   the body and, JSON-quoted, in a `raw-request` header, so scripts can
//!   check the exact request line and headers a client wrote;
//! - the redirect server ([`serve_redirect`]) redirects `/{n}` n times and
//!   `/status/{code}` once, and echoes anything else as JSON.

use std::convert::Infallible;
use std::io;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::describe::headers_object;
use super::reply::{self, Body};
use super::router::BODY_LIMIT;

/// Largest request the raw echo reads; a bigger one gets `413`.
pub const RAW_LIMIT: usize = 16 * 1024 * 1024;
/// Longest request head (request line and headers) the raw echo waits for.
const RAW_HEAD_LIMIT: usize = 64 * 1024;
/// How long the raw echo waits for more of a request when the client goes
/// quiet; then it answers with what it has (newman's waits a fixed second,
/// whatever arrived).
pub const RAW_IDLE_TIMEOUT: Duration = Duration::from_secs(2);
/// The longest the raw echo spends reading one request, however it trickles.
pub const RAW_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves newman's raw echo on `listener` until the future is dropped.
/// Each connection gets one answer, then is closed.
pub async fn serve_raw(listener: TcpListener) -> io::Result<()> {
    let mut backoff = super::Backoff::default();
    loop {
        let stream = super::next_connection(&listener, &mut backoff).await?;
        tokio::spawn(raw_connection(stream));
    }
}

/// Serves newman's redirect server on `listener` until the future is
/// dropped.
pub async fn serve_redirect(listener: TcpListener) -> io::Result<()> {
    let mut backoff = super::Backoff::default();
    loop {
        let stream = super::next_connection(&listener, &mut backoff).await?;
        tokio::spawn(async move {
            let service = service_fn(|req| async move { Ok::<_, Infallible>(redirect(req).await) });
            // Connection errors are the client's business.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

enum Read {
    /// A whole request (head and its body) is in the buffer.
    Complete,
    /// The client stopped sending (closed or went quiet): answer with what
    /// arrived.
    Partial,
    TooLarge,
}

async fn raw_connection(mut stream: TcpStream) {
    let mut request = Vec::new();
    let read = match tokio::time::timeout(RAW_READ_TIMEOUT, read_request(&mut stream, &mut request))
        .await
    {
        Ok(Ok(read)) => read,
        Ok(Err(_)) => return,
        Err(_elapsed) => Read::Partial,
    };
    let answer = match read {
        Read::TooLarge => {
            b"HTTP/1.1 413 Payload Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                .to_vec()
        }
        Read::Complete | Read::Partial if request.is_empty() => return,
        Read::Complete | Read::Partial => raw_answer(&request),
    };
    let _ = stream.write_all(&answer).await;
    let _ = stream.shutdown().await;
}

/// newman's answer: the request as text, JSON-quoted in `raw-request` (so
/// it fits on one header line) and as the body, except for `HEAD`.
pub(super) fn raw_answer(request: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(request);
    let quoted = serde_json::to_string(&text).unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 200 ok\r\nconnection: close\r\ncontent-type: text/plain\r\nraw-request: {quoted}\r\n\r\n"
    )
    .into_bytes();
    if !text.starts_with("HEAD ") {
        out.extend_from_slice(text.as_bytes());
    }
    out
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<Read> {
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let too_large = match head_framing(buf) {
            Some((head_end, Framing::Length(length))) => {
                head_end.saturating_add(length) > RAW_LIMIT
            }
            Some(_) => buf.len() > RAW_LIMIT,
            None => buf.len() > RAW_HEAD_LIMIT,
        };
        if too_large {
            return Ok(Read::TooLarge);
        }
        if let Some(end) = request_end(buf) {
            // Anything after the request (a pipelined one) is not echoed.
            buf.truncate(end);
            return Ok(Read::Complete);
        }
        let n = match tokio::time::timeout(RAW_IDLE_TIMEOUT, stream.read(&mut chunk)).await {
            Ok(read) => read?,
            Err(_quiet) => return Ok(Read::Partial),
        };
        if n == 0 {
            return Ok(Read::Partial);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// How a request's body is delimited, from its head.
enum Framing {
    Length(usize),
    Chunked,
    /// A malformed length: the request ends where the bytes end.
    Unknown,
}

/// The end of the head (after its blank line) and the body's framing, once
/// the head is all there.
fn head_framing(buf: &[u8]) -> Option<(usize, Framing)> {
    // Only the first bytes can hold the head, so a long body is not searched.
    let window = &buf[..buf.len().min(RAW_HEAD_LIMIT + 4)];
    let head_end = find(window, b"\r\n\r\n").map(|i| i + 4)?;
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let mut framing = Framing::Length(0);
    for line in head.split("\r\n").skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("transfer-encoding")
            && value.to_ascii_lowercase().contains("chunked")
        {
            // Chunked wins over a length (RFC 9112 §6.3).
            return Some((head_end, Framing::Chunked));
        }
        if name.eq_ignore_ascii_case("content-length") {
            framing = value.parse().map_or(Framing::Unknown, Framing::Length);
        }
    }
    Some((head_end, framing))
}

/// Where the request in `buf` ends, once all of it is there: the head, then
/// `Content-Length` bytes or a chunked body up to its last chunk and
/// trailers. A malformed length or chunk ends the request where the bytes
/// end, so the client still gets an answer.
pub(super) fn request_end(buf: &[u8]) -> Option<usize> {
    match head_framing(buf)? {
        (_, Framing::Unknown) => Some(buf.len()),
        (head_end, Framing::Chunked) => chunked_end(buf, head_end),
        (head_end, Framing::Length(length)) => {
            let end = head_end.checked_add(length)?;
            (buf.len() >= end).then_some(end)
        }
    }
}

fn chunked_end(buf: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let line_end = at + find(&buf[at..], b"\r\n")?;
        let size_text = String::from_utf8_lossy(&buf[at..line_end]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return Some(buf.len());
        };
        at = line_end + 2;
        if size == 0 {
            // Trailers, then an empty line.
            if buf[at..].starts_with(b"\r\n") {
                return Some(at + 2);
            }
            return find(&buf[at..], b"\r\n\r\n").map(|i| at + i + 4);
        }
        at = at.checked_add(size)?.checked_add(2)?;
        if at > buf.len() {
            return None;
        }
    }
}

async fn redirect(req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    if let Some(n) = target
        .strip_prefix('/')
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        let hops = n.parse::<u128>().unwrap_or(u128::MAX).saturating_sub(1);
        let location = if hops > 0 {
            format!("/{hops}")
        } else {
            "/".to_owned()
        };
        return bare(StatusCode::FOUND, &location);
    }
    if let Some(code) = target
        .strip_prefix("/status/")
        .filter(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
    {
        // hyper cannot send a 1xx as the final answer.
        return match code
            .parse::<u16>()
            .ok()
            .and_then(|c| StatusCode::from_u16(c).ok())
        {
            Some(status) if status.as_u16() >= 200 => bare(status, "/"),
            _ => reply::bad_request("status must be within 200..=599"),
        };
    }
    let data = match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) => return reply::bad_request(format!("could not read the request body: {err}")),
    };
    let echo = json!({
        "url": target,
        "method": parts.method.as_str(),
        "headers": Value::Object(headers_object(&parts.headers)),
        "data": String::from_utf8_lossy(&data),
    });
    let mut response = reply::with_type(
        StatusCode::OK,
        "application/json",
        serde_json::to_vec(&echo).unwrap_or_default(),
    );
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

fn bare(status: StatusCode, location: &str) -> Response<Body> {
    let mut response = Response::new(reply::full(Bytes::new()));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response.headers_mut().remove(CONTENT_TYPE);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_end_waits_for_the_declared_body() {
        let head = b"POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 5\r\n\r\n";
        assert_eq!(request_end(&head[..head.len() - 1]), None);
        assert_eq!(request_end(head), None);
        let mut full = head.to_vec();
        full.extend_from_slice(b"hel");
        assert_eq!(request_end(&full), None);
        full.extend_from_slice(b"loGET");
        assert_eq!(request_end(&full), Some(head.len() + 5));
        assert_eq!(request_end(b"GET / HTTP/1.1\r\n\r\n"), Some(18));
        let bad = b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\nabc";
        assert_eq!(request_end(bad), Some(bad.len()));
    }

    #[test]
    fn request_end_follows_chunks_and_trailers() {
        let head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        let mut buf = head.clone();
        buf.extend_from_slice(b"4\r\nwiki\r\n5;x=1\r\npedia\r\n");
        assert_eq!(request_end(&buf), None);
        buf.extend_from_slice(b"0\r\n");
        assert_eq!(request_end(&buf), None);
        let mut plain = buf.clone();
        plain.extend_from_slice(b"\r\n");
        assert_eq!(request_end(&plain), Some(plain.len()));
        buf.extend_from_slice(b"X-Trailer: 1\r\n");
        assert_eq!(request_end(&buf), None);
        buf.extend_from_slice(b"\r\n");
        assert_eq!(request_end(&buf), Some(buf.len()));
    }

    #[test]
    fn raw_answer_quotes_the_request_and_skips_the_body_for_head() {
        let answer =
            String::from_utf8(raw_answer(b"GET /\"x\" HTTP/1.1\r\nHost: h\r\n\r\n")).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 200 ok\r\nconnection: close\r\n"),
            "{answer}"
        );
        assert!(
            answer
                .contains("raw-request: \"GET /\\\"x\\\" HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n\"\r\n"),
            "{answer}"
        );
        assert!(answer.ends_with("\r\n\r\nGET /\"x\" HTTP/1.1\r\nHost: h\r\n\r\n"));
        let head = String::from_utf8(raw_answer(b"HEAD / HTTP/1.1\r\n\r\n")).unwrap();
        assert!(head.ends_with("\\r\\n\\r\\n\"\r\n\r\n"), "{head}");
    }
}
